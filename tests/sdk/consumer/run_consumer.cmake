# ctest driver: install the build into a fresh prefix (stripped, as a release
# package would), configure and build the consumer against it, run its programs.
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
function(run)
  execute_process(COMMAND ${ARGV} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGV}")
  endif()
endfunction()
# Only the SDK's install rules (the build may hold other components).
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --component sdk --prefix ${prefix} --strip)
# --strip leaves no symbol table or debug info in the shared library and the
# CLI; the dynamic symbols (seatgate_* under their version node) stay.
file(GLOB shared ${prefix}/lib/libseatgate.so.*.*)
foreach(bin ${shared} ${prefix}/bin/seatgate-cli)
  execute_process(COMMAND ${READELF} -S -W ${bin} OUTPUT_VARIABLE sections RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0 OR sections MATCHES "\\.symtab|\\.debug_info")
    message(FATAL_ERROR "not stripped (or unreadable): ${bin}")
  endif()
endforeach()
execute_process(COMMAND ${READELF} --dyn-syms -W ${shared} OUTPUT_VARIABLE dyn)
if(NOT shared OR NOT dyn MATCHES "seatgate_client_new@@SEATGATE_0\\.1")
  message(FATAL_ERROR "the stripped library lost its exports: ${shared}")
endif()
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
