# Warnings for identrail's own targets (not for consumers).
add_library(identrail_warnings INTERFACE)
target_compile_options(identrail_warnings INTERFACE
  $<$<COMPILE_LANG_AND_ID:CXX,GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion>
  $<$<COMPILE_LANG_AND_ID:C,GNU,Clang>:-Wall -Wextra -Wpedantic>)
# GCC 12's -Wrestrict misfires on std::string concatenation at -O3 (GCC bug 105329).
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(identrail_warnings INTERFACE $<$<COMPILE_LANGUAGE:CXX>:-Wno-restrict>)
endif()
if(IDENTRAIL_WERROR)
  target_compile_options(identrail_warnings INTERFACE -Werror)
endif()

# The default build runs on any x86-64 (and aarch64) CPU: simdjson's shared
# library picks its fastest kernel for the CPU at run time (icelake, haswell,
# westmere, fallback) and runs stage 1, the vector part, with it. Compiling
# identrail itself for Haswell gains nothing measurable (normalize_bench,
# 2026-12-01: 0.18 of the baseline either way) and would die with an illegal
# instruction on older CPUs. Set IDENTRAIL_X86_64_LEVEL (haswell, native) to
# build for one CPU family.
set(IDENTRAIL_X86_64_LEVEL "" CACHE STRING "-march on x86_64 (empty: any x86-64; haswell, native)")
if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64" AND IDENTRAIL_X86_64_LEVEL)
  add_compile_options(-march=${IDENTRAIL_X86_64_LEVEL})
endif()
