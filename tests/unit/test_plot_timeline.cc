// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// tools/plot_timeline.py on synthetic --timeline CSVs: a PNG comes out, the
// stall figures are the ones built into the data, bad CSVs fail cleanly.
// Plotting needs python3-matplotlib for the script's interpreter (its #!
// line); without it those tests skip.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;

namespace {

struct Result {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string tempPath(const char* tag) {
  std::string path = std::string("/tmp/sttcp-plot-") + tag + "-XXXXXX";
  int fd = mkstemp(path.data());
  EXPECT_GE(fd, 0);
  close(fd);
  return path;
}

// Runs argv with stdout and stderr in files (no pipe to deadlock on).
Result run(const std::vector<std::string>& args) {
  const std::string out = tempPath("out"), err = tempPath("err");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(), O_WRONLY | O_TRUNC, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(), O_WRONLY | O_TRUNC, 0);
  std::vector<char*> argv;
  for (const auto& a : args)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  Result r;
  pid_t pid;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) == 0) {
    int status = 0;
    waitpid(pid, &status, 0);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  posix_spawn_file_actions_destroy(&actions);
  r.out = slurp(out);
  r.err = slurp(err);
  unlink(out.c_str());
  unlink(err.c_str());
  return r;
}

// The interpreter named by the script's #! line.
std::string interpreter() {
  std::ifstream in(STTCP_PLOT_TIMELINE);
  std::string line;
  std::getline(in, line);
  return line.rfind("#!", 0) == 0 ? line.substr(2) : "";
}

bool havePython() {
  std::string python = interpreter();
  return !python.empty() && access(python.c_str(), X_OK) == 0;
}

bool haveMatplotlib() {
  static const bool have = [] {
    return havePython() && run({interpreter(), "-c", "import matplotlib"}).exit_code == 0;
  }();
  return have;
}

class PlotTimeline : public ::testing::Test {
 protected:
  void SetUp() override {
    csv_ = tempPath("csv");
    png_ = tempPath("png");
    unlink(png_.c_str());
  }
  void TearDown() override {
    unlink(csv_.c_str());
    unlink(png_.c_str());
  }
  void writeCsv(const std::string& text) { std::ofstream(csv_) << text; }
  Result plot(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {STTCP_PLOT_TIMELINE, csv_, "--out", png_};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args);
  }
  std::string csv_, png_;
};

// 50 connections x 2000 samples, one every 10 ms; connection c receives
// nothing in [5000, 5500 + 10c) ms, so its longest gap is 510 + 10c ms.
std::string failoverCsv() {
  std::string text = "conn,t_ms,rx_bytes,tx_bytes\n";
  char line[96];
  for (int k = 0; k < 2000; ++k) {
    const double t = 10.0 * k + 0.5;
    for (int c = 0; c < 50; ++c) {
      if (t >= 5000 && t < 5500 + 10 * c) continue;
      const unsigned long long rx = 65536ull * k;
      std::snprintf(line, sizeof(line), "%d,%.3f,%llu,%llu\n", c, t, rx, rx);
      text += line;
    }
  }
  return text;
}

TEST_F(PlotTimeline, WritesPngAndStallsAroundTheEvent) {
  if (!haveMatplotlib()) GTEST_SKIP() << interpreter() << " cannot import matplotlib";
  writeCsv(failoverCsv());
  Result r = plot({"--title", "synthetic failover", "--event", "5000:primary killed", "--event",
                   "5400:backup took over"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string png = slurp(png_);
  ASSERT_GE(png.size(), 8u);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_NE(r.out.find("conn 0: samples=1950 rx_bytes=131006464 max_stall_ms=510.000 "
                       "from_ms=4990.500 to_ms=5500.500\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("conn 49: samples=1901 rx_bytes=131006464 max_stall_ms=1000.000 "
                       "from_ms=4990.500 to_ms=5990.500\n"),
            std::string::npos)
      << r.out;
  // Nearest rank: p50 is the 25th of 510, 520, ..., 1000.
  EXPECT_NE(r.out.find("stall_ms conns=50 p50=750.000 p99=1000.000 max=1000.000 "
                       "window_ms=0.000..10400.000\n"),
            std::string::npos)
      << r.out;
}

TEST_F(PlotTimeline, GapsOutsideTheWindowDoNotCount) {
  if (!haveMatplotlib()) GTEST_SKIP() << interpreter() << " cannot import matplotlib";
  // conn 0's gaps: 100, 900, 300, 3700, 100 ms; conn 1 stops at 200 and
  // never receives everything: its stall runs to its last sample.
  writeCsv(
      "conn,t_ms,rx_bytes,tx_bytes\n"
      "0,0,0,0\n1,0,0,0\n0,100,10,10\n1,100,5,5\n0,1000,20,20\n1,200,6,6\n0,1300,30,30\n"
      "0,5000,40,40\n0,5100,50,50\n1,6000,6,10\n");
  Result r = plot({"--event", "5050:kill", "--window", "500"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("conn 0: samples=6 rx_bytes=50 max_stall_ms=3700.000 from_ms=1300.000 "
                       "to_ms=5000.000\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("conn 1: samples=4 rx_bytes=6 max_stall_ms=5800.000 from_ms=200.000 "
                       "to_ms=6000.000 incomplete\n"),
            std::string::npos)
      << r.out;
  r = plot({"--event", "500:early", "--window", "100"});  // only the 100..1000 gap is near
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("conn 0: samples=6 rx_bytes=50 max_stall_ms=900.000 from_ms=100.000 "
                       "to_ms=1000.000\n"),
            std::string::npos)
      << r.out;
}

TEST_F(PlotTimeline, BadCsvFailsWithAMessage) {
  if (!havePython()) GTEST_SKIP() << "no " << interpreter();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "empty file"},
      {"conn,t_ms,rx_bytes,tx_bytes\n", "no samples"},
      {"a,b,c\n0,1,2\n", "header is 'a,b,c'"},
      {"conn,t_ms,rx_bytes,tx_bytes\n0,1.5,10,10\n0,2.5,ten,10\n", ":3: not numbers"},
      {"conn,t_ms,rx_bytes,tx_bytes\n0,1.5,10\n", ":2: 3 fields, want 4"},
  };
  for (const auto& [text, message] : cases) {
    writeCsv(text);
    Result r = plot();
    EXPECT_EQ(r.exit_code, 1) << text;
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
    EXPECT_NE(access(png_.c_str(), F_OK), 0) << "no PNG from a bad CSV";
  }
  unlink(csv_.c_str());
  Result r = plot();
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot open"), std::string::npos) << r.err;
}

TEST_F(PlotTimeline, BadEventIsAUsageError) {
  if (!havePython()) GTEST_SKIP() << "no " << interpreter();
  writeCsv("conn,t_ms,rx_bytes,tx_bytes\n0,1,1,1\n");
  Result r = plot({"--event", "soon:kill"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("want T_MS:LABEL"), std::string::npos) << r.err;
}

}  // namespace
