// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "notify.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "signals.h"

namespace sttcp {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class CapturingLogger : public Logger {
 public:
  void log(const std::string& message) override { lines.push_back(message); }
  std::vector<std::string> lines;
};

NotifyJob job(const std::string& event, const std::string& state, const std::string& epoch) {
  return NotifyJob{event, state, epoch, "10.0.0.100", std::nullopt};
}

struct Spawned {
  std::vector<std::string> argv;
  std::vector<std::string> env;
};

class NotifyQueueTest : public ::testing::Test {
 protected:
  CapturingLogger log_;
  std::vector<Spawned> spawned_;
  bool fail_next_ = false;
  NotifyQueue queue_{
      "/bin/hook", log_,
      [this](const std::vector<std::string>& argv, const std::vector<std::string>& env) -> pid_t {
        if (std::exchange(fail_next_, false)) throw std::runtime_error("fork: EAGAIN");
        spawned_.push_back({argv, env});
        return static_cast<pid_t>(1000 + spawned_.size());
      }};
};

TEST_F(NotifyQueueTest, RunsInOrderOneAtATime) {
  queue_.push(job("takeover", "backup", "2"));
  queue_.push(job("state", "active", "2"));
  queue_.push(job("peer_dead", "active", "2"));
  ASSERT_EQ(spawned_.size(), 1u);
  EXPECT_TRUE(queue_.running());
  EXPECT_EQ(queue_.queued(), 2u);
  EXPECT_FALSE(queue_.childExited(4242, 0));  // not ours: nothing starts
  EXPECT_EQ(spawned_.size(), 1u);
  EXPECT_TRUE(queue_.childExited(1001, 0));
  EXPECT_TRUE(queue_.childExited(1002, 0));
  EXPECT_TRUE(queue_.childExited(1003, 0));
  ASSERT_EQ(spawned_.size(), 3u);
  EXPECT_EQ(spawned_[0].argv[1], "takeover");
  EXPECT_EQ(spawned_[1].argv[1], "state");
  EXPECT_EQ(spawned_[2].argv[1], "peer_dead");
  EXPECT_FALSE(queue_.running());
  EXPECT_EQ(queue_.queued(), 0u);
}

TEST_F(NotifyQueueTest, ArgvAndEnvironment) {
  NotifyJob j = job("flow_unprotected", "active", "3");
  j.client = "192.168.1.2:40000";
  queue_.push(j);
  ASSERT_EQ(spawned_.size(), 1u);
  EXPECT_THAT(spawned_[0].argv,
              ElementsAre("/bin/hook", "flow_unprotected", "active", "3", "10.0.0.100"));
  EXPECT_THAT(spawned_[0].env,
              ElementsAre("STTCP_EVENT=flow_unprotected", "STTCP_STATE=active", "STTCP_EPOCH=3",
                          "STTCP_VIP=10.0.0.100", "STTCP_CLIENT=192.168.1.2:40000"));
  EXPECT_EQ(log_.lines.back(),
            "notify: /bin/hook flow_unprotected active 3 10.0.0.100 started (pid 1001)");
}

TEST_F(NotifyQueueTest, FailuresAreLoggedAndTheQueueGoesOn) {
  fail_next_ = true;
  queue_.push(job("state", "backup", "1"));  // cannot start
  EXPECT_EQ(log_.lines.back(),
            "notify: cannot run /bin/hook for state backup 1 10.0.0.100: fork: EAGAIN");
  EXPECT_FALSE(queue_.running());
  queue_.push(job("state", "active", "2"));
  queue_.push(job("peer_alive", "active", "2"));
  EXPECT_TRUE(queue_.childExited(1001, 3 << 8));  // exit status 3
  EXPECT_THAT(log_.lines, ::testing::Contains("notify: /bin/hook (pid 1001) exited with status 3"));
  EXPECT_TRUE(queue_.running());
  EXPECT_EQ(spawned_.size(), 2u);
}

TEST_F(NotifyQueueTest, AbnormalEndsAreLoggedWithTheirCause) {
  queue_.push(job("state", "active", "2"));
  queue_.push(job("state", "backup", "3"));
  EXPECT_TRUE(queue_.childExited(1001, SIGKILL));  // wait status of a child killed by SIGKILL
  EXPECT_THAT(log_.lines, ::testing::Contains("notify: /bin/hook (pid 1001) killed by signal 9"));
  EXPECT_TRUE(queue_.childExited(1002, 0x137f));  // neither exited nor killed (stopped)
  EXPECT_THAT(log_.lines,
              ::testing::Contains("notify: /bin/hook (pid 1002) ended (wait status 4991)"));
}

// The real fork/exec, with a script that records what it was given.
class SpawnTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/sttcp-notify-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    script_ = dir_ / "hook";
    out_ = dir_ / "out";
    std::ofstream(script_) << "#!/bin/sh\n"
                           << "echo \"$# $1 $2 $3 $4 $STTCP_EVENT $STTCP_STATE $STTCP_EPOCH "
                              "$STTCP_VIP $STTCP_KEEP\" > "
                           << out_ << "\n"
                           << "grep SigBlk /proc/self/status >> " << out_ << "\n";
    std::filesystem::permissions(script_, std::filesystem::perms::owner_all);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static int waitFor(pid_t pid) {
    int status = -1;
    EXPECT_EQ(::waitpid(pid, &status, 0), pid);
    return status;
  }
  std::string output() const {
    std::ifstream in(out_);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  std::filesystem::path dir_, script_, out_;
};

TEST_F(SpawnTest, PassesArgvAndEnvironmentWithAnEmptySignalMask) {
  ::setenv("STTCP_KEEP", "kept", 1);
  ::setenv("STTCP_STATE", "stale", 1);
  NotifyJob j{"state", "active", "2", "10.0.0.100", std::nullopt};
  pid_t pid;
  {
    SignalFd blocked({SIGTERM, SIGCHLD});  // as in the daemon
    pid = spawnProgram(notifyArgv(script_, j), notifyEnv(j));
  }
  int status = waitFor(pid);
  ::unsetenv("STTCP_KEEP");
  ::unsetenv("STTCP_STATE");
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(output(),
            "4 state active 2 10.0.0.100 state active 2 10.0.0.100 kept\n"
            "SigBlk:\t0000000000000000\n");
}

TEST_F(SpawnTest, AMissingProgramExits127) {
  pid_t pid = spawnProgram({(dir_ / "no-such-hook").string(), "state"}, {});
  int status = waitFor(pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 127);
}

TEST_F(SpawnTest, AMissingProgramIsNamedOnStderr) {
  const std::string program = (dir_ / "no-such-hook").string();
  // The child writes to the daemon's stderr (its log, or the journal): a file here.
  const std::filesystem::path err = dir_ / "stderr";
  int saved = ::dup(STDERR_FILENO);
  ASSERT_GE(saved, 0);
  int fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  ASSERT_GE(fd, 0);
  ::dup2(fd, STDERR_FILENO);
  ::close(fd);
  pid_t pid = spawnProgram({program, "state"}, {});
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  waitFor(pid);
  std::ifstream in(err);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "sttcpd: cannot run " + program + ": No such file or directory\n");
}

}  // namespace
}  // namespace sttcp
