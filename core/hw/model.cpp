// The analytical model: maps each layer onto matrix unit / vector unit / memory, groups the
// elementwise ops into fused ops by the profile's rules, and takes max(units) + overhead per group.
// See docs/hw-model.md for the rules and their reasons.
#include "model.h"

#include <algorithm>
#include <cmath>

#include "arch/expand.h"

namespace archscope {

std::string_view boundName(Bound b) {
    switch (b) {
        case Bound::Matrix:
            return "matrix";
        case Bound::Vector:
            return "vector";
        case Bound::Memory:
            return "memory";
        case Bound::Overhead:
            return "overhead";
    }
    return "?";
}

namespace {

inline int64_t roundUp(int64_t x, int64_t multiple) {
    return (x + multiple - 1) / multiple * multiple;
}
inline int64_t ceilDiv(int64_t a, int64_t b) {
    return (a + b - 1) / b;
}

/// Rates of one profile at one precision, worked out once per prediction.
struct Machine {
    const Profile& p;
    double bytesPerElement;
    double matrixPeakPerCore;  ///< MAC/s, datasheet
    double matrixRatePerUnit;  ///< MAC/s one unit reaches (efficiency applied)
    double vectorPeakPerCore;  ///< ops/s, datasheet
    double vectorRatePerCore;  ///< ops/s reached
    double bandwidth;          ///< bytes/s reached
    double weightBandwidth;    ///< bytes/s weights stream at; 0 = bandwidth
    double onChipBandwidth;    ///< bytes/s of the on-chip memory (CMEM) reached; 0 = none
    double overheadSeconds;
    double passes = 1.0;  ///< systolic: array passes per MAC at this precision

    Machine(const Profile& profile, Dtype dtype) : p(profile) {
        requireDtype(profile, dtype);
        bytesPerElement = dtypeBytes(dtype);
        matrixPeakPerCore = p.matrix.peakMacsPerSecond[int(dtype)] / p.cores;
        if (p.matrix.mapping == MatrixMapping::Systolic) {
            // The rate the array runs at (the stated peak agrees within 3%, see profile_io),
            // scaled for a precision that takes several passes (fp32 on a bf16 MXU).
            const double arrayRate = double(p.matrix.unitsPerCore) * p.matrix.kChannelMultiple *
                                     p.matrix.nMultiple * p.matrix.clockHz;
            const double fastest = *std::max_element(p.matrix.peakMacsPerSecond.begin(),
                                                     p.matrix.peakMacsPerSecond.end());
            passes = fastest / p.matrix.peakMacsPerSecond[int(dtype)];
            matrixPeakPerCore = arrayRate / passes;
        }
        matrixRatePerUnit = matrixPeakPerCore * p.matrix.efficiency / p.matrix.unitsPerCore;
        vectorPeakPerCore = p.vector.peakOpsPerSecond / p.cores;
        vectorRatePerCore = vectorPeakPerCore * p.vector.efficiency;
        bandwidth = p.memory.bandwidthBytesPerSecond * p.memory.efficiency;
        weightBandwidth = p.memory.weightBandwidthBytesPerSecond * p.memory.efficiency;
        onChipBandwidth = p.memory.onChipBandwidthBytesPerSecond * p.memory.efficiency;
        overheadSeconds = p.runtime.perGroupSeconds + p.runtime.perKernelLaunchSeconds;
    }
};

bool onMatrixUnit(OpKind k) {
    return isConvolution(k);
}

/// Matrix-unit seconds of one convolution / FC for `perCoreBatch` images; sets issued MACs and,
/// when asked, the whole tiling.
double matrixSeconds(const Machine& m, const Layer& l, int perCoreBatch, double& issued,
                     MatrixTiling* tiling = nullptr) {
    const MatrixUnitSpec& mx = m.p.matrix;
    const int64_t rows = int64_t(perCoreBatch) * l.out.h * l.out.w;
    const int64_t window = int64_t(l.kernelH) * l.kernelW;
    const int64_t cin = l.in.c / std::max(1, l.groups);
    if (mx.mapping == MatrixMapping::Systolic) {
        // Weight-stationary: each K x N tile of weights is loaded, then every row streams through.
        // With few input channels XLA folds the kernel window into the contraction (im2col-like:
        // K = cin x kh x kw padded to the array once) instead of padding every window; the
        // compiler takes the mapping with fewer K tiles (a 3-channel 3x3 stem: 128 rows, not 1152).
        const int64_t perWindowK = roundUp(cin, mx.kChannelMultiple) * window;
        const int64_t foldedK = roundUp(cin * window, mx.kChannelMultiple);
        const bool folded = cin < mx.kChannelMultiple && foldedK < perWindowK;
        const int64_t kp = folded ? foldedK : perWindowK;
        const int64_t np = roundUp(l.out.c, mx.nMultiple);
        const int64_t mp = roundUp(rows, mx.mMultiple);
        const int64_t tiles = kp / mx.kChannelMultiple * (np / mx.nMultiple);
        const double stream = double(tiles) * mp / mx.unitsPerCore;
        const double load = double(ceilDiv(tiles, mx.unitsPerCore)) * mx.weightLoadCycles;
        const double cycles = std::max(stream, load);
        issued = double(mp) * kp * np;
        const double seconds = cycles * m.passes / (mx.clockHz * mx.efficiency);
        if (tiling) {
            *tiling = {rows,         cin * window, l.out.c, mp,      kp,     np,    mx.mMultiple,
                       mx.nMultiple, tiles,        0,       seconds, issued, folded};
        }
        return seconds;
    }
    // Output tiles in waves over the units; K is padded per window, then to the MMA step.
    const int64_t kp = roundUp(roundUp(cin, mx.kChannelMultiple) * window, mx.tileKMultiple);
    double best = 0.0;
    for (const auto& [tm, tn] : mx.tiles) {
        const int64_t blocks = ceilDiv(rows, tm) * ceilDiv(l.out.c, tn);
        const int64_t waves = ceilDiv(blocks, mx.unitsPerCore);
        const double macs = double(waves) * tm * tn * kp;
        const double seconds = macs / m.matrixRatePerUnit;
        if (best == 0.0 || seconds < best) {
            best = seconds;
            issued = macs * mx.unitsPerCore;
            if (tiling) {
                *tiling = {
                    rows, cin * window, l.out.c, roundUp(rows, tm), kp,    roundUp(l.out.c, tn), tm,
                    tn,   blocks,       waves,   seconds,           issued};
            }
        }
    }
    return best;
}

/// Vector lane-ops per element of an elementwise or pooling op.
double opsPerElement(const Profile& p, const Layer& l) {
    const auto& ops = p.vector.opsPerElement;
    switch (l.kind) {
        case OpKind::BatchNorm:
            return ops[int(VectorOp::BatchNorm)];
        case OpKind::Act:
            switch (l.activation) {
                case Activation::Relu:
                    return ops[int(VectorOp::Relu)];
                case Activation::Relu6:
                    return ops[int(VectorOp::Relu6)];
                case Activation::Swish:
                    return ops[int(VectorOp::Swish)];
            }
            return ops[int(VectorOp::Relu)];
        case OpKind::SeSigmoid:
            return ops[int(VectorOp::Sigmoid)];
        case OpKind::SeMultiply:
            return ops[int(VectorOp::Multiply)];
        case OpKind::ResidualAdd:
            return ops[int(VectorOp::Add)];
        default:
            return ops[int(VectorOp::Pool)];
    }
}

/// Builds one group from its member layers, then finishes its times.
class GroupBuilder {
public:
    GroupBuilder(const Machine& m) : m_(m) {}

    void start(int index) {
        g = GroupCost{};
        g.firstLayer = g.lastLayer = g.anchorLayer = index;
        m_prevOutput = -1;
        m_anchored = false;
        m_weightBytes = 0.0;
        // What the previous fused op wrote, for the on-chip rule in finish().
        m_prevGroupOutputBytes = m_chainOutputBytes;
        m_prevGroupOutputShape = m_chainOutputShape;
        m_chainOutputBytes = 0.0;
    }

    void add(const std::vector<Layer>& layers, int index) {
        const Layer& l = layers[index];
        const int n = std::max(1, l.in.n);
        const int cores = m_.p.cores;
        const int perCore = int(ceilDiv(n, cores));
        const double frac = double(perCore) / n;
        const double coresUsed = std::min(cores, n);
        g.lastLayer = index;
        if (!isElementwise(l.kind) && !m_anchored) {
            g.anchorLayer = index;
            m_anchored = true;
        }
        // Memory: the first op reads all its inputs, later ones only what the chain does not
        // already hold on chip; weights once per core; the last op's output is written.
        const double inputs = m_prevOutput < 0
                                  ? double(l.inputElements)
                                  : std::max(0.0, double(l.inputElements) - m_prevOutput);
        if (m_prevOutput < 0) {
            m_firstInputBytes = inputs * m_.bytesPerElement;
            m_firstInputShape = l.in;
        }
        g.bytes += (inputs + double(l.params) * coresUsed) * m_.bytesPerElement;
        m_weightBytes += double(l.params) * coresUsed * m_.bytesPerElement;
        m_prevOutput = double(l.outputElements);
        m_chainOutputBytes = double(l.outputElements) * m_.bytesPerElement;
        m_chainOutputShape = l.out;

        if (onMatrixUnit(l.kind)) {
            double issued = 0.0;
            g.matrixSeconds += matrixSeconds(m_, l, perCore, issued);
            g.usefulMacs += double(l.macs) * frac;
            g.issuedMacs += issued;
            g.flops += 2.0 * double(l.macs);
            return;
        }
        const int lane = m_.p.vector.laneChannels;
        const int c = std::max(1, l.out.c);
        const double lanePad = double(roundUp(c, lane)) / c;
        double ops = 0.0;
        if (l.kind == OpKind::DepthwiseConv) {
            ops = double(l.macs) * m_.p.vector.opsPerElement[int(VectorOp::DepthwiseMac)];
            g.flops += 2.0 * double(l.macs);
        } else if (l.kind == OpKind::SePool || l.kind == OpKind::GlobalPool) {
            ops = double(l.in.elements()) * opsPerElement(m_.p, l);
            g.flops += double(l.in.elements());
        } else if (l.kind == OpKind::MaxPool) {
            ops = double(l.outputElements) * l.kernelH * l.kernelW * opsPerElement(m_.p, l);
            g.flops += double(l.outputElements) * l.kernelH * l.kernelW;
        } else {
            ops = double(l.outputElements) * opsPerElement(m_.p, l);
            g.flops += ops;
        }
        g.vectorOps += ops * frac;
        g.issuedVectorOps += ops * frac * lanePad;
    }

    const GroupCost& finish(const std::vector<Layer>& layers) {
        g.bytes += m_chainOutputBytes;
        g.opClass = opClassOf(layers[size_t(g.anchorLayer)]);
        g.runtimeEfficiency = m_.p.runtime.efficiencyOf(g.opClass);
        g.vectorSeconds = g.issuedVectorOps / m_.vectorRatePerCore;
        // On-chip memory (CMEM): when everything the fused op moves fits, the tensor the previous
        // op wrote (same shape as this op's first input) is still on chip and is read from there.
        g.onChipBytes = m_.onChipBandwidth > 0.0 && m_prevGroupOutputBytes > 0.0 &&
                                g.bytes <= m_.p.memory.onChipCapacityBytes &&
                                m_firstInputShape == m_prevGroupOutputShape
                            ? std::min(m_firstInputBytes, m_prevGroupOutputBytes)
                            : 0.0;
        const double offChip = g.bytes - g.onChipBytes;
        g.memorySeconds = m_.weightBandwidth > 0.0 ? (offChip - m_weightBytes) / m_.bandwidth +
                                                         m_weightBytes / m_.weightBandwidth
                                                   : offChip / m_.bandwidth;
        if (g.onChipBytes > 0.0) g.memorySeconds += g.onChipBytes / m_.onChipBandwidth;
        g.overheadSeconds = m_.overheadSeconds;
        g.seconds =
            fusedOpSeconds(g.matrixSeconds, g.vectorSeconds, g.memorySeconds, g.overheadSeconds,
                           m_.p.vector.sharesMatrixUnits, m_.p.memory.overlap, g.runtimeEfficiency);
        const double times[4] = {g.matrixSeconds, g.vectorSeconds, g.memorySeconds,
                                 g.overheadSeconds};
        int arg = 3;
        for (int i = 0; i < 3; ++i) {
            if (times[i] > times[arg]) arg = i;
        }
        g.bound = Bound(arg);
        if (g.seconds > 0.0) {
            g.matrixUtilization = g.usefulMacs / (g.seconds * m_.matrixPeakPerCore);
            g.vectorUtilization = g.vectorOps / (g.seconds * m_.vectorPeakPerCore);
            g.memoryUtilization = offChip / (g.seconds * m_.p.memory.bandwidthBytesPerSecond);
            g.achievedFlopsPerSecond = g.flops / g.seconds;
        }
        g.operationalIntensity = g.bytes > 0.0 ? g.flops / g.bytes : 0.0;
        return g;
    }

    GroupCost g;

private:
    const Machine& m_;
    double m_prevOutput = -1.0;
    double m_chainOutputBytes = 0.0;
    double m_weightBytes = 0.0;
    double m_firstInputBytes = 0.0;  ///< what the group's first op reads from memory
    Shape m_firstInputShape{};
    Shape m_chainOutputShape{};
    double m_prevGroupOutputBytes = 0.0;  ///< written by the previous fused op; 0 = none
    Shape m_prevGroupOutputShape{};
    bool m_anchored = false;
};

/// The copy a runtime without asymmetric padding makes before layer `i` (runtime.padCopy): the
/// input read once and written once, padded (the border is negligible), as its own kernel.
GroupCost padCopyGroup(const Machine& m, const std::vector<Layer>& layers, int i) {
    const Layer& l = layers[size_t(i)];
    GroupCost g;
    g.firstLayer = g.lastLayer = g.anchorLayer = i;
    g.padCopy = true;
    g.opClass = OpClass::Elementwise;
    g.runtimeEfficiency = m.p.runtime.efficiencyOf(g.opClass);
    g.bytes = 2.0 * double(l.in.elements()) * m.bytesPerElement;
    g.memorySeconds = g.bytes / m.bandwidth;
    g.overheadSeconds = m.overheadSeconds;
    g.seconds = g.memorySeconds / g.runtimeEfficiency + g.overheadSeconds;
    g.bound = g.memorySeconds > g.overheadSeconds ? Bound::Memory : Bound::Overhead;
    if (g.seconds > 0.0)
        g.memoryUtilization = g.bytes / (g.seconds * m.p.memory.bandwidthBytesPerSecond);
    return g;
}

/// Walks the layers, forms fused groups by the profile's rules and hands each finished group to
/// `sink`. Consumer-fused ops wait for the next non-elementwise op.
template <typename Sink>
void forEachGroup(const Profile& p, const std::vector<Layer>& layers, Dtype dtype, Sink&& sink) {
    const Machine machine(p, dtype);
    GroupBuilder b(machine);
    bool open = false;      // a group is being built
    bool anchored = false;  // it already has its producer
    const int count = int(layers.size());
    for (int i = 0; i < count; ++i) {
        const OpKind kind = layers[i].kind;
        if (isElementwise(kind)) {
            const FusionRule rule = p.fusionOf(kind);
            if (rule == FusionRule::Producer && open) {
                b.add(layers, i);
                continue;
            }
            if (rule == FusionRule::Consumer && i + 1 < count) {
                if (open && anchored) {
                    sink(b.finish(layers));
                    open = false;
                }
                if (!open) {
                    b.start(i);
                    open = true;
                    anchored = false;
                }
                b.add(layers, i);
                continue;
            }
            if (open) sink(b.finish(layers));
            b.start(i);
            b.add(layers, i);
            sink(b.finish(layers));
            open = false;
            continue;
        }
        if (open && anchored) {
            sink(b.finish(layers));
            open = false;
        }
        if (layers[size_t(i)].asymmetricPadding && p.runtime.padCopy) {
            // The pad runs before the op and before anything consumer-fused into it.
            sink(padCopyGroup(machine, layers, i));
        }
        if (!open) b.start(i);
        b.add(layers, i);
        open = true;
        anchored = true;
    }
    if (open) sink(b.finish(layers));
}

void accumulate(NetworkPrediction& r, const GroupCost& g) {
    r.latencySeconds += g.seconds;
    r.secondsByBound[int(g.bound)] += g.seconds;
    ++r.groups;
}

void finishPrediction(NetworkPrediction& r, int batch, double stepSeconds) {
    r.stepSeconds = stepSeconds;
    r.latencySeconds += stepSeconds;
    r.batch = batch;
    r.throughput = r.latencySeconds > 0.0 ? batch / r.latencySeconds : 0.0;
}

}  // namespace

MatrixTiling matrixTiling(const Profile& p, const Layer& l, Dtype dtype) {
    const Machine machine(p, dtype);
    const int n = std::max(1, l.in.n);
    MatrixTiling t;
    double issued = 0.0;
    if (isConvolution(l.kind)) matrixSeconds(machine, l, int(ceilDiv(n, p.cores)), issued, &t);
    return t;
}

Roofline rooflineOf(const Profile& p, Dtype dtype) {
    requireDtype(p, dtype);
    Roofline r;
    r.matrixFlopsPerSecond = 2.0 * p.matrix.peakMacsPerSecond[int(dtype)];
    r.vectorOpsPerSecond = p.vector.peakOpsPerSecond;
    r.bytesPerSecond = p.memory.bandwidthBytesPerSecond;
    r.ridgeIntensity = r.matrixFlopsPerSecond / r.bytesPerSecond;
    return r;
}

std::vector<GroupCost> predictGroups(const Profile& p, const std::vector<Layer>& layers,
                                     Dtype dtype) {
    std::vector<GroupCost> groups;
    groups.reserve(layers.size() / 2 + 4);
    forEachGroup(p, layers, dtype, [&](const GroupCost& g) { groups.push_back(g); });
    return groups;
}

NetworkPrediction predictNetwork(const Profile& p, const std::vector<Layer>& layers, Dtype dtype) {
    NetworkPrediction r;
    forEachGroup(p, layers, dtype, [&](const GroupCost& g) { accumulate(r, g); });
    finishPrediction(r, layers.empty() ? 1 : layers.front().in.n, p.runtime.perStepSeconds);
    return r;
}

NetworkPrediction predictModel(const Profile& p, const NetworkSpec& spec, int batch, Dtype dtype) {
    return predictNetwork(p, expandLayers(buildNetwork(spec), batch), dtype);
}

NetworkPrediction summarize(const std::vector<GroupCost>& groups, int batch, double stepSeconds) {
    NetworkPrediction r;
    for (const auto& g : groups) accumulate(r, g);
    finishPrediction(r, batch, stepSeconds);
    return r;
}

}  // namespace archscope
