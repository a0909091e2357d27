# SPDX-License-Identifier: GPL-2.0
# Derives the userspace counter names from enum sttcp_stat in the uapi header
# (STTCP_STAT_FLOWS_CREATED -> "flows_created"), so that a counter added to
# the kernel API shows up in sttcpctl without a hand-kept table.
#
# In:  STTCP_UAPI_HEADER, STTCP_STAT_NAMES_OUT.
file(STRINGS "${STTCP_UAPI_HEADER}" lines)
set(in_enum FALSE)
set(body "")
foreach(line IN LISTS lines)
  if(line MATCHES "^enum sttcp_stat {")
    set(in_enum TRUE)
  elseif(in_enum AND line MATCHES "^};")
    break()
  elseif(in_enum AND line MATCHES "^[ \t]*STTCP_STAT_([A-Z0-9_]+)[ \t]*,")
    string(TOLOWER "${CMAKE_MATCH_1}" name)
    string(APPEND body "    \"${name}\",\n")
  endif()
endforeach()
set(content "// Generated from enum sttcp_stat by gen_stat_names.cmake; do not edit.\n${body}")
# Rewrite only on change so that dependents are not rebuilt for nothing.
if(EXISTS "${STTCP_STAT_NAMES_OUT}")
  file(READ "${STTCP_STAT_NAMES_OUT}" old)
endif()
if(NOT "${old}" STREQUAL "${content}")
  file(WRITE "${STTCP_STAT_NAMES_OUT}" "${content}")
endif()
