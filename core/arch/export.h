#pragma once

#include <string>

#include "network.h"

namespace archscope {

/// The network as TensorFlow block strings, one per line, preceded by `#` comment lines that
/// carry everything else the spec holds (scaling, stem, head, classes), so a person can rebuild
/// it in the TF reference code or in an architecture JSON file.
std::string networkToBlockText(const NetworkSpec& spec);

/// A self-contained Python source file defining `class Net(nn.Module)` and `build()` that
/// reproduces the network exactly as expandLayers() describes it: TF 'SAME' padding (extra pixel
/// bottom/right), space-to-depth 2x2 convs, fused MBConv, SE with biases, ResNet bottlenecks,
/// BN with TF's epsilon. Each stem/block/head runs under torch.profiler.record_function with its
/// IR scope name ("stem", "block3", "head") so profiler traces map back to the IR's layers.
/// Throws ArchError if the network cannot be built.
std::string networkToPyTorch(const NetworkSpec& spec);

}  // namespace archscope
