#include "calibrate_sample.h"

#include <cmath>

#include "arch/error.h"
#include "model.h"

namespace archscope::calibration {
namespace {

/// A profile with unit efficiencies, no overhead and all op costs 0.
Profile unitProfile(const Profile& base) {
    Profile u = base;
    u.matrix.efficiency = u.vector.efficiency = u.memory.efficiency = 1.0;
    u.runtime.perGroupSeconds = u.runtime.perKernelLaunchSeconds = u.runtime.perStepSeconds = 0.0;
    u.runtime.efficiency.fill(1.0);
    u.vector.opsPerElement.fill(0.0);
    return u;
}

}  // namespace

PreparedSample prepare(const Profile& base, const CalibrationSample& s, Dtype dtype,
                       bool needMeasured) {
    if (needMeasured && (!(s.measuredMs > 0.0) || !std::isfinite(s.measuredMs))) {
        throw ArchError("calibration sample \"" + s.name + "\" has no positive measured time");
    }
    if (s.layers.empty()) throw ArchError("calibration sample \"" + s.name + "\" has no layers");
    Profile u = unitProfile(base);
    PreparedSample out;
    const auto groups = predictGroups(u, s.layers, dtype);
    // Activation bytes alone: weights streamed infinitely fast.
    Profile activationsOnly = u;
    activationsOnly.memory.weightBandwidthBytesPerSecond = 1e300;
    const auto actGroups = predictGroups(activationsOnly, s.layers, dtype);
    // Off-chip activation bytes alone (on-chip reads infinitely fast too): the rest of the
    // activation time is on-chip, which memory.bandwidth does not scale. Which reads are on chip
    // depends on bytes only, so the three predictions agree on it.
    const bool onChip = base.memory.onChipBandwidthBytesPerSecond > 0.0;
    Profile offChipOnly = activationsOnly;
    offChipOnly.memory.onChipBandwidthBytesPerSecond = 1e300;
    const auto offGroups =
        onChip ? predictGroups(offChipOnly, s.layers, dtype) : std::vector<GroupCost>{};
    out.groups.resize(groups.size());
    std::vector<int> stageOfBlock;  // block index + 2 -> stage index
    for (size_t i = 0; i < s.stages.size(); ++i) {
        const int block = stageBlockIndex(s.stages[i].name);
        if (block < -2) continue;
        if (int(stageOfBlock.size()) <= block + 2) stageOfBlock.resize(block + 3, -1);
        stageOfBlock[block + 2] = int(i);
    }
    for (size_t g = 0; g < groups.size(); ++g) {
        out.groups[g].matrix = groups[g].matrixSeconds;
        out.groups[g].memory = onChip ? offGroups[g].memorySeconds : actGroups[g].memorySeconds;
        out.groups[g].onChipMemory =
            onChip ? actGroups[g].memorySeconds - offGroups[g].memorySeconds : 0.0;
        out.groups[g].weightMemory = groups[g].memorySeconds - actGroups[g].memorySeconds;
        out.groups[g].opClass = int(groups[g].opClass);
        const int block = s.layers[groups[g].anchorLayer].block + 2;
        out.groups[g].stage =
            block >= 0 && block < int(stageOfBlock.size()) ? stageOfBlock[block] : -1;
    }
    // The vector time is linear in each op cost: predict once per op with that cost at 1.
    for (int op = 0; op < kVectorOpCount; ++op) {
        u.vector.opsPerElement.fill(0.0);
        u.vector.opsPerElement[op] = 1.0;
        const auto perOp = predictGroups(u, s.layers, dtype);
        for (size_t g = 0; g < groups.size(); ++g)
            out.groups[g].vectorPerOp[op] = perOp[g].vectorSeconds;
    }
    out.logMeasured = std::log(s.measuredMs * 1e-3);
    // A stage without a positive time (NaN here) is left out of the fit.
    for (const auto& st : s.stages) {
        out.logStageMeasured.push_back(st.measuredMs > 0.0 ? std::log(st.measuredMs * 1e-3)
                                                           : std::nan(""));
    }
    return out;
}

double FastModel::predict(const PreparedSample& s, const SlotValues& x,
                          std::vector<double>* stages) const {
    const double overhead = (x[kPerFusedOp] + x[kPerLaunch]) * 1e-6;
    const double weightBandwidth = x[kWeightBandwidth] > 0.0 ? x[kWeightBandwidth] : x[kBandwidth];
    double total = 0.0;
    for (const auto& g : s.groups) {
        double vector = 0.0;
        for (int op = 0; op < kVectorOpCount; ++op) vector += g.vectorPerOp[op] * x[kOps0 + op];
        const double memory =
            (g.memory * (m_baseBandwidth / x[kBandwidth]) +
             g.weightMemory * (m_baseWeightBandwidth / weightBandwidth) + g.onChipMemory) /
            x[kMemoryEff];
        const double t = fusedOpSeconds(g.matrix / x[kMatrixEff], vector / x[kVectorEff], memory,
                                        overhead, m_shares, x[kOverlap], x[kClassEff0 + g.opClass]);
        total += t;
        if (stages && g.stage >= 0) (*stages)[g.stage] += t;
    }
    return total + x[kPerStep] * 1e-6;
}

}  // namespace archscope::calibration
