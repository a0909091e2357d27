// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// EventSocket against the running kernel, on the generic netlink
// controller's "notify" group (every kernel has it): joining, polling and a
// non-blocking receive. Skips without netlink.
#include "event_socket.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>

#include "genl_client.h"

namespace sttcp {
namespace {

using ::testing::HasSubstr;

TEST(EventSocket, JoinsAGroupAndReceivesWithoutBlocking) {
  std::unique_ptr<EventSocket> sock;
  try {
    sock = EventSocket::open("nlctrl", "notify");
  } catch (const NetlinkError& e) {
    GTEST_SKIP() << "no generic netlink here: " << e.what();
  }
  EXPECT_GE(sock->fd(), 0);
  pollfd pfd{sock->fd(), POLLIN, 0};
  EXPECT_EQ(::poll(&pfd, 1, 0), 0);
  EventBatch batch = sock->receive();  // nothing pending: returns at once
  EXPECT_TRUE(batch.events.empty());
  EXPECT_FALSE(batch.overrun);
  EXPECT_EQ(batch.malformed, 0u);
}

TEST(EventSocket, UnknownGroupIsExplained) {
  try {
    EventSocket::open("nlctrl", "no-such-group");
    FAIL() << "no exception";
  } catch (const NetlinkError& e) {
    std::string what = e.what();
    if (what.find("cannot open") != std::string::npos) GTEST_SKIP() << what;
    EXPECT_EQ(what,
              "generic netlink family 'nlctrl' has no multicast group 'no-such-group' (a module "
              "older than this controller?)");
  }
}

TEST(EventSocket, MissingModuleHasTheUsualText) {
  try {
    EventSocket::open();
    GTEST_SKIP() << "the sttcp module is loaded here";
  } catch (const NetlinkError& e) {
    std::string what = e.what();
    if (what.find("cannot open") != std::string::npos) GTEST_SKIP() << what;
    EXPECT_EQ(what, moduleNotLoadedError().what());
    EXPECT_THAT(what, HasSubstr("modprobe sttcp"));
  }
}

}  // namespace
}  // namespace sttcp
