// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// sttcpctl's output: one compact JSON document (-j) or aligned text per
// command, each ending with a newline.
#pragma once

#include <ostream>
#include <vector>

#include "model.h"

namespace sttcp {

void printConfig(std::ostream& out, const ConfigState& state, bool json);
void printStats(std::ostream& out, const Stats& stats, bool json);
void printFlows(std::ostream& out, const std::vector<Flow>& flows, bool json);

}  // namespace sttcp
