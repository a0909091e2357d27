// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// Where the VIP lives: always on the dummy device kVipDevice (the kernel
// injects the backup's mirrored segments there), and on the service
// interface only while the node is active.
#pragma once

#include <string>
#include <vector>

#include "model.h"
#include "nl_raii.h"

namespace sttcp {

class VipManager {
 public:
  virtual ~VipManager() = default;
  // Makes the node ready, idempotently: kVipDevice exists (dummy), is up
  // and holds VIP/32; the sysctls of requiredSysctls() are set. Throws.
  virtual void prepare() = 0;
  // VIP/32 on the service interface. False if it was already there. Throws.
  virtual bool addVip() = 0;
  // Removes VIP/32 from the service interface. False if it was not there.
  // Throws.
  virtual bool removeVip() = 0;
};

struct Sysctl {
  std::string path;  // under /proc/sys, e.g. "net/ipv4/conf/all/arp_ignore"
  std::string value;
  friend bool operator==(const Sysctl&, const Sysctl&) = default;
};

// arp_ignore=1 and arp_announce=2 on all and `dev` (only the device holding
// the VIP answers ARP for it, and the node announces its own addresses),
// rp_filter=0 on all and kVipDevice (injected segments come from anywhere).
std::vector<Sysctl> requiredSysctls(const std::string& dev);

// Writes each value to ROOT/PATH. Throws std::runtime_error naming the file.
void writeSysctls(const std::vector<Sysctl>& sysctls, const std::string& root = "/proc/sys");

// VipManager over rtnetlink (libnl-route) in the current network namespace.
class RtnlVipManager : public VipManager {
 public:
  // Opens the rtnetlink socket and checks that `dev` exists. Throws.
  RtnlVipManager(std::string dev, Ipv4 vip, std::string sysctl_root = "/proc/sys");

  void prepare() override;
  bool addVip() override;
  bool removeVip() override;

 private:
  int ifindex(const std::string& name) const;

  std::string dev_;
  Ipv4 vip_;
  std::string sysctl_root_;
  nl::SockPtr sock_;
};

}  // namespace sttcp
