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
#include "switchover.h"
#include "version.h"

namespace sttcp {
namespace {

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

// Subscribes before asking, so that the outcome cannot be missed.
void switchoverCommand(NetlinkClient& client, const SwitchoverCmd& cmd, bool json,
                       std::ostream& out) {
  std::unique_ptr<EventSource> events = client.subscribe();
  SwitchoverOutcome outcome =
      runSwitchover(client, *events, std::chrono::milliseconds(cmd.timeout_ms));
  if (!outcome.done) throw std::runtime_error(outcome.error);
  printSwitchoverDone(out, outcome.epoch, json);
}

ShowReport buildShow(NetlinkClient& client, const ProcReader& read) {
  ShowReport r;
  r.config = client.getConfig();
  if (!r.config.configured) return r;
  r.status = client.getStatus();
  std::string dev;
  if (r.status->settings) {
    NodeSettings here = decodeSettings(*r.status->settings);
    dev = here["dev"];
    if (r.status->peer_settings) {
      r.peer_settings_known = true;
      r.mismatches = compareSettings(here, decodeSettings(*r.status->peer_settings));
    }
  }
  r.warnings = checkVipSetup(read, dev);
  return r;
}

// After a peer_settings event: the comparison, if anything differs.
void printPeerSettingsVerdict(NetlinkClient& client, bool json, std::ostream& out) {
  Status s = client.getStatus();
  if (!s.settings || !s.peer_settings) return;
  auto mismatches = compareSettings(decodeSettings(*s.settings), decodeSettings(*s.peer_settings));
  if (!mismatches.empty()) printSettingsMismatch(out, mismatches, json);
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
      if (e.type == EventType::kPeerSettings) printPeerSettingsVerdict(client, json, out);
      out.flush();
      if (cmd.count && ++seen >= *cmd.count) return;
    }
  }
}

void execute(const Command& command, NetlinkClient& client, bool json, std::ostream& out,
             std::ostream& err, const ProcReader& read) {
  std::visit(
      [&](const auto& cmd) {
        using T = std::decay_t<decltype(cmd)>;
        if constexpr (std::is_same_v<T, SetCmd>) {
          client.setConfig(cmd.config);
        } else if constexpr (std::is_same_v<T, DelCmd>) {
          client.delConfig();
        } else if constexpr (std::is_same_v<T, ShowCmd>) {
          printShow(out, buildShow(client, read), json);
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
          switchoverCommand(client, cmd, json, out);
        } else if constexpr (std::is_same_v<T, TakeoverCmd>) {
          client.takeover();
        } else if constexpr (std::is_same_v<T, MonitorCmd>) {
          runMonitor(client, cmd, json, out, err);
        } else {
          // HelpCmd, GenkeyCmd and VersionCmd never need the kernel: runCli handles them.
          static_assert(std::is_same_v<T, HelpCmd> || std::is_same_v<T, GenkeyCmd> ||
                            std::is_same_v<T, VersionCmd>,
                        "every command must be handled");
        }
      },
      command);
}

}  // namespace

int runCli(const std::vector<std::string>& args, const ClientFactory& factory, std::ostream& out,
           std::ostream& err, const ProcReader& read, int out_fd) {
  Invocation inv;
  try {
    inv = parseArgs(args);
  } catch (const UsageError& e) {
    err << "sttcpctl: " << e.what() << "\nTry 'sttcpctl --help' for more information.\n";
    return 1;
  }
  if (const auto* help = std::get_if<HelpCmd>(&inv.command)) {
    out << usageText(help->command);
    return 0;
  }
  if (std::holds_alternative<VersionCmd>(inv.command)) {
    out << versionText("sttcpctl", read);
    return 0;
  }
  if (std::holds_alternative<GenkeyCmd>(inv.command)) {
    try {
      // Before the key is written: sttcpd refuses a key file others may read.
      if (out_fd >= 0 && makeKeyFilePrivate(out_fd)) {
        err << "sttcpctl: genkey: the key's file was open to group or others: now mode 600\n";
      }
      std::string key = keyToBase64(generateKey());
      out << (inv.options.json ? "{\"key\":\"" + key + "\"}" : key) << '\n';
      out.flush();
    } catch (const std::exception& e) {
      err << "sttcpctl: " << e.what() << '\n';
      return 1;
    }
    return 0;
  }
  try {
    std::unique_ptr<NetlinkClient> client = factory(inv.options);
    execute(inv.command, *client, inv.options.json, out, err, read);
    out.flush();
  } catch (const std::exception& e) {
    err << "sttcpctl: " << e.what() << '\n';
    return 1;
  }
  return 0;
}

}  // namespace sttcp
