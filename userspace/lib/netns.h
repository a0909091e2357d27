// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#pragma once

#include <string>

namespace sttcp {

// Moves the calling thread into the named network namespace, the way
// `ip -n NAME` does: by setns() on the bind mount /run/netns/NAME. Must run
// before any netlink socket is opened (sockets stay in their netns).
// Throws std::runtime_error with a hint on failure.
void enterNetns(const std::string& name);

}  // namespace sttcp
