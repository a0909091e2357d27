// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// The production ClientFactory, apart from cli.cc so that the dispatch code
// does not depend on libnl.
#include "cli.h"
#include "genl_client.h"
#include "netns.h"

namespace sttcp {

std::unique_ptr<NetlinkClient> openSystemClient(const GlobalOptions& options) {
  if (options.netns) {
    enterNetns(*options.netns);
  }
  return GenlClient::open();
}

}  // namespace sttcp
