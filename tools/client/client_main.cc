// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// sttcp-client: N concurrent verified connections in one epoll loop; see
// kUsage. Prints a JSON report; exits 0 only if every connection verified
// all its bytes and ended with a clean EOF.
#include <getopt.h>
#include <signal.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "client_conn.h"
#include "net_util.h"
#include "report.h"
#include "timeline.h"

namespace sttcp::tools {
namespace {

struct Options {
  sockaddr_in server{};
  int conns = 1;
  ClientSpec spec;
  std::string timeline_path;
  std::string hold_path;
  double timeout_s = 120;
};

// The timeline file is flushed this often while connections run.
constexpr double kTimelineFlushMs = 100;

const char kUsage[] =
    "Usage: sttcp-client --connect ADDR:PORT [--conns N] [--bytes B] [--seed S]\n"
    "                    [--mode echo|stream] [--timeline FILE] [--hold-open FILE]\n"
    "                    [--timeout SEC]\n"
    "\n"
    "  echo:   connection i sends B bytes of PRNG(S, i) and verifies the echo.\n"
    "  stream: connection i sends \"STREAM <S+i> <B>\\n\" + B upload bytes and\n"
    "          verifies the B-byte download.\n"
    "  --hold-open FILE  after verifying, keep each connection open until FILE\n"
    "                    exists (\"HOLDING\" on stderr once all are waiting).\n"
    "  --timeline FILE   CSV conn,t_ms,rx_bytes,tx_bytes progress samples.\n"
    "Defaults: --conns 1 --bytes 1048576 --seed 1 --mode echo --timeout 120.\n";

[[noreturn]] void usageError(const std::string& msg) {
  std::fprintf(stderr, "sttcp-client: %s\n%s", msg.c_str(), kUsage);
  std::exit(2);
}

std::uint64_t numberArg(const char* name, const char* text) {
  auto value = parseU64(text);
  if (!value) usageError(std::string("bad ") + name + " '" + text + "'");
  return *value;
}

Options parseOptions(int argc, char** argv) {
  static const option kLong[] = {{"connect", required_argument, nullptr, 'c'},
                                 {"conns", required_argument, nullptr, 'n'},
                                 {"bytes", required_argument, nullptr, 'b'},
                                 {"seed", required_argument, nullptr, 's'},
                                 {"mode", required_argument, nullptr, 'm'},
                                 {"timeline", required_argument, nullptr, 't'},
                                 {"hold-open", required_argument, nullptr, 'H'},
                                 {"timeout", required_argument, nullptr, 'T'},
                                 {"help", no_argument, nullptr, 'h'},
                                 {nullptr, 0, nullptr, 0}};
  Options opts;
  opts.spec.bytes = 1 << 20;
  bool have_connect = false;
  int c;
  while ((c = getopt_long(argc, argv, "", kLong, nullptr)) != -1) {
    switch (c) {
      case 'c': {
        auto addr = parseHostPort(optarg);
        if (!addr) usageError(std::string("bad --connect '") + optarg + "'");
        opts.server = *addr;
        have_connect = true;
        break;
      }
      case 'n': {
        std::uint64_t n = numberArg("--conns", optarg);
        if (n == 0 || n > 1000000) usageError("--conns must be 1..1000000");
        opts.conns = static_cast<int>(n);
        break;
      }
      case 'b':
        opts.spec.bytes = numberArg("--bytes", optarg);
        break;
      case 's':
        opts.spec.seed = numberArg("--seed", optarg);
        break;
      case 'm':
        if (std::strcmp(optarg, "echo") == 0) {
          opts.spec.mode = ClientMode::kEcho;
        } else if (std::strcmp(optarg, "stream") == 0) {
          opts.spec.mode = ClientMode::kStream;
        } else {
          usageError(std::string("bad --mode '") + optarg + "'");
        }
        break;
      case 't':
        opts.timeline_path = optarg;
        break;
      case 'H':
        opts.hold_path = optarg;
        opts.spec.hold = true;
        break;
      case 'T': {
        char* end = nullptr;
        opts.timeout_s = std::strtod(optarg, &end);
        if (*end != '\0' || !(opts.timeout_s > 0)) usageError("--timeout must be > 0 seconds");
        break;
      }
      case 'h':
        std::fputs(kUsage, stdout);
        std::exit(0);
      default:
        usageError("bad arguments");
    }
  }
  if (optind < argc) usageError(std::string("unexpected argument '") + argv[optind] + "'");
  if (!have_connect) usageError("--connect is required");
  return opts;
}

class Client {
 public:
  explicit Client(const Options& opts) : opts_(opts), timeline_(opts.timeline_path) {}
  int run();

 private:
  // Re-arms epoll for conn i if its wanted events changed (level-triggered,
  // so stale interest would spin).
  void sync(std::size_t i);
  void checkHold(double now_ms);

  Options opts_;
  Timeline timeline_;
  UniqueFd epoll_;
  std::vector<std::unique_ptr<ClientConn>> conns_;
  std::vector<std::uint32_t> registered_;
  bool released_ = false;
  bool announced_ = false;
  double last_hold_check_ms_ = -1e18;
};

void Client::sync(std::size_t i) {
  ClientConn& c = *conns_[i];
  if (!c.active()) return;  // closing the fd removed it from epoll
  std::uint32_t wanted = c.wantedEvents();
  if (registered_[i] == wanted) return;
  epoll_event ev{};
  ev.events = wanted;
  ev.data.u64 = i;
  int op = registered_[i] == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
  if (epoll_ctl(epoll_.get(), op, c.fd(), &ev) < 0) {
    std::fprintf(stderr, "sttcp-client: epoll_ctl: %s\n", std::strerror(errno));
    std::exit(1);
  }
  registered_[i] = wanted;
}

void Client::checkHold(double now_ms) {
  if (!opts_.spec.hold) return;
  bool any_holding = false, any_before = false;
  for (const auto& c : conns_) {
    any_holding |= c->phase() == Phase::kHolding;
    any_before |= c->phase() == Phase::kConnecting || c->phase() == Phase::kTransfer;
  }
  if (!released_ && any_holding && now_ms - last_hold_check_ms_ >= 20) {
    last_hold_check_ms_ = now_ms;
    released_ = ::access(opts_.hold_path.c_str(), F_OK) == 0;
  }
  // Failed connections never get here; the others all wait now.
  if (!released_ && !announced_ && any_holding && !any_before) {
    announced_ = true;
    std::fputs("HOLDING\n", stderr);
    std::fflush(stderr);
  }
  if (released_ && any_holding) {
    for (std::size_t i = 0; i < conns_.size(); ++i) {
      conns_[i]->release(now_ms);
      sync(i);
    }
  }
}

int Client::run() {
  signal(SIGPIPE, SIG_IGN);
  raiseFdLimit();
  epoll_.reset(epoll_create1(EPOLL_CLOEXEC));
  if (!epoll_) {
    std::perror("sttcp-client: epoll_create1");
    return 1;
  }
  const double start = nowMs();
  const double deadline = start + opts_.timeout_s * 1000;
  registered_.assign(opts_.conns, 0);
  for (int i = 0; i < opts_.conns; ++i) {
    conns_.push_back(std::make_unique<ClientConn>(i, opts_.spec, start, timeline_));
    conns_.back()->connect(opts_.server, nowMs());
    sync(i);
  }

  std::vector<epoll_event> events(1024);
  double last_flush = start;
  while (true) {
    double now = nowMs();
    // Others follow the progress live (a test crashes a node at a given point of the transfer).
    if (now - last_flush >= kTimelineFlushMs) {
      timeline_.flush();
      last_flush = now;
    }
    bool any_active = false, any_holding = false;
    for (const auto& c : conns_) {
      any_active |= c->active();
      any_holding |= c->phase() == Phase::kHolding;
    }
    if (!any_active) break;
    if (now >= deadline) {
      for (auto& c : conns_)
        c->timeout(now);
      break;
    }
    double wait_ms = std::min(std::ceil(deadline - now), kTimelineFlushMs);
    if (any_holding && !released_) wait_ms = std::min(wait_ms, 20.0);  // poll the hold file
    int n = epoll_wait(epoll_.get(), events.data(), static_cast<int>(events.size()),
                       static_cast<int>(wait_ms));
    if (n < 0 && errno != EINTR) {
      std::perror("sttcp-client: epoll_wait");
      return 1;
    }
    for (int k = 0; k < n; ++k) {
      // Timestamp each event, not the batch: stalls are measured per event.
      std::size_t i = events[k].data.u64;
      conns_[i]->onEvents(events[k].events, nowMs());
      sync(i);
    }
    checkHold(nowMs());
  }
  timeline_.flush();
  std::printf("%s\n", reportJson(conns_).c_str());
  std::fflush(stdout);
  for (const auto& c : conns_) {
    if (!c->ok()) return 1;
  }
  return 0;
}

}  // namespace
}  // namespace sttcp::tools

int main(int argc, char** argv) {
  auto opts = sttcp::tools::parseOptions(argc, argv);
  try {
    return sttcp::tools::Client(opts).run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sttcp-client: %s\n", e.what());
    return 1;
  }
}
