// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// sttcp-client's stdout: one JSON object summing up every connection.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "client_conn.h"

namespace sttcp::tools {

// Nearest-rank percentile (p in (0, 100]) of `values`; 0 when empty.
double percentile(std::vector<double> values, double p);

std::string reportJson(const std::vector<std::unique_ptr<ClientConn>>& conns);

}  // namespace sttcp::tools
