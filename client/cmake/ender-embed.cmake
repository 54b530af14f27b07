# ender_embed_migrations(target DIR [NAME name]): compiles the migration files of DIR (*.sql,
# sorted by name) into `target` as ender::compiled_in::<name> (default: migrations), the file names
# and contents ender::migrate takes (docs/client.md, "Migrating at startup"). The generated
# source is rebuilt when a file changes; a file added or removed is seen at the next build.
# Installed with the CMake package: find_package(ender) defines it.
set(ENDER_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/ender-embed-generate.cmake)

function(ender_embed_migrations target dir)
  cmake_parse_arguments(PARSE_ARGV 2 ENDER_EMBED "" "NAME" "")
  if(NOT ENDER_EMBED_NAME)
    set(ENDER_EMBED_NAME migrations)
  endif()
  get_filename_component(dir ${dir} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
  if(NOT IS_DIRECTORY ${dir})
    message(FATAL_ERROR "ender_embed_migrations: migrations directory \"${dir}\" does not exist")
  endif()
  file(GLOB files CONFIGURE_DEPENDS ${dir}/*.sql)
  list(SORT files)
  string(REPLACE ";" "|" file_list "${files}")  # one argument through the custom command
  set(out ${CMAKE_CURRENT_BINARY_DIR}/ender_embedded/${target}_${ENDER_EMBED_NAME}.cpp)
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DNAME=${ENDER_EMBED_NAME} "-DFILES=${file_list}"
            -P ${ENDER_EMBED_SCRIPT}
    DEPENDS ${files} ${ENDER_EMBED_SCRIPT}
    COMMENT "Embedding the migrations of ${dir} in ${target}"
    VERBATIM)
  target_sources(${target} PRIVATE ${out})
endfunction()
