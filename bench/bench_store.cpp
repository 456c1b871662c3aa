// Result store throughput: evaluation rows inserted per second (direct batches and through the
// engine's writer thread) and the time to load a 100,000-evaluation run for plotting.
// Issue floors: >= 50,000 rows/s inserted; a 100,000-evaluation run loads in < 1 s.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>

#include "engine/storewriter.h"
#include "store/store.h"
#include "zoo/zoo.h"

namespace {

using namespace archscope;

std::filesystem::path benchFile(const std::string& name) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("archscope-bench-store-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    return dir / name;
}

/// A search-like evaluation: predicted latency, accuracy with its estimator, MACs, params.
store::Evaluation sampleEvaluation(int64_t run, int64_t arch, int64_t seq) {
    store::Evaluation e;
    e.runId = run;
    e.seq = seq;
    e.architectureId = arch;
    e.platform = "tpuv3";
    e.profileVersion = "1";
    e.macs = 390000000 + seq;
    e.params = 5288548;
    e.predictedMs = 1.0 + double(seq % 1000) * 0.01;
    e.accuracy = store::AccuracyEstimate{
        70.0 + double(seq % 97) * 0.1, "zero-cost", {{"score", "naswot"}}, "fashion-mnist"};
    e.costSeconds = 0.05;
    e.method = "bench";
    return e;
}

void BM_InsertEvaluationBatch(benchmark::State& state) {
    const auto path = benchFile("insert.db");
    std::filesystem::remove(path);
    store::ResultStore s(path);
    const int64_t run = s.createRun("bench", {}, {});
    const int64_t arch = s.internArchitecture(*zooSpec("efficientnet-b0"));
    const int64_t batch = state.range(0);
    int64_t seq = 0;
    for (auto _ : state) {
        state.PauseTiming();
        std::vector<store::Evaluation> evals;
        evals.reserve(size_t(batch));
        for (int64_t i = 0; i < batch; ++i) evals.push_back(sampleEvaluation(run, arch, seq++));
        state.ResumeTiming();
        s.insertEvaluations(evals);  // one transaction per batch
    }
    state.counters["rows/s"] =
        benchmark::Counter(double(state.iterations() * batch), benchmark::Counter::kIsRate);
}

void BM_InsertThroughWriterThread(benchmark::State& state) {
    const auto path = benchFile("writer.db");
    std::filesystem::remove(path);
    engine::StoreWriter writer(path);
    const int64_t run = writer.call([](store::ResultStore& s) { return s.createRun("b", {}, {}); });
    const int64_t arch = writer.call(
        [](store::ResultStore& s) { return s.internArchitecture(*zooSpec("efficientnet-b0")); });
    const int64_t perIteration = 10000;
    int64_t seq = 0;
    for (auto _ : state) {
        for (int64_t i = 0; i < perIteration; ++i)  // one post per evaluation, as a job does
            writer.post([e = sampleEvaluation(run, arch, seq++)](store::ResultStore& s) mutable {
                s.insertEvaluation(e);
            });
        writer.flush();
    }
    state.counters["rows/s"] =
        benchmark::Counter(double(state.iterations() * perIteration), benchmark::Counter::kIsRate);
}

/// A 100,000-evaluation run, created once per process.
std::pair<std::filesystem::path, int64_t> bigRun() {
    static const auto made = [] {
        const auto path = benchFile("plot.db");
        std::filesystem::remove(path);
        store::ResultStore s(path);
        const int64_t run = s.createRun("bench", {}, {});
        std::vector<int64_t> archs;
        for (const char* m : {"efficientnet-b0", "efficientnet-b1", "efficientnet-b2"})
            archs.push_back(s.internArchitecture(*zooSpec(m)));
        std::vector<store::Evaluation> evals;
        for (int64_t i = 0; i < 100000; ++i)
            evals.push_back(sampleEvaluation(run, archs[size_t(i % 3)], i));
        s.insertEvaluations(evals);
        std::vector<int64_t> front;
        for (int64_t i = 0; i < 100000; i += 1000) front.push_back(evals[size_t(i)].id);
        s.setFront(run, front);
        return std::make_pair(path, run);
    }();
    return made;
}

void BM_LoadPlotRows100k(benchmark::State& state) {
    const auto [path, run] = bigRun();
    store::StoreReader reader(path);
    size_t rows = 0;
    for (auto _ : state) {
        auto r = reader.plotRows(run);
        rows = r.size();
        benchmark::DoNotOptimize(r);
    }
    state.counters["rows"] = double(rows);
}

void BM_LoadFullEvaluations100k(benchmark::State& state) {
    const auto [path, run] = bigRun();
    store::StoreReader reader(path);
    for (auto _ : state) {
        auto r = reader.evaluations(run);
        benchmark::DoNotOptimize(r);
    }
}

}  // namespace

// Wall-clock rates: the writer thread's work is not on the benchmark thread's CPU clock.
BENCHMARK(BM_InsertEvaluationBatch)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_InsertThroughWriterThread)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_LoadPlotRows100k)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_LoadFullEvaluations100k)->Unit(benchmark::kMillisecond)->UseRealTime();

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    std::filesystem::remove_all(benchFile("x").parent_path());
    return 0;
}
