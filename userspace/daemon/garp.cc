// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "garp.h"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netpacket/packet.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace sttcp {

std::array<std::uint8_t, 28> buildGarpPayload(const MacAddress& mac, Ipv4 vip) {
  std::array<std::uint8_t, 28> p{};
  auto put16 = [&](std::size_t at, std::uint16_t v) {
    p[at] = static_cast<std::uint8_t>(v >> 8);
    p[at + 1] = static_cast<std::uint8_t>(v);
  };
  auto putIp = [&](std::size_t at) {
    for (int i = 0; i < 4; ++i)
      p[at + i] = static_cast<std::uint8_t>(vip.value >> (24 - 8 * i));
  };
  put16(0, ARPHRD_ETHER);  // hardware type
  put16(2, ETH_P_IP);      // protocol type
  p[4] = 6;                // hardware address length
  p[5] = 4;                // protocol address length
  put16(6, ARPOP_REQUEST);
  std::memcpy(&p[8], mac.data(), mac.size());  // sender hardware address
  putIp(14);                                   // sender protocol address
  // target hardware address (18..23) stays zero
  putIp(24);  // target protocol address
  return p;
}

PacketGarpSender::PacketGarpSender(std::string dev, Ipv4 vip) : dev_(std::move(dev)), vip_(vip) {
  int fd = ::socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ARP));
  if (fd < 0) {
    int err = errno;
    if (err == EPERM || err == EACCES) {
      throw std::runtime_error(
          "permission denied: CAP_NET_ADMIN is required (and CAP_NET_RAW, for gratuitous ARP)");
    }
    throw std::runtime_error(std::string("cannot open a packet socket for gratuitous ARP: ") +
                             std::strerror(err));
  }
  sock_.reset(fd);
}

void PacketGarpSender::send() {
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, dev_.c_str(), IFNAMSIZ - 1);
  if (::ioctl(sock_.get(), SIOCGIFINDEX, &ifr) < 0) {
    throw std::runtime_error("interface '" + dev_ + "': " + std::strerror(errno));
  }
  int ifindex = ifr.ifr_ifindex;
  if (::ioctl(sock_.get(), SIOCGIFHWADDR, &ifr) < 0) {
    throw std::runtime_error("cannot read the MAC address of " + dev_ + ": " +
                             std::strerror(errno));
  }
  if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER) {
    throw std::runtime_error(dev_ + " is not an Ethernet interface (no ARP)");
  }
  MacAddress mac;
  std::memcpy(mac.data(), ifr.ifr_hwaddr.sa_data, mac.size());
  auto payload = buildGarpPayload(mac, vip_);

  sockaddr_ll to{};
  to.sll_family = AF_PACKET;
  to.sll_protocol = htons(ETH_P_ARP);
  to.sll_ifindex = ifindex;
  to.sll_halen = ETH_ALEN;
  std::memset(to.sll_addr, 0xff, ETH_ALEN);
  ssize_t n = ::sendto(sock_.get(), payload.data(), payload.size(), 0,
                       reinterpret_cast<const sockaddr*>(&to), sizeof(to));
  if (n != static_cast<ssize_t>(payload.size())) {
    throw std::runtime_error("send on " + dev_ + ": " +
                             (n < 0 ? std::strerror(errno) : std::string("short write")));
  }
}

}  // namespace sttcp
