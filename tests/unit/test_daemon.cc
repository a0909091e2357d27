// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// sttcpd's reaction logic against fakes that record every call in one list,
// so that the order across the kernel, the address and the GARP is checked.
#include "daemon.h"
#include "machine.h"
#include "version.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <stdexcept>

#include "fake_netlink.h"

namespace sttcp {
namespace {

using ::testing::ElementsAre;
using testing::FakeClient;
using testing::FakeState;
using ::testing::HasSubstr;
using testing::stateEvent;

class FakeVip : public VipManager {
 public:
  explicit FakeVip(std::vector<std::string>& calls) : calls_(calls) {}
  void prepare() override { calls_.push_back("prepare"); }
  bool addVip() override {
    calls_.push_back("addVip");
    if (fail_add) throw std::runtime_error(*fail_add);
    return !std::exchange(present, true);
  }
  bool removeVip() override {
    calls_.push_back("removeVip");
    if (fail_remove) throw std::runtime_error(*fail_remove);
    return std::exchange(present, false);
  }
  bool present = false;
  std::optional<std::string> fail_add;
  std::optional<std::string> fail_remove;

 private:
  std::vector<std::string>& calls_;
};

class FakeGarp : public GarpSender {
 public:
  explicit FakeGarp(std::vector<std::string>& calls) : calls_(calls) {}
  void send() override {
    calls_.push_back("garp");
    if (on_send) on_send();
    if (fail) throw std::runtime_error("network is down");
  }
  bool fail = false;
  std::function<void()> on_send;

 private:
  std::vector<std::string>& calls_;
};

class FakeTimer : public Timer {
 public:
  explicit FakeTimer(std::vector<std::string>& calls) : calls_(calls) {}
  void start(std::chrono::milliseconds period) override {
    calls_.push_back("timer.start " + std::to_string(period.count()));
    running = true;
  }
  void stop() override {
    calls_.push_back("timer.stop");
    running = false;
  }
  bool running = false;

 private:
  std::vector<std::string>& calls_;
};

class CapturingLogger : public Logger {
 public:
  void log(const std::string& message) override { lines.push_back(message); }
  std::vector<std::string> lines;
};

DaemonOptions sampleOptions() {
  DaemonOptions o;
  o.service.role = Role::kPrimary;
  o.service.vip = *Ipv4::parse("10.0.0.100");
  o.service.ports = {5000};
  o.service.local = *Endpoint::parse("192.168.0.1", 7400);
  o.service.peer = *Endpoint::parse("192.168.0.2", 7400);
  o.dev = "eth0";
  return o;
}

class ControllerTest : public ::testing::Test {
 protected:
  // Builds the controller (after the test adjusted options_) and starts it.
  void start(NodeState initial = NodeState::kBackup, std::uint32_t epoch = 1) {
    state_.status.state = initial;
    state_.status.epoch = epoch;
    controller_.emplace(
        options_, DaemonDeps{client_, vip_, garp_, timer_, log_, with_notify_ ? &notify_ : nullptr,
                             [this](const std::string& path) {
                               auto it = proc_.find(path);
                               return it == proc_.end() ? std::nullopt : std::optional(it->second);
                             },
                             [this](std::chrono::milliseconds d) { paused_.push_back(d); }});
    controller_->start();
  }
  // Calls recorded from now on.
  void forget() { state_.calls.clear(); }
  // The "kernel" sends events; the loop finds the socket readable.
  void deliver(std::vector<Event> events) {
    for (Event& e : events)
      state_.events->push(std::move(e));
    controller_->onEventsReadable();
  }
  void fireTimer(int times) {
    for (int i = 0; i < times; ++i)
      controller_->onGarpTimer();
  }

  DaemonOptions options_ = sampleOptions();
  FakeState state_;
  FakeClient client_{state_};
  FakeVip vip_{state_.calls};
  FakeGarp garp_{state_.calls};
  FakeTimer timer_{state_.calls};
  CapturingLogger log_;
  bool with_notify_ = false;
  std::vector<std::chrono::milliseconds> paused_;
  std::vector<std::vector<std::string>> spawned_;  // argv of each notify run
  pid_t next_pid_ = 100;
  NotifyQueue notify_{
      "/bin/hook", log_,
      [this](const std::vector<std::string>& argv, const std::vector<std::string>&) {
        spawned_.push_back(argv);
        return next_pid_++;
      }};
  std::map<std::string, std::string> proc_ = {{"/proc/sys/net/ipv4/tcp_sack", "1"},
                                              {"/proc/sys/net/sttcp/hb_interval_ms", "50"},
                                              {"/sys/class/net/eth0/mtu", "1500"}};
  std::optional<Controller> controller_;
};

TEST_F(ControllerTest, StartupPreparesConfiguresSubscribesThenReadsTheStatus) {
  start(NodeState::kBackup);
  EXPECT_THAT(state_.calls,
              ElementsAre("prepare", "setConfig", "subscribe", "getStatus", "removeVip"));
  ASSERT_TRUE(state_.set_config && state_.set_config->settings);
  // The node settings go to the kernel with the service.
  EXPECT_EQ(*state_.set_config->settings,
            "dev=eth0\ngating=hold\nhb_interval_ms=50\nmtu=1500\nports=5000\ntcp_sack=1\nv=1\n"
            "vip=10.0.0.100\n");
  Config sent = *state_.set_config;
  sent.settings.reset();
  EXPECT_EQ(sent, options_.service);
  EXPECT_EQ(controller_->state(), NodeState::kBackup);
}

TEST_F(ControllerTest, PeerSettingsThatBreakLockstepAreLoggedOnceFixedOnce) {
  start(NodeState::kBackup);
  state_.status.settings = "tcp_sack=1\nmtu=1500\n";
  state_.status.peer_settings = "tcp_sack=0\nmtu=1500\n";
  Event e;
  e.type = EventType::kPeerSettings;
  deliver({e, e});
  const std::string want =
      "settings mismatch with the peer breaks lockstep: tcp_sack: here 1, peer 0 (SACK on one node "
      "only: every new flow is unprotected (opt_mismatch)); fix the node that is wrong (sttcpctl "
      "show lists both)";
  EXPECT_EQ(std::count(log_.lines.begin(), log_.lines.end(), want), 1);
  state_.status.peer_settings = "tcp_sack=1\nmtu=9000\n";
  deliver({e});
  EXPECT_THAT(log_.lines.back(),
              ::testing::StartsWith("settings differ from the peer's: mtu: here 1500, peer 9000"));
  state_.status.peer_settings = "tcp_sack=1\nmtu=1500\n";
  deliver({e});
  EXPECT_EQ(log_.lines.back(), "settings agree with the peer's");
}

TEST_F(ControllerTest, ReloadAppliesTimersAndHooksInPlace) {
  start(NodeState::kActive, 2);
  forget();
  DaemonOptions next = options_;
  next.service.hb_interval_ms = 100;
  next.notify = {"/bin/a", "/bin/b"};
  EXPECT_TRUE(controller_->reload(next));
  EXPECT_THAT(state_.calls, ElementsAre("updateConfig", "getStatus"));
  EXPECT_EQ(state_.set_config->hb_interval_ms, 100u);
  EXPECT_THAT(log_.lines, ::testing::Contains("reloaded: hb-interval-ms: (none) -> 100; notify: "
                                              "(none) -> /bin/a,/bin/b; flows kept"));
  EXPECT_EQ(controller_->options().notify, next.notify);
}

TEST_F(ControllerTest, ReloadThatWouldReleaseFlowsIsRefused) {
  start(NodeState::kActive, 2);
  forget();
  DaemonOptions next = options_;
  next.service.vip = *Ipv4::parse("10.0.0.101");
  next.service.ports = {5000, 5001};
  EXPECT_FALSE(controller_->reload(next));
  EXPECT_TRUE(state_.calls.empty());
  EXPECT_EQ(log_.lines.back(),
            "reload refused: vip: 10.0.0.100 -> 10.0.0.101; ports: 5000 -> 5000,5001 (cannot "
            "change without releasing the protected flows: restart sttcpd to apply); the running "
            "configuration and every flow are kept");
  EXPECT_EQ(controller_->options(), options_);
}

TEST_F(ControllerTest, ReloadRefusedByTheKernelKeepsTheRunningOptions) {
  start(NodeState::kActive, 2);
  DaemonOptions next = options_;
  next.garp_count = 1;
  state_.fail = NetlinkError("update config: update: not configured (Invalid argument)", EINVAL);
  EXPECT_FALSE(controller_->reload(next));
  EXPECT_EQ(log_.lines.back(),
            "reload failed: update config: update: not configured (Invalid argument); the "
            "running configuration is kept");
  EXPECT_EQ(controller_->options().garp_count, 5u);
}

TEST_F(ControllerTest, LeaveHandsOverFirstWhenAskedTo) {
  options_.handover_on_exit = true;
  start(NodeState::kActive, 2);
  state_.status.peer_state = PeerState::kAlive;
  state_.on_switchover = {stateEvent(NodeState::kBackup, 3)};
  forget();
  controller_->leave("SIGTERM");
  // The state event on the way is handled as usual (the VIP goes at once).
  EXPECT_THAT(state_.calls, ElementsAre("getStatus", "switchover", "timer.stop", "removeVip",
                                        "removeVip", "delConfig"));
  EXPECT_THAT(log_.lines, ::testing::Contains("handover on exit: complete, now backup (epoch 3)"));
  // Configured as backup until the clients' ARP caches follow the new primary (5 x 200 ms GARP
  // plus the neighbour locktime): late segments are forwarded, not answered with a RST.
  EXPECT_THAT(log_.lines, ::testing::Contains("handover on exit: forwarding late client segments "
                                              "to the new primary for 2000 ms"));
  EXPECT_THAT(paused_, ElementsAre(std::chrono::milliseconds(2000)));
}

TEST_F(ControllerTest, LeaveWithoutLiveBackupOrWhenTheSwitchoverFails) {
  options_.handover_on_exit = true;
  start(NodeState::kActive, 2);
  state_.status.peer_state = PeerState::kDead;
  controller_->leave("SIGTERM");
  EXPECT_THAT(log_.lines, ::testing::Contains("handover on exit: no live backup (peer dead); "
                                              "leaving without handover"));

  start(NodeState::kActive, 2);
  state_.status.peer_state = PeerState::kAlive;
  state_.status.hb_interval_ms = 1;
  state_.status.hb_dead_count = 2;
  Event failed;
  failed.type = EventType::kSwitchoverFailed;
  state_.on_switchover = {failed};
  controller_->leave("SIGTERM");
  EXPECT_THAT(log_.lines, ::testing::Contains("handover on exit: switchover failed: the backup "
                                              "did not take over in time; this node is active "
                                              "again"));
}

TEST_F(ControllerTest, StartupWithStatusActiveOwnsTheVipWithoutAnEvent) {
  start(NodeState::kActive, 2);
  EXPECT_THAT(state_.calls, ElementsAre("prepare", "setConfig", "subscribe", "getStatus", "addVip",
                                        "garp", "vipAnnounced", "timer.start 200"));
  EXPECT_TRUE(vip_.present);
  EXPECT_THAT(log_.lines.back(),
              "status active epoch 2: VIP 10.0.0.100/32 added to eth0; 5 gratuitous ARPs");
}

TEST_F(ControllerTest, ActiveAddsTheVipThenSendsGarpCountTimesOnTheTimer) {
  start(NodeState::kBackup);
  forget();
  deliver({stateEvent(NodeState::kActive, 2)});
  EXPECT_THAT(state_.calls, ElementsAre("addVip", "garp", "vipAnnounced", "timer.start 200"));
  EXPECT_EQ(controller_->garpsPending(), 4u);
  fireTimer(4);
  EXPECT_THAT(state_.calls, ElementsAre("addVip", "garp", "vipAnnounced", "timer.start 200", "garp",
                                        "garp", "garp", "garp", "timer.stop"));
  EXPECT_FALSE(timer_.running);
  EXPECT_EQ(controller_->garpsPending(), 0u);
  EXPECT_THAT(log_.lines, ::testing::Contains("state active epoch 2: VIP 10.0.0.100/32 added to "
                                              "eth0; 5 gratuitous ARPs"));
}

TEST_F(ControllerTest, GarpCountAndIntervalFromTheOptions) {
  options_.garp_count = 2;
  options_.garp_interval_ms = 50;
  start(NodeState::kActive, 2);
  forget();
  fireTimer(2);  // a late expiry after the burst only stops the timer
  EXPECT_THAT(state_.calls, ElementsAre("garp", "timer.stop", "timer.stop"));
}

TEST_F(ControllerTest, SingleGarpNeedsNoTimer) {
  options_.garp_count = 1;
  start(NodeState::kActive, 2);
  EXPECT_THAT(state_.calls, ElementsAre("prepare", "setConfig", "subscribe", "getStatus", "addVip",
                                        "garp", "vipAnnounced"));
  EXPECT_THAT(log_.lines.back(), HasSubstr("; 1 gratuitous ARP"));
}

TEST_F(ControllerTest, NoGarpWithCountZero) {
  options_.garp_count = 0;
  start(NodeState::kActive, 2);
  EXPECT_THAT(state_.calls,
              ElementsAre("prepare", "setConfig", "subscribe", "getStatus", "addVip"));
  EXPECT_THAT(log_.lines.back(), HasSubstr("no gratuitous ARP (--garp-count 0)"));
}

TEST_F(ControllerTest, EveryOtherStateRemovesTheVip) {
  for (NodeState s : {NodeState::kBackup, NodeState::kStarting, NodeState::kHandover,
                      NodeState::kNone, static_cast<NodeState>(9)}) {
    start(NodeState::kActive, 1);
    forget();
    deliver({stateEvent(s, 2)});
    EXPECT_THAT(state_.calls, ElementsAre("timer.stop", "removeVip")) << nodeStateName(s);
    EXPECT_FALSE(vip_.present);
    EXPECT_EQ(controller_->state(), s);
    EXPECT_EQ(log_.lines.back(),
              "state " + nodeStateName(s) + " epoch 2: VIP 10.0.0.100/32 removed from eth0");
  }
}

TEST_F(ControllerTest, LeavingActiveMidBurstStopsTheGarps) {
  start(NodeState::kActive, 2);
  fireTimer(1);
  forget();
  deliver({stateEvent(NodeState::kHandover, 2)});
  fireTimer(2);
  EXPECT_THAT(state_.calls, ElementsAre("timer.stop", "removeVip", "timer.stop", "timer.stop"));
}

TEST_F(ControllerTest, ActiveAgainWithTheVipInPlaceDoesNotReannounce) {
  start(NodeState::kActive, 2);
  fireTimer(4);
  forget();
  deliver({stateEvent(NodeState::kActive, 2)});
  EXPECT_THAT(state_.calls, ElementsAre("addVip"));
  EXPECT_EQ(log_.lines.back(), "state active epoch 2: VIP 10.0.0.100/32 already on eth0");
}

TEST_F(ControllerTest, AVipAddedBySomeoneElseIsStillAnnounced) {
  vip_.present = true;
  start(NodeState::kBackup);  // removes it
  vip_.present = true;        // an operator put it back
  forget();
  deliver({stateEvent(NodeState::kActive, 3)});
  EXPECT_THAT(state_.calls, ElementsAre("addVip", "garp", "vipAnnounced", "timer.start 200"));
  EXPECT_EQ(log_.lines.back(),
            "state active epoch 3: VIP 10.0.0.100/32 already on eth0; 5 gratuitous ARPs");
}

TEST_F(ControllerTest, AFailedAddIsLoggedAndRetriedOnTheNextStatus) {
  vip_.fail_add = "permission denied: CAP_NET_ADMIN is required";
  start(NodeState::kActive, 2);
  EXPECT_EQ(controller_->state(), std::nullopt);
  EXPECT_EQ(log_.lines.back(),
            "status active epoch 2: cannot add VIP 10.0.0.100/32 to eth0: permission denied: "
            "CAP_NET_ADMIN is required");
  vip_.fail_add.reset();
  forget();
  state_.events->overrun();  // events lost: the controller reads the status again
  controller_->onEventsReadable();
  EXPECT_THAT(state_.calls,
              ElementsAre("getStatus", "addVip", "garp", "vipAnnounced", "timer.start 200"));
  EXPECT_EQ(controller_->state(), NodeState::kActive);
}

TEST_F(ControllerTest, LostEventsAreRecoveredFromTheStatus) {
  start(NodeState::kBackup);
  forget();
  state_.status.state = NodeState::kActive;
  state_.status.epoch = 4;
  state_.events->overrun();
  controller_->onEventsReadable();
  EXPECT_THAT(state_.calls,
              ElementsAre("getStatus", "addVip", "garp", "vipAnnounced", "timer.start 200"));
  EXPECT_THAT(log_.lines.back(), HasSubstr("events lost, status active epoch 4: VIP"));
}

TEST_F(ControllerTest, MalformedEventsAreCountedThenTheStatusIsRead) {
  start(NodeState::kBackup);
  forget();
  state_.events->malformed(3);
  controller_->onEventsReadable();
  EXPECT_THAT(state_.calls, ElementsAre("getStatus", "removeVip"));
  EXPECT_THAT(log_.lines, ::testing::Contains("3 malformed event(s) skipped"));
}

TEST_F(ControllerTest, AStatusThatCannotBeReadIsLogged) {
  start(NodeState::kBackup);
  state_.fail_calls.emplace("getStatus",
                            NetlinkError("get status: No such file or directory", ENOENT));
  state_.events->overrun();
  controller_->onEventsReadable();
  EXPECT_EQ(log_.lines.back(), "cannot read the status: get status: No such file or directory");
  Event settings;
  settings.type = EventType::kPeerSettings;
  deliver({settings});
  EXPECT_EQ(log_.lines.back(),
            "cannot read the peer's settings: get status: No such file or directory");
  EXPECT_EQ(controller_->state(), NodeState::kBackup);
}

TEST_F(ControllerTest, AFailedRemoveIsLoggedAndShutdownGoesOn) {
  start(NodeState::kActive, 2);
  vip_.fail_remove = "Operation not permitted";
  deliver({stateEvent(NodeState::kBackup, 3)});
  EXPECT_EQ(log_.lines.back(),
            "state backup epoch 3: cannot remove VIP 10.0.0.100/32 from eth0: Operation not "
            "permitted");
  EXPECT_EQ(controller_->state(), NodeState::kBackup);
  state_.fail_calls.emplace(
      "delConfig", NetlinkError("del config: permission denied: CAP_NET_ADMIN is required", EPERM));
  forget();
  controller_->shutdown("SIGTERM");
  EXPECT_THAT(state_.calls, ElementsAre("removeVip", "delConfig"));
  EXPECT_THAT(log_.lines,
              ::testing::IsSupersetOf(
                  {"SIGTERM: cannot remove VIP 10.0.0.100/32 from eth0: Operation not permitted",
                   "SIGTERM: cannot delete the configuration: del config: permission denied: "
                   "CAP_NET_ADMIN is required"}));
}

TEST_F(ControllerTest, GarpFailuresAreLoggedAndTheBurstGoesOn) {
  garp_.fail = true;
  start(NodeState::kActive, 2);
  fireTimer(4);
  EXPECT_EQ(std::count(state_.calls.begin(), state_.calls.end(), "garp"), 5);
  EXPECT_THAT(log_.lines,
              ::testing::Contains("gratuitous ARP 5/5 on eth0 failed: network is down"));
}

TEST_F(ControllerTest, OtherEventsAreLoggedWithoutTouchingTheVip) {
  start(NodeState::kActive, 2);
  fireTimer(4);
  forget();
  Event dead;
  dead.type = EventType::kPeerDead;
  dead.state = NodeState::kActive;
  dead.epoch = 2;
  deliver({dead});
  EXPECT_TRUE(state_.calls.empty());
  EXPECT_EQ(log_.lines.back(), "event peer_dead state=active epoch=2");
}

TEST_F(ControllerTest, SwitchoverFailedReadsTheStatusAndOwnsTheVipAgain) {
  start(NodeState::kActive, 2);
  fireTimer(4);
  deliver({stateEvent(NodeState::kHandover, 2)});
  forget();
  Event failed;
  failed.type = EventType::kSwitchoverFailed;
  failed.state = NodeState::kActive;
  failed.epoch = 2;
  deliver({failed});
  EXPECT_THAT(state_.calls,
              ElementsAre("getStatus", "addVip", "garp", "vipAnnounced", "timer.start 200"));
}

TEST_F(ControllerTest, HandoverSequenceOnTheOldPrimary) {
  start(NodeState::kActive, 2);
  fireTimer(4);
  forget();
  deliver({stateEvent(NodeState::kHandover, 2), stateEvent(NodeState::kBackup, 3)});
  EXPECT_THAT(state_.calls, ElementsAre("removeVip", "removeVip"));
  EXPECT_THAT(log_.lines.back(), "state backup epoch 3: VIP 10.0.0.100/32 not on eth0");
}

TEST_F(ControllerTest, ShutdownRemovesTheVipThenDeletesTheConfig) {
  start(NodeState::kActive, 2);
  forget();
  controller_->shutdown("SIGTERM");
  EXPECT_THAT(state_.calls, ElementsAre("timer.stop", "removeVip", "delConfig"));
  EXPECT_THAT(log_.lines, ElementsAre(HasSubstr("node prepared"), HasSubstr("configured"),
                                      HasSubstr("subscribed"), HasSubstr("status active"),
                                      "SIGTERM: VIP 10.0.0.100/32 removed from eth0",
                                      "SIGTERM: configuration deleted"));
}

TEST_F(ControllerTest, ShutdownBeforeConfiguringLeavesTheKernelAlone) {
  state_.fail = NetlinkError("sttcp kernel module is not loaded", ENOENT);
  controller_.emplace(options_, DaemonDeps{client_, vip_, garp_, timer_, log_, nullptr});
  EXPECT_THROW(controller_->start(), NetlinkError);
  state_.fail.reset();
  forget();
  controller_->shutdown("startup failed");
  EXPECT_THAT(state_.calls, ElementsAre("removeVip"));
}

TEST_F(ControllerTest, NotifyRunsPerEventInOrderOneAtATime) {
  with_notify_ = true;
  start(NodeState::kBackup, 1);
  Event takeover;
  takeover.type = EventType::kTakeover;
  takeover.state = NodeState::kBackup;
  takeover.epoch = 2;
  deliver({takeover, stateEvent(NodeState::kActive, 2)});
  // Only the first run started; the event path did not wait for it.
  ASSERT_EQ(spawned_.size(), 1u);
  EXPECT_THAT(spawned_[0], ElementsAre("/bin/hook", "takeover", "backup", "2", "10.0.0.100"));
  EXPECT_EQ(notify_.queued(), 1u);
  EXPECT_TRUE(vip_.present);  // the VIP did not wait for the hook either
  EXPECT_TRUE(notify_.childExited(100, 0));
  ASSERT_EQ(spawned_.size(), 2u);
  EXPECT_THAT(spawned_[1], ElementsAre("/bin/hook", "state", "active", "2", "10.0.0.100"));
}

TEST_F(ControllerTest, NotifyFillsWhatTheEventLacks) {
  with_notify_ = true;
  start(NodeState::kActive, 7);
  Event bare;
  bare.type = EventType::kPeerAlive;
  deliver({bare});
  ASSERT_EQ(spawned_.size(), 1u);
  EXPECT_THAT(spawned_[0], ElementsAre("/bin/hook", "peer_alive", "active", "7", "10.0.0.100"));
}

// The real loop (signalfd, timerfd, poll) around the fakes: GARPs paced by
// the timer, SIGHUP ignored, SIGTERM ends with a clean shutdown.
TEST_F(ControllerTest, EventLoopPacesGarpsAndStopsOnSigterm) {
  options_.garp_interval_ms = 1;
  SignalFd signals({SIGTERM, SIGINT, SIGHUP, SIGCHLD});
  TimerFd timer;
  int garps = 0;
  garp_.on_send = [&] {
    if (++garps == 5) std::raise(SIGTERM);
  };
  state_.status.state = NodeState::kActive;
  state_.status.epoch = 2;
  Controller controller(options_, DaemonDeps{client_, vip_, garp_, timer, log_, nullptr});
  controller.start();
  std::raise(SIGHUP);
  EXPECT_EQ(runEventLoop(controller, signals, timer, nullptr, log_), 0);
  EXPECT_EQ(garps, 5);
  EXPECT_THAT(state_.calls, ElementsAre("prepare", "setConfig", "subscribe", "getStatus", "addVip",
                                        "garp", "vipAnnounced", "garp", "garp", "garp", "garp",
                                        "removeVip", "delConfig"));
  EXPECT_THAT(log_.lines, ::testing::Contains("SIGHUP: ignored (no configuration file: start "
                                              "with --config FILE)"));
  EXPECT_EQ(log_.lines.back(), "SIGTERM: exiting");
}

// Events through the real loop, with the real notify hook: the second run
// starts only once the loop reaped the first (SIGCHLD); that run sends
// SIGTERM to the daemon.
TEST_F(ControllerTest, EventLoopRunsHooksInOrderAndReapsThem) {
  char tmpl[] = "/tmp/sttcp-daemon-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const std::filesystem::path dir = tmpl;
  const std::filesystem::path hook = dir / "hook", out = dir / "out";
  std::ofstream(hook) << "#!/bin/sh\n"
                      << "echo \"$1 $2 $3\" >> " << out << "\n"
                      << "[ \"$2\" = backup ] && kill -TERM $PPID\n"
                      << "exit 0\n";
  std::filesystem::permissions(hook, std::filesystem::perms::owner_all);

  SignalFd signals({SIGTERM, SIGINT, SIGHUP, SIGCHLD});
  TimerFd timer;
  NotifyQueue notify(hook.string(), log_);
  options_.garp_count = 1;
  Controller controller(options_, DaemonDeps{client_, vip_, garp_, timer, log_, &notify});
  controller.start();
  forget();
  state_.events->push(stateEvent(NodeState::kActive, 2));
  state_.events->push(stateEvent(NodeState::kBackup, 3));
  EXPECT_EQ(runEventLoop(controller, signals, timer, &notify, log_), 0);
  EXPECT_THAT(state_.calls,
              ElementsAre("addVip", "garp", "vipAnnounced", "removeVip", "removeVip", "delConfig"));
  while (::waitpid(-1, nullptr, 0) > 0) {
  }  // the last hook, if the loop ended first
  std::ifstream in(out);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "state active 2\nstate backup 3\n");
  std::filesystem::remove_all(dir);
}

TEST(FormatLogLine, TagMonotonicSecondsMessage) {
  EXPECT_EQ(formatLogLine("sttcpd[primary]", 1234.5671, "state active epoch 2: x"),
            "sttcpd[primary]: 1234.567 state active epoch 2: x");
}

TEST(TimerFd, FiresPeriodicallyAndStops) {
  TimerFd timer;
  EXPECT_EQ(timer.readExpirations(), 0u);
  timer.start(std::chrono::milliseconds(1));
  pollfd pfd{timer.fd(), POLLIN, 0};
  ASSERT_EQ(::poll(&pfd, 1, 1000), 1);
  EXPECT_GE(timer.readExpirations(), 1u);
  timer.stop();
  EXPECT_EQ(::poll(&pfd, 1, 20), 0);
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

std::string runDaemonWith(const std::vector<std::string>& args, int* rc) {
  std::ostringstream out, err;
  *rc = runDaemon(args, out, err);
  return out.str() + err.str();
}

TEST(RunDaemon, HelpAndUsageErrors) {
  int rc = -1;
  EXPECT_THAT(runDaemonWith({"--help"}, &rc),
              HasSubstr("Usage: sttcpd [--config FILE] [-n NETNS]"));
  EXPECT_EQ(rc, 0);
  std::string text = runDaemonWith({"--role", "primary"}, &rc);
  EXPECT_EQ(rc, 2);
  EXPECT_THAT(text, ::testing::StartsWith("sttcpd: missing --vip\nUsage: sttcpd"));
  EXPECT_THAT(text, HasSubstr("Try 'sttcpd --help' for more information.\n"));
}

TEST(RunDaemon, VersionFirstLineIsTheProgramsOwn) {
  int rc = -1;
  EXPECT_THAT(runDaemonWith({"--version"}, &rc),
              ::testing::StartsWith("sttcpd " + std::string(projectVersion()) + "\nsttcp.ko "));
  EXPECT_EQ(rc, 0);
}

TEST(RunDaemon, ConfigTestPrintsOkOrTheErrorWithItsExitCode) {
  char tmpl[] = "/tmp/sttcp-conf-XXXXXX";
  int fd = ::mkstemp(tmpl);
  ASSERT_GE(fd, 0);
  ::close(fd);
  const std::string path = tmpl;
  auto write = [&](const std::string& text) { std::ofstream(path) << text; };
  write(
      "[service]\nvip 10.0.0.100\nports 80\ninterface lo\n[node]\nrole backup\n"
      "local 1.1.1.1\n[peer]\naddress 1.1.1.2\n");
  int rc = -1;
  EXPECT_EQ(runDaemonWith({"--config-test", path}, &rc),
            "sttcpd: " + path +
                ": configuration ok: role backup, vip 10.0.0.100, ports 80 on lo, sync "
                "1.1.1.1:7400 -> 1.1.1.2:7400, gating hold\n");
  EXPECT_EQ(rc, 0);
  write("[service]\nvip 10.0.0.100\nports 80\ninterface eth0\n[node]\nrole backup\n");
  EXPECT_EQ(runDaemonWith({"--config-test", path}, &rc),
            "sttcpd: " + path + ": missing 'local' in [node] (or give --local)\n");
  EXPECT_EQ(rc, 6);
  write("[service]\nvip 10.0.0.300\n");
  EXPECT_EQ(runDaemonWith({"--config", path}, &rc),
            "sttcpd: " + path + ":2: invalid vip address '10.0.0.300' (expected A.B.C.D)\n");
  EXPECT_EQ(rc, 5);
  write("vip 10.0.0.1\n");
  runDaemonWith({"--config-test", path}, &rc);
  EXPECT_EQ(rc, 4);
  std::filesystem::remove(path);
  EXPECT_EQ(runDaemonWith({"--config-test", path}, &rc),
            "sttcpd: cannot read " + path + ": No such file or directory\n");
  EXPECT_EQ(rc, 3);
}

// What only the start used to find: a key others may read, a missing key file, an interface
// or a notify program that is not there. Each is a configuration error (exit 6) with the line.
TEST(RunDaemon, ConfigTestChecksWhatTheStartNeeds) {
  char dir_tmpl[] = "/tmp/sttcp-machine-XXXXXX";
  ASSERT_NE(::mkdtemp(dir_tmpl), nullptr);
  const std::string dir = dir_tmpl, conf = dir + "/n.conf", key = dir + "/key";
  const std::string base =
      "[service]\nvip 10.0.0.100\nports 80\ninterface lo\n[node]\nrole backup\n"
      "local 1.1.1.1\n[peer]\naddress 1.1.1.2\n";
  auto test = [&](const std::string& extra, int* rc) {
    std::ofstream(conf) << base << extra;
    return runDaemonWith({"--config-test", conf}, rc);
  };
  int rc = -1;
  std::ofstream(key) << std::string(64, 'a') << "\n";
  ASSERT_EQ(::chmod(key.c_str(), 0644), 0);
  EXPECT_THAT(test("[daemon]\n", &rc), HasSubstr("configuration ok"));
  EXPECT_EQ(rc, 0);
  std::ofstream(conf) << replace(base, "role backup\n", "role backup\nkey-file " + key + "\n");
  std::string text = runDaemonWith({"--config-test", conf}, &rc);
  EXPECT_EQ(rc, 6);
  EXPECT_THAT(text, HasSubstr(conf + ":7: key file " + key + ": permissions 0644 are too open"));
  ASSERT_EQ(::chmod(key.c_str(), 0600), 0);
  EXPECT_THAT(runDaemonWith({"--config-test", conf}, &rc), HasSubstr("configuration ok"));
  EXPECT_EQ(rc, 0);
  std::filesystem::remove(key);
  EXPECT_THAT(runDaemonWith({"--config-test", conf}, &rc), HasSubstr("No such file"));
  EXPECT_EQ(rc, 6);
  std::ofstream(conf) << replace(base, "interface lo", "interface sttcp-nosuch9");
  EXPECT_THAT(runDaemonWith({"--config-test", conf}, &rc),
              HasSubstr(conf + ":4: interface 'sttcp-nosuch9' does not exist (ip link show "
                               "lists the interfaces)"));
  EXPECT_EQ(rc, 6);
  std::ofstream(conf) << base << "[hooks]\nnotify " + dir + "/missing-hook\n";
  EXPECT_THAT(runDaemonWith({"--config-test", conf}, &rc),
              HasSubstr(conf + ":11: notify program '" + dir +
                        "/missing-hook' is not an executable file (chmod +x, or give its full "
                        "path)"));
  EXPECT_EQ(rc, 6);
  std::ofstream(conf) << base << "[hooks]\nnotify true\n";
  EXPECT_THAT(runDaemonWith({"--config-test", conf}, &rc), HasSubstr("configuration ok"));
  std::filesystem::remove_all(dir);
}

TEST(FindProgram, LikeExecvp) {
  EXPECT_EQ(findProgram("/bin/sh", ""), "/bin/sh");
  EXPECT_EQ(findProgram("sh", "/nonexistent:/bin"), "/bin/sh");
  EXPECT_EQ(findProgram("sh", "/nonexistent"), "");
  EXPECT_EQ(findProgram("/etc/passwd", "/bin"), "");  // not executable
  EXPECT_EQ(findProgram("/bin", "/"), "");            // a directory
}

TEST(RunDaemon, UnwritableLogFileIsExitOneOnStderr) {
  int rc = -1;
  const std::string log = "/nonexistent-sttcp-unit-test/sttcpd.log";
  std::string text =
      runDaemonWith({"--log", log, "--role", "backup", "--vip", "10.0.0.100", "--port", "80",
                     "--dev", "lo", "--local", "1.1.1.1", "--peer", "1.1.1.2"},
                    &rc);
  EXPECT_EQ(rc, 1);
  EXPECT_EQ(text, "sttcpd: cannot open log file " + log + ": No such file or directory\n");
}

// A missing namespace is a configuration error (no restart loop under systemd), found by
// --config-test as by the start.
TEST(RunDaemon, MissingNetnsIsAConfigurationError) {
  int rc = -1;
  std::string text = runDaemonWith(
      {"-n", "sttcp-unit-test-does-not-exist", "--role", "backup", "--vip", "10.0.0.100", "--port",
       "80", "--dev", "eth0", "--local", "1.1.1.1", "--peer", "1.1.1.2"},
      &rc);
  EXPECT_EQ(rc, 6);
  EXPECT_THAT(text, HasSubstr("sttcpd: network namespace 'sttcp-unit-test-does-not-exist' not "
                              "found (/run/netns/sttcp-unit-test-does-not-exist does not exist); "
                              "create it with: ip netns add sttcp-unit-test-does-not-exist"));
}

}  // namespace
}  // namespace sttcp
