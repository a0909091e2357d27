// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// What sttcpctl's command line and sttcpd's options and configuration file
// share: the usage error, the value parsers and the VIP device's name. It
// lives below both so that neither front end includes the other.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "model.h"

namespace sttcp {

// The dummy device that holds the VIP on every node (the backup's stack
// needs the VIP locally; the kernel injects mirrored segments on it).
inline constexpr const char* kVipDevice = "sttcp0";

// A command line that cannot be run; what() says why, for the user.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Value parsers; they throw UsageError. `context` starts every message
// ("set: " for sttcpctl set, "" for sttcpd); `key` names the value ("vip",
// "--vip").
std::vector<std::uint16_t> parsePortList(std::string_view context, const std::string& text);
Ipv4 parseAddress(std::string_view context, const std::string& key, const std::string& text);
// A:B:C:D[:PORT], PORT defaulting to STTCP_DEFAULT_SYNC_PORT.
Endpoint parseSyncEndpoint(std::string_view context, const std::string& key,
                           const std::string& text);
std::uint32_t parseU32(std::string_view context, const std::string& key, const std::string& text,
                       std::uint32_t min);

}  // namespace sttcp
