// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// sttcp-server and sttcp-client end to end on 127.0.0.1, plus hand-made
// clients that segment their bytes badly on purpose.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "hash.h"
#include "net_util.h"
#include "prng.h"

extern char** environ;

namespace sttcp::tools {
namespace {

// A child process with its stdout on a pipe.
struct Child {
  pid_t pid = -1;
  UniqueFd out;
};

Child spawn(const std::vector<std::string>& args) {
  int pipe_fds[2];
  EXPECT_EQ(pipe2(pipe_fds, O_CLOEXEC), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  std::vector<char*> argv;
  for (const auto& a : args)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  Child child;
  EXPECT_EQ(posix_spawn(&child.pid, argv[0], &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  child.out.reset(pipe_fds[0]);
  return child;
}

std::string readLine(int fd) {
  std::string line;
  char c;
  while (read(fd, &c, 1) == 1 && c != '\n')
    line += c;
  return line;
}

std::string readAll(int fd) {
  std::string text;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof(buf))) > 0)
    text.append(buf, n);
  return text;
}

int waitExit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Runs a server for the test's lifetime on an ephemeral port.
class ServerFixture : public ::testing::TestWithParam<std::string> {
 protected:
  void start(const std::string& mode) {
    char path[] = "/tmp/sttcp-server-log-XXXXXX";
    close(mkstemp(path));
    log_path_ = path;
    server_ = spawn({STTCP_SERVER_BIN, "--listen", "127.0.0.1:0", "--mode", mode, "--log", path});
    std::smatch m;
    std::string hello = readLine(server_.out.get());
    ASSERT_TRUE(
        std::regex_match(hello, m, std::regex(R"re(\{"listening":"(127\.0\.0\.1:\d+)"\})re")))
        << hello;
    addr_ = m[1];
  }
  void TearDown() override {
    if (server_.pid > 0) {
      kill(server_.pid, SIGTERM);
      EXPECT_EQ(waitExit(server_.pid), 0);
    }
    if (!log_path_.empty()) unlink(log_path_.c_str());
  }
  // peer -> {rx_hash, tx_hash, end} from the server log.
  std::map<std::string, std::vector<std::string>> serverLog() {
    std::ifstream in(log_path_);
    std::map<std::string, std::vector<std::string>> out;
    std::regex re(R"re(\{"peer":"([^"]+)","rx_bytes":\d+,"rx_hash":"([0-9a-f]{16})",)re"
                  R"re("tx_bytes":\d+,"tx_hash":"([0-9a-f]{16})","end":"([^"]+)"\})re");
    std::string line;
    std::smatch m;
    while (std::getline(in, line)) {
      if (std::regex_match(line, m, re)) out[m[1]] = {m[2], m[3], m[4]};
    }
    return out;
  }
  // The log entry of the connection from `local`, waiting for it to appear
  // (the server logs a reset only once it notices it).
  std::vector<std::string> entryFor(const std::string& local) {
    for (int i = 0; i < 500; ++i) {
      auto log = serverLog();
      if (log.count(local)) return log[local];
      usleep(10 * 1000);
    }
    return {"", "", "<no log entry>"};
  }
  sockaddr_in addr() const { return *parseHostPort(addr_); }

  Child server_;
  std::string addr_;
  std::string log_path_;
};

TEST_P(ServerFixture, ClientVerifiesAndHashesMatchTheServer) {
  start(GetParam());
  Child client = spawn({STTCP_CLIENT_BIN, "--connect", addr_, "--mode", GetParam(), "--conns", "8",
                        "--bytes", "200000", "--seed", "7", "--timeout", "60"});
  std::string report = readAll(client.out.get());
  ASSERT_EQ(waitExit(client.pid), 0) << report;
  EXPECT_NE(report.find(R"("conns":8,"ok":8,"failed":0,"bytes_verified":1600000,)"),
            std::string::npos)
      << report;
  auto log = serverLog();
  std::regex conn_re(
      R"re(\{"i":\d+,"local":"([^"]+)",[^}]*"verified":true,"error":null,)re"
      R"re("max_stall_ms":[0-9.]+,"rx_hash":"([0-9a-f]+)","tx_hash":"([0-9a-f]+)"\})re");
  int matched = 0;
  for (std::sregex_iterator it(report.begin(), report.end(), conn_re), end; it != end; ++it) {
    const std::smatch& m = *it;
    ASSERT_TRUE(log.count(m[1])) << m[1];
    const auto& server = log[m[1]];
    EXPECT_EQ(server[0], m[3]) << "server rx_hash == client tx_hash";
    EXPECT_EQ(server[1], m[2]) << "server tx_hash == client rx_hash";
    EXPECT_EQ(server[2], "eof");
    ++matched;
  }
  EXPECT_EQ(matched, 8);
}

INSTANTIATE_TEST_SUITE_P(Modes, ServerFixture, ::testing::Values("echo", "stream"));

UniqueFd connectTo(const sockaddr_in& addr) {
  UniqueFd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  EXPECT_EQ(connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)), 0);
  setNoDelay(fd.get());
  return fd;
}

std::string recvAll(int fd) {
  std::string got;
  char buf[777];  // odd sizes on purpose
  ssize_t n;
  while ((n = recv(fd, buf, sizeof(buf), 0)) > 0)
    got.append(buf, n);
  return got;
}

class RawClient : public ServerFixture {};

TEST_F(RawClient, StreamRequestLineSentByteByByte) {
  start("stream");
  UniqueFd fd = connectTo(addr());
  const std::string header = "STREAM 99 70001\n";
  for (char c : header) {
    ASSERT_EQ(send(fd.get(), &c, 1, 0), 1);
    usleep(1000);
  }
  shutdown(fd.get(), SHUT_WR);
  std::string got = recvAll(fd.get());
  std::string want(70001, '\0');
  PrngStream(99, 0).fill(0, reinterpret_cast<std::uint8_t*>(want.data()), want.size());
  EXPECT_TRUE(got == want) << "got " << got.size() << " bytes";
}

TEST_F(RawClient, BadStreamRequestIsLoggedAsError) {
  start("stream");
  UniqueFd fd = connectTo(addr());
  std::string local = localAddress(fd.get());
  const std::string header = "HELLO\n";
  send(fd.get(), header.data(), header.size(), 0);
  EXPECT_EQ(recvAll(fd.get()), "");
  EXPECT_EQ(entryFor(local).at(2), "error:bad request line (want: STREAM <seed> <bytes>)");
}

TEST_F(RawClient, EchoOfRaggedWritesInterleavedWithReads) {
  start("echo");
  UniqueFd fd = connectTo(addr());
  std::string local = localAddress(fd.get());
  std::string data;
  for (int i = 0; i < 50000; ++i)
    data += static_cast<char>(i * 7 + i / 255);
  std::string got;
  for (std::size_t off = 0, step = 1; off < data.size(); off += step, step = step * 3 % 2999 + 1) {
    std::size_t n = std::min(step, data.size() - off);
    ASSERT_EQ(send(fd.get(), data.data() + off, n, 0), static_cast<ssize_t>(n));
    char buf[512];
    ssize_t r = recv(fd.get(), buf, sizeof(buf), MSG_DONTWAIT);
    if (r > 0) got.append(buf, r);
  }
  shutdown(fd.get(), SHUT_WR);
  got += recvAll(fd.get());
  EXPECT_TRUE(got == data);
  fd.reset();
  Fnv1a64 hash;
  hash.update(data.data(), data.size());
  auto entry = entryFor(local);
  EXPECT_EQ(entry[0], hash.hex());
  EXPECT_EQ(entry[1], hash.hex());
  EXPECT_EQ(entry[2], "eof");
}

TEST_F(RawClient, ResetIsLoggedAsReset) {
  start("echo");
  UniqueFd fd = connectTo(addr());
  std::string local = localAddress(fd.get());
  send(fd.get(), "abc", 3, 0);
  char buf[3];
  ASSERT_EQ(recv(fd.get(), buf, 3, MSG_WAITALL), 3);  // the server has the connection
  linger lin{1, 0};                                   // close with RST
  setsockopt(fd.get(), SOL_SOCKET, SO_LINGER, &lin, sizeof(lin));
  fd.reset();
  EXPECT_EQ(entryFor(local).at(2), "reset");
}

TEST_F(RawClient, SigtermLogsOpenConnectionsAsKilled) {
  start("echo");
  UniqueFd fd = connectTo(addr());
  std::string local = localAddress(fd.get());
  send(fd.get(), "abc", 3, 0);
  char buf[3];
  ASSERT_EQ(recv(fd.get(), buf, 3, MSG_WAITALL), 3);
  kill(server_.pid, SIGTERM);
  EXPECT_EQ(waitExit(server_.pid), 0);
  server_.pid = -1;
  EXPECT_EQ(serverLog()[local].at(2), "killed");
}

// A one-connection server in a thread, misbehaving as `serve` says.
class FakeServer {
 public:
  explicit FakeServer(std::function<void(int fd)> serve) {
    listen_.reset(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in addr = *parseHostPort("127.0.0.1:0");
    EXPECT_EQ(bind(listen_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    EXPECT_EQ(listen(listen_.get(), 1), 0);
    thread_ = std::thread([this, serve] {
      UniqueFd conn(accept4(listen_.get(), nullptr, nullptr, SOCK_CLOEXEC));
      serve(conn.get());
    });
  }
  ~FakeServer() { thread_.join(); }
  std::string addr() const { return localAddress(listen_.get()); }

 private:
  UniqueFd listen_;
  std::thread thread_;
};

std::string runClient(const std::string& addr, const std::string& bytes, int* exit_code) {
  Child client = spawn({STTCP_CLIENT_BIN, "--connect", addr, "--bytes", bytes, "--timeout", "10"});
  std::string report = readAll(client.out.get());
  *exit_code = waitExit(client.pid);
  return report;
}

// Echoes what it reads, passing each byte through `corrupt(offset, byte)`,
// until the client goes away or `limit` bytes were echoed; then closes.
void echoWith(int fd, std::function<char(std::size_t, char)> corrupt, std::size_t limit) {
  std::size_t off = 0;
  char buf[1000];
  ssize_t n;
  while (off < limit && (n = recv(fd, buf, std::min(sizeof(buf), limit - off), 0)) > 0) {
    for (ssize_t i = 0; i < n; ++i)
      buf[i] = corrupt(off + i, buf[i]);
    if (send(fd, buf, n, MSG_NOSIGNAL) != n) return;
    off += n;
  }
}

TEST(ClientErrors, CorruptedEchoIsCaughtAtTheRightOffset) {
  FakeServer server([](int fd) {
    echoWith(
        fd, [](std::size_t off, char c) { return off == 1000 ? char(c ^ 1) : c; }, 1 << 20);
  });
  int exit_code;
  std::string report = runClient(server.addr(), "5000", &exit_code);
  EXPECT_EQ(exit_code, 1);
  EXPECT_NE(report.find(R"("bytes_verified":1000,)"), std::string::npos) << report;
  EXPECT_NE(report.find(R"("error":"mismatch at offset 1000: got 0x)"), std::string::npos)
      << report;
}

TEST(ClientErrors, EarlyEofIsAnError) {
  FakeServer server([](int fd) {
    echoWith(
        fd, [](std::size_t, char c) { return c; }, 10);
    shutdown(fd, SHUT_WR);  // a FIN, not the RST of closing with unread data
    recvAll(fd);
  });
  int exit_code;
  std::string report = runClient(server.addr(), "5000", &exit_code);
  EXPECT_EQ(exit_code, 1);
  EXPECT_NE(report.find(R"("error":"early EOF [transfer, rx 10/5000)"), std::string::npos)
      << report;
}

TEST(ClientErrors, RefusedConnectionFailsWithExitOne) {
  // Bind a port and do not listen: connecting to it is refused.
  UniqueFd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr = *parseHostPort("127.0.0.1:0");
  ASSERT_EQ(bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  Child client = spawn({STTCP_CLIENT_BIN, "--connect", localAddress(fd.get()), "--conns", "2",
                        "--bytes", "10", "--timeout", "10"});
  std::string report = readAll(client.out.get());
  EXPECT_EQ(waitExit(client.pid), 1);
  EXPECT_NE(report.find(R"("ok":0,"failed":2)"), std::string::npos) << report;
  EXPECT_NE(report.find("connect: Connection refused"), std::string::npos) << report;
}

TEST(ClientErrors, TimeoutWhileTheServerNeverAnswers) {
  // A listener that never accepts: the handshake completes in the kernel,
  // and the echo never comes.
  UniqueFd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr = *parseHostPort("127.0.0.1:0");
  ASSERT_EQ(bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(listen(fd.get(), 8), 0);
  Child client = spawn(
      {STTCP_CLIENT_BIN, "--connect", localAddress(fd.get()), "--bytes", "10", "--timeout", "0.3"});
  std::string report = readAll(client.out.get());
  EXPECT_EQ(waitExit(client.pid), 1);
  EXPECT_NE(report.find("timeout while transfer"), std::string::npos) << report;
  // The whole wait counts as a stall: nothing ever arrived.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(report, m, std::regex(R"re("max_stall_ms":([0-9.]+))re")));
  EXPECT_GE(std::stod(m[1]), 250.0) << report;
}

}  // namespace
}  // namespace sttcp::tools
