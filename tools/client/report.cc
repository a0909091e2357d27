// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "report.h"

#include <algorithm>
#include <cmath>

#include "json_writer.h"

namespace sttcp::tools {

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
  return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

std::string reportJson(const std::vector<std::unique_ptr<ClientConn>>& conns) {
  std::uint64_t ok = 0, verified_bytes = 0;
  std::vector<double> stalls;
  for (const auto& c : conns) {
    ok += c->ok();
    verified_bytes += c->verifiedBytes();
    stalls.push_back(c->maxStallMs());
  }
  JsonWriter w;
  w.beginObject();
  w.key("conns").u64(conns.size());
  w.key("ok").u64(ok);
  w.key("failed").u64(conns.size() - ok);
  w.key("bytes_verified").u64(verified_bytes);
  w.key("stall_ms_p50").num(percentile(stalls, 50));
  w.key("stall_ms_p99").num(percentile(stalls, 99));
  w.key("connections").beginArray();
  for (const auto& c : conns) {
    w.beginObject();
    w.key("i").u64(c->index());
    w.key("local").str(c->local());
    w.key("tx").u64(c->txBytes());
    w.key("rx").u64(c->rxBytes());
    w.key("verified").boolean(c->verified());
    w.key("error");
    if (c->error()) {
      w.str(*c->error());
    } else {
      w.null();
    }
    w.key("max_stall_ms").num(c->maxStallMs());
    w.key("rx_hash").str(c->rxHash());
    w.key("tx_hash").str(c->txHash());
    w.endObject();
  }
  w.endArray();
  w.endObject();
  return w.text();
}

}  // namespace sttcp::tools
