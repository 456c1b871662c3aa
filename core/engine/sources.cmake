target_sources(archscope_core PRIVATE
    engine/events.cpp
    engine/pool.cpp
    engine/storewriter.cpp
    engine/jobcontroller.cpp
    engine/runkinds.cpp
    engine/machine.cpp
    engine/random_arch.cpp
    engine/sweep.cpp
)
