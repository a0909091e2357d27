// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "model.h"

#include <arpa/inet.h>
#include <linux/sttcp.h>

#include <array>
#include <charconv>

namespace sttcp {
namespace {

// Indexed by enum sttcp_stat, generated from the header itself. The assert
// catches a header the generator could not follow (e.g. explicit values).
constexpr const char* kStatNames[] = {
#include "stat_names.inc"
};
static_assert(std::size(kStatNames) == __STTCP_STAT_MAX,
              "stat_names.inc must list every STTCP_STAT_* counter in order");

static_assert(std::tuple_size_v<Key> == STTCP_KEY_LEN, "Key must hold STTCP_KEY_LEN bytes");
static_assert(static_cast<int>(NodeState::kHandover) == STTCP_STATE_HANDOVER &&
                  STTCP_STATE_MAX == STTCP_STATE_HANDOVER,
              "NodeState must mirror enum sttcp_state");
static_assert(static_cast<int>(PeerState::kDead) == STTCP_PEER_DEAD &&
                  __STTCP_PEER_MAX == STTCP_PEER_DEAD + 1,
              "PeerState must mirror enum sttcp_peer_state");
static_assert(static_cast<int>(EventType::kFlowDiverged) == STTCP_EVENT_FLOW_DIVERGED &&
                  STTCP_EVENT_MAX == STTCP_EVENT_FLOW_DIVERGED,
              "EventType must mirror enum sttcp_event");

}  // namespace

std::optional<Ipv4> Ipv4::parse(std::string_view text) {
  // inet_pton only accepts the strict dotted quad, which is what we want
  // (inet_aton would also take "10.1" or hex forms).
  std::string copy(text);
  in_addr addr{};
  if (inet_pton(AF_INET, copy.c_str(), &addr) != 1) {
    return std::nullopt;
  }
  return Ipv4{ntohl(addr.s_addr)};
}

bool Ipv4::isUnicast() const {
  return (value >> 24) != 0 && (value >> 28) != 0xe && value != 0xffffffffu;
}

std::string Ipv4::str() const {
  in_addr addr{htonl(value)};
  char buf[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &addr, buf, sizeof(buf));
  return buf;
}

std::optional<Endpoint> Endpoint::parse(std::string_view text, std::uint16_t default_port) {
  Endpoint ep;
  ep.port = default_port;
  auto colon = text.find(':');
  if (colon != std::string_view::npos) {
    std::string_view port_text = text.substr(colon + 1);
    unsigned port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 ||
        port > 65535) {
      return std::nullopt;
    }
    ep.port = static_cast<std::uint16_t>(port);
    text = text.substr(0, colon);
  }
  auto addr = Ipv4::parse(text);
  if (!addr) {
    return std::nullopt;
  }
  ep.addr = *addr;
  return ep;
}

std::string Endpoint::str() const {
  return addr.str() + ":" + std::to_string(port);
}

std::string_view roleName(Role role) {
  switch (role) {
    case Role::kPrimary:
      return "primary";
    case Role::kBackup:
      return "backup";
    case Role::kNone:
      break;
  }
  return "none";
}

std::optional<Role> parseRole(std::string_view name) {
  if (name == "primary") return Role::kPrimary;
  if (name == "backup") return Role::kBackup;
  return std::nullopt;
}

std::string_view gatingName(Gating gating) {
  return gating == Gating::kNone ? "none" : "hold";
}

std::optional<Gating> parseGating(std::string_view name) {
  if (name == "hold") return Gating::kHold;
  if (name == "none") return Gating::kNone;
  return std::nullopt;
}

std::optional<std::string> configError(const Config& config) {
  if (config.local2.has_value() != config.peer2.has_value()) {
    return std::string(
        "local2 and peer2 go together (the second heartbeat path needs both ends): give both "
        "or neither");
  }
  if (config.local2 && *config.local2 == *config.peer2) {
    return std::string("local2 and peer2 must differ");
  }
  if (config.hb_interval_ms && *config.hb_interval_ms == 0) {
    return std::string("the heartbeat interval must be at least 1 ms");
  }
  if (config.hb_dead_count && *config.hb_dead_count == 0) {
    return std::string("the heartbeat dead count must be at least 1");
  }
  return std::nullopt;
}

std::string nodeStateName(NodeState state) {
  switch (state) {
    case NodeState::kNone:
      return "none";
    case NodeState::kStarting:
      return "starting";
    case NodeState::kActive:
      return "active";
    case NodeState::kBackup:
      return "backup";
    case NodeState::kHandover:
      return "handover";
  }
  return "state" + std::to_string(static_cast<unsigned>(state));
}

std::string peerStateName(PeerState state) {
  switch (state) {
    case PeerState::kUnknown:
      return "unknown";
    case PeerState::kAlive:
      return "alive";
    case PeerState::kSyncLost:
      return "sync_lost";
    case PeerState::kDead:
      return "dead";
  }
  return "peer" + std::to_string(static_cast<unsigned>(state));
}

std::string eventName(EventType type) {
  switch (type) {
    case EventType::kState:
      return "state";
    case EventType::kTakeover:
      return "takeover";
    case EventType::kPeerAlive:
      return "peer_alive";
    case EventType::kPeerSyncLost:
      return "peer_sync_lost";
    case EventType::kPeerDead:
      return "peer_dead";
    case EventType::kSwitchoverFailed:
      return "switchover_failed";
    case EventType::kFlowUnprotected:
      return "flow_unprotected";
    case EventType::kPeerSettings:
      return "peer_settings";
    case EventType::kAuthFail:
      return "auth_fail";
    case EventType::kAppLost:
      return "app_lost";
    case EventType::kFlowDiverged:
      return "flow_diverged";
    case EventType::kUnspec:
      break;
  }
  return "event" + std::to_string(static_cast<unsigned>(type));
}

std::optional<std::uint64_t> parseUnsigned(std::string_view text, std::uint64_t min,
                                           std::uint64_t max) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < min ||
      value > max) {
    return std::nullopt;
  }
  return value;
}

std::string flowStateName(std::uint8_t state) {
  switch (state) {
    case STTCP_FLOW_SYN:
      return "syn";
    case STTCP_FLOW_ESTABLISHED:
      return "established";
    case STTCP_FLOW_CLOSING:
      return "closing";
    case STTCP_FLOW_CLOSED:
      return "closed";
    default:
      return "state" + std::to_string(state);
  }
}

std::string tcpStateName(std::uint8_t state) {
  // Values of the kernel's TCP_* enum (include/net/tcp_states.h), which is
  // not exported to userspace headers.
  static constexpr std::array<const char*, 13> kNames = {
      "TCP0",  "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",   "TIME_WAIT",
      "CLOSE", "CLOSE_WAIT",  "LAST_ACK", "LISTEN",   "CLOSING",   "NEW_SYN_RECV"};
  if (state > 0 && state < kNames.size()) {
    return kNames[state];
  }
  return "TCP" + std::to_string(state);
}

std::string flowFlagNames(std::uint32_t flags) {
  static constexpr std::array<std::pair<std::uint32_t, const char*>, 9> kFlags = {{
      {STTCP_FLOW_F_UNPROTECTED, "unprotected"},
      {STTCP_FLOW_F_REPORTED, "reported"},
      {STTCP_FLOW_F_SOCK, "sock"},
      {STTCP_FLOW_F_TS, "ts"},
      {STTCP_FLOW_F_SACK, "sack"},
      {STTCP_FLOW_F_TAKEN_OVER, "taken_over"},
      {STTCP_FLOW_F_DIVERGED, "diverged"},
      {STTCP_FLOW_F_LEFT, "left"},
      {STTCP_FLOW_F_EMBRYONIC, "embryonic"},
  }};
  std::string out;
  for (auto [bit, name] : kFlags) {
    if (flags & bit) {
      if (!out.empty()) out += ',';
      out += name;
      flags &= ~bit;
    }
  }
  if (flags != 0) {  // bits from a newer kernel
    if (!out.empty()) out += ',';
    char hex[16];
    auto res = std::to_chars(hex, hex + sizeof(hex), flags, 16);
    out += "0x" + std::string(hex, res.ptr);
  }
  return out;
}

std::string statName(int id) {
  if (id > STTCP_STAT_UNSPEC && id < static_cast<int>(std::size(kStatNames))) {
    return kStatNames[id];
  }
  return "stat_" + std::to_string(id);
}

const std::vector<std::string>& statNames() {
  static const std::vector<std::string> names(std::begin(kStatNames) + 1, std::end(kStatNames));
  return names;
}

}  // namespace sttcp
