// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// sttcp.conf(5) syntax: `[section]` headers and `key value` (or
// `key = value`) lines, `#` comments. This file only splits the text into
// entries with their line numbers; what the keys mean is daemon_options.cc.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "parse.h"

namespace sttcp {

// sttcpd's exit codes for configuration problems (also --config-test's).
enum class ConfigStatus : int {
  kOk = 0,
  kUnreadable = 3,  // the file cannot be read
  kSyntax = 4,      // not `[section]` / `key value`, unknown section or key, repeated key
  kBadValue = 5,    // a value that does not parse (address, port, number, word)
  kInvalid = 6,     // required setting missing, or settings that contradict each other
};

// A configuration that cannot be used; what() is the whole message,
// "FILE:LINE: ..." when a line is to blame.
class ConfigError : public UsageError {
 public:
  ConfigError(ConfigStatus status, const std::string& message)
      : UsageError(message), status_(status) {}
  ConfigStatus status() const { return status_; }
  int exitCode() const { return static_cast<int>(status_); }

 private:
  ConfigStatus status_;
};

struct ConfigEntry {
  std::string section;  // without brackets, lower case as written
  std::string key;
  std::string value;  // surrounding blanks and one pair of double quotes removed
  int line = 0;
  friend bool operator==(const ConfigEntry&, const ConfigEntry&) = default;
};

// Splits `text` into entries. `sections` lists the valid section names.
// Throws ConfigError(kSyntax) naming `file` and the line.
std::vector<ConfigEntry> parseConfigText(std::string_view text, const std::string& file,
                                         const std::vector<std::string>& sections);

// The whole file; throws ConfigError(kUnreadable) with the reason.
std::string readConfigFile(const std::string& path);

}  // namespace sttcp
