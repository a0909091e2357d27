// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "genl_client.h"

#include <linux/sttcp.h>

#include "codec.h"
#include "event_socket.h"

namespace sttcp {

std::unique_ptr<GenlClient> GenlClient::open() {
  GenlSocket sock = GenlSocket::open();
  std::optional<int> family = sock.resolve(STTCP_GENL_NAME);
  if (!family) {
    throw moduleNotLoadedError();
  }
  return std::make_unique<GenlClient>(Key{}, std::move(sock), *family);
}

void GenlClient::request(std::uint8_t cmd, const char* what, int flags,
                         const GenlSocket::Fill& fill, const GenlSocket::OnReply& on_reply) {
  sock_.request(family_, cmd, STTCP_GENL_VERSION, flags, what, fill, on_reply);
}

void GenlClient::setConfig(const Config& config) {
  request(STTCP_CMD_SET_CONFIG, "set config", 0,
          [&](nl_msg* msg) { codec::putConfig(msg, config); }, {});
}

void GenlClient::updateConfig(const Config& config) {
  request(STTCP_CMD_SET_CONFIG, "update config", 0,
          [&](nl_msg* msg) { codec::putConfig(msg, config, /*update=*/true); }, {});
}

void GenlClient::delConfig() {
  request(STTCP_CMD_DEL_CONFIG, "del config", 0, {}, {});
}

ConfigState GenlClient::getConfig() {
  ConfigState state;
  request(STTCP_CMD_GET_CONFIG, "get config", 0, {},
          [&](nlmsghdr* hdr) { state = codec::parseConfig(hdr); });
  return state;
}

Stats GenlClient::getStats() {
  Stats stats;
  request(STTCP_CMD_GET_STATS, "get stats", 0, {},
          [&](nlmsghdr* hdr) { stats = codec::parseStats(hdr); });
  return stats;
}

void GenlClient::resetStats() {
  request(STTCP_CMD_RESET_STATS, "reset stats", 0, {}, {});
}

std::vector<Flow> GenlClient::dumpFlows() {
  std::vector<Flow> flows;
  request(STTCP_CMD_GET_FLOWS, "get flows", NLM_F_DUMP, {},
          [&](nlmsghdr* hdr) { flows.push_back(codec::parseFlow(hdr)); });
  return flows;
}

Status GenlClient::getStatus() {
  Status status;
  request(STTCP_CMD_GET_STATUS, "get status", 0, {},
          [&](nlmsghdr* hdr) { status = codec::parseStatus(hdr); });
  return status;
}

void GenlClient::switchover() {
  request(STTCP_CMD_SWITCHOVER, "switchover", 0, {}, {});
}

void GenlClient::takeover() {
  request(STTCP_CMD_TAKEOVER, "takeover", 0, {}, {});
}

void GenlClient::vipAnnounced() {
  request(STTCP_CMD_VIP_ANNOUNCED, "vip announced", 0, {}, {});
}

std::unique_ptr<EventSource> GenlClient::subscribe() {
  return EventSocket::open();
}

}  // namespace sttcp
