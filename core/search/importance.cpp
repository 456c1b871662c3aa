#include "search/importance.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "arch/error.h"

namespace archscope {
namespace {

struct LevelSum {
    double sum = 0.0;
    int count = 0;
};

}  // namespace

std::vector<ParameterImportance> varianceImportance(const ImportanceData& data) {
    if (data.levels.size() != data.objective.size())
        throw ArchError("importance: " + std::to_string(data.levels.size()) + " trials but " +
                        std::to_string(data.objective.size()) + " objective values");
    std::vector<size_t> usable;
    double mean = 0.0;
    for (size_t t = 0; t < data.objective.size(); ++t) {
        if (data.levels[t].size() != data.parameters.size())
            throw ArchError("importance: trial " + std::to_string(t) + " has " +
                            std::to_string(data.levels[t].size()) + " levels for " +
                            std::to_string(data.parameters.size()) + " parameters");
        if (std::isnan(data.objective[t])) continue;
        usable.push_back(t);
        mean += data.objective[t];
    }
    const int n = int(usable.size());
    if (n > 0) mean /= n;
    double total = 0.0;
    for (size_t t : usable) total += (data.objective[t] - mean) * (data.objective[t] - mean);

    std::vector<ParameterImportance> out;
    for (size_t p = 0; p < data.parameters.size(); ++p) {
        std::map<std::string, LevelSum> groups;
        for (size_t t : usable) {
            LevelSum& g = groups[data.levels[t][p]];
            g.sum += data.objective[t];
            ++g.count;
        }
        ParameterImportance imp{data.parameters[p], 0.0, int(groups.size())};
        const int k = imp.levels;
        if (k > 1 && n > k && total > 0.0) {
            double between = 0.0;
            for (const auto& [level, g] : groups) {
                const double d = g.sum / g.count - mean;
                between += g.count * d * d;
            }
            const double withinMean = (total - between) / (n - k);
            imp.share =
                std::clamp((between - (k - 1) * withinMean) / (total + withinMean), 0.0, 1.0);
        }
        out.push_back(imp);
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.share > b.share; });
    return out;
}

}  // namespace archscope
