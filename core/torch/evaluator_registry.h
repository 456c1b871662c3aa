#pragma once

namespace archscope {

/// Registers the LibTorch-backed accuracy estimators ("zero-cost": NASWOT, "proxy": Fashion-MNIST
/// training) and latency measurers ("cpu", "cuda") with the core's registry
/// (search/evaluators.h), so searches and LACS can use them. Call once at program start.
void registerTorchEvaluators();

}  // namespace archscope
