// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// sttcpctl's command line: `sttcpctl [-j] [-n NETNS] COMMAND [ARGS...]`,
// parsed into plain values without touching the kernel.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model.h"
#include "parse.h"

namespace sttcp {

struct GlobalOptions {
  bool json = false;
  std::optional<std::string> netns;
  friend bool operator==(const GlobalOptions&, const GlobalOptions&) = default;
};

struct HelpCmd {
  std::string command;  // "" for the general help
};
struct SetCmd {
  Config config;
};
struct DelCmd {};
struct ShowCmd {};
struct StatsCmd {
  bool reset = false;
};
struct FlowsCmd {};
struct StatusCmd {};
struct SwitchoverCmd {
  static constexpr std::uint32_t kDefaultTimeoutMs = 3000;
  std::uint32_t timeout_ms = kDefaultTimeoutMs;
};
struct TakeoverCmd {};
struct MonitorCmd {
  std::optional<std::uint64_t> count;  // exit after this many events
};
struct GenkeyCmd {};   // print a new sync channel key (no kernel access)
struct VersionCmd {};  // -V, --version: sttcpctl's and the loaded module's

using Command = std::variant<HelpCmd, SetCmd, DelCmd, ShowCmd, StatsCmd, FlowsCmd, StatusCmd,
                             SwitchoverCmd, TakeoverCmd, MonitorCmd, GenkeyCmd, VersionCmd>;

struct Invocation {
  GlobalOptions options;
  Command command;
};

// `args` excludes the program name. Throws UsageError.
Invocation parseArgs(const std::vector<std::string>& args);

// The --help text, or one command's (`sttcpctl CMD --help`, `sttcpctl help
// CMD`); an unknown command gets the general text.
std::string usageText(const std::string& command = "");

}  // namespace sttcp
