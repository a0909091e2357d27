// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// sttcpctl as a library function: parse, open the kernel client through an
// injected factory, run one command, print. main() only wires in the real
// factory and the standard streams.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "cli_args.h"
#include "netlink_client.h"
#include "settings.h"

namespace sttcp {

// Makes the client for the given options (entering the netns first). It is
// only called for commands that talk to the kernel. May throw.
using ClientFactory = std::function<std::unique_ptr<NetlinkClient>(const GlobalOptions&)>;

// Returns the process exit code: 0 on success, 1 on any error (reported on
// `err` as "sttcpctl: ..."). `args` excludes the program name.
// `read` reads the local sysctls for `show`'s warnings. `out_fd` is the file descriptor behind
// `out`, if any: genkey makes a shared regular file private before it writes the key there.
int runCli(const std::vector<std::string>& args, const ClientFactory& factory, std::ostream& out,
           std::ostream& err, const ProcReader& read = readProcFile, int out_fd = -1);

// The production factory: enterNetns() if -n was given, then GenlClient::open().
std::unique_ptr<NetlinkClient> openSystemClient(const GlobalOptions& options);

}  // namespace sttcp
