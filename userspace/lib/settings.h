// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// Node settings that must agree between the two nodes for lockstep
// (TCP sysctls, MTU, ports, gating, heartbeat timers). Each daemon hands
// its own to the kernel (STTCP_A_SETTINGS), which exchanges them over the
// sync channel; both ends compare them here and report every difference.
// Also the local checks of the VIP set-up that `sttcpctl show` warns about.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model.h"

namespace sttcp {

// key -> value; the blob is "key=value\n" lines in key order.
using NodeSettings = std::map<std::string, std::string>;

// Throws std::length_error past STTCP_SETTINGS_MAX bytes.
std::string encodeSettings(const NodeSettings& settings);
// Lines without '=' are skipped (a newer peer may send more; never fatal).
NodeSettings decodeSettings(std::string_view blob);

// Reads a /proc or /sys file: its first line, blanks squeezed to one
// space; nullopt if it cannot be read.
using ProcReader = std::function<std::optional<std::string>(const std::string& path)>;
std::optional<std::string> readProcFile(const std::string& path);

// This node's settings: `config` and the service interface `dev`, plus
// what `read` finds (sysctls of the current network namespace, the MTU).
NodeSettings collectSettings(const Config& config, const std::string& dev, const ProcReader& read);

struct SettingMismatch {
  std::string key;
  std::string local;
  std::string peer;
  bool breaks = false;  // flows cannot be protected (else: works, but degraded)
  std::string why;
  friend bool operator==(const SettingMismatch&, const SettingMismatch&) = default;
};

// Every compared key whose values differ; keys only one side knows are
// not compared.
std::vector<SettingMismatch> compareSettings(const NodeSettings& local, const NodeSettings& peer);
// "tcp_sack: here 1, peer 0 (SACK on one node only: ...)"
std::string mismatchText(const SettingMismatch& m);

// Warnings (each with a fix) about the VIP set-up the design requires on
// every node: arp_ignore/arp_announce on `dev` (empty: `all` only),
// rp_filter off for the VIP device, the VIP device present.
std::vector<std::string> checkVipSetup(const ProcReader& read, const std::string& dev);

}  // namespace sttcp
