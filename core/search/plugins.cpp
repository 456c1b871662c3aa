#include "search/plugins.h"

#include "search/imagenet_predictor.h"
#include "search/lacsrun.h"
#include "search/searchrun.h"

namespace archscope {

void registerCorePlugins() {
    registerSearchRunKind();
    registerLacsRunKind();
    registerCoreEvaluators();
}

}  // namespace archscope
