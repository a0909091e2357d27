// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "parse.h"

#include <linux/sttcp.h>

#include <algorithm>

namespace sttcp {

std::vector<std::uint16_t> parsePortList(std::string_view context, const std::string& text) {
  const std::string ctx(context);
  std::vector<std::uint16_t> ports;
  std::string_view rest = text;
  while (true) {
    auto comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    auto port = parseUnsigned(item, 1, 65535);
    if (!port) {
      throw UsageError(ctx + "invalid port '" + std::string(item) + "' (expected 1-65535)");
    }
    if (std::find(ports.begin(), ports.end(), *port) != ports.end()) {
      throw UsageError(ctx + "port " + std::to_string(*port) + " listed twice");
    }
    ports.push_back(static_cast<std::uint16_t>(*port));
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  if (ports.size() > STTCP_MAX_PORTS) {
    throw UsageError(ctx + "too many ports (at most " + std::to_string(STTCP_MAX_PORTS) + ")");
  }
  return ports;
}

Ipv4 parseAddress(std::string_view context, const std::string& key, const std::string& text) {
  auto addr = Ipv4::parse(text);
  if (!addr || addr->value == 0) {
    throw UsageError(std::string(context) + "invalid " + key + " address '" + text +
                     "' (expected A.B.C.D)");
  }
  return *addr;
}

Endpoint parseSyncEndpoint(std::string_view context, const std::string& key,
                           const std::string& text) {
  auto ep = Endpoint::parse(text, STTCP_DEFAULT_SYNC_PORT);
  if (!ep || ep->addr.value == 0) {
    throw UsageError(std::string(context) + "invalid " + key + " '" + text +
                     "' (expected A.B.C.D[:PORT])");
  }
  return *ep;
}

std::uint32_t parseU32(std::string_view context, const std::string& key, const std::string& text,
                       std::uint32_t min) {
  auto value = parseUnsigned(text, min, UINT32_MAX);
  if (!value) {
    throw UsageError(std::string(context) + "invalid " + key + " '" + text + "' (expected " +
                     std::to_string(min) + "-" + std::to_string(UINT32_MAX) + ")");
  }
  return static_cast<std::uint32_t>(*value);
}

}  // namespace sttcp
