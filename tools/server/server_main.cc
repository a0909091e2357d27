// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// sttcp-server: deterministic echo/stream TCP server for the failover tests.
// One thread, one epoll loop; every connection logs one JSON line at close.
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

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
};

const char kUsage[] =
    "Usage: sttcp-server --listen ADDR:PORT [--mode echo|stream] [--log FILE]\n"
    "\n"
    "  echo:   send back every byte received; close after the client's EOF.\n"
    "  stream: read \"STREAM <seed> <bytes>\\n\", send <bytes> bytes of the seed's\n"
    "          PRNG stream while hashing what arrives; close after both ends.\n"
    "One JSON line per connection (and {\"listening\":...} at start) goes to FILE,\n"
    "or to stdout without --log. SIGTERM/SIGINT log open connections as \"killed\".\n";

[[noreturn]] void usageError(const std::string& msg) {
  std::fprintf(stderr, "sttcp-server: %s\n%s", msg.c_str(), kUsage);
  std::exit(2);
}

Options parseOptions(int argc, char** argv) {
  static const option kLong[] = {{"listen", required_argument, nullptr, 'l'},
                                 {"mode", required_argument, nullptr, 'm'},
                                 {"log", required_argument, nullptr, 'o'},
                                 {"help", no_argument, nullptr, 'h'},
                                 {nullptr, 0, nullptr, 0}};
  Options opts;
  bool have_listen = false;
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
        if (std::strcmp(optarg, "echo") == 0) {
          opts.mode = ServerMode::kEcho;
        } else if (std::strcmp(optarg, "stream") == 0) {
          opts.mode = ServerMode::kStream;
        } else {
          usageError(std::string("bad --mode '") + optarg + "'");
        }
        break;
      case 'o':
        opts.log_path = optarg;
        break;
      case 'h':
        std::fputs(kUsage, stdout);
        std::exit(0);
      default:
        usageError("bad arguments");
    }
  }
  if (optind < argc) usageError(std::string("unexpected argument '") + argv[optind] + "'");
  if (!have_listen) usageError("--listen is required");
  return opts;
}

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "sttcp-server: %s: %s\n", what.c_str(), std::strerror(errno));
  std::exit(1);
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
    auto conn = std::make_unique<ServerConn>(std::move(conn_fd), std::move(peer), opts_.mode);
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
  try {
    return sttcp::tools::Server(opts).run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sttcp-server: %s\n", e.what());
    return 1;
  }
}
