# Compiles one file of test/client/compile_fail and checks the outcome its first line expects:
#   // expect-error: <text the compiler must print>
#   // expect-success            (the control: the harness itself compiles correct code)
# Run by ctest: cmake -DCXX=... -DSOURCE=... -DINCLUDE=... -P check.cmake
file(STRINGS ${SOURCE} first LIMIT_COUNT 1)
execute_process(
  COMMAND ${CXX} -std=c++20 -fsyntax-only -Wall -Wextra -Werror -I${INCLUDE} ${SOURCE}
  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(first MATCHES "^// expect-success")
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${SOURCE} should compile:\n${err}")
  endif()
  return()
endif()
if(NOT first MATCHES "^// expect-error: (.*)$")
  message(FATAL_ERROR "${SOURCE}: the first line must be // expect-error: <text> or // expect-success")
endif()
set(expected "${CMAKE_MATCH_1}")
if(status EQUAL 0)
  message(FATAL_ERROR "${SOURCE} compiled, but it must not (expected: ${expected})")
endif()
string(FIND "${err}" "${expected}" found)
if(found EQUAL -1)
  message(FATAL_ERROR "${SOURCE} failed to compile, but without \"${expected}\":\n${err}")
endif()
