// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// libFuzzer target: sttcp.conf text through the whole parser (syntax,
// values, validation). Any exception other than ConfigError/UsageError, or
// a sanitizer finding, is a bug. Run with scripts/fuzz-config.
#include <cstddef>
#include <cstdint>
#include <string>

#include "daemon_options.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  sttcp::DaemonOptions options;
  sttcp::OptionSources sources;
  try {
    sttcp::applyConfigText(options, sources, text, "fuzz.conf");
    sttcp::validateDaemonOptions(options, sources);
    (void)sttcp::optionsSummary(options);
  } catch (const sttcp::UsageError&) {
    // Refused with a message: fine.
  }
  return 0;
}
