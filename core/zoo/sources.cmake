target_sources(archscope_core PRIVATE zoo/zoo.cpp)
