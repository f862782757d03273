# Fails when a layer includes one above it (docs/architecture.md): the
# domain (domain/, store/, inventory/, queue/) and the background jobs speak
# no HTTP and know nothing of the process (nor does live/, the availability
# fan-out); domain/ depends on nothing else.
# Run as: cmake -DSRC=<server/src> -P check_layering.cmake
set(_rules
  "domain|boost/beast|http/|app\\.h|redis/|store/|inventory/|queue/|jobs/"
  "store|boost/beast|http/|app\\.h|inventory/|queue/|jobs/"
  "inventory|boost/beast|http/|app\\.h|jobs/"
  "queue|boost/beast|http/|app\\.h|jobs/"
  "jobs|boost/beast|http/|app\\.h"
  "live|boost/beast|http/|app\\.h|jobs/"
  "demo|boost/beast|http/|app\\.h")
set(_bad "")
foreach(rule IN LISTS _rules)
  string(REPLACE "|" ";" parts "${rule}")
  list(POP_FRONT parts dir)
  file(GLOB_RECURSE files "${SRC}/${dir}/*.h" "${SRC}/${dir}/*.cc")
  foreach(f IN LISTS files)
    file(STRINGS "${f}" includes REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]")
    foreach(line IN LISTS includes)
      foreach(banned IN LISTS parts)
        if(line MATCHES "[<\"]${banned}")
          file(RELATIVE_PATH rel "${SRC}" "${f}")
          list(APPEND _bad "${rel}: ${line}")
        endif()
      endforeach()
    endforeach()
  endforeach()
endforeach()
if(_bad)
  list(JOIN _bad "\n  " msg)
  message(FATAL_ERROR "layering: these includes cross a layer boundary:\n  ${msg}")
endif()
message(STATUS "layering: ok")
