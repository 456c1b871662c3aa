#pragma once

#include <stdexcept>
#include <string>

namespace archscope {

/// A user-facing error: the message names what was wrong and what to do about it.
class ArchError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace archscope
