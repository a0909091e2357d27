// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "vip.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netlink/route/rtnl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "netlink_client.h"
#include "nl_route_raii.h"
#include "parse.h"

namespace sttcp {
namespace {

[[noreturn]] void rtnlFail(const std::string& what, int nlerr) {
  if (nlerr == -NLE_PERM) {
    throw NetlinkError("permission denied: CAP_NET_ADMIN is required", EPERM);
  }
  throw NetlinkError(what + ": " + nl_geterror(nlerr), 0);
}

nl::RtnlAddrPtr hostAddress(int ifindex, Ipv4 vip) {
  nl::RtnlAddrPtr addr(rtnl_addr_alloc());
  std::uint32_t be = htonl(vip.value);
  nl::AddrPtr local(nl_addr_build(AF_INET, &be, sizeof(be)));
  if (!addr || !local) throw std::bad_alloc();
  nl_addr_set_prefixlen(local.get(), 32);
  rtnl_addr_set_ifindex(addr.get(), ifindex);
  rtnl_addr_set_family(addr.get(), AF_INET);
  if (int err = rtnl_addr_set_local(addr.get(), local.get()); err < 0) {
    rtnlFail("cannot build the address", err);
  }
  rtnl_addr_set_prefixlen(addr.get(), 32);
  return addr;
}

// Adds VIP/32 to `ifindex`; false if it was there.
bool addHostAddress(nl_sock* sock, int ifindex, Ipv4 vip, const std::string& dev) {
  nl::RtnlAddrPtr addr = hostAddress(ifindex, vip);
  int err = rtnl_addr_add(sock, addr.get(), NLM_F_EXCL);
  if (err == -NLE_EXIST) return false;
  if (err < 0) rtnlFail("cannot add " + vip.str() + "/32 to " + dev, err);
  return true;
}

}  // namespace

std::vector<Sysctl> requiredSysctls(const std::string& dev) {
  const std::string conf = "net/ipv4/conf/";
  return {
      {conf + "all/arp_ignore", "1"},   {conf + dev + "/arp_ignore", "1"},
      {conf + "all/arp_announce", "2"}, {conf + dev + "/arp_announce", "2"},
      {conf + "all/rp_filter", "0"},    {conf + kVipDevice + "/rp_filter", "0"},
  };
}

void writeSysctls(const std::vector<Sysctl>& sysctls, const std::string& root) {
  for (const Sysctl& s : sysctls) {
    const std::string path = root + "/" + s.path;
    int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0) {
      throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
    }
    const std::string text = s.value + "\n";
    ssize_t n = ::write(fd, text.data(), text.size());
    int err = errno;
    ::close(fd);
    if (n != static_cast<ssize_t>(text.size())) {
      throw std::runtime_error("cannot write " + s.value + " to " + path + ": " +
                               (n < 0 ? std::strerror(err) : "short write"));
    }
  }
}

RtnlVipManager::RtnlVipManager(std::string dev, Ipv4 vip, std::string sysctl_root)
    : dev_(std::move(dev)), vip_(vip), sysctl_root_(std::move(sysctl_root)) {
  sock_.reset(nl_socket_alloc());
  if (!sock_) throw std::bad_alloc();
  if (int err = nl_connect(sock_.get(), NETLINK_ROUTE); err < 0) {
    rtnlFail("cannot open an rtnetlink socket", err);
  }
  ifindex(dev_);  // fail early on a wrong --dev
}

int RtnlVipManager::ifindex(const std::string& name) const {
  unsigned index = if_nametoindex(name.c_str());
  if (index == 0) {
    throw std::runtime_error("interface '" + name + "' not found in this network namespace");
  }
  return static_cast<int>(index);
}

void RtnlVipManager::prepare() {
  nl_sock* sock = sock_.get();
  rtnl_link* raw = nullptr;
  int err = rtnl_link_get_kernel(sock, 0, kVipDevice, &raw);
  nl::RtnlLinkPtr link(raw);
  if (err == -NLE_OBJ_NOTFOUND || err == -NLE_NODEV) {
    nl::RtnlLinkPtr want(rtnl_link_alloc());
    if (!want) throw std::bad_alloc();
    rtnl_link_set_name(want.get(), kVipDevice);
    if (int e = rtnl_link_set_type(want.get(), "dummy"); e < 0) {
      rtnlFail(std::string("cannot create ") + kVipDevice, e);
    }
    rtnl_link_set_flags(want.get(), IFF_UP);
    if (int e = rtnl_link_add(sock, want.get(), NLM_F_CREATE | NLM_F_EXCL);
        e < 0 && e != -NLE_EXIST) {
      rtnlFail(std::string("cannot create dummy device ") + kVipDevice +
                   " (is the dummy driver available?)",
               e);
    }
    raw = nullptr;
    err = rtnl_link_get_kernel(sock, 0, kVipDevice, &raw);
    link.reset(raw);
  }
  if (err < 0) rtnlFail(std::string("cannot read device ") + kVipDevice, err);
  const char* type = rtnl_link_get_type(link.get());
  if (!type || std::strcmp(type, "dummy") != 0) {
    throw std::runtime_error(std::string("device ") + kVipDevice + " exists but is not a dummy (" +
                             (type ? type : "no kind") + "); remove it: ip link del " + kVipDevice);
  }
  if (!(rtnl_link_get_flags(link.get()) & IFF_UP)) {
    nl::RtnlLinkPtr change(rtnl_link_alloc());
    if (!change) throw std::bad_alloc();
    rtnl_link_set_flags(change.get(), IFF_UP);
    if (int e = rtnl_link_change(sock, link.get(), change.get(), 0); e < 0) {
      rtnlFail(std::string("cannot bring ") + kVipDevice + " up", e);
    }
  }
  addHostAddress(sock, rtnl_link_get_ifindex(link.get()), vip_, kVipDevice);
  writeSysctls(requiredSysctls(dev_), sysctl_root_);
}

bool RtnlVipManager::addVip() {
  return addHostAddress(sock_.get(), ifindex(dev_), vip_, dev_);
}

bool RtnlVipManager::removeVip() {
  nl::RtnlAddrPtr addr = hostAddress(ifindex(dev_), vip_);
  int err = rtnl_addr_delete(sock_.get(), addr.get(), 0);
  if (err == -NLE_NOADDR || err == -NLE_OBJ_NOTFOUND) return false;
  if (err < 0) rtnlFail("cannot remove " + vip_.str() + "/32 from " + dev_, err);
  return true;
}

}  // namespace sttcp
