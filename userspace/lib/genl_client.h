// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// NetlinkClient over libnl-genl, talking to the sttcp module of the network
// namespace the process is in when open() is called.
#pragma once

#include <memory>

#include "genl_socket.h"
#include "module_check.h"  // moduleNotLoadedError(), which open() throws
#include "netlink_client.h"

namespace sttcp {

class GenlClient : public NetlinkClient {
 public:
  // Opens the socket and resolves the "sttcp" family. Throws NetlinkError,
  // with a hint when the module is not loaded.
  static std::unique_ptr<GenlClient> open();

  void setConfig(const Config& config) override;
  void updateConfig(const Config& config) override;
  void delConfig() override;
  ConfigState getConfig() override;
  Stats getStats() override;
  void resetStats() override;
  std::vector<Flow> dumpFlows() override;
  Status getStatus() override;
  void switchover() override;
  void takeover() override;
  void vipAnnounced() override;
  // An EventSocket in the namespace the process is in now.
  std::unique_ptr<EventSource> subscribe() override;

  // Only open() can make the key, so only open() constructs (via make_unique).
  class Key {
    friend class GenlClient;
    Key() = default;
  };
  GenlClient(Key, GenlSocket sock, int family) : sock_(std::move(sock)), family_(family) {}

 private:
  void request(std::uint8_t cmd, const char* what, int flags, const GenlSocket::Fill& fill,
               const GenlSocket::OnReply& on_reply);

  GenlSocket sock_;
  int family_;
};

}  // namespace sttcp
