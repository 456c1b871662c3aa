# archscope_mpi: searches across processes with MPI (the C API). Built only with
# ARCHSCOPE_WITH_MPI, so everything else builds without an MPI library.
add_library(archscope_mpi STATIC
    mpi/channel.cpp
    mpi/worker.cpp
    mpi/pool.cpp
    mpi/search_backend.cpp
)
target_include_directories(archscope_mpi PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(archscope_mpi PUBLIC archscope_core PRIVATE MPI::MPI_CXX)
