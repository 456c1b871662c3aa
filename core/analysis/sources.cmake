target_sources(archscope_core PRIVATE
    analysis/statistics.cpp
    analysis/breakdown.cpp
    analysis/comparison.cpp
)
