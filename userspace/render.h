// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// sttcpctl's output: one compact JSON document (-j) or aligned text per
// command, each ending with a newline.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "model.h"

namespace sttcp {

void printConfig(std::ostream& out, const ConfigState& state, bool json);
void printStats(std::ostream& out, const Stats& stats, bool json);
void printFlows(std::ostream& out, const std::vector<Flow>& flows, bool json);
void printStatus(std::ostream& out, const Status& status, bool json);

// One event on one line: "state state=active epoch=2 vip=10.0.0.100"
// (fields the kernel sent, client=A:P for flow events), or with `json` one
// compact object {"event":"state","state":"active","epoch":2,"vip":"10.0.0.100"}.
void printEvent(std::ostream& out, const Event& event, bool json);
// The text form of printEvent(), without the newline.
std::string eventText(const Event& event);

}  // namespace sttcp
