#pragma once

#include <cstdint>

#include "arch/network.h"

namespace archscope::engine {

/// A deterministic random variant of EfficientNet-B0 for sweeps and tests: candidate `index` of
/// `seed` is always the same network (resume regenerates it), independent of other indexes.
/// Per stage: repeats +-1 (at least 1), kernel 3|5, expansion 1|4|6, SE 0.25|off; per network:
/// width 0.50..2.00 (step 0.05) and resolution 128..320 (step 16). Strides and filters stay
/// B0's. Assumption: these ranges are a sweep's choice, not a published search space; the search
/// spaces of the search issue replace this generator.
NetworkSpec randomEfficientNetVariant(uint64_t seed, int64_t index);

}  // namespace archscope::engine
