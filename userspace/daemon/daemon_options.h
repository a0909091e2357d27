// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// sttcpd's settings as a plain struct, filled from a configuration file
// (sttcp.conf(5)) and/or the command line; flags override the file. One
// table (daemon_options.cc) maps every option to its flag and its
// `[section] key`, so that both spell the same values the same way.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config_file.h"
#include "model.h"
#include "parse.h"

namespace sttcp {

inline constexpr const char* kDefaultConfigPath = "/etc/sttcp/sttcp.conf";

struct DaemonOptions {
  std::optional<std::string> netns;
  // What SET_CONFIG sends: role, vip, ports, sync endpoints, gating, second
  // heartbeat path, heartbeat timing, starting epoch.
  Config service;
  std::string dev;  // the interface that owns the VIP while the node is active
  std::uint32_t garp_count = 5;
  std::uint32_t garp_interval_ms = 200;
  std::vector<std::string> notify;     // programs run on every event, in order
  std::optional<std::string> pidfile;  // written once running, removed at exit
  std::optional<std::string> log;      // log file (appended); stderr if absent
  // Sync channel key file (keyfile.h); empty: no key. Read at start, into
  // service.key, by runDaemon().
  std::string keyFile;
  // SIGTERM on an active primary with a live backup: switch over first.
  bool handover_on_exit = false;
  friend bool operator==(const DaemonOptions&, const DaemonOptions&) = default;
};

// Where the values came from, to name them in messages: a file's values
// by "FILE:LINE", the others by their flag.
struct OptionSources {
  std::string file;                  // empty without --config
  std::map<std::string, int> lines;  // "section.key" -> line, values from the file only
  friend bool operator==(const OptionSources&, const OptionSources&) = default;
};

struct DaemonInvocation {
  bool help = false;
  bool version = false;               // -V, --version: print it, exit
  bool config_test = false;           // --config-test: check, print, exit
  std::optional<std::string> config;  // --config FILE (or --config-test's FILE)
  DaemonOptions options;
  OptionSources sources;
};

using FileReader = std::function<std::string(const std::string& path)>;

// `args` excludes the program name. Reads the configuration file (through
// `read`) if one is named, applies the flags over it and validates the
// result. Throws UsageError for bad flags, ConfigError (a UsageError) for
// the file and for the checks of the merged settings.
DaemonInvocation parseDaemonArgs(const std::vector<std::string>& args,
                                 const FileReader& read = readConfigFile);

// Applies the text of a configuration file to `options`. Throws ConfigError.
void applyConfigText(DaemonOptions& options, OptionSources& sources, const std::string& text,
                     const std::string& file);

// "FILE:LINE: " when the configuration file gave `flag`'s value, else "": the start of a
// message about that value.
std::string whereGiven(const OptionSources& sources, std::string_view flag);

// The checks every source of options must pass (required values present,
// local2/peer2 paired, interface name valid). Throws ConfigError(kInvalid).
void validateDaemonOptions(const DaemonOptions& options, const OptionSources& sources = {});

// SIGHUP: the differences between the running options and `next` that
// cannot be applied without releasing the protected flows (or restarting),
// one "what: old -> new" per entry; empty if the reload can go ahead.
std::vector<std::string> reloadBlockers(const DaemonOptions& running, const DaemonOptions& next);
// The differences a reload applies, "what: old -> new" each.
std::vector<std::string> reloadChanges(const DaemonOptions& running, const DaemonOptions& next);

// A one-line summary of the options (--config-test prints it).
std::string optionsSummary(const DaemonOptions& options);

// The one-paragraph synopsis (usage errors) and the whole --help text.
std::string daemonSynopsis();
std::string daemonUsageText();

}  // namespace sttcp
