# cmake --install: headers, libraries, seatgate-cli, a CMake package
# (find_package(seatgate) → seatgate::sdk, seatgate::sdk_c,
# seatgate::sdk_c_static, seatgate::sdk_core)
# and seatgate.pc for the C API.
include(CMakePackageConfigHelpers)

set(SEATGATE_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/seatgate)

install(TARGETS seatgate_sdk_core seatgate_sdk seatgate_sdk_c seatgate_sdk_c_static
  EXPORT seatgateTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS seatgate-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

install(EXPORT seatgateTargets NAMESPACE seatgate:: DESTINATION ${SEATGATE_CMAKE_DIR})
configure_package_config_file(cmake/seatgateConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/seatgateConfig.cmake
  INSTALL_DESTINATION ${SEATGATE_CMAKE_DIR})
# 0.x: minor versions may break the API.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/seatgateConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/seatgateConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/seatgateConfigVersion.cmake
        DESTINATION ${SEATGATE_CMAKE_DIR})

configure_file(cmake/seatgate.pc.in ${CMAKE_CURRENT_BINARY_DIR}/seatgate.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/seatgate.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
