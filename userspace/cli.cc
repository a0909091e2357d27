// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "cli.h"

#include <exception>
#include <type_traits>

#include "render.h"

namespace sttcp {
namespace {

void execute(const Command& command, NetlinkClient& client, bool json, std::ostream& out) {
  std::visit(
      [&](const auto& cmd) {
        using T = std::decay_t<decltype(cmd)>;
        if constexpr (std::is_same_v<T, SetCmd>) {
          client.setConfig(cmd.config);
        } else if constexpr (std::is_same_v<T, DelCmd>) {
          client.delConfig();
        } else if constexpr (std::is_same_v<T, ShowCmd>) {
          printConfig(out, client.getConfig(), json);
        } else if constexpr (std::is_same_v<T, StatsCmd>) {
          if (cmd.reset) {
            client.resetStats();
          } else {
            printStats(out, client.getStats(), json);
          }
        } else if constexpr (std::is_same_v<T, FlowsCmd>) {
          printFlows(out, client.dumpFlows(), json);
        } else {
          static_assert(std::is_same_v<T, HelpCmd>, "every command must be handled");
        }
      },
      command);
}

}  // namespace

int runCli(const std::vector<std::string>& args, const ClientFactory& factory, std::ostream& out,
           std::ostream& err) {
  Invocation inv;
  try {
    inv = parseArgs(args);
  } catch (const UsageError& e) {
    err << "sttcpctl: " << e.what() << "\nTry 'sttcpctl --help' for more information.\n";
    return 1;
  }
  if (std::holds_alternative<HelpCmd>(inv.command)) {
    out << usageText();
    return 0;
  }
  try {
    std::unique_ptr<NetlinkClient> client = factory(inv.options);
    execute(inv.command, *client, inv.options.json, out);
    out.flush();
  } catch (const std::exception& e) {
    err << "sttcpctl: " << e.what() << '\n';
    return 1;
  }
  return 0;
}

}  // namespace sttcp
