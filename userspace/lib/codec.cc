// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "codec.h"

#include <arpa/inet.h>
#include <linux/sttcp.h>
#include <netlink/genl/genl.h>

#include <array>
#include <stdexcept>
#include <string>

namespace sttcp::codec {
namespace {

// Policies only check type and minimum length; attribute ids past *_MAX (a
// newer kernel) are skipped by libnl rather than rejected.
std::array<nla_policy, STTCP_A_MAX + 1> topPolicy() {
  std::array<nla_policy, STTCP_A_MAX + 1> p{};
  p[STTCP_A_ROLE].type = NLA_U8;
  p[STTCP_A_VIP].type = NLA_U32;
  p[STTCP_A_PORTS].type = NLA_NESTED;
  p[STTCP_A_LOCAL_ADDR].type = NLA_U32;
  p[STTCP_A_LOCAL_PORT].type = NLA_U16;
  p[STTCP_A_PEER_ADDR].type = NLA_U32;
  p[STTCP_A_PEER_PORT].type = NLA_U16;
  p[STTCP_A_GATING].type = NLA_U8;
  p[STTCP_A_CONFIGURED].type = NLA_FLAG;
  p[STTCP_A_STATS].type = NLA_NESTED;
  p[STTCP_A_FLOW].type = NLA_NESTED;
  for (int id :
       {STTCP_A_LOCAL_ADDR2, STTCP_A_PEER_ADDR2, STTCP_A_HB_INTERVAL_MS, STTCP_A_HB_DEAD_COUNT,
        STTCP_A_EPOCH, STTCP_A_PEER_EPOCH, STTCP_A_PATH_SYNC_AGE_MS, STTCP_A_PATH_SVC_AGE_MS}) {
    p[id].type = NLA_U32;
  }
  p[STTCP_A_AUTH_FAIL_AGE_MS].type = NLA_U32;
  for (int id : {STTCP_A_STATE, STTCP_A_PEER_STATE, STTCP_A_EVENT, STTCP_A_AUTH}) {
    p[id].type = NLA_U8;
  }
  p[STTCP_A_PEER_SETTINGS_AGE_MS].type = NLA_U32;
  p[STTCP_A_UPDATE].type = NLA_FLAG;
  // STTCP_A_SETTINGS and STTCP_A_PEER_SETTINGS: binary (NLA_UNSPEC).
  return p;
}

std::array<nla_policy, STTCP_FLOW_A_MAX + 1> flowPolicy() {
  std::array<nla_policy, STTCP_FLOW_A_MAX + 1> p{};
  for (int id :
       {STTCP_FLOW_A_CLIENT_ADDR, STTCP_FLOW_A_VIP, STTCP_FLOW_A_FLAGS, STTCP_FLOW_A_SEQ_DELTA,
        STTCP_FLOW_A_TS_DELTA, STTCP_FLOW_A_BACKUP_RCV_NXT, STTCP_FLOW_A_HELD_SEGS,
        STTCP_FLOW_A_SND_UNA, STTCP_FLOW_A_SND_NXT, STTCP_FLOW_A_RCV_NXT}) {
    p[id].type = NLA_U32;
  }
  for (int id : {STTCP_FLOW_A_CLIENT_PORT, STTCP_FLOW_A_VPORT}) {
    p[id].type = NLA_U16;
  }
  for (int id : {STTCP_FLOW_A_STATE, STTCP_FLOW_A_WSCALE_PRIMARY, STTCP_FLOW_A_WSCALE_BACKUP,
                 STTCP_FLOW_A_SOCK_STATE}) {
    p[id].type = NLA_U8;
  }
  p[STTCP_FLOW_A_SEGS_IN].type = NLA_U64;
  return p;
}

void check(int err, const char* what) {
  if (err < 0) {
    throw std::runtime_error(std::string("cannot build netlink message (") + what +
                             "): " + nl_geterror(err));
  }
}

using TopAttrs = std::array<nlattr*, STTCP_A_MAX + 1>;

TopAttrs parseTop(nlmsghdr* hdr) {
  TopAttrs tb{};
  auto policy = topPolicy();
  int err = genlmsg_parse(hdr, 0, tb.data(), STTCP_A_MAX, policy.data());
  if (err < 0) {
    throw std::runtime_error(std::string("malformed reply from the kernel: ") + nl_geterror(err));
  }
  return tb;
}

Ipv4 getIpv4(nlattr* attr) {
  return Ipv4{ntohl(nla_get_u32(attr))};
}

template <typename T, typename Get>
void getOpt(std::optional<T>& out, nlattr* attr, Get get) {
  if (attr) out = static_cast<T>(get(attr));
}

void putIpv4(nl_msg* msg, int type, Ipv4 addr, const char* what) {
  check(nla_put_u32(msg, type, htonl(addr.value)), what);
}

template <typename T>
void putOptU32(nl_msg* msg, int type, const std::optional<T>& value, const char* what) {
  if (value) check(nla_put_u32(msg, type, *value), what);
}

std::array<nlattr*, STTCP_FLOW_A_MAX + 1> parseFlowNest(nlattr* nest) {
  std::array<nlattr*, STTCP_FLOW_A_MAX + 1> tb{};
  auto policy = flowPolicy();
  int err = nla_parse_nested(tb.data(), STTCP_FLOW_A_MAX, nest, policy.data());
  if (err < 0) {
    throw std::runtime_error(std::string("malformed flow from the kernel: ") + nl_geterror(err));
  }
  return tb;
}

std::optional<std::string> getBlob(nlattr* attr) {
  if (!attr) return std::nullopt;
  return std::string(static_cast<const char*>(nla_data(attr)), nla_len(attr));
}

}  // namespace

void putConfig(nl_msg* msg, const Config& config, bool update) {
  if (auto error = configError(config)) {
    throw std::invalid_argument(*error);
  }
  std::uint8_t role = config.role == Role::kPrimary  ? STTCP_ROLE_PRIMARY
                      : config.role == Role::kBackup ? STTCP_ROLE_BACKUP
                                                     : STTCP_ROLE_NONE;
  check(nla_put_u8(msg, STTCP_A_ROLE, role), "role");
  check(nla_put_u32(msg, STTCP_A_VIP, htonl(config.vip.value)), "vip");
  nlattr* ports = nla_nest_start(msg, STTCP_A_PORTS);
  if (!ports) check(-NLE_NOMEM, "ports");
  for (std::uint16_t port : config.ports) {
    check(nla_put_u16(msg, STTCP_A_PORT, port), "port");
  }
  check(nla_nest_end(msg, ports), "ports");
  check(nla_put_u32(msg, STTCP_A_LOCAL_ADDR, htonl(config.local.addr.value)), "local");
  check(nla_put_u16(msg, STTCP_A_LOCAL_PORT, config.local.port), "local port");
  check(nla_put_u32(msg, STTCP_A_PEER_ADDR, htonl(config.peer.addr.value)), "peer");
  check(nla_put_u16(msg, STTCP_A_PEER_PORT, config.peer.port), "peer port");
  std::uint8_t gating = config.gating == Gating::kNone ? STTCP_GATING_NONE : STTCP_GATING_HOLD;
  check(nla_put_u8(msg, STTCP_A_GATING, gating), "gating");
  if (config.local2) putIpv4(msg, STTCP_A_LOCAL_ADDR2, *config.local2, "local2");
  if (config.peer2) putIpv4(msg, STTCP_A_PEER_ADDR2, *config.peer2, "peer2");
  putOptU32(msg, STTCP_A_HB_INTERVAL_MS, config.hb_interval_ms, "hb interval");
  putOptU32(msg, STTCP_A_HB_DEAD_COUNT, config.hb_dead_count, "hb dead count");
  putOptU32(msg, STTCP_A_EPOCH, config.epoch, "epoch");
  if (config.settings) {
    check(nla_put(msg, STTCP_A_SETTINGS, static_cast<int>(config.settings->size()),
                  config.settings->data()),
          "settings");
  }
  if (update) check(nla_put_flag(msg, STTCP_A_UPDATE), "update");
  if (config.key) check(nla_put(msg, STTCP_A_KEY, config.key->size(), config.key->data()), "key");
}

ConfigState parseConfig(nlmsghdr* hdr) {
  TopAttrs tb = parseTop(hdr);
  ConfigState state;
  state.configured = tb[STTCP_A_CONFIGURED] != nullptr;
  state.auth = tb[STTCP_A_AUTH] && nla_get_u8(tb[STTCP_A_AUTH]);
  Config& c = state.config;
  if (tb[STTCP_A_ROLE]) {
    switch (nla_get_u8(tb[STTCP_A_ROLE])) {
      case STTCP_ROLE_PRIMARY:
        c.role = Role::kPrimary;
        break;
      case STTCP_ROLE_BACKUP:
        c.role = Role::kBackup;
        break;
      default:
        c.role = Role::kNone;
        break;
    }
  }
  if (tb[STTCP_A_VIP]) c.vip = getIpv4(tb[STTCP_A_VIP]);
  if (tb[STTCP_A_PORTS]) {
    nlattr* port;
    int rem;
    nla_for_each_nested(port, tb[STTCP_A_PORTS], rem) {
      if (nla_type(port) != STTCP_A_PORT || nla_len(port) < 2) {
        throw std::runtime_error("malformed reply from the kernel: bad STTCP_A_PORTS entry");
      }
      c.ports.push_back(nla_get_u16(port));
    }
  }
  if (tb[STTCP_A_LOCAL_ADDR]) c.local.addr = getIpv4(tb[STTCP_A_LOCAL_ADDR]);
  if (tb[STTCP_A_LOCAL_PORT]) c.local.port = nla_get_u16(tb[STTCP_A_LOCAL_PORT]);
  if (tb[STTCP_A_PEER_ADDR]) c.peer.addr = getIpv4(tb[STTCP_A_PEER_ADDR]);
  if (tb[STTCP_A_PEER_PORT]) c.peer.port = nla_get_u16(tb[STTCP_A_PEER_PORT]);
  if (tb[STTCP_A_GATING]) {
    c.gating = nla_get_u8(tb[STTCP_A_GATING]) == STTCP_GATING_NONE ? Gating::kNone : Gating::kHold;
  }
  getOpt(c.local2, tb[STTCP_A_LOCAL_ADDR2], getIpv4);
  getOpt(c.peer2, tb[STTCP_A_PEER_ADDR2], getIpv4);
  getOpt(c.hb_interval_ms, tb[STTCP_A_HB_INTERVAL_MS], nla_get_u32);
  getOpt(c.hb_dead_count, tb[STTCP_A_HB_DEAD_COUNT], nla_get_u32);
  getOpt(c.epoch, tb[STTCP_A_EPOCH], nla_get_u32);
  c.settings = getBlob(tb[STTCP_A_SETTINGS]);
  return state;
}

Stats parseStats(nlmsghdr* hdr) {
  TopAttrs tb = parseTop(hdr);
  if (!tb[STTCP_A_STATS]) {
    throw std::runtime_error("malformed reply from the kernel: no STTCP_A_STATS");
  }
  Stats stats;
  nlattr* counter;
  int rem;
  nla_for_each_nested(counter, tb[STTCP_A_STATS], rem) {
    // nla_put_u64_64bit() may precede a counter with a zero-length pad
    // attribute, whatever its type id: only full u64 payloads are counters.
    if (nla_type(counter) == STTCP_STAT_UNSPEC ||
        nla_len(counter) < static_cast<int>(sizeof(std::uint64_t))) {
      continue;
    }
    stats[statName(nla_type(counter))] = nla_get_u64(counter);
  }
  return stats;
}

Flow parseFlow(nlmsghdr* hdr) {
  TopAttrs top = parseTop(hdr);
  if (!top[STTCP_A_FLOW]) {
    throw std::runtime_error("malformed reply from the kernel: no STTCP_A_FLOW");
  }
  auto tb = parseFlowNest(top[STTCP_A_FLOW]);
  Flow f;
  getOpt(f.client, tb[STTCP_FLOW_A_CLIENT_ADDR], getIpv4);
  getOpt(f.client_port, tb[STTCP_FLOW_A_CLIENT_PORT], nla_get_u16);
  getOpt(f.vip, tb[STTCP_FLOW_A_VIP], getIpv4);
  getOpt(f.vport, tb[STTCP_FLOW_A_VPORT], nla_get_u16);
  getOpt(f.state, tb[STTCP_FLOW_A_STATE], nla_get_u8);
  getOpt(f.flags, tb[STTCP_FLOW_A_FLAGS], nla_get_u32);
  getOpt(f.seq_delta, tb[STTCP_FLOW_A_SEQ_DELTA], nla_get_u32);
  getOpt(f.ts_delta, tb[STTCP_FLOW_A_TS_DELTA], nla_get_u32);
  getOpt(f.wscale_primary, tb[STTCP_FLOW_A_WSCALE_PRIMARY], nla_get_u8);
  getOpt(f.wscale_backup, tb[STTCP_FLOW_A_WSCALE_BACKUP], nla_get_u8);
  getOpt(f.backup_rcv_nxt, tb[STTCP_FLOW_A_BACKUP_RCV_NXT], nla_get_u32);
  getOpt(f.held_segs, tb[STTCP_FLOW_A_HELD_SEGS], nla_get_u32);
  getOpt(f.snd_una, tb[STTCP_FLOW_A_SND_UNA], nla_get_u32);
  getOpt(f.snd_nxt, tb[STTCP_FLOW_A_SND_NXT], nla_get_u32);
  getOpt(f.rcv_nxt, tb[STTCP_FLOW_A_RCV_NXT], nla_get_u32);
  getOpt(f.sock_state, tb[STTCP_FLOW_A_SOCK_STATE], nla_get_u8);
  getOpt(f.segs_in, tb[STTCP_FLOW_A_SEGS_IN], nla_get_u64);
  return f;
}

Status parseStatus(nlmsghdr* hdr) {
  TopAttrs tb = parseTop(hdr);
  Status s;
  if (tb[STTCP_A_STATE]) s.state = static_cast<NodeState>(nla_get_u8(tb[STTCP_A_STATE]));
  if (tb[STTCP_A_EPOCH]) s.epoch = nla_get_u32(tb[STTCP_A_EPOCH]);
  if (tb[STTCP_A_PEER_STATE]) {
    s.peer_state = static_cast<PeerState>(nla_get_u8(tb[STTCP_A_PEER_STATE]));
  }
  getOpt(s.peer_epoch, tb[STTCP_A_PEER_EPOCH], nla_get_u32);
  getOpt(s.path_sync_age_ms, tb[STTCP_A_PATH_SYNC_AGE_MS], nla_get_u32);
  getOpt(s.path_svc_age_ms, tb[STTCP_A_PATH_SVC_AGE_MS], nla_get_u32);
  getOpt(s.hb_interval_ms, tb[STTCP_A_HB_INTERVAL_MS], nla_get_u32);
  getOpt(s.hb_dead_count, tb[STTCP_A_HB_DEAD_COUNT], nla_get_u32);
  getOpt(s.vip, tb[STTCP_A_VIP], getIpv4);
  s.settings = getBlob(tb[STTCP_A_SETTINGS]);
  s.peer_settings = getBlob(tb[STTCP_A_PEER_SETTINGS]);
  getOpt(s.peer_settings_age_ms, tb[STTCP_A_PEER_SETTINGS_AGE_MS], nla_get_u32);
  if (tb[STTCP_A_AUTH]) s.auth = nla_get_u8(tb[STTCP_A_AUTH]) != 0;
  getOpt(s.auth_fail_age_ms, tb[STTCP_A_AUTH_FAIL_AGE_MS], nla_get_u32);
  return s;
}

Event parseEvent(nlmsghdr* hdr) {
  TopAttrs tb = parseTop(hdr);
  if (!tb[STTCP_A_EVENT]) {
    throw std::runtime_error("malformed event from the kernel: no STTCP_A_EVENT");
  }
  Event e;
  e.type = static_cast<EventType>(nla_get_u8(tb[STTCP_A_EVENT]));
  if (tb[STTCP_A_STATE]) e.state = static_cast<NodeState>(nla_get_u8(tb[STTCP_A_STATE]));
  getOpt(e.epoch, tb[STTCP_A_EPOCH], nla_get_u32);
  getOpt(e.vip, tb[STTCP_A_VIP], getIpv4);
  if (tb[STTCP_A_FLOW]) {
    auto flow = parseFlowNest(tb[STTCP_A_FLOW]);
    getOpt(e.client, flow[STTCP_FLOW_A_CLIENT_ADDR], getIpv4);
    getOpt(e.client_port, flow[STTCP_FLOW_A_CLIENT_PORT], nla_get_u16);
  }
  return e;
}

}  // namespace sttcp::codec
