// SPDX-License-Identifier: GPL-2.0
// Copyright (c) 2026 The sttcp developers.
#include "text_table.h"

#include <algorithm>

namespace sttcp {

void TextTable::print(std::ostream& out) const {
  std::vector<std::size_t> width;
  for (const auto& row : rows_) {
    if (row.size() > width.size()) width.resize(row.size(), 0);
    for (std::size_t i = 0; i < row.size(); ++i) {
      width[i] = std::max(width[i], row[i].size());
    }
  }
  for (const auto& row : rows_) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      const bool right = i < right_.size() && right_[i];
      const bool last = i + 1 == row.size();
      std::string pad(width[i] - row[i].size(), ' ');
      if (i > 0) line += "  ";
      if (right) {
        line += pad + row[i];
      } else {
        line += row[i];
        if (!last) line += pad;
      }
    }
    out << line << '\n';
  }
}

}  // namespace sttcp
