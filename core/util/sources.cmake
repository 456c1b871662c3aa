target_sources(archscope_core PRIVATE util/resources.cpp util/timestamp.cpp util/json_input.cpp
    util/output_path.cpp)
