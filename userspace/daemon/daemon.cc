// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "daemon.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <functional>
#include <optional>
#include <stdexcept>
#include <system_error>

#include "genl_client.h"
#include "keyfile.h"
#include "machine.h"
#include "netns.h"
#include "parse.h"
#include "version.h"

namespace sttcp {

// ---- TimerFd ---------------------------------------------------------------

TimerFd::TimerFd() {
  int fd = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "timerfd_create");
  fd_.reset(fd);
}

void TimerFd::start(std::chrono::milliseconds period) {
  itimerspec spec{};
  spec.it_interval.tv_sec = period.count() / 1000;
  spec.it_interval.tv_nsec = (period.count() % 1000) * 1000000;
  spec.it_value = spec.it_interval;
  if (::timerfd_settime(fd_.get(), 0, &spec, nullptr) < 0) {
    throw std::system_error(errno, std::generic_category(), "timerfd_settime");
  }
}

void TimerFd::stop() {
  itimerspec spec{};
  ::timerfd_settime(fd_.get(), 0, &spec, nullptr);
}

std::uint64_t TimerFd::readExpirations() {
  std::uint64_t n = 0;
  if (::read(fd_.get(), &n, sizeof(n)) != static_cast<ssize_t>(sizeof(n))) return 0;
  return n;
}

// ---- the loop -----------------------------------------------------------------

namespace {

void reapChildren(NotifyQueue* notify) {
  while (true) {
    int status = 0;
    pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid <= 0) return;  // none left (0), or no children at all (ECHILD)
    if (notify) notify->childExited(pid, status);
  }
}

}  // namespace

int runEventLoop(Controller& controller, SignalFd& signals, TimerFd& garp_timer,
                 NotifyQueue* notify, Logger& log, const OptionsReloader& reloader) {
  try {
    while (true) {
      pollfd fds[3] = {{signals.fd(), POLLIN, 0},
                       {controller.events().fd(), POLLIN, 0},
                       {garp_timer.fd(), POLLIN, 0}};
      if (::poll(fds, 3, -1) < 0) {
        if (errno == EINTR) continue;
        throw std::system_error(errno, std::generic_category(), "poll");
      }
      if (fds[0].revents) {
        while (auto sig = signals.read()) {
          if (*sig == SIGTERM || *sig == SIGINT) {
            controller.leave(signalName(*sig));
            log.log(signalName(*sig) + ": exiting");
            return 0;
          }
          if (*sig == SIGHUP) {
            if (!reloader) {
              log.log("SIGHUP: ignored (no configuration file: start with --config FILE)");
            } else if (auto next = reloader()) {
              controller.reload(*next);
            }
          } else if (*sig == SIGCHLD) {
            reapChildren(notify);
          }
        }
      }
      if (fds[1].revents) controller.onEventsReadable();
      if (fds[2].revents && garp_timer.readExpirations() > 0) controller.onGarpTimer();
    }
  } catch (const std::exception& e) {
    log.log(std::string("fatal: ") + e.what());
    controller.shutdown("fatal error");
    return 1;
  }
}

namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

// Written once the daemon runs, removed when it ends.
class PidFile {
 public:
  explicit PidFile(std::string path) : path_(std::move(path)) {
    std::string text = std::to_string(::getpid()) + "\n";
    UniqueFd fd(::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (!fd || ::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
      throw std::runtime_error("cannot write pid file " + path_ + ": " + std::strerror(errno));
    }
  }
  ~PidFile() { ::unlink(path_.c_str()); }
  PidFile(const PidFile&) = delete;
  PidFile& operator=(const PidFile&) = delete;

 private:
  std::string path_;
};

}  // namespace

namespace {

bool namesConfig(const std::vector<std::string>& args) {
  return std::any_of(args.begin(), args.end(), [](const std::string& a) {
    return a == "--config" || a.starts_with("--config=") || a.starts_with("--config-test");
  });
}

// Reads the command line and answers --help and --version. Returns the exit code when sttcpd
// has nothing more to do.
std::optional<int> parseOrAnswer(const std::vector<std::string>& args, std::ostream& out,
                                 std::ostream& err, DaemonInvocation& inv) {
  try {
    inv = parseDaemonArgs(args);
  } catch (const ConfigError& e) {
    // A configuration file's problems have their own exit codes (sttcp.conf(5)).
    if (namesConfig(args)) {
      err << "sttcpd: " << e.what() << "\n";
      return e.exitCode();
    }
    err << "sttcpd: " << e.what() << "\n"
        << daemonSynopsis() << "Try 'sttcpd --help' for more information.\n";
    return 2;
  } catch (const UsageError& e) {
    err << "sttcpd: " << e.what() << "\n"
        << daemonSynopsis() << "Try 'sttcpd --help' for more information.\n";
    return 2;
  }
  if (inv.help) {
    out << daemonUsageText();
    return 0;
  }
  if (inv.version) {
    out << versionText("sttcpd", readProcFile);
    return 0;
  }
  return std::nullopt;
}

// What the start needs from the machine (machine.h), checked by --config-test too: the same
// errors and exit codes. Returns the exit code when sttcpd has nothing more to do.
std::optional<int> prepareOrAnswer(DaemonInvocation& inv, std::ostream& out, std::ostream& err) {
  try {
    prepareMachine(inv.options, inv.sources);
  } catch (const ConfigError& e) {
    err << "sttcpd: " << e.what() << "\n";
    return e.exitCode();
  } catch (const std::exception& e) {
    err << "sttcpd: " << e.what() << "\n";
    return 1;
  }
  if (!inv.config_test) return std::nullopt;
  out << "sttcpd: " << *inv.config << ": configuration ok: " << optionsSummary(inv.options) << "\n";
  return 0;
}

// Opens the log (after prepareMachine(): in the namespace). Throws on failure.
std::unique_ptr<Logger> openLog(const DaemonOptions& o,
                                std::unique_ptr<std::FILE, FileCloser>& log_file) {
  if (o.log) {
    log_file.reset(std::fopen(o.log->c_str(), "ae"));
    if (!log_file) {
      throw std::runtime_error("cannot open log file " + *o.log + ": " + std::strerror(errno));
    }
  }
  return std::make_unique<FileLogger>(log_file ? log_file.get() : stderr,
                                      "sttcpd[" + std::string(roleName(o.service.role)) + "]");
}

// On SIGHUP, the same file and flags again (flags still override the file).
OptionsReloader makeReloader(const DaemonInvocation& inv, const std::vector<std::string>& args,
                             Logger& log) {
  if (!inv.config) return {};
  return [&args, &log]() -> std::optional<DaemonOptions> {
    try {
      return parseDaemonArgs(args).options;
    } catch (const std::exception& e) {
      log.log(std::string("SIGHUP: reload failed: ") + e.what() +
              "; the running configuration and every flow are kept");
      return std::nullopt;
    }
  };
}

// Configures the kernel and serves until told to stop. Returns the exit code.
int serve(const DaemonInvocation& inv, const std::vector<std::string>& args, Logger& log,
          const std::function<int(const std::string&)>& fatal) {
  const DaemonOptions& o = inv.options;
  std::unique_ptr<NetlinkClient> client = GenlClient::open();
  RtnlVipManager vip(o.dev, o.service.vip);
  PacketGarpSender garp(o.dev, o.service.vip);
  SignalFd signals({SIGTERM, SIGINT, SIGHUP, SIGCHLD});
  TimerFd garp_timer;
  auto notify = std::make_unique<NotifyQueue>(o.notify, log);
  Controller controller(o, DaemonDeps{*client, vip, garp, garp_timer, log, notify.get()});
  log.log("starting sttcpd " + std::string(projectVersion()) + " (pid " +
          std::to_string(::getpid()) + ")");
  std::optional<PidFile> pidfile;
  try {
    controller.start();
    if (o.pidfile) pidfile.emplace(*o.pidfile);
  } catch (const std::exception& e) {
    int rc = fatal(e.what());
    controller.shutdown("startup failed");
    return rc;
  }
  OptionsReloader reloader = makeReloader(inv, args, log);
  log.log(inv.config ? "configuration file " + *inv.config : std::string("no configuration file"));
  return runEventLoop(controller, signals, garp_timer, notify.get(), log, reloader);
}

}  // namespace

int runDaemon(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  DaemonInvocation inv;
  if (std::optional<int> rc = parseOrAnswer(args, out, err, inv)) return *rc;
  if (std::optional<int> rc = prepareOrAnswer(inv, out, err)) return *rc;

  std::unique_ptr<std::FILE, FileCloser> log_file;
  std::unique_ptr<Logger> log;
  // Errors before the log is open, and every fatal error, also go to `err`.
  auto fatal = [&](const std::string& message) {
    if (log) log->log("fatal: " + message);
    if (!log || log_file) err << "sttcpd: " << message << "\n";
    return 1;
  };
  try {
    log = openLog(inv.options, log_file);
  } catch (const std::exception& e) {
    return fatal(e.what());
  }
  // The notify program must not die of a closed pipe, nor the daemon.
  ::signal(SIGPIPE, SIG_IGN);
  try {
    return serve(inv, args, *log, fatal);
  } catch (const std::exception& e) {
    return fatal(e.what());
  }
}

}  // namespace sttcp
