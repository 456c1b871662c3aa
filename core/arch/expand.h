#pragma once

#include <vector>

#include "layer.h"
#include "network.h"

namespace archscope {

/// Expands a network into its operators, in execution order, with shapes and costs at `batch`.
/// Padding follows TensorFlow 'SAME': a stride-s output is ceil(input / s).
std::vector<Layer> expandLayers(const Network& net, int batch = kDefaultBatch);

}  // namespace archscope
