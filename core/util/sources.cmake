target_sources(archscope_core PRIVATE util/resources.cpp util/json_input.cpp)
