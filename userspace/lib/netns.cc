// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "netns.h"

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace sttcp {

void enterNetns(const std::string& name) {
  // A name with a slash could escape /run/netns.
  if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos) {
    throw std::runtime_error("invalid network namespace name '" + name + "'");
  }
  const std::string path = "/run/netns/" + name;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT) {
      throw std::runtime_error("network namespace '" + name + "' not found (" + path +
                               " does not exist); create it with: ip netns add " + name);
    }
    throw std::runtime_error("cannot open " + path + ": " + std::strerror(err));
  }
  int rc = ::setns(fd, CLONE_NEWNET);
  int err = errno;
  ::close(fd);
  if (rc < 0) {
    std::string hint = err == EPERM    ? " (CAP_SYS_ADMIN is required)"
                       : err == EINVAL ? " (" + path + " is not a network namespace)"
                                       : "";
    throw std::runtime_error("cannot enter network namespace '" + name +
                             "': " + std::strerror(err) + hint);
  }
}

}  // namespace sttcp
