// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "cli.h"

#include <poll.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <system_error>
#include <type_traits>

#include "json_writer.h"
#include "keyfile.h"
#include "render.h"
#include "signals.h"

namespace sttcp {
namespace {

using Clock = std::chrono::steady_clock;

// poll() that retries on EINTR; returns the number of ready descriptors.
int pollFds(pollfd* fds, nfds_t n, int timeout_ms) {
  while (true) {
    int ready = ::poll(fds, n, timeout_ms);
    if (ready >= 0) return ready;
    if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "poll");
  }
}

void printSwitchoverDone(std::ostream& out, std::uint32_t epoch, bool json) {
  if (json) {
    JsonWriter w;
    w.beginObject().key("switchover").str("complete").key("state").str("backup");
    w.key("epoch").u64(epoch).endObject();
    out << w.text() << '\n';
  } else {
    out << "switchover complete: now backup (epoch " << epoch << ")\n";
  }
}

// Subscribes before asking, so that the outcome cannot be missed, then waits
// for STATE BACKUP (success) or SWITCHOVER_FAILED.
void runSwitchover(NetlinkClient& client, const SwitchoverCmd& cmd, bool json, std::ostream& out) {
  std::unique_ptr<EventSource> events = client.subscribe();
  client.switchover();
  const auto deadline = Clock::now() + std::chrono::milliseconds(cmd.timeout_ms);
  while (true) {
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) break;
    pollfd pfd{events->fd(), POLLIN, 0};
    if (pollFds(&pfd, 1, static_cast<int>(left.count())) == 0) continue;
    EventBatch batch = events->receive();
    for (const Event& e : batch.events) {
      if (e.type == EventType::kState && e.state == NodeState::kBackup) {
        printSwitchoverDone(out, e.epoch.value_or(0), json);
        return;
      }
      if (e.type == EventType::kSwitchoverFailed) {
        std::string epoch = e.epoch ? " (epoch " + std::to_string(*e.epoch) + ")" : "";
        throw std::runtime_error(
            "switchover failed: the backup did not take over in time; this node is active "
            "again" +
            epoch);
      }
    }
    if (batch.overrun) {  // the outcome may have been dropped: ask
      Status status = client.getStatus();
      if (status.state == NodeState::kBackup) {
        printSwitchoverDone(out, status.epoch, json);
        return;
      }
    }
  }
  Status status = client.getStatus();
  if (status.state == NodeState::kBackup) {
    printSwitchoverDone(out, status.epoch, json);
    return;
  }
  throw std::runtime_error("switchover: no outcome within " + std::to_string(cmd.timeout_ms) +
                           " ms (this node is " + nodeStateName(status.state) + ", epoch " +
                           std::to_string(status.epoch) + ")");
}

// Prints events as they come until `count` of them, or SIGINT/SIGTERM.
void runMonitor(NetlinkClient& client, const MonitorCmd& cmd, bool json, std::ostream& out,
                std::ostream& err) {
  SignalFd signals({SIGINT, SIGTERM});
  std::unique_ptr<EventSource> events = client.subscribe();
  std::uint64_t seen = 0;
  while (true) {
    pollfd fds[2] = {{signals.fd(), POLLIN, 0}, {events->fd(), POLLIN, 0}};
    pollFds(fds, 2, -1);
    if (fds[0].revents && signals.read()) return;
    if (!fds[1].revents) continue;
    EventBatch batch = events->receive();
    if (batch.overrun) {
      err << "sttcpctl: warning: events were lost (receive buffer overrun)" << std::endl;
    }
    if (batch.malformed) {
      err << "sttcpctl: warning: " << batch.malformed << " malformed event(s) skipped" << std::endl;
    }
    for (const Event& e : batch.events) {
      printEvent(out, e, json);
      out.flush();
      if (cmd.count && ++seen >= *cmd.count) return;
    }
  }
}

void execute(const Command& command, NetlinkClient& client, bool json, std::ostream& out,
             std::ostream& err) {
  std::visit(
      [&](const auto& cmd) {
        using T = std::decay_t<decltype(cmd)>;
        if constexpr (std::is_same_v<T, SetCmd>) {
          client.setConfig(cmd.config);
        } else if constexpr (std::is_same_v<T, DelCmd>) {
          client.delConfig();
        } else if constexpr (std::is_same_v<T, ShowCmd>) {
          printConfig(out, client.getConfig(), json);
        } else if constexpr (std::is_same_v<T, StatsCmd>) {
          if (cmd.reset) {
            client.resetStats();
          } else {
            printStats(out, client.getStats(), json);
          }
        } else if constexpr (std::is_same_v<T, FlowsCmd>) {
          printFlows(out, client.dumpFlows(), json);
        } else if constexpr (std::is_same_v<T, StatusCmd>) {
          printStatus(out, client.getStatus(), json);
        } else if constexpr (std::is_same_v<T, SwitchoverCmd>) {
          runSwitchover(client, cmd, json, out);
        } else if constexpr (std::is_same_v<T, TakeoverCmd>) {
          client.takeover();
        } else if constexpr (std::is_same_v<T, MonitorCmd>) {
          runMonitor(client, cmd, json, out, err);
        } else {
          // HelpCmd and GenkeyCmd never need the kernel: runCli handles them.
          static_assert(std::is_same_v<T, HelpCmd> || std::is_same_v<T, GenkeyCmd>,
                        "every command must be handled");
        }
      },
      command);
}

}  // namespace

int runCli(const std::vector<std::string>& args, const ClientFactory& factory, std::ostream& out,
           std::ostream& err) {
  Invocation inv;
  try {
    inv = parseArgs(args);
  } catch (const UsageError& e) {
    err << "sttcpctl: " << e.what() << "\nTry 'sttcpctl --help' for more information.\n";
    return 1;
  }
  if (std::holds_alternative<HelpCmd>(inv.command)) {
    out << usageText();
    return 0;
  }
  if (std::holds_alternative<GenkeyCmd>(inv.command)) {
    try {
      out << keyToBase64(generateKey()) << '\n';
      out.flush();
    } catch (const std::exception& e) {
      err << "sttcpctl: " << e.what() << '\n';
      return 1;
    }
    return 0;
  }
  try {
    std::unique_ptr<NetlinkClient> client = factory(inv.options);
    execute(inv.command, *client, inv.options.json, out, err);
    out.flush();
  } catch (const std::exception& e) {
    err << "sttcpctl: " << e.what() << '\n';
    return 1;
  }
  return 0;
}

}  // namespace sttcp
