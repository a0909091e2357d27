// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// Why the "sttcp" generic netlink family is missing, and what to do about it:
// not loaded, loaded but foreign, installed for another kernel, not installed.
#pragma once

#include <optional>
#include <string>

#include "netlink_client.h"

namespace sttcp {

struct ModuleFacts {
  bool loaded = false;                  // /sys/module/sttcp exists
  std::optional<std::string> vermagic;  // of the installed module (modinfo), if any
  std::string release;                  // uname -r
  friend bool operator==(const ModuleFacts&, const ModuleFacts&) = default;
};

// The message for a missing family, with a fix.
std::string moduleMissingMessage(const ModuleFacts& facts);

// Looks at /sys/module, `modinfo -F vermagic sttcp` and uname().
ModuleFacts probeModule();

// "sttcp kernel module is not loaded (...); load it: ..." with the reason
// and fix that probeModule() finds. Here, below both, because the request
// socket (GenlClient) and the event socket (EventSocket) throw it alike.
NetlinkError moduleNotLoadedError();

}  // namespace sttcp
