// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "report.h"

#include <gtest/gtest.h>

namespace sttcp::tools {
namespace {

TEST(Percentile, NearestRank) {
  std::vector<double> v = {5, 1, 4, 2, 3};
  EXPECT_EQ(percentile(v, 50), 3);
  EXPECT_EQ(percentile(v, 99), 5);
  EXPECT_EQ(percentile(v, 20), 1);
  EXPECT_EQ(percentile({}, 50), 0);
  EXPECT_EQ(percentile({7}, 99), 7);
}

TEST(ReportJson, ConnectionThatNeverConnected) {
  Timeline timeline("");
  std::vector<std::unique_ptr<ClientConn>> conns;
  ClientSpec spec;
  spec.bytes = 10;
  conns.push_back(std::make_unique<ClientConn>(0, spec, 0, timeline));
  conns[0]->timeout(5);
  EXPECT_EQ(reportJson(conns),
            R"({"conns":1,"ok":0,"failed":1,"bytes_verified":0,"stall_ms_p50":0.000,)"
            R"("stall_ms_p99":0.000,"connections":[{"i":0,"local":"?","tx":0,"rx":0,)"
            R"("verified":false,"error":"timeout while connecting [connecting, rx 0/10, tx 0/10]",)"
            R"("max_stall_ms":0.000,"rx_hash":"cbf29ce484222325","tx_hash":"cbf29ce484222325"}]})");
}

}  // namespace
}  // namespace sttcp::tools
