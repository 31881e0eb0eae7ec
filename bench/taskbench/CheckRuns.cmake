# Runs one Task Bench driver (-DBENCH=path) on small graphs and checks it.
#   -DMODE=patterns: every pattern, several kernels, -and, 1 and 2 workers;
#                    each run must exit 0 and print every report line.
#   -DMODE=inject:   -inject-error must make every run exit 1 with
#                    "validation failed".
cmake_minimum_required(VERSION 3.20)
set(all_patterns trivial no_comm stencil_1d stencil_1d_periodic dom tree fft
    all_to_all nearest spread random_nearest)
set(report_lines "Total Tasks [0-9]+\n" "Total Dependencies [0-9]+\n"
    "Total FLOPs [0-9]+\n" "Total Bytes [0-9]+\n"
    "Elapsed Time [0-9.e+-]+ seconds\n" "FLOP/s [0-9.e+-]+\n" "B/s [0-9.e+-]+\n")

include(${CMAKE_CURRENT_LIST_DIR}/CheckCommon.cmake)

if(MODE STREQUAL "patterns")
  foreach(p ${all_patterns})
    set(extra)
    if(p STREQUAL "spread" OR p STREQUAL "random_nearest")
      set(extra -period 2) # spread: period <= ceil(width / radix)
    endif()
    foreach(w 1 2)
      run(0 -type ${p} -steps 9 -width 10 -radix 5 ${extra} -worker ${w}
          -replays 3 -kernel compute_bound -iter 4 -output 32)
    endforeach()
  endforeach()
  # The counts follow Task Bench: stencil_1d 4 x 3 has 12 tasks and 3 x 7 deps.
  run(0 -type stencil_1d -steps 4 -width 3 -worker 2)
  if(NOT last_out MATCHES "Total Tasks 12\nTotal Dependencies 21\n")
    message(FATAL_ERROR "stencil_1d 4x3: wrong totals\n${last_out}")
  endif()
  run(0 -type stencil_1d -steps 4 -width 4 -kernel compute_bound -iter 10
      -worker 2)
  if(NOT last_out MATCHES "Total FLOPs 20480\n")
    message(FATAL_ERROR "compute_bound: 16 tasks x 10 x 128 FLOP expected\n${last_out}")
  endif()
  run(0 -type stencil_1d -steps 6 -width 3 -kernel busy_wait -iter 100
      -and -type tree -steps 5 -width 4 -kernel memory_bound -iter 2
      -scratch 4096 -and -type fft -steps 6 -width 8 -worker 2 -replays 2)
  if(NOT last_out MATCHES "Total Tasks 81\n")
    message(FATAL_ERROR "-and: 18 + 15 + 48 tasks expected\n${last_out}")
  endif()
elseif(MODE STREQUAL "inject")
  foreach(p trivial stencil_1d nearest fft tree)
    run(1 -type ${p} -steps 6 -width 4 -radix 5 -worker 2 -inject-error)
  endforeach()
  run(1 -type spread -steps 6 -width 10 -radix 5 -period 2 -worker 2
      -inject-error)
  run(1 -type stencil_1d -steps 6 -width 4 -and -type dom -steps 6 -width 4
      -worker 2 -inject-error)
else()
  message(FATAL_ERROR "MODE must be patterns or inject")
endif()
