// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// sttcpd's settings as a plain struct: filled from the command line today,
// by a configuration file parser later.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model.h"

namespace sttcp {

// The dummy device that holds the VIP on every node (the backup's stack
// needs the VIP locally; the kernel injects mirrored segments on it).
inline constexpr const char* kVipDevice = "sttcp0";

struct DaemonOptions {
  std::optional<std::string> netns;
  // What SET_CONFIG sends: role, vip, ports, sync endpoints, gating, second
  // heartbeat path, heartbeat timing, starting epoch.
  Config service;
  std::string dev;  // the interface that owns the VIP while the node is active
  std::uint32_t garp_count = 5;
  std::uint32_t garp_interval_ms = 200;
  std::optional<std::string> notify;   // program run on every event
  std::optional<std::string> pidfile;  // written once running, removed at exit
  std::optional<std::string> log;      // log file (appended); stderr if absent
  // Sync channel key file (keyfile.h); empty: no key. Read at start, into
  // service.key, by runDaemon().
  std::string keyFile;
  friend bool operator==(const DaemonOptions&, const DaemonOptions&) = default;
};

struct DaemonInvocation {
  bool help = false;
  DaemonOptions options;
};

// `args` excludes the program name. Throws UsageError (cli_args.h).
DaemonInvocation parseDaemonArgs(const std::vector<std::string>& args);

// The checks every source of options must pass (required values present,
// local2/peer2 paired, interface name valid). Throws UsageError.
void validateDaemonOptions(const DaemonOptions& options);

// The one-paragraph synopsis (usage errors) and the whole --help text.
std::string daemonSynopsis();
std::string daemonUsageText();

}  // namespace sttcp
