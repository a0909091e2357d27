// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "version.h"

namespace sttcp {

std::string_view projectVersion() {
  return STTCP_VERSION;
}

std::string versionText(std::string_view program, const ProcReader& read) {
  std::string text = std::string(program) + " " + std::string(projectVersion()) + "\n";
  std::optional<std::string> module = read("/sys/module/sttcp/version");
  if (!module) {
    // Loaded without a version (a build before MODULE_VERSION), or not loaded.
    module =
        read("/sys/module/sttcp/refcnt") ? std::optional<std::string>("unknown") : std::nullopt;
  }
  if (!module) return text + "sttcp.ko not loaded\n";
  std::string v = *module;
  while (!v.empty() && (v.back() == '\n' || v.back() == ' '))
    v.pop_back();
  text += "sttcp.ko " + v + " (loaded";
  if (v != projectVersion())
    text += "; not " + std::string(projectVersion()) + " as " + std::string(program);
  return text + ")\n";
}

}  // namespace sttcp
