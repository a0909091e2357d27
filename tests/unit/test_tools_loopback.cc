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
#include "http.h"
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
  // peer -> {rx_hash, tx_hash, end, status, rx_bytes, tx_bytes} from the
  // server log; status (http mode only) is "" in the other modes.
  std::map<std::string, std::vector<std::string>> serverLog() {
    std::ifstream in(log_path_);
    std::map<std::string, std::vector<std::string>> out;
    std::regex re(R"re(\{"peer":"([^"]+)","rx_bytes":(\d+),"rx_hash":"([0-9a-f]{16})",)re"
                  R"re("tx_bytes":(\d+),"tx_hash":"([0-9a-f]{16})","end":"([^"]+)")re"
                  R"re((?:,"status":(\d+))?\})re");
    std::string line;
    std::smatch m;
    while (std::getline(in, line)) {
      if (std::regex_match(line, m, re)) out[m[1]] = {m[3], m[5], m[6], m[7], m[2], m[4]};
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
    return {"", "", "<no log entry>", "", "", ""};
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

// --mode http: what curl would see, byte for byte.

std::string prngBytes(std::uint64_t seed, std::size_t n) {
  std::string out(n, '\0');
  PrngStream(seed, 0).fill(0, reinterpret_cast<std::uint8_t*>(out.data()), n);
  return out;
}

std::string bytesHead(std::uint64_t n) {
  return "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " +
         std::to_string(n) + "\r\nConnection: close\r\n\r\n";
}

std::string hashOf(const std::string& bytes) {
  Fnv1a64 hash;
  hash.update(bytes.data(), bytes.size());
  return hash.hex();
}

void sendAll(int fd, const std::string& bytes) {
  ASSERT_EQ(send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL), static_cast<ssize_t>(bytes.size()));
}

const std::string kHttpRequest =
    "GET /bytes/300000?seed=5 HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: curl/7.88.1\r\n"
    "Accept: */*\r\n\r\n";

TEST_F(RawClient, HttpRequestSplitAcrossWrites) {
  start("http");
  UniqueFd fd = connectTo(addr());
  std::string local = localAddress(fd.get());
  for (std::size_t off = 0, step = 1; off < kHttpRequest.size(); off += step, step = step % 7 + 1) {
    sendAll(fd.get(), kHttpRequest.substr(off, step));
    usleep(2000);
  }
  // The server's FIN follows the response while our side is still open.
  std::string got = recvAll(fd.get());
  const std::string want = bytesHead(300000) + prngBytes(5, 300000);
  EXPECT_TRUE(got == want) << "got " << got.size() << " bytes, want " << want.size();
  fd.reset();
  auto entry = entryFor(local);
  EXPECT_EQ(entry[0], hashOf(kHttpRequest));
  EXPECT_EQ(entry[1], hashOf(want));
  EXPECT_EQ(entry[2], "eof");
  EXPECT_EQ(entry[3], "200");
}

TEST_F(RawClient, HttpEveryTwoWaySplitGetsTheSameBytes) {
  start("http");
  const std::string request = "GET /bytes/1000 HTTP/1.1\r\nHost: h\r\n\r\n";
  const std::string want = bytesHead(1000) + prngBytes(kHttpDefaultSeed, 1000);
  for (std::size_t cut = 1; cut < request.size(); ++cut) {
    UniqueFd fd = connectTo(addr());
    sendAll(fd.get(), request.substr(0, cut));
    usleep(2000);
    sendAll(fd.get(), request.substr(cut));
    EXPECT_TRUE(recvAll(fd.get()) == want) << "cut at " << cut;
  }
}

TEST_F(RawClient, HttpErrorsAreFixedAnswers) {
  start("http");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"GET /nope HTTP/1.1\r\nHost: h\r\n\r\n",
       "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 37\r\n"
       "Connection: close\r\n\r\nnot found; try GET /bytes/N[?seed=S]\n"},
      {"garbage\r\n\r\n",
       "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 58\r\n"
       "Connection: close\r\n\r\nbad request: request line is not 'METHOD TARGET HTTP/1.x'\n"},
      {"POST /bytes/10 HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi",
       "HTTP/1.1 405 Method Not Allowed\r\nAllow: GET\r\nContent-Type: text/plain\r\n"
       "Content-Length: 29\r\nConnection: close\r\n\r\nmethod not allowed; only GET\n"},
  };
  for (const auto& [request, want] : cases) {
    UniqueFd fd = connectTo(addr());
    std::string local = localAddress(fd.get());
    for (char c : request) {  // one byte per write
      sendAll(fd.get(), std::string(1, c));
    }
    EXPECT_EQ(recvAll(fd.get()), want) << request;
    fd.reset();
    auto entry = entryFor(local);
    EXPECT_EQ(entry[1], hashOf(want));
    EXPECT_EQ(entry[2], "eof");
    EXPECT_EQ(entry[3], want.substr(9, 3));
  }
}

TEST_F(RawClient, HttpBytesAfterTheRequestAreReadButNotAnswered) {
  start("http");
  UniqueFd fd = connectTo(addr());
  std::string local = localAddress(fd.get());
  const std::string request = "GET /bytes/10?seed=2 HTTP/1.0\r\n\r\nGET /bytes/20 HTTP/1.0\r\n\r\n";
  sendAll(fd.get(), request);
  shutdown(fd.get(), SHUT_WR);
  EXPECT_EQ(recvAll(fd.get()), bytesHead(10) + prngBytes(2, 10));
  fd.reset();
  auto entry = entryFor(local);
  EXPECT_EQ(entry[4], std::to_string(request.size()));
  EXPECT_EQ(entry[2], "eof");
}

TEST_F(RawClient, HttpEofBeforeTheHeadEndsIsLoggedAsError) {
  start("http");
  UniqueFd fd = connectTo(addr());
  std::string local = localAddress(fd.get());
  sendAll(fd.get(), "GET /bytes/10 HTTP/1.1\r\nHost: h\r\n");
  shutdown(fd.get(), SHUT_WR);
  EXPECT_EQ(recvAll(fd.get()), "");
  auto entry = entryFor(local);
  EXPECT_EQ(entry[2], "error:eof before the end of the HTTP request head");
  EXPECT_EQ(entry[3], "0");
}

// Peak resident memory of a process, in KiB.
long peakRssKib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

TEST_F(RawClient, HttpLargeBodyIsStreamedNotBuffered) {
  start("http");
  constexpr std::uint64_t kSize = 96ull << 20;
  UniqueFd fd = connectTo(addr());
  sendAll(fd.get(), "GET /bytes/" + std::to_string(kSize) + "?seed=11 HTTP/1.1\r\n\r\n");
  const std::string head = bytesHead(kSize);
  std::string got_head;
  Fnv1a64 body_hash;
  std::uint64_t body_bytes = 0;
  std::vector<char> buf(1 << 16);
  ssize_t n;
  while ((n = recv(fd.get(), buf.data(), buf.size(), 0)) > 0) {
    std::size_t skip = 0;
    if (got_head.size() < head.size()) {
      skip = std::min<std::size_t>(n, head.size() - got_head.size());
      got_head.append(buf.data(), skip);
    }
    body_hash.update(buf.data() + skip, n - skip);
    body_bytes += n - skip;
  }
  EXPECT_EQ(got_head, head);
  EXPECT_EQ(body_bytes, kSize);
  PrngStream stream(11, 0);
  EXPECT_EQ(body_hash.hex(),
            hashGenerated(kSize, [&](std::uint64_t off, std::uint8_t* out, std::size_t len) {
              stream.fill(off, out, len);
            }).hex());
  long rss = peakRssKib(server_.pid);
  EXPECT_GT(rss, 0);
  EXPECT_LT(rss, 32 * 1024) << "server peak RSS " << rss << " KiB for a " << kSize << " byte body";
}

// The real client, where installed.
TEST_F(RawClient, HttpCurlDownloadEqualsDumpHttp) {
  if (access("/usr/bin/curl", X_OK) != 0) GTEST_SKIP() << "no /usr/bin/curl";
  start("http");
  Child curl =
      spawn({"/usr/bin/curl", "-sS", "--fail", "http://" + addr_ + "/bytes/1234567?seed=42"});
  std::string body = readAll(curl.out.get());
  ASSERT_EQ(waitExit(curl.pid), 0);
  Child dump = spawn({STTCP_SERVER_BIN, "--dump-http", "1234567", "--seed", "42"});
  std::string dumped = readAll(dump.out.get());
  ASSERT_EQ(waitExit(dump.pid), 0);
  EXPECT_EQ(body.size(), 1234567u);
  EXPECT_TRUE(body == dumped);
}

TEST(DumpHttp, WritesExactlyTheBody) {
  for (auto [n, seed] : {std::pair<std::uint64_t, std::uint64_t>{0, 1}, {1, 9}, {1000003, 5}}) {
    Child dump =
        spawn({STTCP_SERVER_BIN, "--dump-http", std::to_string(n), "--seed", std::to_string(seed)});
    std::string got = readAll(dump.out.get());
    EXPECT_EQ(waitExit(dump.pid), 0);
    EXPECT_TRUE(got == prngBytes(seed, n)) << n << " bytes, seed " << seed;
  }
  Child dump = spawn({STTCP_SERVER_BIN, "--dump-http", "777"});  // seed 1, as served
  EXPECT_TRUE(readAll(dump.out.get()) == prngBytes(kHttpDefaultSeed, 777));
  EXPECT_EQ(waitExit(dump.pid), 0);
}

TEST(DumpHttp, BadArgumentsExitTwo) {
  for (std::vector<std::string> args : {std::vector<std::string>{"--dump-http", "x"},
                                        {"--dump-http", "10", "--listen", "127.0.0.1:0"},
                                        {"--dump-http", "10", "--mode", "http"},
                                        {"--listen", "127.0.0.1:0", "--seed", "3"},
                                        {"--listen", "127.0.0.1:0", "--mode", "ftp"}}) {
    args.insert(args.begin(), STTCP_SERVER_BIN);
    Child child = spawn(args);
    EXPECT_EQ(readAll(child.out.get()), "");
    EXPECT_EQ(waitExit(child.pid), 2) << args[1] << " " << args[2];
  }
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

// The divergence tests' nondeterministic application: one byte differs.
TEST(ServerCorruptAt, FlipsExactlyTheNamedOutputByteOfEveryConnection) {
  Child server = spawn(
      {STTCP_SERVER_BIN, "--listen", "127.0.0.1:0", "--mode", "echo", "--corrupt-at", "70000"});
  std::smatch m;
  std::string hello = readLine(server.out.get());
  ASSERT_TRUE(std::regex_match(hello, m, std::regex(R"re(\{"listening":"(127\.0\.0\.1:\d+)"\})re")))
      << hello;
  for (int conn = 0; conn < 2; ++conn) {
    int exit_code;
    std::string report = runClient(m[1], "200000", &exit_code);
    EXPECT_EQ(exit_code, 1);
    EXPECT_NE(report.find(R"("bytes_verified":70000,)"), std::string::npos) << report;
    EXPECT_NE(report.find(R"("error":"mismatch at offset 70000: got 0x)"), std::string::npos)
        << report;
  }
  kill(server.pid, SIGTERM);
  EXPECT_EQ(waitExit(server.pid), 0);
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
