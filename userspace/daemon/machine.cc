// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "machine.h"

#include <net/if.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string_view>

#include "config_file.h"
#include "keyfile.h"
#include "netns.h"

namespace sttcp {
namespace {

bool isExecutableFile(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

ConfigError invalid(const OptionSources& sources, std::string_view flag, const std::string& what) {
  return ConfigError(ConfigStatus::kInvalid, whereGiven(sources, flag) + what);
}

}  // namespace

std::string findProgram(const std::string& program, const std::string& path) {
  if (program.find('/') != std::string::npos) return isExecutableFile(program) ? program : "";
  std::string_view rest = path;
  while (true) {
    auto colon = rest.find(':');
    std::string dir(rest.substr(0, colon));
    std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + program;
    if (isExecutableFile(candidate)) return candidate;
    if (colon == std::string_view::npos) return "";
    rest.remove_prefix(colon + 1);
  }
}

void prepareMachine(DaemonOptions& o, const OptionSources& sources) {
  // Before entering the namespace: a relative path means the caller's directory.
  if (!o.keyFile.empty()) {
    try {
      o.service.key = readKeyFile(o.keyFile);
    } catch (const KeyFileError& e) {
      throw invalid(sources, "--key-file", e.what());
    }
  }
  const char* env_path = std::getenv("PATH");
  for (const std::string& program : o.notify) {
    if (findProgram(program, env_path ? env_path : "/usr/local/bin:/usr/bin:/bin").empty()) {
      throw invalid(sources, "--notify",
                    "notify program '" + program + "' is not an executable file" +
                        (program.find('/') == std::string::npos ? " on PATH" : "") +
                        " (chmod +x, or give its full path)");
    }
  }
  if (o.netns) {
    if (::access(("/run/netns/" + *o.netns).c_str(), F_OK) != 0) {
      throw invalid(sources, "--netns",
                    "network namespace '" + *o.netns + "' not found (/run/netns/" + *o.netns +
                        " does not exist); create it with: ip netns add " + *o.netns);
    }
    enterNetns(*o.netns);
  }
  if (::if_nametoindex(o.dev.c_str()) == 0) {
    throw invalid(sources, "--dev",
                  "interface '" + o.dev + "' does not exist" +
                      (o.netns ? " in network namespace '" + *o.netns + "'" : std::string()) +
                      " (ip link show lists the interfaces)");
  }
}

}  // namespace sttcp
