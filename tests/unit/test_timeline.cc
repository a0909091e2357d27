// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "timeline.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace sttcp::tools {
namespace {

TEST(SampleClock, FirstSampleIsAlwaysDue) {
  EXPECT_TRUE(SampleClock().due(0, 0, 0));
}

TEST(SampleClock, DueAfterTenMillisecondsOfActivity) {
  SampleClock c;
  c.taken(0, 0, 0);
  EXPECT_FALSE(c.due(5, 100, 0));
  EXPECT_TRUE(c.due(10, 100, 0));
  EXPECT_FALSE(c.due(50, 0, 0));  // no progress, no sample
}

TEST(SampleClock, DueAtEvery256KiBBoundary) {
  SampleClock c;
  c.taken(0, 256 * 1024 - 1, 0);
  EXPECT_TRUE(c.due(1, 256 * 1024, 0));
  c.taken(1, 256 * 1024, 0);
  EXPECT_FALSE(c.due(2, 300 * 1024, 0));
  EXPECT_TRUE(c.due(2, 300 * 1024, 512 * 1024));
}

TEST(Timeline, WritesCsvWithHeader) {
  char path[] = "/tmp/sttcp-timeline-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  {
    Timeline t(path);
    t.record(3, 12.5, 100, 200);
    t.record(0, 0.0004, 0, 0);
  }
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  unlink(path);
  EXPECT_EQ(text.str(), "conn,t_ms,rx_bytes,tx_bytes\n3,12.500,100,200\n0,0.000,0,0\n");
}

TEST(Timeline, EmptyPathWritesNothing) {
  Timeline t("");
  t.record(0, 1, 2, 3);  // must not crash
}

}  // namespace
}  // namespace sttcp::tools
