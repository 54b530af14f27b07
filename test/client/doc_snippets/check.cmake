# Compiles one ```cpp block of a document (docs/*.md) with -fsyntax-only against the client's
# headers, the way the document presents it. The HTML comment on the line before a block says how:
#   (none)                          the block is a whole translation unit, compiled as it is
#   <!-- doc-test: prelude -->      declarations (the document's models) that the document's
#                                   other blocks use: compiled, after <ender/ender.hpp>, before
#                                   each of them (and on their own as this block's test)
#   <!-- doc-test: declarations --> namespace-scope code, after the preludes and the givens
#   <!-- doc-test: fragment -->     statements: the body of a function given `ender::session& db`,
#                                   after the preludes and the givens
#   <!-- doc-test: skip: <why> -->  not compiled (code that must not compile, or is not C++20)
# The givens: test/client/doc_snippets/<document>.hpp when it exists, what the document's blocks
# take as known without showing it (a variable in hand, a request type). Errors point at the
# document's own lines (#line).
# Run by ctest: cmake -DCXX=... -DDOC=<file.md> -DBLOCK=<n, from 1> -DINCLUDE=<client/include>
#   -DGIVENS=<header, may not exist> -DOUT=<directory> -P check.cmake
cmake_minimum_required(VERSION 3.20)

# The document as a list of lines. List separators and brackets in the C++ text are swapped for
# placeholders first, and put back in each block's text.
file(READ "${DOC}" text)
string(REPLACE "\\" "@BACKSLASH@" text "${text}")
string(REPLACE ";" "@SEMICOLON@" text "${text}")
string(REPLACE "[" "@OPEN_BRACKET@" text "${text}")
string(REPLACE "]" "@CLOSE_BRACKET@" text "${text}")
string(REPLACE "\n" ";" lines "${text}")

function(restore out value)
  string(REPLACE "@SEMICOLON@" ";" value "${value}")
  string(REPLACE "@OPEN_BRACKET@" "[" value "${value}")
  string(REPLACE "@CLOSE_BRACKET@" "]" value "${value}")
  string(REPLACE "@BACKSLASH@" "\\" value "${value}")
  set(${out} "${value}" PARENT_SCOPE)
endfunction()

# Each block: its kind, the line its code starts on, its text.
set(count 0)
set(inside FALSE)
set(marker "")
set(number 0)
foreach(line IN LISTS lines)
  math(EXPR number "${number} + 1")
  if(inside)
    if(line STREQUAL "```")
      set(inside FALSE)
    else()
      string(APPEND block_${count}_text "${line}\n")
    endif()
    continue()
  endif()
  if(line STREQUAL "```cpp")
    math(EXPR count "${count} + 1")
    set(inside TRUE)
    set(block_${count}_text "")
    math(EXPR block_${count}_line "${number} + 1")
    if(marker MATCHES "^(prelude|declarations|fragment|skip)(: (.*))?$")
      set(block_${count}_kind "${CMAKE_MATCH_1}")
      set(block_${count}_why "${CMAKE_MATCH_3}")
    elseif(marker STREQUAL "")
      set(block_${count}_kind "unit")
    else()
      message(FATAL_ERROR "${DOC}:${number}: unknown doc-test marker \"${marker}\"")
    endif()
  endif()
  if(line MATCHES "^<!-- doc-test: (.*) -->$")
    set(marker "${CMAKE_MATCH_1}")
  else()
    set(marker "")
  endif()
endforeach()
if(inside)
  message(FATAL_ERROR "${DOC}: a ```cpp block is not closed")
endif()
if(BLOCK GREATER count)
  message(FATAL_ERROR "${DOC} has ${count} ```cpp blocks, not ${BLOCK}: re-run cmake")
endif()

set(kind "${block_${BLOCK}_kind}")
if(kind STREQUAL "skip")
  message(STATUS "${DOC}:${block_${BLOCK}_line}: not compiled (${block_${BLOCK}_why})")
  return()
endif()

# The translation unit.
macro(append_block n)
  restore(code "${block_${n}_text}")
  string(APPEND unit "#line ${block_${n}_line} \"${DOC}\"\n${code}")
endmacro()
set(unit "")
if(kind STREQUAL "unit")
  append_block(${BLOCK})
else()
  string(APPEND unit "#include <ender/ender.hpp>\n\n#include <cassert>\n#include <cstdint>\n"
         "#include <optional>\n#include <string>\n#include <tuple>\n#include <variant>\n"
         "#include <vector>\n\n")
  foreach(n RANGE 1 ${count})
    if(block_${n}_kind STREQUAL "prelude")
      append_block(${n})
    endif()
  endforeach()
  if(EXISTS "${GIVENS}")
    string(APPEND unit "#include \"${GIVENS}\"\n")
  endif()
  if(kind STREQUAL "declarations")
    append_block(${BLOCK})
  elseif(kind STREQUAL "fragment")
    string(APPEND unit "void doc_fragment([[maybe_unused]] ender::session& db) {\n")
    append_block(${BLOCK})
    string(APPEND unit "}\n")
  endif()
endif()

get_filename_component(name "${DOC}" NAME_WE)
set(source "${OUT}/${name}_${BLOCK}.cpp")
file(WRITE "${source}" "${unit}")

# Warnings as in compile_fail, but a document may leave a variable or a value unused, and
# leave members out of designated initializers (as the client tests do).
execute_process(
  COMMAND ${CXX} -std=c++20 -fsyntax-only -Wall -Wextra -Werror -Wno-unused-variable
          -Wno-unused-but-set-variable -Wno-unused-value -Wno-missing-field-initializers
          -I${INCLUDE} ${source}
  RESULT_VARIABLE status ERROR_VARIABLE err OUTPUT_VARIABLE out)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "block ${BLOCK} of ${DOC} (line ${block_${BLOCK}_line}, ${kind}) does not "
                      "compile (${source}):\n${err}")
endif()
