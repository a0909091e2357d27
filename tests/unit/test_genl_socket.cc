// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// GenlSocket against the real kernel, using the generic netlink controller
// (nlctrl), which every kernel has: this covers the libnl plumbing, dump
// termination and the extended ACK path without the sttcp module.
#include "genl_socket.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

namespace sttcp {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class GenlSocketTest : public ::testing::Test {
 protected:
  void SetUp() override {
    try {
      sock_.emplace(GenlSocket::open());
    } catch (const NetlinkError& e) {
      GTEST_SKIP() << "no generic netlink here: " << e.what();
    }
  }
  std::optional<GenlSocket> sock_;
};

TEST_F(GenlSocketTest, ResolvesTheController) {
  EXPECT_EQ(sock_->resolve("nlctrl"), GENL_ID_CTRL);
}

TEST_F(GenlSocketTest, UnknownFamilyIsNotAnError) {
  EXPECT_EQ(sock_->resolve("sttcp-no-such-family"), std::nullopt);
}

TEST_F(GenlSocketTest, DumpCollectsEveryReplyUntilDone) {
  std::vector<std::string> names;
  sock_->request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, NLM_F_DUMP, "dump families", {},
                 [&](nlmsghdr* hdr) {
                   nlattr* name = nlmsg_find_attr(hdr, GENL_HDRLEN, CTRL_ATTR_FAMILY_NAME);
                   if (name) names.push_back(nla_get_string(name));
                 });
  EXPECT_THAT(names, Contains("nlctrl"));
  // The socket is still in sequence for the next request.
  EXPECT_EQ(sock_->resolve("nlctrl"), GENL_ID_CTRL);
}

TEST_F(GenlSocketTest, DoitGetsItsReplyThenTheAck) {
  int replies = 0;
  sock_->request(
      GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0, "get family",
      [](nl_msg* msg) { nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, "nlctrl"); },
      [&](nlmsghdr*) { ++replies; });
  EXPECT_EQ(replies, 1);
}

TEST_F(GenlSocketTest, KernelErrorCarriesErrno) {
  // Asking for a family that does not exist is rejected by every kernel, but
  // which errno (ENOENT; EINVAL from policy validation on others) and which
  // extack text come back is the host kernel's business. What GenlSocket
  // promises is that the rejection surfaces as a NetlinkError carrying the
  // kernel's (positive) errno and a message naming the request and that
  // errno; a libnl-side failure would carry 0.
  try {
    sock_->request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0, "get family",
                   [](nl_msg* msg) { nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, "sttcp-nosuch"); },
                   {});
    FAIL() << "no error";
  } catch (const NetlinkError& e) {
    EXPECT_GT(e.error(), 0);
    EXPECT_THAT(e.what(), StartsWith("get family: "));
    EXPECT_THAT(e.what(), HasSubstr(std::strerror(e.error())));
  }
  // The error ended the exchange: the socket is in sequence for the next one.
  EXPECT_EQ(sock_->resolve("nlctrl"), GENL_ID_CTRL);
}

TEST_F(GenlSocketTest, ExtendedAckMessageIsSurfaced) {
  // GETPOLICY is validated strictly: an unknown attribute is rejected with
  // an extack message.
  try {
    sock_->request(GENL_ID_CTRL, CTRL_CMD_GETPOLICY, 1, NLM_F_DUMP, "get policy",
                   [](nl_msg* msg) { nla_put_u32(msg, 99, 0); }, {});
    FAIL() << "no error";
  } catch (const NetlinkError& e) {
    EXPECT_EQ(e.error(), EINVAL);
    EXPECT_THAT(e.what(), HasSubstr("get policy: Unknown attribute type (Invalid argument)"));
  }
  EXPECT_EQ(sock_->resolve("nlctrl"), GENL_ID_CTRL);
}

TEST_F(GenlSocketTest, ReplyCallbackErrorsAreRethrownAfterTheExchange) {
  EXPECT_THROW(sock_->request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, NLM_F_DUMP, "dump", {},
                              [](nlmsghdr*) { throw std::runtime_error("bad reply"); }),
               std::runtime_error);
  EXPECT_EQ(sock_->resolve("nlctrl"), GENL_ID_CTRL);
}

}  // namespace
}  // namespace sttcp
