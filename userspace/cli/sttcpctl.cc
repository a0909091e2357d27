// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// sttcpctl: all the logic lives in libsttcp_cli (cli.h) so that it is testable.
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return sttcp::runCli(args, sttcp::openSystemClient, std::cout, std::cerr, sttcp::readProcFile,
                       STDOUT_FILENO);
}
