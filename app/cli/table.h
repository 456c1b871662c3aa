#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace archscope::cli {

/// An aligned plain-text table: left-aligned text columns, right-aligned numeric ones.
class Table {
public:
    explicit Table(std::vector<std::string> headers, std::vector<bool> rightAligned = {});
    void addRow(std::vector<std::string> cells);
    void print(std::ostream& out) const;

private:
    std::vector<std::string> m_headers;
    std::vector<bool> m_right;
    std::vector<std::vector<std::string>> m_rows;
};

std::string formatFixed(double value, int decimals);
/// 1234567 -> "1,234,567".
std::string formatThousands(long long value);

}  // namespace archscope::cli
