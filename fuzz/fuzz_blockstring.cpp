// Block strings: parse anything; what parses must print and parse back to the same block.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "arch/blockstring.h"
#include "arch/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    archscope::BlockArgs args;
    try {
        args = archscope::parseBlockString(text);
    } catch (const archscope::ArchError&) {
        return 0;  // rejected with a message: fine
    }
    const std::string again = archscope::formatBlockString(args);
    if (!(archscope::parseBlockString(again) == args)) std::abort();
    return 0;
}
