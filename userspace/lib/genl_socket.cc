// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "genl_socket.h"

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <string>

#include "extack.h"

namespace sttcp {
namespace {

// State shared with the C callbacks below. They must not throw through
// libnl, so reply parsing errors are parked here and rethrown afterwards.
struct ReplyContext {
  const GenlSocket::OnReply* on_reply = nullptr;
  bool done = false;
  int error = 0;  // positive errno from NLMSG_ERROR or NLMSG_DONE
  ExtAck ext;
  std::exception_ptr reply_error;
};

int onValid(nl_msg* msg, void* arg) {
  auto* ctx = static_cast<ReplyContext*>(arg);
  try {
    if (*ctx->on_reply) (*ctx->on_reply)(nlmsg_hdr(msg));
  } catch (...) {
    // Keep reading until the ACK/DONE so the socket stays in sequence.
    if (!ctx->reply_error) ctx->reply_error = std::current_exception();
  }
  return NL_OK;
}

int onAck(nl_msg*, void* arg) {
  static_cast<ReplyContext*>(arg)->done = true;
  return NL_STOP;
}

// NLMSG_DONE ends a dump; a dump that failed midway carries its error here.
int onFinish(nl_msg* msg, void* arg) {
  auto* ctx = static_cast<ReplyContext*>(arg);
  nlmsghdr* hdr = nlmsg_hdr(msg);
  ctx->done = true;
  if (hdr->nlmsg_len >= NLMSG_HDRLEN + sizeof(int)) {
    int err;
    std::memcpy(&err, nlmsg_data(hdr), sizeof(err));
    if (err < 0) {
      ctx->error = -err;
      ctx->ext = parseDoneExtAck(hdr);
    }
  }
  return NL_STOP;
}

int onError(sockaddr_nl*, nlmsgerr* err, void* arg) {
  auto* ctx = static_cast<ReplyContext*>(arg);
  // libnl hands us only the payload; the header (flags, length) that the
  // TLV parser needs sits right before it in the same receive buffer.
  const auto* hdr =
      reinterpret_cast<const nlmsghdr*>(reinterpret_cast<const char*>(err) - NLMSG_HDRLEN);
  ctx->done = true;
  ctx->error = -err->error;
  ctx->ext = parseErrorExtAck(hdr);
  return NL_STOP;
}

[[noreturn]] void throwKernelError(const char* what, int error, const ExtAck& ext) {
  std::string message;
  if (error == EPERM) {
    message = "permission denied: CAP_NET_ADMIN is required";
  } else {
    message = std::string(what) + ": ";
    message += ext.message.empty() ? std::strerror(error)
                                   : ext.message + " (" + std::strerror(error) + ")";
  }
  throw NetlinkError(message, error);
}

[[noreturn]] void throwLibnlError(const std::string& what, int nlerr) {
  throw NetlinkError(what + ": " + nl_geterror(nlerr), 0);
}

void enableExtAck(nl_sock* sock) {
  // Best effort: kernels before 4.12 lack these options, and requests
  // still work without the explanation.
  int one = 1;
#ifdef HAVE_NL_SOCKET_SET_EXT_ACK
  nl_socket_set_ext_ack(sock, 1);
#else
  setsockopt(nl_socket_get_fd(sock), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
#endif
  // Errors need not echo our whole request back.
  setsockopt(nl_socket_get_fd(sock), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
}

}  // namespace

GenlSocket GenlSocket::open() {
  nl::SockPtr sock(nl_socket_alloc());
  if (!sock) {
    throw NetlinkError("cannot allocate a netlink socket", ENOMEM);
  }
  if (int err = genl_connect(sock.get()); err < 0) {
    throwLibnlError("cannot open a generic netlink socket", err);
  }
  enableExtAck(sock.get());
  return GenlSocket(std::move(sock));
}

std::optional<int> GenlSocket::resolve(const char* name) {
  int family = genl_ctrl_resolve(sock_.get(), name);
  if (family == -NLE_OBJ_NOTFOUND) {
    return std::nullopt;
  }
  if (family < 0) {
    throwLibnlError(std::string("cannot resolve generic netlink family '") + name + "'", family);
  }
  return family;
}

void GenlSocket::request(int family, std::uint8_t cmd, std::uint8_t version, int flags,
                         const char* what, const Fill& fill, const OnReply& on_reply) {
  nl::MsgPtr msg(nlmsg_alloc());
  if (!msg || !genlmsg_put(msg.get(), NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags, cmd, version)) {
    throw NetlinkError(std::string(what) + ": cannot build request", ENOMEM);
  }
  if (fill) fill(msg.get());

  // libnl adds NLM_F_ACK (auto-ack), so every doit request ends with an ACK
  // or an error; the kernel never acks a dump, which ends with NLMSG_DONE.
  if (int err = nl_send_auto(sock_.get(), msg.get()); err < 0) {
    throwLibnlError(std::string(what) + ": send failed", err);
  }

  nl::CbPtr cb(nl_cb_alloc(NL_CB_DEFAULT));
  if (!cb) {
    throw NetlinkError(std::string(what) + ": out of memory", ENOMEM);
  }
  ReplyContext ctx;
  ctx.on_reply = &on_reply;
  nl_cb_set(cb.get(), NL_CB_VALID, NL_CB_CUSTOM, onValid, &ctx);
  nl_cb_set(cb.get(), NL_CB_ACK, NL_CB_CUSTOM, onAck, &ctx);
  nl_cb_set(cb.get(), NL_CB_FINISH, NL_CB_CUSTOM, onFinish, &ctx);
  nl_cb_err(cb.get(), NL_CB_CUSTOM, onError, &ctx);

  while (!ctx.done) {
    int err = nl_recvmsgs(sock_.get(), cb.get());
    if (ctx.done) break;
    if (err < 0) throwLibnlError(std::string(what) + ": receive failed", err);
  }
  if (ctx.error != 0) throwKernelError(what, ctx.error, ctx.ext);
  if (ctx.reply_error) std::rethrow_exception(ctx.reply_error);
}

}  // namespace sttcp
