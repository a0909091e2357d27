// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// sttcpctl's output: one compact JSON document (-j) or aligned text per
// command, each ending with a newline. In the library, not in cli/, because
// sttcpd logs events in the same text form (eventText()).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "model.h"
#include "settings.h"

namespace sttcp {

void printConfig(std::ostream& out, const ConfigState& state, bool json);

// `sttcpctl show`: the configuration, the node's state, how its settings
// compare with the peer's, and warnings about the local set-up.
struct ShowReport {
  ConfigState config;
  std::optional<Status> status;  // when configured
  bool peer_settings_known = false;
  std::vector<SettingMismatch> mismatches;
  std::vector<std::string> warnings;
};
void printShow(std::ostream& out, const ShowReport& report, bool json);
// {"event":"settings_mismatch","breaks":B,"fields":[{"key":..,"here":..,"peer":..,
// "breaks":B,"why":..}]} or "settings_mismatch breaks=B tcp_sack: here 1, peer 0 (...); ..."
void printSettingsMismatch(std::ostream& out, const std::vector<SettingMismatch>& mismatches,
                           bool json);
void printStats(std::ostream& out, const Stats& stats, bool json);
void printFlows(std::ostream& out, const std::vector<Flow>& flows, bool json);
void printStatus(std::ostream& out, const Status& status, bool json);

// One event on one line: "state state=active epoch=2 vip=10.0.0.100"
// (fields the kernel sent, client=A:P for flow events), or with `json` one
// compact object {"event":"state","state":"active","epoch":2,"vip":"10.0.0.100"}.
// With its arrival time first, if known (text: UTC, ISO 8601 to the millisecond; -j: "time").
void printEvent(std::ostream& out, const Event& event, bool json);
// "2026-12-07T23:48:33.123Z"
std::string isoTime(std::chrono::system_clock::time_point t);
// The text form of printEvent(), without the newline.
std::string eventText(const Event& event);

}  // namespace sttcp
