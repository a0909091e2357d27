// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// sttcpctl's command line: `sttcpctl [-j] [-n NETNS] COMMAND [ARGS...]`,
// parsed into plain values without touching the kernel.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "model.h"

namespace sttcp {

struct GlobalOptions {
  bool json = false;
  std::optional<std::string> netns;
  friend bool operator==(const GlobalOptions&, const GlobalOptions&) = default;
};

struct HelpCmd {};
struct SetCmd {
  Config config;
};
struct DelCmd {};
struct ShowCmd {};
struct StatsCmd {
  bool reset = false;
};
struct FlowsCmd {};

using Command = std::variant<HelpCmd, SetCmd, DelCmd, ShowCmd, StatsCmd, FlowsCmd>;

struct Invocation {
  GlobalOptions options;
  Command command;
};

// A command line that cannot be run; what() says why, for the user.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// `args` excludes the program name. Throws UsageError.
Invocation parseArgs(const std::vector<std::string>& args);

// The --help text.
std::string usageText();

}  // namespace sttcp
