#pragma once
// Checked 64-bit arithmetic for costs (MACs, parameters, bytes): an overflow is an error that
// names what was being computed, never a wrapped or negative number.
#include <cstdint>
#include <string>

#include "arch/error.h"

namespace archscope {

/// The error of an overflowing `a op b` while computing `what`.
inline ArchError costOverflow(const std::string& what, int64_t a, const char* op, int64_t b) {
    return ArchError(what + ": the cost overflows a 64-bit count (" + std::to_string(a) + op +
                     std::to_string(b) + "); make the network, resolution or batch smaller");
}

/// a * b; throws ArchError("<what>: ... overflows 64-bit") on overflow.
inline int64_t checkedMul(int64_t a, int64_t b, const std::string& what) {
    int64_t out = 0;
    if (__builtin_mul_overflow(a, b, &out)) throw costOverflow(what, a, " x ", b);
    return out;
}

/// a + b; throws like checkedMul.
inline int64_t checkedAdd(int64_t a, int64_t b, const std::string& what) {
    int64_t out = 0;
    if (__builtin_add_overflow(a, b, &out)) throw costOverflow(what, a, " + ", b);
    return out;
}

}  // namespace archscope
