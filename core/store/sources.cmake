target_sources(archscope_core PRIVATE
    store/sqlite.cpp
    store/schema.cpp
    store/store.cpp
    store/lease.cpp
    store/export.cpp
    store/trace_events.cpp
    store/trace_import.cpp
    store/import.cpp
    store/measured_samples.cpp
    store/run_state.cpp
    store/figures.cpp
)
