#include "explain.h"

#include <algorithm>
#include <cstdio>

namespace archscope {
namespace {

std::string fmt(const char* format, double a) {
    char buf[96];
    std::snprintf(buf, sizeof buf, format, a);
    return buf;
}

std::string percent(double fraction) {
    return fmt("%.1f %%", 100.0 * fraction);
}

std::string si(double value, const char* unit) {
    const char* prefixes[] = {"", "k", "M", "G", "T", "P"};
    int i = 0;
    while (value >= 1000.0 && i < 5) {
        value /= 1000.0;
        ++i;
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3g %s%s", value, prefixes[i], unit);
    return buf;
}

std::string dims(int64_t useful, int64_t padded) {
    return std::to_string(useful) +
           (padded != useful ? " (padded to " + std::to_string(padded) + ")" : "");
}

}  // namespace

std::string formatSeconds(double s) {
    if (s >= 1e-3) return fmt("%.3f ms", s * 1e3);
    if (s >= 1e-6) return fmt("%.2f us", s * 1e6);
    return fmt("%.0f ns", s * 1e9);
}

int groupOfLayer(const std::vector<GroupCost>& groups, int layerIndex) {
    for (size_t i = 0; i < groups.size(); ++i) {
        if (layerIndex >= groups[i].firstLayer && layerIndex <= groups[i].lastLayer) return int(i);
    }
    return -1;
}

// Long (~85 lines): the explanation's lines in the order they are read, one push_back each.
std::vector<ExplainLine> explainGroup(const Profile& p, const std::vector<Layer>& layers,
                                      const GroupCost& g, Dtype dtype) {
    std::vector<ExplainLine> out;
    const Layer& anchor = layers[g.anchorLayer];
    std::string members;
    for (int i = g.firstLayer; i <= g.lastLayer; ++i) {
        members += (members.empty() ? "" : " + ") + std::string(opKindName(layers[i].kind));
    }
    out.push_back({"fused op",
                   (g.padCopy ? anchor.name + ": explicit pad copy of its input"
                              : anchor.name + ": " + members),
                   g.padCopy ? "the " + p.runtime.name +
                                   " runtime pads an asymmetric 'SAME' window with a copy first"
                             : "elementwise ops folded by the " + p.runtime.name +
                                   " runtime's fusion rules"});
    out.push_back(
        {"platform",
         p.displayName + ", " + std::string(dtypeName(dtype)) + ", batch " +
             std::to_string(anchor.in.n),
         p.cores > 1 ? "the batch is split over " + std::to_string(p.cores) + " cores" : ""});
    if (isConvolution(anchor.kind)) {
        const MatrixTiling t = matrixTiling(p, anchor, dtype);
        out.push_back({"GEMM rows M", dims(t.m, t.mPadded), "batch per core x Hout x Wout"});
        const std::string multiple = std::to_string(p.matrix.kChannelMultiple);
        out.push_back({"contraction K", dims(t.k, t.kPadded),
                       t.windowFolded ? "Cin/groups x kh x kw; few channels: the kernel window is "
                                        "folded into K (XLA), padded to " +
                                            multiple + " as a whole"
                                      : "Cin/groups x kh x kw; channels padded to " + multiple +
                                            " per kernel window"});
        out.push_back({"columns N", dims(t.n, t.nPadded), "output channels"});
        if (p.matrix.mapping == MatrixMapping::Systolic) {
            out.push_back({"weight tiles", std::to_string(t.tiles),
                           "(K/" + std::to_string(p.matrix.kChannelMultiple) + ") x (N/" +
                               std::to_string(p.matrix.nMultiple) + "), over " +
                               std::to_string(p.matrix.unitsPerCore) + " matrix units per core"});
        } else {
            out.push_back({"output tiles",
                           std::to_string(t.tiles) + " of " + std::to_string(t.tileM) + "x" +
                               std::to_string(t.tileN) + " in " + std::to_string(t.waves) +
                               " wave(s)",
                           std::to_string(p.matrix.unitsPerCore) + " units; fastest tile chosen"});
        }
        out.push_back({"tile utilization",
                       percent(g.issuedMacs > 0 ? g.usefulMacs / g.issuedMacs : 0.0),
                       "useful MACs / MACs issued on padded tiles"});
    }
    out.push_back({"matrix-unit time", formatSeconds(g.matrixSeconds),
                   si(g.usefulMacs, "MAC") + " useful per core"});
    out.push_back({"vector-unit time", formatSeconds(g.vectorSeconds),
                   si(g.issuedVectorOps, "op") + " issued (channels padded to " +
                       std::to_string(p.vector.laneChannels) + " lanes) at " +
                       si(p.vector.peakOpsPerSecond * p.vector.efficiency / p.cores, "op/s") +
                       " per core"});
    std::string memoryHow = si(g.bytes - g.onChipBytes, "B") + " at " +
                            si(p.memory.bandwidthBytesPerSecond * p.memory.efficiency, "B/s");
    if (g.onChipBytes > 0.0) {
        memoryHow += " + " + si(g.onChipBytes, "B") + " from on-chip memory at " +
                     si(p.memory.onChipBandwidthBytesPerSecond * p.memory.efficiency, "B/s") +
                     " (the fused op fits in " + si(p.memory.onChipCapacityBytes, "B") + ")";
    }
    out.push_back({"memory time", formatSeconds(g.memorySeconds), memoryHow});
    out.push_back({"fixed overhead", formatSeconds(g.overheadSeconds),
                   "per fused op + kernel launch (runtime " + p.runtime.name + ")"});
    const std::string roofText =
        p.vector.sharesMatrixUnits ? "max(matrix + vector, memory)" : "max(matrix, vector, memory)";
    out.push_back({"time", formatSeconds(g.seconds),
                   g.runtimeEfficiency < 1.0
                       ? roofText + " / " + percent(g.runtimeEfficiency) + " (what " +
                             p.runtime.name + "'s " + std::string(opClassName(g.opClass)) +
                             " kernels reach) + overhead"
                       : roofText + " + overhead"});
    out.push_back({"bound", std::string(boundName(g.bound)), "the largest of the four times"});
    out.push_back({"utilization",
                   "matrix " + percent(g.matrixUtilization) + ", vector " +
                       percent(g.vectorUtilization) + ", memory " + percent(g.memoryUtilization),
                   "work / (time x datasheet peak)"});
    const Roofline roof = rooflineOf(p, dtype);
    out.push_back({"operational intensity", fmt("%.1f flop/B", g.operationalIntensity),
                   fmt("ridge point of this platform: %.1f flop/B", roof.ridgeIntensity)});
    out.push_back({"achieved", si(g.achievedFlopsPerSecond, "flop/s"),
                   "of " + si(roof.matrixFlopsPerSecond, "flop/s") + " matrix peak"});
    return out;
}

std::string explainText(const std::vector<ExplainLine>& lines) {
    size_t labelWidth = 0, valueWidth = 0;
    for (const auto& l : lines) {
        labelWidth = std::max(labelWidth, l.label.size());
        valueWidth = std::max(valueWidth, l.value.size());
    }
    std::string s;
    for (const auto& l : lines) {
        s += l.label + std::string(labelWidth - l.label.size() + 2, ' ') + l.value;
        if (!l.how.empty())
            s += std::string(valueWidth - l.value.size() + 2, ' ') + "(" + l.how + ")";
        s += "\n";
    }
    return s;
}

}  // namespace archscope
