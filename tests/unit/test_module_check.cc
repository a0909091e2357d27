// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// The hint given when the "sttcp" generic netlink family is missing.
#include "module_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sttcp {
namespace {

TEST(ModuleMissing, NotInstalled) {
  EXPECT_EQ(moduleMissingMessage({false, std::nullopt, "6.1.0-56-amd64"}),
            "sttcp kernel module is not loaded (generic netlink family 'sttcp' not found); no "
            "sttcp module is installed for kernel 6.1.0-56-amd64: install one (make "
            "install-module, or dkms install sttcp), then modprobe sttcp");
}

TEST(ModuleMissing, InstalledForThisKernel) {
  EXPECT_EQ(moduleMissingMessage(
                {false, "6.1.0-56-amd64 SMP preempt mod_unload modversions", "6.1.0-56-amd64"}),
            "sttcp kernel module is not loaded (generic netlink family 'sttcp' not found); load "
            "it: modprobe sttcp (or insmod sttcp.ko)");
}

TEST(ModuleMissing, BuiltForAnotherKernel) {
  EXPECT_EQ(moduleMissingMessage({false, "6.1.0-40-amd64 SMP mod_unload", "6.1.0-56-amd64"}),
            "sttcp kernel module is not loaded (generic netlink family 'sttcp' not found); the "
            "installed module was built for kernel 6.1.0-40-amd64, not the running "
            "6.1.0-56-amd64: rebuild it (dkms autoinstall, or make -C "
            "/lib/modules/6.1.0-56-amd64/build M=$PWD modules), then modprobe sttcp");
}

TEST(ModuleMissing, LoadedButNoFamily) {
  EXPECT_EQ(moduleMissingMessage({true, std::nullopt, "6.1.0-56-amd64"}),
            "a module named sttcp is loaded but the generic netlink family 'sttcp' is missing "
            "(an old or foreign build?); reload it: rmmod sttcp && modprobe sttcp");
}

TEST(ModuleProbe, ReadsTheRunningKernel) {
  ModuleFacts f = probeModule();
  EXPECT_FALSE(f.release.empty());
}

}  // namespace
}  // namespace sttcp
