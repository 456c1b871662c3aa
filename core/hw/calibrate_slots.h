#pragma once
// Internal to calibration (calibrate*.cpp): every fittable quantity of a profile as one slot of a
// flat vector, with its name, bounds and search scale.

#include <array>
#include <string>
#include <string_view>

#include "calibrate.h"

namespace archscope::calibration {

/// Every fittable quantity of a profile, in one flat vector (the order of fittableParameterNames).
enum Slot { kMatrixEff, kVectorEff, kMemoryEff, kPerFusedOp, kPerLaunch, kOps0 };
inline constexpr int kOverlap = kOps0 + kVectorOpCount;
inline constexpr int kBandwidth = kOverlap + 1;          ///< GB/s
inline constexpr int kWeightBandwidth = kBandwidth + 1;  ///< GB/s; 0 = kBandwidth
inline constexpr int kPerStep = kWeightBandwidth + 1;    ///< us, once per pass (the runtime's)
inline constexpr int kClassEff0 = kPerStep + 1;          ///< the runtime's efficiency per OpClass
inline constexpr int kSlotCount = kClassEff0 + kOpClassCount;

using SlotValues = std::array<double, kSlotCount>;

/// The profile's value of every slot, in the slot's unit (us, GB/s, fraction, ops).
SlotValues slotsOf(const Profile& p);
/// The profile-file name of a slot: the one place that ties the Slot layout to names.
std::string slotName(int slot);
/// The slot called `name`; throws ArchError listing the known names.
int slotOf(std::string_view name);
/// The range a fit searches `slot` in (bandwidths depend on the base profile's figure).
ParameterBounds boundsOf(const Profile& base, int slot);
/// Overlap is searched on its own scale (0 is a legal value); the rest in log space, where a
/// factor of two is the same step at every magnitude.
inline bool searchedInLog(int slot) {
    return slot != kOverlap;
}
/// A value as written into a profile file: "%.9g".
std::string formatValue(double v);

}  // namespace archscope::calibration
