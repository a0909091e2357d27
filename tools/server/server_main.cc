// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// sttcp-server: deterministic echo/stream/http TCP server for the failover
// tests. One thread, one epoll loop; every connection logs one JSON line at
// close. --dump-http writes an HTTP body to stdout instead, for checksums.
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "http.h"
#include "json_writer.h"
#include "net_util.h"
#include "server_conn.h"

namespace sttcp::tools {
namespace {

constexpr std::uint64_t kListenId = 0;
constexpr std::uint64_t kSignalId = 1;

struct Options {
  sockaddr_in listen{};
  ServerMode mode = ServerMode::kEcho;
  std::string log_path;
  // --dump-http N [--seed S]: no server, the body of GET /bytes/N?seed=S.
  std::optional<std::uint64_t> dump_http;
  std::optional<std::uint64_t> seed;
  std::optional<std::uint64_t> corrupt_at;
};

const char kUsage[] =
    "Usage: sttcp-server --listen ADDR:PORT [--mode echo|stream|http] [--log FILE]\n"
    "                    [--corrupt-at N]\n"
    "       sttcp-server --dump-http N [--seed S]\n"
    "\n"
    "  echo:   send back every byte received; close after the client's EOF.\n"
    "  stream: read \"STREAM <seed> <bytes>\\n\", send <bytes> bytes of the seed's\n"
    "          PRNG stream while hashing what arrives; close after both ends.\n"
    "  http:   one HTTP/1.1 request per connection; GET /bytes/N[?seed=S] answers\n"
    "          200 with N bytes of PRNG(S, 0) (S defaults to 1), other paths 404,\n"
    "          other methods 405, malformed requests 400. No Date or Server header:\n"
    "          the response depends on the request bytes only. FIN right after the\n"
    "          response; the socket closes at the client's EOF.\n"
    "One JSON line per connection (and {\"listening\":...} at start) goes to FILE,\n"
    "or to stdout without --log. SIGTERM/SIGINT log open connections as \"killed\".\n"
    "--corrupt-at N flips the lowest bit of output byte N (from 0) of every\n"
    "connection: for tests, an application that answers differently on one node.\n"
    "\n"
    "--dump-http N [--seed S] writes exactly the N body bytes of GET /bytes/N?seed=S\n"
    "to stdout and exits (0, or 1 on a write error), e.g. to compute the expected\n"
    "sha256 of a download: sttcp-server --dump-http N --seed S | sha256sum\n";

[[noreturn]] void usageError(const std::string& msg) {
  std::fprintf(stderr, "sttcp-server: %s\n%s", msg.c_str(), kUsage);
  std::exit(2);
}

Options parseOptions(int argc, char** argv) {
  static const option kLong[] = {
      {"listen", required_argument, nullptr, 'l'}, {"mode", required_argument, nullptr, 'm'},
      {"log", required_argument, nullptr, 'o'},    {"dump-http", required_argument, nullptr, 'd'},
      {"seed", required_argument, nullptr, 's'},   {"corrupt-at", required_argument, nullptr, 'c'},
      {"help", no_argument, nullptr, 'h'},         {nullptr, 0, nullptr, 0},
  };
  Options opts;
  bool have_listen = false;
  bool have_server_option = false;  // --mode or --log
  int c;
  while ((c = getopt_long(argc, argv, "", kLong, nullptr)) != -1) {
    switch (c) {
      case 'l': {
        auto addr = parseHostPort(optarg);
        if (!addr) usageError(std::string("bad --listen '") + optarg + "'");
        opts.listen = *addr;
        have_listen = true;
        break;
      }
      case 'm':
        have_server_option = true;
        if (std::strcmp(optarg, "echo") == 0) {
          opts.mode = ServerMode::kEcho;
        } else if (std::strcmp(optarg, "stream") == 0) {
          opts.mode = ServerMode::kStream;
        } else if (std::strcmp(optarg, "http") == 0) {
          opts.mode = ServerMode::kHttp;
        } else {
          usageError(std::string("bad --mode '") + optarg + "'");
        }
        break;
      case 'o':
        opts.log_path = optarg;
        have_server_option = true;
        break;
      case 'd':
        opts.dump_http = parseU64(optarg);
        if (!opts.dump_http) usageError(std::string("bad --dump-http '") + optarg + "'");
        break;
      case 's':
        opts.seed = parseU64(optarg);
        if (!opts.seed) usageError(std::string("bad --seed '") + optarg + "'");
        break;
      case 'c':
        have_server_option = true;
        opts.corrupt_at = parseU64(optarg);
        if (!opts.corrupt_at) usageError(std::string("bad --corrupt-at '") + optarg + "'");
        break;
      case 'h':
        std::fputs(kUsage, stdout);
        std::exit(0);
      default:
        usageError("bad arguments");
    }
  }
  if (optind < argc) usageError(std::string("unexpected argument '") + argv[optind] + "'");
  if (opts.dump_http) {
    if (have_listen || have_server_option) {
      usageError("--dump-http takes no --listen, --mode or --log");
    }
    return opts;
  }
  if (opts.seed) usageError("--seed goes with --dump-http");
  if (!have_listen) usageError("--listen is required");
  return opts;
}

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "sttcp-server: %s: %s\n", what.c_str(), std::strerror(errno));
  std::exit(1);
}

// --dump-http: the body exactly as http mode would send it, generated by the
// same code, in chunks (any N, no matter how large).
int dumpHttpBody(std::uint64_t n, std::uint64_t seed) {
  const HttpResponse response = HttpResponse::bytes(n, seed);
  std::vector<std::uint8_t> buf(1 << 20);
  for (std::uint64_t off = 0; off < n;) {
    const std::size_t len = std::min<std::uint64_t>(buf.size(), n - off);
    response.fillBody(off, buf.data(), len);
    for (std::size_t done = 0; done < len;) {
      ssize_t w = ::write(STDOUT_FILENO, buf.data() + done, len - done);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) die("--dump-http: write to stdout");
      done += w;
    }
    off += len;
  }
  return 0;
}

class Server {
 public:
  explicit Server(const Options& opts) : opts_(opts) {}
  int run();

 private:
  void openLog();
  void writeLog(const std::string& line);
  void listen();
  void acceptAll();
  void update(std::uint64_t id, ServerConn& conn);
  void setAccepting(bool on);

  Options opts_;
  UniqueFd log_fd_;
  UniqueFd epoll_;
  UniqueFd listen_fd_;
  UniqueFd signal_fd_;
  std::map<std::uint64_t, std::unique_ptr<ServerConn>> conns_;
  std::map<std::uint64_t, std::uint32_t> registered_;  // events epoll watches per id
  std::uint64_t next_id_ = 2;
  bool accepting_ = true;
};

void Server::openLog() {
  if (opts_.log_path.empty()) {
    log_fd_.reset(::dup(STDOUT_FILENO));
  } else {
    log_fd_.reset(::open(opts_.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
  }
  if (!log_fd_) die("cannot open log " + opts_.log_path);
}

// One write() per line: with O_APPEND, lines from several servers sharing
// a log never interleave, and nothing sits in a buffer if we get killed.
void Server::writeLog(const std::string& line) {
  std::string out = line + "\n";
  std::size_t off = 0;
  while (off < out.size()) {
    ssize_t n = ::write(log_fd_.get(), out.data() + off, out.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) die("cannot write log");
    off += n;
  }
}

void Server::listen() {
  listen_fd_.reset(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!listen_fd_) die("socket");
  int one = 1;
  setsockopt(listen_fd_.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (::bind(listen_fd_.get(), reinterpret_cast<const sockaddr*>(&opts_.listen),
             sizeof(opts_.listen)) < 0) {
    die("bind " + formatSockaddr(opts_.listen));
  }
  if (::listen(listen_fd_.get(), SOMAXCONN) < 0) die("listen");
}

void Server::setAccepting(bool on) {
  if (on == accepting_) return;
  accepting_ = on;
  epoll_event ev{};
  ev.events = on ? std::uint32_t{EPOLLIN} : 0;
  ev.data.u64 = kListenId;
  epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, listen_fd_.get(), &ev);
}

void Server::acceptAll() {
  while (true) {
    int fd = ::accept4(listen_fd_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EMFILE || errno == ENFILE) {
        // Out of descriptors: stop polling the listener until one closes,
        // rather than spinning on a readable listen socket.
        std::fprintf(stderr, "sttcp-server: accept: %s; pausing\n", std::strerror(errno));
        setAccepting(false);
      } else if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED) {
        std::fprintf(stderr, "sttcp-server: accept: %s\n", std::strerror(errno));
      }
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;
    }
    UniqueFd conn_fd(fd);
    setNoDelay(fd);
    std::string peer = peerAddress(fd);
    std::uint64_t id = next_id_++;
    auto conn = std::make_unique<ServerConn>(std::move(conn_fd), std::move(peer), opts_.mode,
                                             opts_.corrupt_at);
    epoll_event ev{};
    ev.events = conn->wantedEvents();
    ev.data.u64 = id;
    if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) < 0) die("epoll_ctl add");
    registered_[id] = ev.events;
    conns_.emplace(id, std::move(conn));
  }
}

// Logs and drops finished connections; otherwise re-arms epoll if the
// wanted events changed (level-triggered, so this is what prevents spinning).
void Server::update(std::uint64_t id, ServerConn& conn) {
  if (conn.end()) {
    writeLog(conn.logLine(*conn.end()));
    registered_.erase(id);
    conns_.erase(id);  // closes the fd, which also removes it from epoll
    setAccepting(true);
    return;
  }
  std::uint32_t wanted = conn.wantedEvents();
  if (registered_[id] == wanted) return;
  epoll_event ev{};
  ev.events = wanted;
  ev.data.u64 = id;
  if (epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, conn.fd(), &ev) < 0) die("epoll_ctl mod");
  registered_[id] = wanted;
}

int Server::run() {
  openLog();
  signal(SIGPIPE, SIG_IGN);
  raiseFdLimit();
  listen();
  signal_fd_ = makeSignalFd({SIGTERM, SIGINT});
  epoll_.reset(epoll_create1(EPOLL_CLOEXEC));
  if (!epoll_) die("epoll_create1");
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = kListenId;
  if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, listen_fd_.get(), &ev) < 0) die("epoll_ctl");
  ev.data.u64 = kSignalId;
  if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, signal_fd_.get(), &ev) < 0) die("epoll_ctl");

  JsonWriter hello;
  hello.beginObject().key("listening").str(localAddress(listen_fd_.get())).endObject();
  writeLog(hello.text());
  if (!opts_.log_path.empty()) {  // readiness signal for scripts in any case
    std::printf("%s\n", hello.text().c_str());
    std::fflush(stdout);
  }

  epoll_event events[256];
  while (true) {
    int n = epoll_wait(epoll_.get(), events, 256, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      die("epoll_wait");
    }
    for (int i = 0; i < n; ++i) {
      std::uint64_t id = events[i].data.u64;
      if (id == kListenId) {
        acceptAll();
      } else if (id == kSignalId) {
        signalfd_siginfo info;
        if (::read(signal_fd_.get(), &info, sizeof(info)) != sizeof(info)) continue;
        for (auto& [conn_id, conn] : conns_)
          writeLog(conn->logLine("killed"));
        return 0;
      } else if (auto it = conns_.find(id); it != conns_.end()) {
        it->second->onEvents(events[i].events);
        update(id, *it->second);
      }
    }
  }
}

}  // namespace
}  // namespace sttcp::tools

int main(int argc, char** argv) {
  auto opts = sttcp::tools::parseOptions(argc, argv);
  if (opts.dump_http) {
    return sttcp::tools::dumpHttpBody(*opts.dump_http,
                                      opts.seed.value_or(sttcp::tools::kHttpDefaultSeed));
  }
  try {
    return sttcp::tools::Server(opts).run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sttcp-server: %s\n", e.what());
    return 1;
  }
}
