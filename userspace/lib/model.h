// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// Plain value types mirroring the netlink API in <linux/sttcp.h>: what the
// controller configures, and what the kernel reports back.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sttcp {

enum class Role { kNone, kPrimary, kBackup };
enum class Gating { kHold, kNone };

// enum sttcp_state, enum sttcp_peer_state and enum sttcp_event with the
// kernel's values (checked in model.cc). A value from a newer kernel is kept
// as is and named "state<N>", "peer<N>" or "event<N>".
enum class NodeState : std::uint8_t { kNone, kStarting, kActive, kBackup, kHandover };
enum class PeerState : std::uint8_t { kUnknown, kAlive, kSyncLost, kDead };
enum class EventType : std::uint8_t {
  kUnspec,
  kState,
  kTakeover,
  kPeerAlive,
  kPeerSyncLost,
  kPeerDead,
  kSwitchoverFailed,
  kFlowUnprotected,
  kPeerSettings,
  kAuthFail,
  kAppLost,
  kFlowDiverged,
};

// The sync channel key (STTCP_KEY_LEN bytes). See keyfile.h.
using Key = std::array<std::uint8_t, 32>;

// An IPv4 address kept in host byte order; the codec converts to be32.
struct Ipv4 {
  std::uint32_t value = 0;

  static std::optional<Ipv4> parse(std::string_view text);
  std::string str() const;
  // What the module takes for the VIP and the sync addresses: not 0.0.0.0/8, multicast or
  // the limited broadcast.
  bool isUnicast() const;
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
  // Optional (sent only when set): the second heartbeat path (both or
  // neither, see configError()), heartbeat timing and the starting epoch.
  std::optional<Ipv4> local2;
  std::optional<Ipv4> peer2;
  std::optional<std::uint32_t> hb_interval_ms;
  std::optional<std::uint32_t> hb_dead_count;
  std::optional<std::uint32_t> epoch;
  // The node settings (settings.h blob) the kernel passes to the peer.
  std::optional<std::string> settings;
  // Sent in SET_CONFIG, never reported back (GET_CONFIG says only whether a
  // key is set: ConfigState::auth).
  std::optional<Key> key;
  friend bool operator==(const Config&, const Config&) = default;
};

// Why `config` cannot be sent (a client-side check the kernel would also
// make), or nullopt if it can.
std::optional<std::string> configError(const Config& config);

// GET_CONFIG reply: `config` is meaningful only when `configured`.
struct ConfigState {
  bool configured = false;
  bool auth = false;  // the kernel has a key (config.key stays empty)
  Config config;
  friend bool operator==(const ConfigState&, const ConfigState&) = default;
};

// GET_STATUS reply. A missing state reads as kNone, a missing peer state as
// kUnknown; the path ages are absent when that path was never heard.
struct Status {
  NodeState state = NodeState::kNone;
  std::uint32_t epoch = 0;
  PeerState peer_state = PeerState::kUnknown;
  std::optional<std::uint32_t> peer_epoch;
  std::optional<std::uint32_t> path_sync_age_ms;
  std::optional<std::uint32_t> path_svc_age_ms;
  std::optional<std::uint32_t> hb_interval_ms;
  std::optional<std::uint32_t> hb_dead_count;
  std::optional<Ipv4> vip;
  // Both nodes' settings blobs (settings.h), the peer's once heard.
  std::optional<std::string> settings;
  std::optional<std::string> peer_settings;
  std::optional<std::uint32_t> peer_settings_age_ms;
  std::optional<bool> auth;  // a key is set (absent when not configured)
  // Since the last sync message that failed authentication; absent if none.
  std::optional<std::uint32_t> auth_fail_age_ms;
  friend bool operator==(const Status&, const Status&) = default;
};

// One STTCP_CMD_EVENT multicast message; fields the kernel did not send stay
// empty. `client`/`client_port` come with the flow events
// (kFlowUnprotected, kAppLost, kFlowDiverged).
struct Event {
  EventType type = EventType::kUnspec;
  std::optional<NodeState> state;
  std::optional<std::uint32_t> epoch;
  std::optional<Ipv4> vip;
  std::optional<Ipv4> client;
  std::optional<std::uint16_t> client_port;
  // Wall-clock time of its arrival (set by the event socket; the kernel sends none).
  std::optional<std::chrono::system_clock::time_point> time;
  friend bool operator==(const Event&, const Event&) = default;
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

// "none", "starting", "active", "backup", "handover".
std::string nodeStateName(NodeState state);
// "unknown", "alive", "sync_lost", "dead".
std::string peerStateName(PeerState state);
// "state", "takeover", "peer_alive", "peer_sync_lost", "peer_dead",
// "switchover_failed", "flow_unprotected", "peer_settings", "auth_fail", "app_lost",
// "flow_diverged".
std::string eventName(EventType type);

// A decimal number in [min, max], nothing else (no sign, no blanks).
std::optional<std::uint64_t> parseUnsigned(std::string_view text, std::uint64_t min,
                                           std::uint64_t max);

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
