target_sources(archscope_core PRIVATE
    arch/activation.cpp
    arch/blockstring.cpp
    arch/network.cpp
    arch/layer.cpp
    arch/expand.cpp
    arch/json.cpp
    arch/export.cpp
)
