// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "controller.h"

#include <exception>
#include <string>

#include "parse.h"
#include "render.h"
#include "switchover.h"

namespace sttcp {

Controller::Controller(DaemonOptions options, DaemonDeps deps)
    : options_(std::move(options)), deps_(deps) {}

std::string Controller::vipText() const {
  return "VIP " + options_.service.vip.str() + "/32";
}

Config Controller::serviceWithSettings(const DaemonOptions& o) const {
  Config c = o.service;
  c.settings = encodeSettings(collectSettings(o.service, o.dev, deps_.read_proc));
  return c;
}

void Controller::start() {
  const Config& c = options_.service;
  deps_.vip.prepare();
  deps_.log.log(std::string("node prepared: ") + kVipDevice + " up holding " + vipText() +
                "; arp_ignore=1 arp_announce=2 on all and " + options_.dev +
                ", rp_filter=0 on all and " + kVipDevice);
  deps_.client.setConfig(serviceWithSettings(options_));
  configured_ = true;
  std::string ports;
  for (std::uint16_t port : c.ports)
    ports += (ports.empty() ? "" : ",") + std::to_string(port);
  std::string extra;
  if (c.local2) extra += " local2 " + c.local2->str() + " peer2 " + c.peer2->str();
  if (c.hb_interval_ms) extra += " hb-interval " + std::to_string(*c.hb_interval_ms) + " ms";
  if (c.hb_dead_count) extra += " hb-dead-count " + std::to_string(*c.hb_dead_count);
  if (c.epoch) extra += " epoch " + std::to_string(*c.epoch);
  extra += c.key ? " auth on" : " auth off";  // never the key itself
  deps_.log.log("configured: role " + std::string(roleName(c.role)) + " vip " + c.vip.str() +
                " ports " + ports + " local " + c.local.str() + " peer " + c.peer.str() +
                " gating " + std::string(gatingName(c.gating)) + extra);
  events_ = deps_.client.subscribe();
  deps_.log.log("subscribed to events");
  resync("status");
}

std::vector<SettingMismatch> Controller::checkPeerSettings() {
  try {
    return checkPeerSettings(deps_.client.getStatus());
  } catch (const std::exception& e) {
    deps_.log.log(std::string("cannot read the peer's settings: ") + e.what());
    return {};
  }
}

std::vector<SettingMismatch> Controller::checkPeerSettings(const Status& status) {
  std::vector<SettingMismatch> diffs;
  if (!status.peer_settings || !status.settings) return diffs;  // not heard yet
  diffs = compareSettings(decodeSettings(*status.settings), decodeSettings(*status.peer_settings));
  std::string report;
  if (diffs.empty()) {
    report = "settings agree with the peer's";
  } else {
    bool breaks = false;
    for (const auto& d : diffs) {
      report += (report.empty() ? "" : "; ") + mismatchText(d);
      breaks = breaks || d.breaks;
    }
    report = std::string(breaks ? "settings mismatch with the peer breaks lockstep: "
                                : "settings differ from the peer's: ") +
             report + "; fix the node that is wrong (sttcpctl show lists both)";
  }
  if (report != last_settings_report_) deps_.log.log(report);
  last_settings_report_ = report;
  return diffs;
}

bool Controller::reload(const DaemonOptions& next) {
  std::vector<std::string> blockers = reloadBlockers(options_, next);
  if (!blockers.empty()) {
    std::string what;
    for (const auto& b : blockers)
      what += (what.empty() ? "" : "; ") + b;
    deps_.log.log("reload refused: " + what +
                  " (cannot change without releasing the protected flows: restart sttcpd to "
                  "apply); the running configuration and every flow are kept");
    return false;
  }
  std::vector<std::string> changes = reloadChanges(options_, next);
  try {
    deps_.client.updateConfig(serviceWithSettings(next));
  } catch (const std::exception& e) {
    deps_.log.log(std::string("reload failed: ") + e.what() +
                  "; the running configuration is kept");
    return false;
  }
  options_ = next;
  if (deps_.notify) deps_.notify->setPrograms(options_.notify);
  std::string what;
  for (const auto& c : changes)
    what += (what.empty() ? "" : "; ") + c;
  deps_.log.log("reloaded: " + (what.empty() ? std::string("nothing changed") : what) +
                "; flows kept");
  last_settings_report_.reset();
  checkPeerSettings();
  return true;
}

namespace {
// net.ipv4.neigh.*.locktime default: a neighbour entry ignores ARP updates this long.
constexpr std::uint32_t kNeighbourLocktimeMs = 1000;
}  // namespace

bool Controller::tryHandover() {
  Status status = deps_.client.getStatus();
  if (status.state != NodeState::kActive) return false;
  if (status.peer_state != PeerState::kAlive) {
    deps_.log.log("handover on exit: no live backup (peer " + peerStateName(status.peer_state) +
                  "); leaving without handover");
    return false;
  }
  // Long enough for the backup to answer on a loaded link: two detection times.
  auto timeout = std::chrono::milliseconds(2 * status.hb_interval_ms.value_or(50) *
                                           status.hb_dead_count.value_or(10));
  deps_.log.log("handover on exit: switching over to the backup");
  SwitchoverOutcome outcome =
      runSwitchover(deps_.client, *events_, timeout, [this](const Event& e) { handleEvent(e); });
  if (outcome.done) {
    deps_.log.log("handover on exit: complete, now backup (epoch " + std::to_string(outcome.epoch) +
                  ")");
    // Clients keep sending here until the new primary's gratuitous ARPs move them (and a
    // neighbour entry ignores updates for locktime, 1 s). Configured, this node forwards
    // those segments to the new primary; unconfigured, its stack would answer with RSTs.
    auto linger = std::chrono::milliseconds(options_.garp_count * options_.garp_interval_ms +
                                            kNeighbourLocktimeMs);
    deps_.log.log("handover on exit: forwarding late client segments to the new primary for " +
                  std::to_string(linger.count()) + " ms");
    deps_.pause(linger);
  } else {
    deps_.log.log("handover on exit: " + outcome.error);
  }
  return outcome.done;
}

void Controller::leave(const std::string& why) {
  if (options_.handover_on_exit && configured_ && events_) {
    try {
      tryHandover();
    } catch (const std::exception& e) {
      deps_.log.log(std::string("handover on exit: ") + e.what());
    }
  }
  shutdown(why);
}

void Controller::onEventsReadable() {
  EventBatch batch = events_->receive();
  for (const Event& event : batch.events)
    handleEvent(event);
  if (batch.malformed) {
    deps_.log.log(std::to_string(batch.malformed) + " malformed event(s) skipped");
  }
  if (batch.overrun || batch.malformed) {
    try {
      resync(batch.overrun ? "events lost, status" : "status");
    } catch (const std::exception& e) {
      deps_.log.log(std::string("cannot read the status: ") + e.what());
    }
  }
}

void Controller::handleEvent(const Event& event) {
  if (event.epoch) epoch_ = *event.epoch;
  if (event.type == EventType::kState && event.state) {
    apply(*event.state, epoch_, "state");
  } else {
    deps_.log.log("event " + eventText(event));
    if (event.type == EventType::kPeerSettings) checkPeerSettings();
    if (event.type == EventType::kSwitchoverFailed) {
      // The node is active again; do not depend on a STATE event for it.
      try {
        resync("switchover failed, status");
      } catch (const std::exception& e) {
        deps_.log.log(std::string("cannot read the status: ") + e.what());
      }
    }
  }
  notify(event);
}

void Controller::resync(const std::string& why) {
  Status status = deps_.client.getStatus();
  epoch_ = status.epoch;
  apply(status.state, status.epoch, why);
  checkPeerSettings(status);
}

void Controller::apply(NodeState state, std::uint32_t epoch, const std::string& source) {
  const std::string head =
      source + " " + nodeStateName(state) + " epoch " + std::to_string(epoch) + ": ";
  if (state == NodeState::kActive) {
    // The kernel is already active: own the address, then announce it.
    const bool entering = state_ != NodeState::kActive;
    bool added = false;
    try {
      added = deps_.vip.addVip();
    } catch (const std::exception& e) {
      state_.reset();  // retried by the next status read
      deps_.log.log(head + "cannot add " + vipText() + " to " + options_.dev + ": " + e.what());
      return;
    }
    state_ = state;
    std::string line = head + vipText() + (added ? " added to " : " already on ") + options_.dev;
    if (added || entering) {
      line += options_.garp_count == 0
                  ? "; no gratuitous ARP (--garp-count 0)"
                  : "; " + std::to_string(options_.garp_count) + " gratuitous ARP" +
                        (options_.garp_count == 1 ? "" : "s");
      deps_.log.log(line);
      startGarp();
    } else {
      deps_.log.log(line);
    }
    return;
  }
  stopGarp();
  state_ = state;
  try {
    bool removed = deps_.vip.removeVip();
    deps_.log.log(head + vipText() + (removed ? " removed from " : " not on ") + options_.dev);
  } catch (const std::exception& e) {
    deps_.log.log(head + "cannot remove " + vipText() + " from " + options_.dev + ": " + e.what());
  }
}

void Controller::startGarp() {
  stopGarp();
  if (options_.garp_count == 0) return;
  garp_remaining_ = options_.garp_count;
  garp_sent_ = 0;
  if (sendGarp()) announced();
  if (garp_remaining_ > 0) {
    deps_.garp_timer.start(std::chrono::milliseconds(options_.garp_interval_ms));
  }
}

// Clients can reach this node now: the kernel re-prods the connections it took over (the prod at
// takeover may have sent the clients' retransmissions to the old primary's MAC).
void Controller::announced() {
  try {
    deps_.client.vipAnnounced();
  } catch (const std::exception& e) {
    deps_.log.log(std::string("vip announced: ") + e.what());
  }
}

void Controller::stopGarp() {
  if (garp_remaining_ > 0) deps_.garp_timer.stop();
  garp_remaining_ = 0;
}

bool Controller::sendGarp() {
  --garp_remaining_;
  ++garp_sent_;
  try {
    deps_.garp.send();
    return true;
  } catch (const std::exception& e) {
    deps_.log.log("gratuitous ARP " + std::to_string(garp_sent_) + "/" +
                  std::to_string(options_.garp_count) + " on " + options_.dev +
                  " failed: " + e.what());
    return false;
  }
}

void Controller::onGarpTimer() {
  if (garp_remaining_ == 0) {
    deps_.garp_timer.stop();
    return;
  }
  sendGarp();
  if (garp_remaining_ == 0) deps_.garp_timer.stop();
}

void Controller::notify(const Event& event) {
  if (!deps_.notify) return;
  NotifyJob job;
  job.event = eventName(event.type);
  auto state = event.state ? event.state : state_;
  job.state = state ? nodeStateName(*state) : "none";
  job.epoch = std::to_string(event.epoch.value_or(epoch_));
  job.vip = event.vip.value_or(options_.service.vip).str();
  if (event.client || event.client_port) {
    job.client = (event.client ? event.client->str() : std::string("-")) + ":" +
                 (event.client_port ? std::to_string(*event.client_port) : std::string("-"));
  }
  deps_.notify->push(std::move(job));
}

void Controller::shutdown(const std::string& why) {
  stopGarp();
  try {
    // Only what was undone is worth a line (after a failed start the error says it all).
    if (deps_.vip.removeVip())
      deps_.log.log(why + ": " + vipText() + " removed from " + options_.dev);
  } catch (const std::exception& e) {
    deps_.log.log(why + ": cannot remove " + vipText() + " from " + options_.dev + ": " + e.what());
  }
  if (!configured_) return;
  try {
    deps_.client.delConfig();
    configured_ = false;
    deps_.log.log(why + ": configuration deleted");
  } catch (const std::exception& e) {
    deps_.log.log(why + ": cannot delete the configuration: " + e.what());
  }
}

}  // namespace sttcp
