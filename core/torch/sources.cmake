# archscope_torch: the only target compiled against LibTorch. Its public headers (core/torch/*.h)
# are plain C++, so torch's include directories stay PRIVATE; each torch .cpp costs ~16 s and
# 1.3 GB to compile, so only five include it (modules, measure, proxy_train, zero_cost, supernet).
add_library(archscope_torch STATIC
    ${CMAKE_CURRENT_LIST_DIR}/options.cpp
    ${CMAKE_CURRENT_LIST_DIR}/memoryestimate.cpp
    ${CMAKE_CURRENT_LIST_DIR}/modules.cpp
    ${CMAKE_CURRENT_LIST_DIR}/measure.cpp
    ${CMAKE_CURRENT_LIST_DIR}/calibration_runner.cpp  # plain C++: measure + fit
)
target_link_libraries(archscope_torch PUBLIC archscope_core PRIVATE ${TORCH_LIBRARIES})
target_include_directories(archscope_torch PRIVATE ${TORCH_INCLUDE_DIRS})
separate_arguments(_archscope_torch_flags UNIX_COMMAND "${TORCH_CXX_FLAGS}")
target_compile_options(archscope_torch PRIVATE ${_archscope_torch_flags})
# LibTorch's headers trip -Wpedantic/-Wextra; keep our warnings for our code only.
target_compile_options(archscope_torch PRIVATE -Wno-unused-parameter)
if(TORCH_CUDA_LIBRARIES)
    target_compile_definitions(archscope_torch PRIVATE ARCHSCOPE_TORCH_CUDA=1)
endif()

# Accuracy estimators (proxy training, NASWOT zero-cost score, weight-sharing supernet) and the dataset readers they use;
# zlib reads the gzip'd MNIST IDX files of Debian's dataset-fashion-mnist.
find_package(ZLIB REQUIRED)
set_package_properties(ZLIB PROPERTIES TYPE REQUIRED
    PURPOSE "Reads gzip'd MNIST IDX datasets for the proxy accuracy estimator")
target_sources(archscope_torch PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/dataset.cpp
    ${CMAKE_CURRENT_LIST_DIR}/proxy_train.cpp
    ${CMAKE_CURRENT_LIST_DIR}/zero_cost.cpp
    ${CMAKE_CURRENT_LIST_DIR}/supernet.cpp
    ${CMAKE_CURRENT_LIST_DIR}/supernet_layout.cpp  # plain C++: which weights a path uses
    ${CMAKE_CURRENT_LIST_DIR}/evaluator_registry.cpp
)
target_link_libraries(archscope_torch PRIVATE ZLIB::ZLIB)
