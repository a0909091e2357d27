// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// Plain value types mirroring the netlink API in <linux/sttcp.h>: what the
// controller configures, and what the kernel reports back.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sttcp {

enum class Role { kNone, kPrimary, kBackup };
enum class Gating { kHold, kNone };

// An IPv4 address kept in host byte order; the codec converts to be32.
struct Ipv4 {
  std::uint32_t value = 0;

  static std::optional<Ipv4> parse(std::string_view text);
  std::string str() const;
  friend bool operator==(const Ipv4&, const Ipv4&) = default;
};

struct Endpoint {
  Ipv4 addr;
  std::uint16_t port = 0;

  // "A.B.C.D" or "A.B.C.D:PORT"; a missing port becomes default_port.
  static std::optional<Endpoint> parse(std::string_view text, std::uint16_t default_port);
  std::string str() const;
  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

struct Config {
  Role role = Role::kNone;
  Ipv4 vip;
  std::vector<std::uint16_t> ports;
  Endpoint local;
  Endpoint peer;
  Gating gating = Gating::kHold;
  friend bool operator==(const Config&, const Config&) = default;
};

// GET_CONFIG reply: `config` is meaningful only when `configured`.
struct ConfigState {
  bool configured = false;
  Config config;
  friend bool operator==(const ConfigState&, const ConfigState&) = default;
};

// Counter name (STTCP_STAT_* lowercased, prefix dropped) -> value.
using Stats = std::map<std::string, std::uint64_t>;

// Every STTCP_FLOW_A_* field; absent attributes stay empty so that output
// shows exactly what the kernel reported.
struct Flow {
  std::optional<Ipv4> client;
  std::optional<std::uint16_t> client_port;
  std::optional<Ipv4> vip;
  std::optional<std::uint16_t> vport;
  std::optional<std::uint8_t> state;   // enum sttcp_flow_state
  std::optional<std::uint32_t> flags;  // STTCP_FLOW_F_*
  std::optional<std::uint32_t> seq_delta;
  std::optional<std::uint32_t> ts_delta;
  std::optional<std::uint8_t> wscale_primary;
  std::optional<std::uint8_t> wscale_backup;
  std::optional<std::uint32_t> backup_rcv_nxt;
  std::optional<std::uint32_t> held_segs;
  std::optional<std::uint32_t> snd_una;
  std::optional<std::uint32_t> snd_nxt;
  std::optional<std::uint32_t> rcv_nxt;
  std::optional<std::uint8_t> sock_state;  // TCP_* socket state
  std::optional<std::uint64_t> segs_in;
  friend bool operator==(const Flow&, const Flow&) = default;
};

std::string_view roleName(Role role);
std::optional<Role> parseRole(std::string_view name);
std::string_view gatingName(Gating gating);
std::optional<Gating> parseGating(std::string_view name);

// "syn", "established", "closing", "closed"; unknown values as "state<N>".
std::string flowStateName(std::uint8_t state);
// Linux TCP_* socket state names ("ESTABLISHED", ...), "TCP<N>" if unknown.
std::string tcpStateName(std::uint8_t state);
// Comma-separated STTCP_FLOW_F_* names, e.g. "unprotected,ts"; "" if none.
std::string flowFlagNames(std::uint32_t flags);

// Name of counter STTCP_STAT_<id>; ids unknown to this build (a newer
// kernel) are named "stat_<id>" so that they are still shown.
std::string statName(int id);
// Known counter names in kernel (enum) order, for stable output.
const std::vector<std::string>& statNames();

}  // namespace sttcp
