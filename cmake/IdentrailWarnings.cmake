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

# simdjson's on-demand API compiles for one instruction set chosen at build
# time; without it the scalar fallback runs, several times slower. haswell
# (Haswell, 2013+: AVX2, BMI, PCLMUL) is the default; set IDENTRAIL_X86_64_LEVEL=x86-64 for older CPUs.
set(IDENTRAIL_X86_64_LEVEL "haswell" CACHE STRING "-march on x86_64 (x86-64, westmere, haswell, native)")
if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64" AND IDENTRAIL_X86_64_LEVEL)
  add_compile_options(-march=${IDENTRAIL_X86_64_LEVEL})
endif()
