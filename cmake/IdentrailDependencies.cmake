# Every C/C++ dependency comes from the system (Debian packages); nothing is downloaded.
find_package(simdjson REQUIRED CONFIG)
find_package(tl-expected REQUIRED CONFIG)
find_package(ZLIB REQUIRED)
# HMAC-SHA256 for authenticated checkpoints: crypto is not written by hand.
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
# Boost.Graph is header-only for what we use (adjacency_list, BFS, the DOT and GraphML writers).
find_package(Boost 1.74 REQUIRED CONFIG)
find_package(PkgConfig REQUIRED)
pkg_check_modules(libdeflate REQUIRED IMPORTED_TARGET libdeflate)
find_package(yaml-cpp REQUIRED CONFIG)
pkg_check_modules(re2 REQUIRED IMPORTED_TARGET re2)
pkg_check_modules(libmaxminddb REQUIRED IMPORTED_TARGET libmaxminddb)
