#!/usr/bin/env bash
# Collects what the headless build needs besides LibTorch into .devdeps/ (ignored by git), for a
# GPU machine that has PyTorch but no Debian packages: nlohmann-json and CLI11 headers, SQLite and
# zlib (static), NLopt (shared), with small CMake package files. Run here, on a machine where
# scripts/install-deps.sh has run; then carry .devdeps to the GPU machine and run
# bench/gpu_check.sh there (docs/torch.md).
set -euo pipefail
cd "$(dirname "$0")/.."
D=.devdeps
lib=/usr/lib/x86_64-linux-gnu
rm -rf "$D" && mkdir -p "$D/include" "$D/lib" "$D/cmake"/{nlohmann_json,CLI11,NLopt}
cp -r /usr/include/nlohmann /usr/include/CLI "$D/include/"
cp /usr/include/sqlite3.h /usr/include/sqlite3ext.h /usr/include/zlib.h /usr/include/zconf.h \
   /usr/include/nlopt.h "$D/include/"
cp "$lib/libsqlite3.a" "$lib/libz.a" "$D/lib/"
cp "$lib"/libnlopt.so.0.* "$D/lib/"
cp -L "$lib/libnlopt.so.0" "$D/lib/"  # the soname the loader looks for (a file: links may not travel)
nlopt=$(basename "$D"/lib/libnlopt.so.0.*)
header_only() {  # name target version
  cat > "$D/cmake/$1/$1Config.cmake" <<CFG
if(NOT TARGET $2)
  add_library($2 INTERFACE IMPORTED)
  set_target_properties($2 PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "\${CMAKE_CURRENT_LIST_DIR}/../../include")
endif()
CFG
  printf 'set(PACKAGE_VERSION "%s")\nset(PACKAGE_VERSION_COMPATIBLE TRUE)\n' "$3" > "$D/cmake/$1/$1ConfigVersion.cmake"
}
header_only nlohmann_json nlohmann_json::nlohmann_json 3.11.2
header_only CLI11 CLI11::CLI11 2.3.2
cat > "$D/cmake/NLopt/NLoptConfig.cmake" <<CFG
if(NOT TARGET NLopt::nlopt)
  add_library(NLopt::nlopt SHARED IMPORTED)
  set_target_properties(NLopt::nlopt PROPERTIES
    IMPORTED_LOCATION "\${CMAKE_CURRENT_LIST_DIR}/../../lib/$nlopt"
    IMPORTED_SONAME "libnlopt.so.0"
    INTERFACE_INCLUDE_DIRECTORIES "\${CMAKE_CURRENT_LIST_DIR}/../../include")
endif()
CFG
printf 'set(PACKAGE_VERSION "2.7.1")\nset(PACKAGE_VERSION_COMPATIBLE TRUE)\n' > "$D/cmake/NLopt/NLoptConfigVersion.cmake"
grep -qx '/.devdeps/' .git/info/exclude 2>/dev/null || echo '/.devdeps/' >> .git/info/exclude
du -sh "$D"
