// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "module_check.h"

#include <linux/sttcp.h>
#include <sys/utsname.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <memory>

namespace sttcp {

std::string moduleMissingMessage(const ModuleFacts& f) {
  const std::string head = "sttcp kernel module is not loaded (generic netlink family '" +
                           std::string(STTCP_GENL_NAME) + "' not found)";
  if (f.loaded) {
    return "a module named sttcp is loaded but the generic netlink family '" +
           std::string(STTCP_GENL_NAME) +
           "' is missing (an old or foreign build?); reload it: rmmod sttcp && modprobe sttcp";
  }
  if (!f.vermagic) {
    return head + "; no sttcp module is installed for kernel " + f.release +
           ": install one (make install-module, or dkms install sttcp), then modprobe sttcp";
  }
  // vermagic starts with the release the module was built for.
  std::string built = f.vermagic->substr(0, f.vermagic->find(' '));
  if (built != f.release) {
    return head + "; the installed module was built for kernel " + built + ", not the running " +
           f.release + ": rebuild it (dkms autoinstall, or make -C /lib/modules/" + f.release +
           "/build M=$PWD modules), then modprobe sttcp";
  }
  return head + "; load it: modprobe sttcp (or insmod sttcp.ko)";
}

ModuleFacts probeModule() {
  ModuleFacts f;
  std::error_code ec;
  f.loaded = std::filesystem::exists("/sys/module/sttcp", ec);
  utsname u{};
  if (::uname(&u) == 0) f.release = u.release;
  struct Closer {
    void operator()(std::FILE* p) const { ::pclose(p); }
  };
  std::unique_ptr<std::FILE, Closer> p(::popen("modinfo -F vermagic sttcp 2>/dev/null", "re"));
  if (p) {
    char buf[256];
    if (std::fgets(buf, sizeof(buf), p.get())) {
      std::string line(buf);
      while (!line.empty() && (line.back() == '\n' || line.back() == ' '))
        line.pop_back();
      if (!line.empty()) f.vermagic = line;
    }
  }
  return f;
}

NetlinkError moduleNotLoadedError() {
  return NetlinkError(moduleMissingMessage(probeModule()), ENOENT);
}

}  // namespace sttcp
