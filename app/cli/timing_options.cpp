#ifdef ARCHSCOPE_HAS_TORCH
#include "timing_options.h"

#include "arch/error.h"

namespace archscope::cli {

void addTimingOptions(CLI::App* cmd, TimingArgs& a) {
    cmd->add_option("--threads", a.threads, "Intra-op threads (0 = all logical CPUs)")
        ->check(CLI::Range(0, 4096))
        ->capture_default_str();
    cmd->add_option("--reps", a.reps, "Timed passes per network")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    cmd->add_option("--warmup", a.warmup, "Untimed warm-up passes")
        ->check(CLI::Range(0, 100000))
        ->capture_default_str();
    cmd->add_option("--clock", a.clock,
                    "wall: elapsed time; thread-cpu: the measuring thread's CPU time (CPU at "
                    "--threads 1 only, robust on a loaded machine)")
        ->check(CLI::IsMember({"wall", "thread-cpu"}))
        ->capture_default_str();
    cmd->add_option("--statistic", a.statistic,
                    "Which statistic of the timed passes is the latency: median, p10 or min")
        ->check(CLI::IsMember({"median", "p10", "min"}))
        ->capture_default_str();
    cmd->add_flag("--default-allocator", a.defaultAllocator,
                  "Leave glibc malloc as it is (by default it keeps freed memory so that large "
                  "tensors do not fault in fresh pages on every pass)");
}

MeasureOptions toMeasureOptions(const TimingArgs& a) {
    MeasureOptions m;
    m.threads = a.threads;
    m.reps = a.reps;
    m.warmup = a.warmup;
    // The options' validators already refused other words; this guards other callers.
    const auto clock = timingClockFromName(a.clock);
    if (!clock) throw ArchError("unknown --clock \"" + a.clock + "\"; use wall or thread-cpu");
    m.clock = *clock;
    const auto statistic = timingStatisticFromName(a.statistic);
    if (!statistic) {
        throw ArchError("unknown --statistic \"" + a.statistic + "\"; use median, p10 or min");
    }
    m.statistic = *statistic;
    m.steadyAllocator = !a.defaultAllocator;
    return m;
}

nlohmann::json measureContextJson(const MeasureContext& c) {
    return {{"device", c.device},
            {"device_kind", c.deviceKind},
            {"libtorch", c.libtorchVersion},
            {"threads", c.threads},
            {"dtype", c.dtype},
            {"batch", c.batch},
            {"channels_last", c.channelsLast},
            {"warmup", c.warmup},
            {"reps", c.reps},
            {"clock", timingClockName(c.clock)},
            {"statistic", timingStatisticName(c.statistic)},
            {"steady_allocator", c.steadyAllocator},
            {"timing", describeTiming(c)},
            {"timestamp", c.timestamp}};
}

}  // namespace archscope::cli
#endif  // ARCHSCOPE_HAS_TORCH
