// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace sttcp {

// Column-aligned plain text output, the human-readable counterpart of -j.
class TextTable {
 public:
  // `right_aligned[i]` right-aligns column i (numbers); missing entries mean left.
  explicit TextTable(std::vector<bool> right_aligned = {}) : right_(std::move(right_aligned)) {}

  void addRow(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  // Two spaces between columns, no trailing blanks, one line per row.
  void print(std::ostream& out) const;

 private:
  std::vector<bool> right_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace sttcp
