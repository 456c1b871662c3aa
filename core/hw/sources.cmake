target_sources(archscope_core PRIVATE
    hw/dtype.cpp
    hw/profile.cpp
    hw/profile_io.cpp
    hw/model.cpp
    hw/explain.cpp
    hw/calibrate.cpp
    hw/calibrate_fit.cpp
    hw/calibrate_sample.cpp
    hw/calibrate_slots.cpp
    hw/agreement.cpp
    hw/profile_writer.cpp
    hw/validation.cpp
    hw/runtime.cpp
    hw/runtime_io.cpp
    hw/blocksummary.cpp
)
