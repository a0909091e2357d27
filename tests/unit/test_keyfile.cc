// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
//
// keyfile.cc: key file formats, permission checks, genkey's encoding.
#include "keyfile.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

namespace sttcp {
namespace {

Key Counting() {
  Key k{};
  for (std::size_t i = 0; i < k.size(); ++i)
    k[i] = static_cast<std::uint8_t>(i);
  return k;
}

constexpr const char* kCountingHex =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr const char* kCountingBase64 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

TEST(KeyParse, HexAndBase64) {
  EXPECT_EQ(parseKey(kCountingHex), Counting());
  EXPECT_EQ(parseKey("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F"),
            Counting());
  EXPECT_EQ(parseKey(kCountingBase64), Counting());
  EXPECT_EQ(parseKey(std::string("  ") + kCountingBase64 + "\n"), Counting());
}

TEST(KeyParse, RefusesEverythingElse) {
  for (std::string bad : {std::string(""), std::string("\n"), std::string(kCountingHex) + "0",
                          std::string(kCountingHex).substr(2), std::string(kCountingHex) + " x",
                          std::string("zz") + std::string(kCountingHex).substr(2),
                          std::string(kCountingBase64).substr(0, 43),         // no padding
                          std::string(kCountingBase64).substr(0, 42) + "9=",  // non-zero tail bits
                          std::string(kCountingBase64).substr(0, 40) + "*AB=",
                          std::string(kCountingBase64) + "AAAA"}) {
    EXPECT_THROW(parseKey(bad), KeyFileError) << bad;
  }
}

TEST(KeyParse, ErrorsDoNotQuoteTheText) {
  std::string secret = std::string(kCountingHex).substr(0, 62) + "zz";
  try {
    parseKey(secret);
    FAIL();
  } catch (const KeyFileError& e) {
    EXPECT_EQ(std::string(e.what()).find(secret.substr(0, 16)), std::string::npos);
  }
}

TEST(KeyParse, RefusalsSayWhatIsExpected) {
  auto error = [](const std::string& text) -> std::string {
    try {
      parseKey(text);
    } catch (const KeyFileError& e) {
      return e.what();
    }
    return "<no error>";
  };
  EXPECT_EQ(error(" \n"), "empty (expected a key)");
  EXPECT_EQ(error("0123"),
            "not a key: expected 32 bytes as 64 hex digits or as base64 (44 characters, as "
            "printed by 'sttcpctl genkey')");
}

TEST(KeyBase64, RoundTripsGeneratedKeys) {
  EXPECT_EQ(keyToBase64(Counting()), kCountingBase64);
  Key a = generateKey(), b = generateKey();
  EXPECT_NE(a, b);
  std::string text = keyToBase64(a);
  EXPECT_EQ(text.size(), 44u);
  EXPECT_EQ(parseKey(text), a);
}

class KeyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/sttcp-keyfile-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/key";
  }
  void TearDown() override {
    ::unlink(path_.c_str());
    ::rmdir(dir_.c_str());
  }
  void Write(const std::string& text, mode_t mode) {
    std::ofstream(path_) << text;
    ASSERT_EQ(::chmod(path_.c_str(), mode), 0);
  }
  std::string Error() {
    try {
      readKeyFile(path_);
    } catch (const KeyFileError& e) {
      return e.what();
    }
    return "";
  }
  std::string dir_, path_;
};

TEST_F(KeyFileTest, ReadsAPrivateFile) {
  Write(std::string(kCountingBase64) + "\n", 0600);
  EXPECT_EQ(readKeyFile(path_), Counting());
  Write(kCountingHex, 0400);
  EXPECT_EQ(readKeyFile(path_), Counting());
}

TEST_F(KeyFileTest, RefusesFilesOthersMayAccess) {
  for (mode_t mode : {0644, 0640, 0604, 0610, 0601, 0660}) {
    Write(kCountingHex, mode);
    std::string error = Error();
    EXPECT_NE(error.find("too open"), std::string::npos) << std::oct << mode << ": " << error;
    EXPECT_NE(error.find(path_), std::string::npos);
    EXPECT_NE(error.find("chmod 600"), std::string::npos);
  }
}

TEST_F(KeyFileTest, NamesTheFileInEveryError) {
  EXPECT_NE(Error().find(path_), std::string::npos);  // missing
  Write("not a key", 0600);
  std::string error = Error();
  EXPECT_NE(error.find(path_), std::string::npos);
  EXPECT_NE(error.find("not a key"), std::string::npos);
  EXPECT_THROW(readKeyFile(dir_), KeyFileError);  // a directory
}

TEST_F(KeyFileTest, EachRefusalSaysWhy) {
  EXPECT_EQ(Error(), "key file " + path_ + ": No such file or directory");
  Write(kCountingHex, 0640);
  EXPECT_EQ(Error(), "key file " + path_ +
                         ": permissions 0640 are too open: group and others must have no access "
                         "(chmod 600 " +
                         path_ + ")");
  Write(std::string(5000, 'a'), 0600);
  EXPECT_EQ(Error(), "key file " + path_ + ": too big for a key file");
  Write("\n", 0600);
  EXPECT_EQ(Error(), "key file " + path_ + ": empty (expected a key)");
  try {
    readKeyFile(dir_);
    FAIL() << "no exception";
  } catch (const KeyFileError& e) {
    EXPECT_EQ(std::string(e.what()), "key file " + dir_ + ": not a regular file");
  }
}

}  // namespace
// Where genkey writes: a shared regular file becomes private before the key goes in; a private
// file, a pipe or a terminal is left alone.
TEST_F(KeyFileTest, MakesTheKeysFilePrivate) {
  Write("", 0644);
  int fd = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  EXPECT_TRUE(makeKeyFilePrivate(fd));
  struct stat st {};
  ASSERT_EQ(::fstat(fd, &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  EXPECT_FALSE(makeKeyFilePrivate(fd));
  ::close(fd);
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  EXPECT_FALSE(makeKeyFilePrivate(pipe_fds[1]));
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
}

}  // namespace sttcp
