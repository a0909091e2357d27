// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// Translation between the model types and sttcp netlink attributes. Kept
// apart from the socket code so that it can be tested on messages built in
// memory.
#pragma once

#include <netlink/attr.h>
#include <netlink/msg.h>

#include <vector>

#include "model.h"

namespace sttcp::codec {

// Appends the SET_CONFIG attributes; the optional ones only when set, and
// STTCP_A_UPDATE with `update`. Throws std::invalid_argument for a config
// that configError() refuses, std::runtime_error if the message has no room.
void putConfig(nl_msg* msg, const Config& config, bool update = false);

// Parses the attributes of a GET_CONFIG reply (or a SET_CONFIG request) in a
// generic netlink message. Throws std::runtime_error when malformed.
ConfigState parseConfig(nlmsghdr* hdr);

// Parses a GET_STATS reply.
Stats parseStats(nlmsghdr* hdr);

// Parses one GET_FLOWS dump message (a single STTCP_A_FLOW nest).
Flow parseFlow(nlmsghdr* hdr);

// Parses a GET_STATUS reply.
Status parseStatus(nlmsghdr* hdr);

// Parses one STTCP_CMD_EVENT message (STTCP_A_EVENT is required).
Event parseEvent(nlmsghdr* hdr);

}  // namespace sttcp::codec
