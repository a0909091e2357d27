// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "event_socket.h"

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <poll.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "codec.h"
#include "module_check.h"

namespace sttcp {
namespace {

// Room for bursts (e.g. one FLOW_UNPROTECTED per flow when a peer dies)
// before the kernel has to drop events.
constexpr int kRcvBuf = 1 << 20;

struct ReceiveContext {
  int family;
  EventBatch* batch;
};

// Must not throw through libnl: parse errors are counted instead.
int onEvent(nl_msg* msg, void* arg) {
  auto* ctx = static_cast<ReceiveContext*>(arg);
  nlmsghdr* hdr = nlmsg_hdr(msg);
  if (hdr->nlmsg_type != ctx->family || !genlmsg_valid_hdr(hdr, 0)) return NL_SKIP;
  auto* genl = static_cast<genlmsghdr*>(nlmsg_data(hdr));
  if (genl->cmd != STTCP_CMD_EVENT) return NL_SKIP;
  try {
    Event event = codec::parseEvent(hdr);
    event.time = std::chrono::system_clock::now();
    ctx->batch->events.push_back(event);
  } catch (...) {
    ++ctx->batch->malformed;
  }
  return NL_OK;
}

[[noreturn]] void fail(const std::string& what, int nlerr) {
  throw NetlinkError(what + ": " + nl_geterror(nlerr), 0);
}

}  // namespace

std::unique_ptr<EventSocket> EventSocket::open(const char* family, const char* group) {
  nl::SockPtr sock(nl_socket_alloc());
  if (!sock) {
    throw NetlinkError("cannot allocate a netlink socket", ENOMEM);
  }
  if (int err = genl_connect(sock.get()); err < 0) {
    fail("cannot open a generic netlink socket", err);
  }
  int family_id = genl_ctrl_resolve(sock.get(), family);
  if (family_id == -NLE_OBJ_NOTFOUND && std::strcmp(family, STTCP_GENL_NAME) == 0) {
    throw moduleNotLoadedError();
  }
  if (family_id < 0) {
    fail(std::string("cannot resolve generic netlink family '") + family + "'", family_id);
  }
  int group_id = genl_ctrl_resolve_grp(sock.get(), family, group);
  if (group_id == -NLE_OBJ_NOTFOUND) {
    throw NetlinkError(std::string("generic netlink family '") + family +
                           "' has no multicast group '" + group +
                           "' (a module older than this controller?)",
                       ENOENT);
  }
  if (group_id < 0) {
    fail(std::string("cannot resolve multicast group '") + group + "'", group_id);
  }
  if (int err = nl_socket_add_membership(sock.get(), group_id); err < 0) {
    fail(std::string("cannot join multicast group '") + group + "'", err);
  }
  // Multicast messages carry sequence number 0.
  nl_socket_disable_seq_check(sock.get());
  if (int err = nl_socket_set_nonblocking(sock.get()); err < 0) {
    fail("cannot make the event socket non-blocking", err);
  }
  // Best effort: the default buffer still works, it only overruns sooner.
  nl_socket_set_buffer_size(sock.get(), kRcvBuf, 0);
  return std::make_unique<EventSocket>(Key{}, std::move(sock), family_id);
}

int EventSocket::fd() const {
  return nl_socket_get_fd(sock_.get());
}

EventBatch EventSocket::receive() {
  EventBatch batch;
  ReceiveContext ctx{family_, &batch};
  nl::CbPtr cb(nl_cb_alloc(NL_CB_DEFAULT));
  if (!cb) {
    throw NetlinkError("events: out of memory", ENOMEM);
  }
  nl_cb_set(cb.get(), NL_CB_VALID, NL_CB_CUSTOM, onEvent, &ctx);
  nl_cb_set(
      cb.get(), NL_CB_SEQ_CHECK, NL_CB_CUSTOM, [](nl_msg*, void*) -> int { return NL_OK; },
      nullptr);
  // libnl versions disagree on what a drained non-blocking socket returns
  // (0 or -NLE_AGAIN), so readiness is asked of the kernel before each read.
  while (true) {
    pollfd pfd{fd(), POLLIN, 0};
    int ready = ::poll(&pfd, 1, 0);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) {
      throw NetlinkError(std::string("events: poll failed: ") + std::strerror(errno), errno);
    }
    if (ready == 0) break;
    int err = nl_recvmsgs(sock_.get(), cb.get());
    if (err == -NLE_NOMEM) {
      batch.overrun = true;  // ENOBUFS: the kernel dropped events for us
    } else if (err < 0 && err != -NLE_AGAIN) {
      fail("events: receive failed", err);
    }
  }
  return batch;
}

}  // namespace sttcp
