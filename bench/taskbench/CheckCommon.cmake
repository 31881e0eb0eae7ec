# run(EXPECT_RC args...): runs ${BENCH} with the args and checks its exit
# code; on success every regex in ${report_lines} must match stdout, on
# failure stderr must say "validation failed". Leaves stdout in last_out.
# Shared by CheckRuns.cmake and gpu/CheckGpuRuns.cmake.
function(run expect_rc)
  execute_process(COMMAND ${BENCH} ${ARGN} RESULT_VARIABLE rc
                  OUTPUT_VARIABLE out ERROR_VARIABLE err)
  string(REPLACE ";" " " cmd "${ARGN}")
  if(NOT rc EQUAL expect_rc)
    message(FATAL_ERROR "${BENCH} ${cmd}: exit ${rc}, expected ${expect_rc}\n"
                        "stdout:\n${out}\nstderr:\n${err}")
  endif()
  if(expect_rc EQUAL 0)
    foreach(line ${report_lines})
      if(NOT out MATCHES "${line}")
        message(FATAL_ERROR "${BENCH} ${cmd}: no line matching '${line}'\n${out}")
      endif()
    endforeach()
  elseif(NOT err MATCHES "validation failed")
    message(FATAL_ERROR "${BENCH} ${cmd}: no 'validation failed'\n${err}")
  endif()
  set(last_out "${out}" PARENT_SCOPE)
endfunction()
