#pragma once

namespace archscope {

/// Plugs in everything the core itself provides: the run kinds "search" and "lacs" (the engine
/// knows "sweep" on its own) and the `imagenet` accuracy estimator. Each program's main() calls
/// it once at start, next to registerTorchEvaluators() where LibTorch is built in; nothing
/// registers itself behind main()'s back.
void registerCorePlugins();

}  // namespace archscope
