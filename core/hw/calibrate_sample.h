#pragma once
// Internal to calibration (calibrate*.cpp): a measured network reduced to the linear parts of its
// fused ops, and the fast model that recombines them under candidate parameter values.

#include <array>
#include <vector>

#include "calibrate_slots.h"

namespace archscope::calibration {

/// One fused op's time as a linear form of the parameters (unit efficiencies, no overhead).
struct GroupParts {
    double matrix = 0.0;
    std::array<double, kVectorOpCount> vectorPerOp{};  ///< seconds per unit op cost
    double memory = 0.0;                               ///< activations, at the base bandwidth
    double weightMemory = 0.0;                         ///< weights, at the base weight bandwidth
    double onChipMemory = 0.0;  ///< activations read from on-chip memory (CMEM), at its rate
    int stage = -1;             ///< index into the sample's stages, -1 if none
    int opClass = 0;            ///< OpClass of the group's anchor: which runtime efficiency applies
};

/// A measured network as the fit sees it: its fused ops' parts and its log times.
struct PreparedSample {
    std::vector<GroupParts> groups;
    double logMeasured = 0.0;
    std::vector<double> logStageMeasured;
};

/// Predicts the sample's fused ops once under unit parameters and splits each into its linear
/// parts. Throws ArchError for a sample without layers, or (if `needMeasured`) without a
/// positive measured time.
PreparedSample prepare(const Profile& base, const CalibrationSample& s, Dtype dtype,
                       bool needMeasured = true);

/// Evaluates predictions from the linear parts: scales them by the candidate parameters, then
/// combines them with the model's own fusedOpSeconds.
class FastModel {
public:
    FastModel(const Profile& base, bool sharesUnits)
        : m_baseBandwidth(base.memory.bandwidthBytesPerSecond * 1e-9),
          m_baseWeightBandwidth(base.memory.weightBandwidthBytesPerSecond > 0.0
                                    ? base.memory.weightBandwidthBytesPerSecond * 1e-9
                                    : m_baseBandwidth),
          m_shares(sharesUnits) {}

    /// Total seconds; fills per-stage seconds if `stages` is given.
    double predict(const PreparedSample& s, const SlotValues& x,
                   std::vector<double>* stages = nullptr) const;

private:
    double m_baseBandwidth;  ///< GB/s the parts were predicted with
    double m_baseWeightBandwidth;
    bool m_shares;
};

}  // namespace archscope::calibration
