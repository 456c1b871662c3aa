#include "blockstring.h"

#include <cctype>
#include <charconv>
#include <set>

#include "error.h"
#include "util/json_input.h"

namespace archscope {
namespace {

[[noreturn]] void fail(std::string_view text, std::string_view option, std::string_view expected) {
    // Quotes are cut short: a 2 MB block string must not become 4 MB of stderr.
    throw ArchError("block string \"" + jsonin::excerpt(text) + "\": option \"" +
                    jsonin::excerpt(option, 40) + "\": " + std::string(expected));
}

int parseInt(std::string_view text, std::string_view option, std::string_view value, int lo, int hi,
             std::string_view expected) {
    int out = 0;
    // Digits only: from_chars would take "-0" (b-0, d-0) as 0.
    if (value.empty() || !std::isdigit(static_cast<unsigned char>(value[0]))) {
        fail(text, option, expected);
    }
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
    if (ec != std::errc() || ptr != value.data() + value.size() || out < lo || out > hi) {
        fail(text, option, expected);
    }
    return out;
}

double parseRatio(std::string_view text, std::string_view option, std::string_view value) {
    double out = 0;
    if (value.empty() || !std::isdigit(static_cast<unsigned char>(value[0]))) {
        fail(text, option, "expected a squeeze-excitation ratio in (0, 1], e.g. se0.25");
    }
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
    if (value.empty() || ec != std::errc() || ptr != value.data() + value.size() || !(out > 0.0) ||
        out > 1.0) {
        fail(text, option, "expected a squeeze-excitation ratio in (0, 1], e.g. se0.25");
    }
    return out;
}

}  // namespace

// Long (~85 lines): one loop over the string's fields with a case per field letter (a table).
BlockArgs parseBlockString(std::string_view text) {
    if (text.empty()) throw ArchError("block string is empty: expected e.g. r1_k3_s11_e1_i32_o16");
    BlockArgs args;
    std::set<std::string, std::less<>> seen;
    bool fused = false;
    bool bottleneck = false;
    size_t pos = 0;
    while (pos <= text.size()) {
        size_t end = text.find('_', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view op = text.substr(pos, end - pos);
        pos = end + 1;
        if (op.empty())
            fail(text, op, "empty option (two '_' in a row, or a leading/trailing '_')");
        size_t split = 0;
        while (split < op.size() && std::isalpha(static_cast<unsigned char>(op[split]))) ++split;
        std::string_view key = op.substr(0, split);
        std::string_view value = op.substr(split);
        if (key.empty()) fail(text, op, "an option starts with a letter, e.g. r2 or se0.25");
        if (!seen.emplace(key).second) fail(text, op, "this option appears twice");
        if (key == "noskip") {
            if (!value.empty()) fail(text, op, "noskip takes no value");
            args.idSkip = false;
            continue;
        }
        if (value.empty()) fail(text, op, "a value after the letter, e.g. k3");
        if (key == "r") {
            args.repeats = parseInt(text, op, value, 1, 1000, "expected repeats 1..1000, e.g. r2");
        } else if (key == "k") {
            args.kernel = parseInt(text, op, value, 1, 31, "expected a kernel size 1..31, e.g. k3");
        } else if (key == "s") {
            if (value.size() != 2 || !std::isdigit(static_cast<unsigned char>(value[0])) ||
                !std::isdigit(static_cast<unsigned char>(value[1])) || value[0] == '0' ||
                value[1] == '0') {
                fail(text, op, "expected two stride digits 1..9 (height, width), e.g. s11 or s22");
            }
            args.strideH = value[0] - '0';
            args.strideW = value[1] - '0';
        } else if (key == "e") {
            args.expand =
                parseInt(text, op, value, 1, 64, "expected an expansion ratio 1..64, e.g. e6");
        } else if (key == "i") {
            args.inFilters =
                parseInt(text, op, value, 1, 1 << 20, "expected input filters 1..1048576");
        } else if (key == "o") {
            args.outFilters =
                parseInt(text, op, value, 1, 1 << 20, "expected output filters 1..1048576");
        } else if (key == "se") {
            args.seRatio = parseRatio(text, op, value);
        } else if (key == "f") {
            fused = parseInt(text, op, value, 0, 1, "expected f0 or f1 (fused MBConv)") == 1;
        } else if (key == "b") {
            bottleneck =
                parseInt(text, op, value, 0, 1, "expected b0 or b1 (ResNet bottleneck)") == 1;
        } else if (key == "d") {
            args.spaceToDepth = parseInt(text, op, value, 0, 2,
                                         "expected d0, d1 (start space-to-depth) or d2 (continue)");
        } else if (key == "a") {
            args.activation = activationFromCode(
                parseInt(text, op, value, 0, 2, "expected a0 (ReLU), a1 (swish) or a2 (ReLU6)"));
        } else {
            fail(
                text, op,
                "unknown option; known: r k s e i o se f b d a noskip (e.g. r1_k3_s11_e1_i32_o16)");
        }
        if (end == text.size()) break;
    }
    for (const char* required : {"r", "k", "s", "e", "i", "o"}) {
        if (!seen.contains(std::string_view(required))) {
            throw ArchError("block string \"" + jsonin::excerpt(text) + "\": missing option \"" +
                            required + "\" (required: r k s e i o)");
        }
    }
    if (fused && bottleneck)
        fail(text, "f1", "a block cannot be both fused (f1) and a bottleneck (b1)");
    if (fused) args.type = BlockType::FusedMBConv;
    if (bottleneck) args.type = BlockType::Bottleneck;
    if (args.type == BlockType::Bottleneck && args.outFilters % args.expand != 0) {
        fail(text, "e" + std::to_string(args.expand),
             "a bottleneck's output filters must be divisible by its ratio (mid = o / e)");
    }
    return args;
}

std::string formatBlockString(const BlockArgs& a) {
    std::string s = "r" + std::to_string(a.repeats) + "_k" + std::to_string(a.kernel) + "_s" +
                    std::to_string(a.strideH) + std::to_string(a.strideW) + "_e" +
                    std::to_string(a.expand) + "_i" + std::to_string(a.inFilters) + "_o" +
                    std::to_string(a.outFilters);
    if (a.seRatio) {
        char buf[32];
        auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, *a.seRatio);
        s += "_se" + std::string(buf, ec == std::errc() ? ptr : buf);
    }
    if (a.type == BlockType::FusedMBConv) s += "_f1";
    if (a.type == BlockType::Bottleneck) s += "_b1";
    if (a.spaceToDepth != 0) s += "_d" + std::to_string(a.spaceToDepth);
    if (a.activation) s += "_a" + std::to_string(static_cast<int>(*a.activation));
    if (!a.idSkip) s += "_noskip";
    return s;
}

std::vector<BlockArgs> parseBlockStrings(const std::vector<std::string>& texts) {
    std::vector<BlockArgs> out;
    out.reserve(texts.size());
    for (const auto& t : texts) out.push_back(parseBlockString(t));
    return out;
}

std::string_view blockTypeName(BlockType type) {
    switch (type) {
        case BlockType::MBConv:
            return "mbconv";
        case BlockType::FusedMBConv:
            return "fused";
        case BlockType::Bottleneck:
            return "bottleneck";
    }
    return "?";
}

}  // namespace archscope
