# docs/sdk.md quotes the files in sdk/examples/ (which the build compiles),
# docs/wasm.md those in wasm/examples/ (type-checked by tsc and run by
# tests/e2e/wasm_queue.test.mjs), after a marker "<!-- example: PATH -->";
# fail if a quote drifts.
set(found 0)
foreach(entry docs/sdk.md=sdk/examples/reserve.cc docs/sdk.md=sdk/examples/reserve.c
              docs/sdk.md=sdk/examples/drive_core.cc docs/sdk.md=sdk/examples/wait_for_pass.cc
              docs/sdk.md=sdk/examples/wait_for_pass.c docs/wasm.md=wasm/examples/wait_for_pass.mjs)
  string(REPLACE "=" ";" pair "${entry}")
  list(GET pair 0 docfile)
  list(GET pair 1 path)
  file(READ ${ROOT}/${docfile} doc)
  file(READ ${ROOT}/${path} code)
  string(FIND "${doc}" "<!-- example: ${path} -->\n" pos)
  if(pos EQUAL -1)
    message(FATAL_ERROR "${docfile} does not quote ${path}")
  endif()
  string(SUBSTRING "${doc}" ${pos} -1 rest)
  string(FIND "${rest}" "\n```" fence)           # end of the marker line
  math(EXPR fence "${fence} + 1")
  string(SUBSTRING "${rest}" ${fence} -1 rest)
  string(FIND "${rest}" "\n" eol)                # end of the opening fence line
  math(EXPR start "${eol} + 1")
  string(LENGTH "${code}" n)
  string(SUBSTRING "${rest}" ${start} ${n} quoted)
  math(EXPR after "${start} + ${n}")
  string(SUBSTRING "${rest}" ${after} 3 closing)
  if(NOT quoted STREQUAL code OR NOT closing STREQUAL "```")
    message(FATAL_ERROR "${docfile}'s quote of ${path} differs from the file")
  endif()
  math(EXPR found "${found} + 1")
endforeach()
message(STATUS "${found} examples in sync")
