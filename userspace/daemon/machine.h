// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// What sttcpd needs from the machine before it changes anything: checked the same way by the
// start and by --config-test, so that a file the test passes is one the start accepts.
#pragma once

#include <string>

#include "daemon_options.h"

namespace sttcp {

// Reads the key file (into options.service.key), checks that the network namespace exists and
// enters it, that every notify program is an executable file (a bare name: on PATH) and that
// the interface exists there. Throws ConfigError (kInvalid) naming the option, FILE:LINE when
// the file gave it; std::runtime_error when a namespace that exists cannot be entered.
void prepareMachine(DaemonOptions& options, const OptionSources& sources);

// Where execvp(3) would find `program`: itself if it has a slash, else the first executable
// regular file of that name on `path` (colon separated). Empty if there is none.
std::string findProgram(const std::string& program, const std::string& path);

}  // namespace sttcp
