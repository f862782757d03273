# cmake --install: headers, libraries, seatgate-cli, a CMake package and
# pkg-config files, all in the install component "sdk" (the server's rules are
# separate: `cmake --install build --component sdk` installs the SDK alone).
#   find_package(seatgate COMPONENTS c)    seatgate::sdk_c only: libseatgate.so
#                                          and seatgate.h, no cpp-httplib needed
#   find_package(seatgate)                 also seatgate::sdk, seatgate::sdk_core,
#                                          seatgate::sdk_c_static (need cpp-httplib)
#   pkg-config seatgate / seatgate-cpp     the C API / the C++ client
include(CMakePackageConfigHelpers)

set(SEATGATE_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/seatgate)

install(TARGETS seatgate_sdk_c
  EXPORT seatgateCTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT sdk
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT sdk)
install(TARGETS seatgate_sdk_core seatgate_sdk seatgate_sdk_c_static
  EXPORT seatgateTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT sdk)
install(TARGETS seatgate-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT sdk)
install(DIRECTORY include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT sdk)

install(EXPORT seatgateCTargets NAMESPACE seatgate:: DESTINATION ${SEATGATE_CMAKE_DIR}
        COMPONENT sdk)
install(EXPORT seatgateTargets NAMESPACE seatgate:: DESTINATION ${SEATGATE_CMAKE_DIR}
        COMPONENT sdk)
configure_package_config_file(cmake/seatgateConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/seatgateConfig.cmake
  INSTALL_DESTINATION ${SEATGATE_CMAKE_DIR})
# 0.x: minor versions may break the API.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/seatgateConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/seatgateConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/seatgateConfigVersion.cmake
        DESTINATION ${SEATGATE_CMAKE_DIR} COMPONENT sdk)

foreach(pc seatgate seatgate-cpp)
  configure_file(cmake/${pc}.pc.in ${CMAKE_CURRENT_BINARY_DIR}/${pc}.pc @ONLY)
  install(FILES ${CMAKE_CURRENT_BINARY_DIR}/${pc}.pc
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT sdk)
endforeach()
