// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// sttcp-bench: small load generators for scripts/bench (see kUsage). One
// thread, one epoll loop each; numbers go to stdout as one JSON object, raw
// latencies optionally to a file (the statistics are computed by
// scripts/bench_report.py, which is unit-tested).
#include <arpa/inet.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "net_util.h"

namespace sttcp::tools {
namespace {

const char kUsage[] =
    "Usage: sttcp-bench serve --listen ADDR:PORT\n"
    "       sttcp-bench rr --connect ADDR:PORT [--size N] [--duration SEC] [--out FILE]\n"
    "       sttcp-bench connrate --connect ADDR:PORT [--duration SEC] [--parallel P]\n"
    "       sttcp-bench hold --connect ADDR:PORT --conns N [--sources A[,B...]]\n"
    "                        [--until FILE] [--parallel P] [--timeout SEC]\n"
    "\n"
    "  serve     echo server for any number of connections: one shared buffer,\n"
    "            per-connection state only for a partial write (no 256 KiB each\n"
    "            as in sttcp-server). Prints {\"listening\":...} once ready.\n"
    "  rr        one connection: N-byte request, wait for the N-byte echo, repeat\n"
    "            for SEC s (default 64 bytes, 5 s). --out: latencies (us), one a line.\n"
    "  connrate  P connections at a time (default 4): connect, 1 byte echoed,\n"
    "            close; for SEC s (default 5). Reports connections/s.\n"
    "  hold      opens N idle connections (at most P connecting at once, default\n"
    "            256) from the given source addresses (round robin) and keeps them\n"
    "            open until FILE exists (or, without --until, exits at once).\n"
    "            Prints {\"established\":n,...} to stdout; progress lines to stderr.\n"
    "Exit 0 on success, 1 on errors, 2 on bad arguments.\n";

[[noreturn]] void usageError(const std::string& msg) {
  std::fprintf(stderr, "sttcp-bench: %s\n%s", msg.c_str(), kUsage);
  std::exit(2);
}

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "sttcp-bench: %s: %s\n", what.c_str(), std::strerror(errno));
  std::exit(1);
}

struct Options {
  std::string cmd;
  sockaddr_in addr{};
  bool have_addr = false;
  std::uint64_t size = 64;
  double duration_s = 5;
  std::string out;
  int parallel = 0;
  std::uint64_t conns = 0;
  std::vector<in_addr> sources;
  std::string until;
  double timeout_s = 600;
};

double positive(const char* name, const char* text) {
  char* end = nullptr;
  double v = std::strtod(text, &end);
  if (*end != '\0' || !(v > 0)) usageError(std::string(name) + " must be > 0");
  return v;
}

std::uint64_t count(const char* name, const char* text) {
  auto v = parseU64(text);
  if (!v || *v == 0) usageError(std::string("bad ") + name + " '" + text + "'");
  return *v;
}

Options parseOptions(int argc, char** argv) {
  if (argc < 2) usageError("no command");
  Options o;
  o.cmd = argv[1];
  if (o.cmd == "-h" || o.cmd == "--help") {
    std::fputs(kUsage, stdout);
    std::exit(0);
  }
  if (o.cmd != "serve" && o.cmd != "rr" && o.cmd != "connrate" && o.cmd != "hold")
    usageError("unknown command '" + o.cmd + "'");
  static const option kLong[] = {{"listen", required_argument, nullptr, 'l'},
                                 {"connect", required_argument, nullptr, 'c'},
                                 {"size", required_argument, nullptr, 's'},
                                 {"duration", required_argument, nullptr, 'd'},
                                 {"out", required_argument, nullptr, 'o'},
                                 {"parallel", required_argument, nullptr, 'p'},
                                 {"conns", required_argument, nullptr, 'n'},
                                 {"sources", required_argument, nullptr, 'S'},
                                 {"until", required_argument, nullptr, 'u'},
                                 {"timeout", required_argument, nullptr, 'T'},
                                 {nullptr, 0, nullptr, 0}};
  optind = 2;
  int c;
  while ((c = getopt_long(argc, argv, "", kLong, nullptr)) != -1) {
    switch (c) {
      case 'l':
      case 'c': {
        auto a = parseHostPort(optarg);
        if (!a) usageError(std::string("bad address '") + optarg + "'");
        o.addr = *a;
        o.have_addr = true;
        break;
      }
      case 's':
        o.size = count("--size", optarg);
        if (o.size > (1u << 20)) usageError("--size must be at most 1 MiB");
        break;
      case 'd':
        o.duration_s = positive("--duration", optarg);
        break;
      case 'o':
        o.out = optarg;
        break;
      case 'p':
        o.parallel = static_cast<int>(std::min<std::uint64_t>(count("--parallel", optarg), 65536));
        break;
      case 'n':
        o.conns = count("--conns", optarg);
        break;
      case 'S': {
        std::string list = optarg;
        std::size_t pos = 0;
        while (pos <= list.size()) {
          std::size_t comma = list.find(',', pos);
          std::string one =
              list.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
          in_addr a{};
          if (inet_pton(AF_INET, one.c_str(), &a) != 1) usageError("bad source '" + one + "'");
          o.sources.push_back(a);
          if (comma == std::string::npos) break;
          pos = comma + 1;
        }
        break;
      }
      case 'u':
        o.until = optarg;
        break;
      case 'T':
        o.timeout_s = positive("--timeout", optarg);
        break;
      default:
        usageError("bad arguments");
    }
  }
  if (optind < argc) usageError(std::string("unexpected argument '") + argv[optind] + "'");
  if (!o.have_addr) usageError(o.cmd == "serve" ? "--listen is required" : "--connect is required");
  if (o.cmd == "hold" && o.conns == 0) usageError("--conns is required");
  return o;
}

int nonblockingSocket() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) die("socket");
  return fd;
}

// ---- serve

int serve(const Options& o) {
  signal(SIGPIPE, SIG_IGN);
  raiseFdLimit();
  UniqueFd lfd(nonblockingSocket());
  int one = 1;
  setsockopt(lfd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (::bind(lfd.get(), reinterpret_cast<const sockaddr*>(&o.addr), sizeof(o.addr)) < 0)
    die("bind " + formatSockaddr(o.addr));
  if (::listen(lfd.get(), 65535) < 0) die("listen");
  UniqueFd ep(epoll_create1(EPOLL_CLOEXEC));
  UniqueFd sig = makeSignalFd({SIGTERM, SIGINT});
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = lfd.get();
  epoll_ctl(ep.get(), EPOLL_CTL_ADD, lfd.get(), &ev);
  ev.data.fd = sig.get();
  epoll_ctl(ep.get(), EPOLL_CTL_ADD, sig.get(), &ev);
  std::printf("{\"listening\":\"%s\"}\n", formatSockaddr(o.addr).c_str());
  std::fflush(stdout);

  // fd -> bytes still to echo (the rare partial write); empty for most.
  std::vector<std::string> pending;
  std::vector<char> buf(64 * 1024);
  std::vector<epoll_event> events(1024);
  auto closeConn = [&](int fd) {
    if (static_cast<std::size_t>(fd) < pending.size()) pending[fd].clear();
    ::close(fd);
  };
  while (true) {
    int n = epoll_wait(ep.get(), events.data(), static_cast<int>(events.size()), -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      die("epoll_wait");
    }
    for (int k = 0; k < n; ++k) {
      int fd = events[k].data.fd;
      if (fd == sig.get()) return 0;
      if (fd == lfd.get()) {
        while (true) {
          int c = ::accept4(lfd.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
          if (c < 0) break;  // EAGAIN, or EMFILE: retried on the next event
          setNoDelay(c);
          epoll_event cev{};
          cev.events = EPOLLIN;
          cev.data.fd = c;
          epoll_ctl(ep.get(), EPOLL_CTL_ADD, c, &cev);
        }
        continue;
      }
      if (static_cast<std::size_t>(fd) >= pending.size()) pending.resize(fd + 1024);
      std::string& p = pending[fd];
      if (!p.empty()) {  // writable again: finish the echo, then read again
        ssize_t w = ::send(fd, p.data(), p.size(), MSG_NOSIGNAL);
        if (w < 0 && errno != EAGAIN) {
          closeConn(fd);
          continue;
        }
        if (w > 0) p.erase(0, w);
        if (p.empty()) {
          epoll_event cev{};
          cev.events = EPOLLIN;
          cev.data.fd = fd;
          epoll_ctl(ep.get(), EPOLL_CTL_MOD, fd, &cev);
        }
        continue;
      }
      ssize_t r = ::recv(fd, buf.data(), buf.size(), 0);
      if (r == 0 || (r < 0 && errno != EAGAIN)) {
        closeConn(fd);
        continue;
      }
      if (r < 0) continue;
      ssize_t w = ::send(fd, buf.data(), r, MSG_NOSIGNAL);
      if (w < 0 && errno != EAGAIN) {
        closeConn(fd);
        continue;
      }
      if (w < r) {
        p.assign(buf.data() + std::max<ssize_t>(w, 0), buf.data() + r);
        epoll_event cev{};
        cev.events = EPOLLOUT;
        cev.data.fd = fd;
        epoll_ctl(ep.get(), EPOLL_CTL_MOD, fd, &cev);
      }
    }
  }
}

// ---- rr

// Blocking helpers for the one rr connection.
bool sendAll(int fd, const char* p, std::size_t n) {
  while (n > 0) {
    ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
    if (w <= 0) return false;
    p += w;
    n -= w;
  }
  return true;
}

bool recvAll(int fd, char* p, std::size_t n) {
  while (n > 0) {
    ssize_t r = ::recv(fd, p, n, 0);
    if (r <= 0) return false;
    p += r;
    n -= r;
  }
  return true;
}

int rr(const Options& o) {
  signal(SIGPIPE, SIG_IGN);
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) die("socket");
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&o.addr), sizeof(o.addr)) < 0)
    die("connect " + formatSockaddr(o.addr));
  setNoDelay(fd.get());
  std::vector<char> req(o.size), resp(o.size);
  for (std::size_t i = 0; i < req.size(); ++i)
    req[i] = static_cast<char>('a' + i % 26);
  std::vector<double> lat_us;
  const double end = nowMs() + o.duration_s * 1000;
  bool ok = true;
  for (double t0 = nowMs(); t0 < end; t0 = nowMs()) {
    if (!sendAll(fd.get(), req.data(), req.size()) ||
        !recvAll(fd.get(), resp.data(), resp.size())) {
      ok = false;
      break;
    }
    lat_us.push_back((nowMs() - t0) * 1000);
    if (resp != req) {
      std::fprintf(stderr, "sttcp-bench: rr: response differs from request\n");
      return 1;
    }
  }
  if (!o.out.empty()) {
    FILE* f = std::fopen(o.out.c_str(), "w");
    if (!f) die("open " + o.out);
    for (double v : lat_us)
      std::fprintf(f, "%.1f\n", v);
    std::fclose(f);
  }
  std::vector<double> s = lat_us;
  std::sort(s.begin(), s.end());
  auto q = [&](double p) {
    return s.empty() ? 0.0 : s[std::min(s.size() - 1, static_cast<std::size_t>(p * s.size()))];
  };
  std::printf("{\"ops\":%zu,\"size\":%llu,\"p50_us\":%.1f,\"p99_us\":%.1f,\"ok\":%s}\n", s.size(),
              static_cast<unsigned long long>(o.size), q(0.5), q(0.99), ok ? "true" : "false");
  return ok ? 0 : 1;
}

// ---- connrate and hold: many non-blocking connects

struct Conn {
  int fd = -1;
  int stage = 0;  // connrate: 0 connecting, 1 sent, 2 got echo, draining to EOF
};

UniqueFd epollOrDie() {
  UniqueFd ep(epoll_create1(EPOLL_CLOEXEC));
  if (!ep) die("epoll_create1");
  return ep;
}

// Starts a non-blocking connect, bound to `source` when it is not INADDR_ANY
// (IP_BIND_ADDRESS_NO_PORT: the port is chosen per 4-tuple at connect, so each
// source address has the whole ephemeral range for this server).
int startConnect(const sockaddr_in& to, in_addr source, int* err) {
  int fd = nonblockingSocket();
  if (source.s_addr != htonl(INADDR_ANY)) {
    int one = 1;
    setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
    sockaddr_in src{};
    src.sin_family = AF_INET;
    src.sin_addr = source;
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&src), sizeof(src)) < 0) {
      *err = errno;
      ::close(fd);
      return -1;
    }
  }
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof(to)) < 0 &&
      errno != EINPROGRESS) {
    *err = errno;
    ::close(fd);
    return -1;
  }
  return fd;
}

int connrate(const Options& o) {
  signal(SIGPIPE, SIG_IGN);
  raiseFdLimit();
  const int parallel = o.parallel ? o.parallel : 4;
  UniqueFd ep = epollOrDie();
  std::vector<Conn> slots(parallel);
  std::uint64_t done = 0, failed = 0;
  std::string first_error;
  const double start = nowMs(), end = start + o.duration_s * 1000;
  auto open = [&](int i) {
    int err = 0;
    int fd = startConnect(o.addr, in_addr{htonl(INADDR_ANY)}, &err);
    if (fd < 0) {
      ++failed;
      if (first_error.empty()) first_error = std::string("connect: ") + std::strerror(err);
      slots[i].fd = -1;
      return;
    }
    slots[i] = Conn{fd, 0};
    epoll_event ev{};
    ev.events = EPOLLOUT;
    ev.data.u64 = i;
    epoll_ctl(ep.get(), EPOLL_CTL_ADD, fd, &ev);
  };
  auto finish = [&](int i, bool ok, const char* why) {
    ::close(slots[i].fd);
    slots[i].fd = -1;
    if (ok) {
      ++done;
    } else {
      ++failed;
      if (first_error.empty()) first_error = why;
    }
    if (nowMs() < end) open(i);
  };
  for (int i = 0; i < parallel; ++i)
    open(i);
  std::vector<epoll_event> events(256);
  while (true) {
    bool any = std::any_of(slots.begin(), slots.end(), [](const Conn& c) { return c.fd >= 0; });
    if (!any) break;
    int n = epoll_wait(ep.get(), events.data(), static_cast<int>(events.size()), 100);
    if (n < 0 && errno != EINTR) die("epoll_wait");
    if (nowMs() > end + 30000) break;  // stuck connections: give up on them
    for (int k = 0; k < n; ++k) {
      int i = static_cast<int>(events[k].data.u64);
      Conn& c = slots[i];
      if (c.fd < 0) continue;
      char b[16];
      if (c.stage == 0) {
        int err = 0;
        socklen_t len = sizeof(err);
        getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err || ::send(c.fd, "x", 1, MSG_NOSIGNAL) != 1) {
          finish(i, false, "connect or send failed");
          continue;
        }
        c.stage = 1;
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = i;
        epoll_ctl(ep.get(), EPOLL_CTL_MOD, c.fd, &ev);
      } else {
        ssize_t r = ::recv(c.fd, b, sizeof(b), 0);
        if (r < 0 && errno == EAGAIN) continue;
        if (c.stage == 1) {
          if (r != 1 || b[0] != 'x') {
            finish(i, false, "no echo");
            continue;
          }
          c.stage = 2;
          ::shutdown(c.fd, SHUT_WR);  // the server closes at our EOF
        } else {
          finish(i, r == 0, "no clean EOF");
        }
      }
    }
  }
  double secs = (nowMs() - start) / 1000;
  std::printf(
      "{\"conns\":%llu,\"failed\":%llu,\"seconds\":%.3f,\"rate\":%.1f,\"first_error\":\"%s\"}\n",
      static_cast<unsigned long long>(done), static_cast<unsigned long long>(failed), secs,
      done / secs, first_error.c_str());
  return failed ? 1 : 0;
}

int hold(const Options& o) {
  signal(SIGPIPE, SIG_IGN);
  raiseFdLimit();
  const int parallel = o.parallel ? o.parallel : 256;
  std::vector<in_addr> sources = o.sources;
  if (sources.empty()) sources.push_back(in_addr{htonl(INADDR_ANY)});
  UniqueFd ep = epollOrDie();
  std::vector<int> fds;
  fds.reserve(o.conns);
  std::uint64_t started = 0, established = 0, failed = 0, connecting = 0;
  std::string first_error;
  const double start = nowMs(), deadline = start + o.timeout_s * 1000;
  double last_report = start, t_all = 0;
  std::vector<epoll_event> events(1024);
  // Stops opening after this many failures in a row: a limit was reached.
  const std::uint64_t kGiveUpAfter = 1000;
  std::uint64_t fails_in_a_row = 0;
  while (established + connecting < o.conns || connecting > 0) {
    while (started < o.conns && connecting < static_cast<std::uint64_t>(parallel) &&
           fails_in_a_row < kGiveUpAfter) {
      int err = 0;
      int fd = startConnect(o.addr, sources[started % sources.size()], &err);
      ++started;
      if (fd < 0) {
        ++failed;
        ++fails_in_a_row;
        if (first_error.empty()) first_error = std::string("connect: ") + std::strerror(err);
        continue;
      }
      epoll_event ev{};
      ev.events = EPOLLOUT;
      ev.data.fd = fd;
      epoll_ctl(ep.get(), EPOLL_CTL_ADD, fd, &ev);
      ++connecting;
    }
    if (connecting == 0) break;
    double now = nowMs();
    if (now > deadline) break;
    int n = epoll_wait(ep.get(), events.data(), static_cast<int>(events.size()), 200);
    if (n < 0 && errno != EINTR) die("epoll_wait");
    for (int k = 0; k < n; ++k) {
      int fd = events[k].data.fd;
      int err = 0;
      socklen_t len = sizeof(err);
      getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
      --connecting;
      // Idle from now on: no events wanted (a reset is noticed by the report's check).
      epoll_ctl(ep.get(), EPOLL_CTL_DEL, fd, nullptr);
      if (err) {
        ++failed;
        ++fails_in_a_row;
        if (first_error.empty()) first_error = std::string("connect: ") + std::strerror(err);
        ::close(fd);
        continue;
      }
      fails_in_a_row = 0;
      fds.push_back(fd);
      ++established;
    }
    now = nowMs();
    if (now - last_report >= 2000) {
      std::fprintf(stderr, "established %llu failed %llu connecting %llu t_ms %.0f\n",
                   static_cast<unsigned long long>(established),
                   static_cast<unsigned long long>(failed),
                   static_cast<unsigned long long>(connecting), now - start);
      last_report = now;
    }
  }
  t_all = nowMs() - start;
  std::fprintf(stderr, "HOLDING established %llu failed %llu\n",
               static_cast<unsigned long long>(established),
               static_cast<unsigned long long>(failed));
  if (!o.until.empty()) {
    while (::access(o.until.c_str(), F_OK) != 0 && nowMs() < deadline)
      ::usleep(100000);
  }
  // Connections still established at the end (none reset while held).
  std::uint64_t alive = 0;
  for (int fd : fds) {
    char b;
    ssize_t r = ::recv(fd, &b, 1, MSG_DONTWAIT | MSG_PEEK);
    if (r < 0 && errno == EAGAIN) ++alive;
  }
  std::printf(
      "{\"established\":%llu,\"alive\":%llu,\"failed\":%llu,\"connect_ms\":%.0f,\"first_error\":\"%"
      "s\"}\n",
      static_cast<unsigned long long>(established), static_cast<unsigned long long>(alive),
      static_cast<unsigned long long>(failed), t_all, first_error.c_str());
  std::fflush(stdout);
  for (int fd : fds)
    ::close(fd);
  return established == o.conns ? 0 : 1;
}

}  // namespace
}  // namespace sttcp::tools

int main(int argc, char** argv) {
  using namespace sttcp::tools;
  Options o = parseOptions(argc, argv);
  if (o.cmd == "serve") return serve(o);
  if (o.cmd == "rr") return rr(o);
  if (o.cmd == "connrate") return connrate(o);
  return hold(o);
}
