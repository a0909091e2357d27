// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// The project's version (dkms.conf's PACKAGE_VERSION, passed in by CMake) and
// what --version prints: the program's and the loaded module's, so that an
// operator sees a node whose module and tools differ.
#pragma once

#include <string>
#include <string_view>

#include "settings.h"

namespace sttcp {

std::string_view projectVersion();

// "PROGRAM VERSION\nsttcp.ko VERSION (loaded)\n", or "sttcp.ko not loaded"; a
// module of another version says so. The module's version is read from
// /sys/module/sttcp/version with @read.
std::string versionText(std::string_view program, const ProcReader& read);

}  // namespace sttcp
