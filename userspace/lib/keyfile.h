// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// The sync channel key: reading a key file (sttcpd --key-file, the config
// file's key-file) and making new keys (sttcpctl genkey). A key file holds
// the 32 bytes as 64 hex digits or as base64 (44 characters, WireGuard
// style), optionally surrounded by whitespace, nothing else.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "model.h"

namespace sttcp {

// A key file that cannot be used; what() names the file and says why.
class KeyFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses the text of a key file. Throws KeyFileError (without the text).
Key parseKey(std::string_view text);

// Reads and parses a key file. Refuses, like ssh does for private keys, a
// file that is not a regular file or that group or others may access in any
// way (mode & 077). Throws KeyFileError.
Key readKeyFile(const std::string& path);

// The base64 form, as `sttcpctl genkey` prints it.
std::string keyToBase64(const Key& key);

// 32 bytes from getrandom(2). Throws std::runtime_error.
Key generateKey();

// Where a new key is about to go: if `fd` is a regular file that group or others may access,
// takes their access away, as readKeyFile() would refuse the file otherwise. Returns whether
// it changed the mode. Throws std::system_error.
bool makeKeyFilePrivate(int fd);

}  // namespace sttcp
