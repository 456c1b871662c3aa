target_sources(archscope_core PRIVATE
    search/space.cpp
    search/pareto.cpp
    search/reward.cpp
    search/sampler.cpp
    search/searchloop.cpp
    search/lacs.cpp
    search/evaluators.cpp
    search/imagenet_predictor.cpp
    search/searchrun.cpp
    search/lacsrun.cpp
    search/importance.cpp
    search/trials.cpp
    search/plugins.cpp
)
