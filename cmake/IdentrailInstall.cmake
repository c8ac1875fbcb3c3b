include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(_targets identrail)
if(TARGET identrail_c)
  list(APPEND _targets identrail_c)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/capi/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
endif()
install(TARGETS ${_targets} EXPORT identrailTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT identrailTargets NAMESPACE identrail:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/identrail)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/identrailConfig.cmake.in
  ${PROJECT_BINARY_DIR}/identrailConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/identrail)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/identrailConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/identrailConfig.cmake ${PROJECT_BINARY_DIR}/identrailConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/identrail)
# From <libdir>/pkgconfig back to the prefix: "../.." for lib, "../../.." for lib/x86_64-linux-gnu.
file(RELATIVE_PATH IDENTRAIL_PC_TO_PREFIX "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
string(REGEX REPLACE "/$" "" IDENTRAIL_PC_TO_PREFIX "${IDENTRAIL_PC_TO_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/identrail.pc.in ${PROJECT_BINARY_DIR}/identrail.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/identrail.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
get_property(_static_c GLOBAL PROPERTY IDENTRAIL_C_STATIC_LIBRARY)
if(_static_c)
  install(FILES ${_static_c} DESTINATION ${CMAKE_INSTALL_LIBDIR})
  configure_file(${PROJECT_SOURCE_DIR}/cmake/identrail-static.pc.in ${PROJECT_BINARY_DIR}/identrail-static.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/identrail-static.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endif()
