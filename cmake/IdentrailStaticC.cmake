# libidentrail_c.a, for programs linked whole (a Go or Rust binary): the shim,
# libidentrail and the static archives Debian ships of its dependencies (RE2,
# yaml-cpp, libdeflate, zlib, libmaxminddb, OpenSSL's libcrypto), prelinked
# into one object whose only global symbols are the API (exported_symbols.txt).
# Everything else inside is local, so it cannot clash with a host's own copy of
# RE2, zlib or OpenSSL. simdjson stays a shared dependency: Debian ships no
# static simdjson. A program then links: libidentrail_c.a -lsimdjson -lstdc++ -lm
# -ldl -pthread (pkg-config --libs identrail-static).
set(_static_deps)
set(IDENTRAIL_STATIC_C ON)
# GNU objcopy cannot make GNU-unique symbols (the statics of inline functions
# in yaml-cpp and Boost) local; llvm-objcopy can.
find_program(IDENTRAIL_LLVM_OBJCOPY NAMES llvm-objcopy llvm-objcopy-14 llvm-objcopy-15 llvm-objcopy-16)
if(NOT IDENTRAIL_LLVM_OBJCOPY)
  message(WARNING "llvm-objcopy not found (apt install llvm-14): no static C library (libidentrail_c.a)")
  set(IDENTRAIL_STATIC_C OFF)
endif()
foreach(name re2 yaml-cpp maxminddb deflate z crypto)
  find_library(IDENTRAIL_STATIC_${name} NAMES lib${name}.a)
  if(NOT IDENTRAIL_STATIC_${name})
    message(WARNING "lib${name}.a not found: no static C library (libidentrail_c.a)")
    set(IDENTRAIL_STATIC_C OFF)
  endif()
  list(APPEND _static_deps ${IDENTRAIL_STATIC_${name}})
endforeach()
if(NOT IDENTRAIL_STATIC_C)
  return()
endif()

set(_prelinked ${CMAKE_CURRENT_BINARY_DIR}/identrail_c_prelinked.o)
set(IDENTRAIL_C_STATIC_LIBRARY ${CMAKE_CURRENT_BINARY_DIR}/libidentrail_c.a)
add_custom_command(
  OUTPUT ${IDENTRAIL_C_STATIC_LIBRARY}
  COMMAND ${CMAKE_LINKER} -r -d -o ${_prelinked} $<TARGET_OBJECTS:identrail_c_objects> --start-group
          $<TARGET_FILE:identrail> ${_static_deps} --end-group
  COMMAND ${IDENTRAIL_LLVM_OBJCOPY} --keep-global-symbols=${CMAKE_CURRENT_SOURCE_DIR}/exported_symbols.txt ${_prelinked}
  COMMAND ${CMAKE_COMMAND} -E rm -f ${IDENTRAIL_C_STATIC_LIBRARY}
  COMMAND ${CMAKE_AR} rcs ${IDENTRAIL_C_STATIC_LIBRARY} ${_prelinked}
  DEPENDS identrail_c_objects identrail ${CMAKE_CURRENT_SOURCE_DIR}/exported_symbols.txt
  COMMAND_EXPAND_LISTS
  COMMENT "Prelinking libidentrail_c.a (API symbols only)")
add_custom_target(identrail_c_static ALL DEPENDS ${IDENTRAIL_C_STATIC_LIBRARY})
set_property(GLOBAL PROPERTY IDENTRAIL_C_STATIC_LIBRARY ${IDENTRAIL_C_STATIC_LIBRARY})
