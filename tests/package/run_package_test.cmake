# Builds and runs a consumer project the way an outside user would.
#   MODE=find_package     installs this build into WORK_DIR/prefix first
#   MODE=add_subdirectory builds weft from WEFT_SOURCE_DIR inside the consumer
# Invoked by ctest: cmake -DMODE=... -P run_package_test.cmake
cmake_minimum_required(VERSION 3.25)

foreach(var IN ITEMS MODE WEFT_SOURCE_DIR WEFT_BINARY_DIR CONSUMER_SOURCE_DIR
                     WORK_DIR GENERATOR MAKE_PROGRAM CXX_COMPILER)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "run_package_test.cmake: ${var} is not set")
  endif()
endforeach()

function(run_step description)
  message(STATUS "package test (${MODE}): ${description}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "package test (${MODE}): ${description} failed: ${result}")
  endif()
endfunction()

# Start from nothing so a stale prefix or cache cannot mask a packaging bug.
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
set(consumer_build ${WORK_DIR}/build)

set(configure_args
  -S ${CONSUMER_SOURCE_DIR}
  -B ${consumer_build}
  -G ${GENERATOR}
  -DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}
  -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
  -DCMAKE_CXX_FLAGS=${CXX_FLAGS}
  -DCMAKE_BUILD_TYPE=${BUILD_TYPE})

if(MODE STREQUAL "find_package")
  set(install_args --install ${WEFT_BINARY_DIR} --prefix ${prefix})
  if(BUILD_TYPE)
    list(APPEND install_args --config ${BUILD_TYPE})
  endif()
  run_step("install" ${CMAKE_COMMAND} ${install_args})
  # The consumer must find weft through the installed config only.
  list(APPEND configure_args -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON)
elseif(MODE STREQUAL "add_subdirectory")
  list(APPEND configure_args -DWEFT_SOURCE_DIR=${WEFT_SOURCE_DIR})
else()
  message(FATAL_ERROR "run_package_test.cmake: unknown MODE '${MODE}'")
endif()

run_step("configure consumer" ${CMAKE_COMMAND} ${configure_args})
run_step("build consumer" ${CMAKE_COMMAND} --build ${consumer_build} --parallel 2)
run_step("run consumer" ${consumer_build}/consumer)
