// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "notify.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

extern char** environ;

namespace sttcp {
namespace {

std::string exitText(int wait_status) {
  if (WIFEXITED(wait_status))
    return "exited with status " + std::to_string(WEXITSTATUS(wait_status));
  if (WIFSIGNALED(wait_status)) return "killed by signal " + std::to_string(WTERMSIG(wait_status));
  return "ended (wait status " + std::to_string(wait_status) + ")";
}

std::string jobText(const NotifyJob& job) {
  return job.event + " " + job.state + " " + job.epoch + " " + job.vip;
}

}  // namespace

std::vector<std::string> notifyArgv(const std::string& program, const NotifyJob& job) {
  return {program, job.event, job.state, job.epoch, job.vip};
}

std::vector<std::string> notifyEnv(const NotifyJob& job) {
  std::vector<std::string> env = {"STTCP_EVENT=" + job.event, "STTCP_STATE=" + job.state,
                                  "STTCP_EPOCH=" + job.epoch, "STTCP_VIP=" + job.vip};
  if (job.client) env.push_back("STTCP_CLIENT=" + *job.client);
  return env;
}

pid_t spawnProgram(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  // Everything the child needs is built before fork().
  std::vector<std::string> merged;
  for (char** e = environ; e && *e; ++e) {
    std::string_view entry(*e);
    bool overridden = false;
    for (const std::string& add : env) {
      auto eq = add.find('=');
      if (entry.size() > eq && entry.substr(0, eq + 1) == std::string_view(add).substr(0, eq + 1)) {
        overridden = true;
        break;
      }
    }
    if (!overridden) merged.emplace_back(entry);
  }
  merged.insert(merged.end(), env.begin(), env.end());
  std::vector<char*> cargv;
  for (const std::string& a : argv)
    cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  std::vector<char*> cenv;
  for (const std::string& e : merged)
    cenv.push_back(const_cast<char*>(e.c_str()));
  cenv.push_back(nullptr);

  pid_t pid = ::fork();
  if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");
  if (pid == 0) {
    // The daemon blocks the signals it reads from a signalfd and ignores
    // SIGPIPE; the program must not inherit either.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    signal(SIGPIPE, SIG_DFL);
    execvpe(cargv[0], cargv.data(), cenv.data());
    const char* what = std::strerror(errno);
    // Only async-signal-safe calls from here on.
    ssize_t ignored [[maybe_unused]];
    ignored = ::write(STDERR_FILENO, "sttcpd: cannot run ", 19);
    ignored = ::write(STDERR_FILENO, cargv[0], std::strlen(cargv[0]));
    ignored = ::write(STDERR_FILENO, ": ", 2);
    ignored = ::write(STDERR_FILENO, what, std::strlen(what));
    ignored = ::write(STDERR_FILENO, "\n", 1);
    ::_exit(127);
  }
  return pid;
}

void NotifyQueue::push(NotifyJob job) {
  for (const std::string& program : programs_)
    queue_.emplace_back(program, job);
  if (!running_) startNext();
}

bool NotifyQueue::childExited(pid_t pid, int wait_status) {
  if (!running_ || *running_ != pid) return false;
  running_.reset();
  if (!(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0)) {
    log_.log("notify: " + running_program_ + " (pid " + std::to_string(pid) + ") " +
             exitText(wait_status));
  }
  startNext();
  return true;
}

void NotifyQueue::startNext() {
  while (!running_ && !queue_.empty()) {
    auto [program, job] = std::move(queue_.front());
    queue_.pop_front();
    try {
      pid_t pid = spawn_(notifyArgv(program, job), notifyEnv(job));
      running_ = pid;
      running_program_ = program;
      log_.log("notify: " + program + " " + jobText(job) + " started (pid " + std::to_string(pid) +
               ")");
    } catch (const std::exception& e) {
      log_.log("notify: cannot run " + program + " for " + jobText(job) + ": " + e.what());
    }
  }
}

}  // namespace sttcp
