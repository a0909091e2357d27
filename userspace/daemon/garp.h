// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// Gratuitous ARP: tells the segment's hosts and switches that the VIP now
// lives behind this node's MAC address.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "model.h"
#include "unique_fd.h"

namespace sttcp {

using MacAddress = std::array<std::uint8_t, 6>;

// The ARP payload (28 bytes, after the Ethernet header): an ARP *request*
// (RFC 5227 announcement) with sender and target protocol address both
// `vip`, sender hardware address `mac`, target hardware address zero.
std::array<std::uint8_t, 28> buildGarpPayload(const MacAddress& mac, Ipv4 vip);

class GarpSender {
 public:
  virtual ~GarpSender() = default;
  // Sends one gratuitous ARP. Throws std::runtime_error.
  virtual void send() = 0;
};

// Over an AF_PACKET/SOCK_DGRAM socket, to the Ethernet broadcast address.
// The interface's index and MAC are read at each send, so a recreated
// interface is followed.
class PacketGarpSender : public GarpSender {
 public:
  // Opens the socket (CAP_NET_RAW). Throws std::runtime_error.
  PacketGarpSender(std::string dev, Ipv4 vip);
  void send() override;

 private:
  std::string dev_;
  Ipv4 vip_;
  UniqueFd sock_;
};

}  // namespace sttcp
