// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "render.h"

#include <linux/sttcp.h>

#include <cstdio>
#include <ctime>
#include <string>
#include <utility>

#include "json_writer.h"
#include "text_table.h"

namespace sttcp {
namespace {

std::string joinPorts(const std::vector<std::uint16_t>& ports) {
  std::string out;
  for (std::uint16_t port : ports) {
    if (!out.empty()) out += ',';
    out += std::to_string(port);
  }
  return out;
}

// Stats in kernel order, then counters this build does not know by name.
std::vector<std::pair<std::string, std::uint64_t>> orderedStats(const Stats& stats) {
  std::vector<std::pair<std::string, std::uint64_t>> out;
  Stats rest = stats;
  for (const auto& name : statNames()) {
    if (auto it = rest.find(name); it != rest.end()) {
      out.emplace_back(*it);
      rest.erase(it);
    }
  }
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

template <typename T>
void jsonNumber(JsonWriter& w, const char* key, const std::optional<T>& value) {
  if (value) w.key(key).u64(*value);
}

void flowJson(JsonWriter& w, const Flow& f) {
  w.beginObject();
  if (f.client) w.key("client").str(f.client->str());
  jsonNumber(w, "client_port", f.client_port);
  if (f.vip) w.key("vip").str(f.vip->str());
  jsonNumber(w, "vport", f.vport);
  if (f.state) w.key("state").str(flowStateName(*f.state));
  if (f.flags) {
    w.key("flags").u64(*f.flags);
    w.key("unprotected").boolean(*f.flags & STTCP_FLOW_F_UNPROTECTED);
    w.key("reported").boolean(*f.flags & STTCP_FLOW_F_REPORTED);
    w.key("embryonic").boolean(*f.flags & STTCP_FLOW_F_EMBRYONIC);
  }
  jsonNumber(w, "seq_delta", f.seq_delta);
  jsonNumber(w, "ts_delta", f.ts_delta);
  jsonNumber(w, "wscale_primary", f.wscale_primary);
  jsonNumber(w, "wscale_backup", f.wscale_backup);
  jsonNumber(w, "backup_rcv_nxt", f.backup_rcv_nxt);
  jsonNumber(w, "held_segs", f.held_segs);
  jsonNumber(w, "snd_una", f.snd_una);
  jsonNumber(w, "snd_nxt", f.snd_nxt);
  jsonNumber(w, "rcv_nxt", f.rcv_nxt);
  jsonNumber(w, "sock_state", f.sock_state);
  jsonNumber(w, "segs_in", f.segs_in);
  w.endObject();
}

template <typename T>
std::string cell(const std::optional<T>& value) {
  return value ? std::to_string(*value) : "-";
}

std::string addrCell(const std::optional<Ipv4>& addr, const std::optional<std::uint16_t>& port) {
  return (addr ? addr->str() : "-") + ":" + (port ? std::to_string(*port) : "-");
}

std::vector<std::string> flowRow(const Flow& f) {
  std::string flags = f.flags ? flowFlagNames(*f.flags) : "-";
  std::string wscale = cell(f.wscale_primary) + "/" + cell(f.wscale_backup);
  return {addrCell(f.client, f.client_port),
          addrCell(f.vip, f.vport),
          f.state ? flowStateName(*f.state) : "-",
          flags.empty() ? "-" : flags,
          cell(f.seq_delta),
          cell(f.ts_delta),
          wscale,
          cell(f.backup_rcv_nxt),
          cell(f.held_segs),
          cell(f.snd_una),
          cell(f.snd_nxt),
          cell(f.rcv_nxt),
          f.sock_state ? tcpStateName(*f.sock_state) : "-",
          cell(f.segs_in)};
}

}  // namespace

namespace {

void configJson(JsonWriter& w, const ConfigState& state) {
  const Config& c = state.config;
  w.key("configured").boolean(state.configured);
  if (!state.configured) return;
  w.key("role").str(roleName(c.role));
  w.key("vip").str(c.vip.str());
  w.key("ports").beginArray();
  for (std::uint16_t port : c.ports)
    w.u64(port);
  w.endArray();
  w.key("local").str(c.local.str());
  w.key("peer").str(c.peer.str());
  w.key("gating").str(gatingName(c.gating));
  if (c.local2) w.key("local2").str(c.local2->str());
  if (c.peer2) w.key("peer2").str(c.peer2->str());
  jsonNumber(w, "hb_interval_ms", c.hb_interval_ms);
  jsonNumber(w, "hb_dead_count", c.hb_dead_count);
  jsonNumber(w, "epoch", c.epoch);
  w.key("auth").str(state.auth ? "on" : "off");
}

void configRows(TextTable& table, const ConfigState& state) {
  const Config& c = state.config;
  table.addRow({"role", std::string(roleName(c.role))});
  table.addRow({"vip", c.vip.str()});
  table.addRow({"ports", joinPorts(c.ports)});
  table.addRow({"local", c.local.str()});
  table.addRow({"peer", c.peer.str()});
  table.addRow({"gating", std::string(gatingName(c.gating))});
  if (c.local2) table.addRow({"local2", c.local2->str()});
  if (c.peer2) table.addRow({"peer2", c.peer2->str()});
  if (c.hb_interval_ms) table.addRow({"hb_interval_ms", std::to_string(*c.hb_interval_ms)});
  if (c.hb_dead_count) table.addRow({"hb_dead_count", std::to_string(*c.hb_dead_count)});
  if (c.epoch) table.addRow({"epoch", std::to_string(*c.epoch)});
  table.addRow({"auth", state.auth ? "on" : "off"});
}

void mismatchesJson(JsonWriter& w, const std::vector<SettingMismatch>& mismatches) {
  w.beginArray();
  for (const auto& m : mismatches) {
    w.beginObject().key("key").str(m.key).key("here").str(m.local).key("peer").str(m.peer);
    w.key("breaks").boolean(m.breaks).key("why").str(m.why).endObject();
  }
  w.endArray();
}

bool anyBreaks(const std::vector<SettingMismatch>& mismatches) {
  for (const auto& m : mismatches)
    if (m.breaks) return true;
  return false;
}

std::string peerSettingsWord(const ShowReport& r) {
  if (!r.peer_settings_known) return "unknown";
  return r.mismatches.empty() ? "agree" : "differ";
}

}  // namespace

void printConfig(std::ostream& out, const ConfigState& state, bool json) {
  if (json) {
    JsonWriter w;
    w.beginObject();
    configJson(w, state);
    w.endObject();
    out << w.text() << '\n';
    return;
  }
  if (!state.configured) {
    out << "not configured\n";
    return;
  }
  TextTable table;
  configRows(table, state);
  table.print(out);
}

void printShow(std::ostream& out, const ShowReport& r, bool json) {
  if (json) {
    JsonWriter w;
    w.beginObject();
    configJson(w, r.config);
    if (r.status) {
      w.key("state").str(nodeStateName(r.status->state));
      w.key("epoch").u64(r.status->epoch);
      w.key("peer_state").str(peerStateName(r.status->peer_state));
    }
    if (r.config.configured) {
      w.key("peer_settings").str(peerSettingsWord(r));
      w.key("settings_mismatch");
      mismatchesJson(w, r.mismatches);
    }
    w.key("warnings").beginArray();
    for (const auto& warning : r.warnings)
      w.str(warning);
    w.endArray();
    w.endObject();
    out << w.text() << '\n';
    return;
  }
  if (!r.config.configured) {
    out << "not configured\n";
  } else {
    TextTable table;
    configRows(table, r.config);
    if (r.status) {
      table.addRow({"state", nodeStateName(r.status->state)});
      table.addRow({"epoch", std::to_string(r.status->epoch)});
      table.addRow({"peer_state", peerStateName(r.status->peer_state)});
    }
    table.addRow({"peer_settings", peerSettingsWord(r)});
    table.print(out);
  }
  for (const auto& m : r.mismatches)
    out << (m.breaks ? "mismatch: " : "difference: ") << mismatchText(m) << '\n';
  for (const auto& warning : r.warnings)
    out << "warning: " << warning << '\n';
}

void printSettingsMismatch(std::ostream& out, const std::vector<SettingMismatch>& mismatches,
                           bool json) {
  if (json) {
    JsonWriter w;
    w.beginObject().key("event").str("settings_mismatch");
    w.key("breaks").boolean(anyBreaks(mismatches)).key("fields");
    mismatchesJson(w, mismatches);
    w.endObject();
    out << w.text() << '\n';
    return;
  }
  std::string text;
  for (const auto& m : mismatches)
    text += (text.empty() ? "" : "; ") + mismatchText(m);
  out << "settings_mismatch breaks=" << (anyBreaks(mismatches) ? "yes" : "no") << " " << text
      << '\n';
}

void printStats(std::ostream& out, const Stats& stats, bool json) {
  auto ordered = orderedStats(stats);
  if (json) {
    JsonWriter w;
    w.beginObject();
    for (const auto& [name, value] : ordered)
      w.key(name).u64(value);
    w.endObject();
    out << w.text() << '\n';
    return;
  }
  TextTable table({false, true});
  for (const auto& [name, value] : ordered)
    table.addRow({name, std::to_string(value)});
  table.print(out);
}

void printFlows(std::ostream& out, const std::vector<Flow>& flows, bool json) {
  if (json) {
    JsonWriter w;
    w.beginArray();
    for (const Flow& f : flows)
      flowJson(w, f);
    w.endArray();
    out << w.text() << '\n';
    return;
  }
  TextTable table(
      {false, false, false, false, true, true, false, true, true, true, true, true, false, true});
  table.addRow({"CLIENT", "SERVICE", "STATE", "FLAGS", "SEQ_DELTA", "TS_DELTA", "WSCALE",
                "BACKUP_RCV_NXT", "HELD", "SND_UNA", "SND_NXT", "RCV_NXT", "SOCK", "SEGS_IN"});
  for (const Flow& f : flows)
    table.addRow(flowRow(f));
  table.print(out);
}

void printStatus(std::ostream& out, const Status& s, bool json) {
  if (json) {
    JsonWriter w;
    w.beginObject();
    w.key("state").str(nodeStateName(s.state));
    w.key("epoch").u64(s.epoch);
    w.key("peer").str(peerStateName(s.peer_state));
    jsonNumber(w, "peer_epoch", s.peer_epoch);
    jsonNumber(w, "path_sync_age_ms", s.path_sync_age_ms);
    jsonNumber(w, "path_svc_age_ms", s.path_svc_age_ms);
    jsonNumber(w, "hb_interval_ms", s.hb_interval_ms);
    jsonNumber(w, "hb_dead_count", s.hb_dead_count);
    if (s.vip) w.key("vip").str(s.vip->str());
    if (s.auth) w.key("auth").str(*s.auth ? "on" : "off");
    jsonNumber(w, "auth_fail_age_ms", s.auth_fail_age_ms);
    w.endObject();
    out << w.text() << '\n';
    return;
  }
  // A path never heard reads "never"; other absent values are not shown.
  auto age = [](const std::optional<std::uint32_t>& ms) {
    return ms ? std::to_string(*ms) : std::string("never");
  };
  TextTable table;
  table.addRow({"state", nodeStateName(s.state)});
  table.addRow({"epoch", std::to_string(s.epoch)});
  table.addRow({"peer", peerStateName(s.peer_state)});
  if (s.peer_epoch) table.addRow({"peer_epoch", std::to_string(*s.peer_epoch)});
  table.addRow({"path_sync_age_ms", age(s.path_sync_age_ms)});
  table.addRow({"path_svc_age_ms", age(s.path_svc_age_ms)});
  if (s.hb_interval_ms) table.addRow({"hb_interval_ms", std::to_string(*s.hb_interval_ms)});
  if (s.hb_dead_count) table.addRow({"hb_dead_count", std::to_string(*s.hb_dead_count)});
  if (s.vip) table.addRow({"vip", s.vip->str()});
  if (s.auth) table.addRow({"auth", *s.auth ? "on" : "off"});
  if (s.auth_fail_age_ms) {
    // Say what it most likely means: the keys (or key modes) differ, or a forgery.
    table.addRow({"auth_fail_age_ms", std::to_string(*s.auth_fail_age_ms) +
                                          " (sync messages failed authentication: different "
                                          "keys, one node without key, or forged)"});
  }
  table.print(out);
}

std::string eventText(const Event& e) {
  std::string text = eventName(e.type);
  if (e.state) text += " state=" + nodeStateName(*e.state);
  if (e.epoch) text += " epoch=" + std::to_string(*e.epoch);
  if (e.vip) text += " vip=" + e.vip->str();
  if (e.client || e.client_port) text += " client=" + addrCell(e.client, e.client_port);
  return text;
}

std::string isoTime(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];  // room for any int the compiler imagines in the fields
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

void printEvent(std::ostream& out, const Event& e, bool json) {
  if (!json) {
    out << (e.time ? isoTime(*e.time) + " " : std::string()) << eventText(e) << '\n';
    return;
  }
  JsonWriter w;
  w.beginObject();
  if (e.time) w.key("time").str(isoTime(*e.time));
  w.key("event").str(eventName(e.type));
  if (e.state) w.key("state").str(nodeStateName(*e.state));
  jsonNumber(w, "epoch", e.epoch);
  if (e.vip) w.key("vip").str(e.vip->str());
  if (e.client) w.key("client").str(e.client->str());
  jsonNumber(w, "client_port", e.client_port);
  w.endObject();
  out << w.text() << '\n';
}

}  // namespace sttcp
