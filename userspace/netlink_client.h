// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// The controller's only way into the kernel. The CLI (and later the daemon)
// depend on this interface so that tests can inject a fake.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "model.h"

namespace sttcp {

// A failed kernel request. `message` is complete and user-facing (it carries
// the kernel's extack text and a hint); `error` is the positive errno, or 0
// when the failure did not come with one.
class NetlinkError : public std::runtime_error {
 public:
  NetlinkError(const std::string& message, int error)
      : std::runtime_error(message), error_(error) {}
  int error() const { return error_; }

 private:
  int error_;
};

class NetlinkClient {
 public:
  virtual ~NetlinkClient() = default;

  virtual void setConfig(const Config& config) = 0;
  virtual void delConfig() = 0;
  virtual ConfigState getConfig() = 0;
  virtual Stats getStats() = 0;
  virtual void resetStats() = 0;
  virtual std::vector<Flow> dumpFlows() = 0;
};

}  // namespace sttcp
