# The compiler half of tgraph: finds MLIR 22 and adds the dialect, the passes,
# tgraph-opt and the lit suite. Included from the top-level CMakeLists.txt
# when TGRAPH_BUILD_COMPILER is ON.
find_package(MLIR REQUIRED CONFIG HINTS /usr/lib/llvm-22/lib/cmake/mlir)
if(NOT LLVM_VERSION_MAJOR EQUAL 22)
  message(FATAL_ERROR "tgraph needs LLVM/MLIR 22, found ${LLVM_PACKAGE_VERSION}")
endif()
message(STATUS "tgraph: MLIR ${LLVM_PACKAGE_VERSION} from ${MLIR_DIR}")

list(APPEND CMAKE_MODULE_PATH ${MLIR_CMAKE_DIR} ${LLVM_CMAKE_DIR})
set(LLVM_RUNTIME_OUTPUT_INTDIR ${PROJECT_BINARY_DIR}/bin)
set(LLVM_LIBRARY_OUTPUT_INTDIR ${PROJECT_BINARY_DIR}/lib)
set(MLIR_BINARY_DIR ${PROJECT_BINARY_DIR})
include(TableGen)
include(AddLLVM)
include(AddMLIR)

# Installed tools and (shared) libraries find libMLIR/libLLVM where the
# MLIR package says they are, from any install prefix.
list(APPEND CMAKE_INSTALL_RPATH "${LLVM_LIBRARY_DIR}")
list(REMOVE_DUPLICATES CMAKE_INSTALL_RPATH)

include_directories(SYSTEM ${LLVM_INCLUDE_DIRS} ${MLIR_INCLUDE_DIRS})
include_directories(${PROJECT_SOURCE_DIR}/include ${PROJECT_BINARY_DIR}/include)
separate_arguments(TGRAPH_LLVM_DEFINITIONS NATIVE_COMMAND "${LLVM_DEFINITIONS}")
list(TRANSFORM TGRAPH_LLVM_DEFINITIONS REPLACE "^-D" "")

# Generated dialect documentation: build/docs/TGraph/TGraphDialect.md, part of
# the default build. A lit test checks that docs/dialect/ matches it.
if(NOT TARGET mlir-doc)
  add_custom_target(mlir-doc)
endif()
add_custom_target(tgraph-doc ALL DEPENDS mlir-doc)

# The compiler links Debian's libMLIR.so / libLLVM.so: fast links, small tools.
function(tgraph_compiler_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS;LINK" ${ARGN})
  add_library(${name} ${ARG_SOURCES})
  add_library(tgraph::${name} ALIAS ${name})
  target_link_libraries(${name} PUBLIC MLIR LLVM ${ARG_LINK})
  target_include_directories(${name} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/include>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  # MLIR's exported targets carry no include directories; the system paths
  # are the same in the build and the install tree.
  target_include_directories(${name} SYSTEM PUBLIC
    ${MLIR_INCLUDE_DIRS} ${LLVM_INCLUDE_DIRS})
  target_compile_definitions(${name} PUBLIC ${TGRAPH_LLVM_DEFINITIONS})
  if(ARG_DEPENDS)
    add_dependencies(${name} ${ARG_DEPENDS})
  endif()
  install(TARGETS ${name} EXPORT tgraphCompilerTargets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
endfunction()

add_subdirectory(include/tgraph)
add_subdirectory(lib/Dialect)
add_subdirectory(lib/Analysis)
add_subdirectory(lib/Transforms)
add_subdirectory(lib/Conversion)
add_subdirectory(tools/tgraph-opt)
add_subdirectory(lib/Frontend)
if(TARGET tgrt)
  add_subdirectory(lib/Execution)
  add_subdirectory(tools/tgraph-run)
  add_subdirectory(examples/frontend)
  add_subdirectory(examples/aot)
endif()
# Task Bench generator, DOT export and their tools.
foreach(dir lib/TaskBench lib/Export tools/tgraph-gen tools/tgraph-translate)
  if(EXISTS ${PROJECT_SOURCE_DIR}/${dir}/CMakeLists.txt)
    add_subdirectory(${dir})
  endif()
endforeach()
if(TGRAPH_BUILD_TESTS)
  add_subdirectory(test)
endif()
