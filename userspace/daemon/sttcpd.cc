// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// sttcpd: all the logic lives in libsttcp_daemon (daemon.h) so that it is
// testable.
#include <iostream>
#include <string>
#include <vector>

#include "daemon.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return sttcp::runDaemon(args, std::cout, std::cerr);
}
