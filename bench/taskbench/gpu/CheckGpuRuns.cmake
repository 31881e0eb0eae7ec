# Runs tgraph-bench-gpu (-DBENCH=path) on emulated streams for every pattern
# (-DPATTERNS=a;b;...) and checks it.
#   -DMODE=emulated: each run exits 0 and prints every report line.
#   -DMODE=inject:   -inject-error makes each run exit 1 with
#                    "validation failed".
cmake_minimum_required(VERSION 3.20)
set(report_lines "Total Tasks [0-9]+\n" "Total Dependencies [0-9]+\n"
    "Total FLOPs [0-9]+\n" "Elapsed Time [0-9.e+-]+ seconds\n"
    "FLOP/s [0-9.e+-]+\n" "METG\\(50%\\) tgraph "
    # The compiled all-GPU graph is recorded once and relaunched.
    "Issue device graph\n")

include(${CMAKE_CURRENT_LIST_DIR}/../CheckCommon.cmake)

foreach(p ${PATTERNS})
  if(MODE STREQUAL "emulated")
    run(0 -emulated -type ${p} -system tgraph -kernel compute_bound
        -iters 1,16 -replays 3)
  elseif(MODE STREQUAL "inject")
    run(1 -emulated -type ${p} -system tgraph -kernel compute_bound
        -iters 1 -replays 2 -inject-error)
  else()
    message(FATAL_ERROR "MODE must be emulated or inject")
  endif()
endforeach()
