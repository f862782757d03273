# ctest driver: install the build into a fresh prefix, configure and build
# the consumer against it, run its programs.
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
function(run)
  execute_process(COMMAND ${ARGV} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGV}")
  endif()
endfunction()
# Only the SDK's install rules (the build may hold other components).
run(${CMAKE_COMMAND} -DCMAKE_INSTALL_PREFIX=${prefix} -DCMAKE_INSTALL_COMPONENT=sdk
    -P ${BUILD_DIR}/sdk/cmake_install.cmake)
set(ENV{PKG_CONFIG_PATH} ${prefix}/lib/pkgconfig:${prefix}/lib/x86_64-linux-gnu/pkgconfig)
run(${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR}/build -G ${GENERATOR}
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Release
    -DCMAKE_BUILD_RPATH=${prefix}/lib)
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
foreach(exe consumer_cpp consumer_c consumer_c_static consumer_c_pkgconfig consumer_cpp_pkgconfig)
  set(ENV{LD_LIBRARY_PATH} ${prefix}/lib)
  run(${WORK_DIR}/build/${exe})
endforeach()

# A C-only consumer (find_package(seatgate COMPONENTS c)) configures and
# builds with no pkg-config module visible at all (no cpp-httplib).
file(MAKE_DIRECTORY ${WORK_DIR}/no-pc)
set(ENV{PKG_CONFIG_PATH} "")
set(ENV{PKG_CONFIG_LIBDIR} ${WORK_DIR}/no-pc)
run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/c_only -B ${WORK_DIR}/build-c -G ${GENERATOR}
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Release -DCMAKE_BUILD_RPATH=${prefix}/lib)
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build-c)
set(ENV{LD_LIBRARY_PATH} ${prefix}/lib)
run(${WORK_DIR}/build-c/consumer_c_only)
