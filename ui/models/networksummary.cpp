#include "networksummary.h"

#include <QLocale>
#include <QObject>
#include <QStringList>
#include <algorithm>
#include <cmath>

#include "arch/expand.h"
#include "hw/explain.h"
#include "zoo/zoo.h"

namespace archscope::ui {
namespace {

QString seconds(double s) {
    return QString::fromStdString(formatSeconds(s));
}

QString boundText(Bound b) {
    return QString::fromUtf8(boundName(b).data());
}

/// The slowest fused op of a stage: its name, kind and bound.
QString slowestOp(const NetworkSummary& s, const BreakdownRow& stage) {
    const BreakdownRow* slowest = nullptr;
    for (int g = stage.firstGroup; g <= stage.lastGroup; ++g) {
        const BreakdownRow& op = s.ops[size_t(g)];
        if (!slowest || op.seconds > slowest->seconds) slowest = &op;
    }
    if (!slowest) return {};
    const QString kind = slowest->ops.section(QStringLiteral(" + "), 0, 0);
    return QObject::tr("%1 (%2, %3-bound)").arg(slowest->name, kind, boundText(slowest->bound));
}

const BreakdownRow* stageOf(const NetworkSummary& s, int stage) {
    for (const auto& r : s.stages) {
        if (r.stage == stage) return &r;
    }
    return nullptr;
}

}  // namespace

NetworkSummary summarizeNetwork(const NetworkSpec& spec, const Profile& profile, int batch,
                                Dtype dtype) {
    NetworkSummary s;
    s.name = QString::fromStdString(spec.name);
    s.platform = QString::fromStdString(profile.displayName);
    s.batch = batch;
    const auto layers = expandLayers(buildNetwork(spec), batch);
    const NetworkCost cost = totalCost(layers);
    s.params = double(cost.params);
    s.macsPerImage = double(cost.macs) / batch;
    const auto groups = predictGroups(profile, layers, dtype);
    s.prediction = summarize(groups, batch, profile.runtime.perStepSeconds);
    double weighted = 0.0;
    for (const GroupCost& g : groups) weighted += g.matrixUtilization * g.seconds;
    if (s.prediction.latencySeconds > 0)
        s.matrixUtilization = weighted / s.prediction.latencySeconds;
    if (const auto top1 = publishedTop1(spec.name)) s.publishedTop1 = top1->top1;
    s.stages = breakdownRows(layers, groups, profile, Granularity::Stage);
    s.ops = breakdownRows(layers, groups, profile, Granularity::FusedOp);
    return s;
}

QString explainDifference(const NetworkSummary& a, const NetworkSummary& b) {
    const QLocale locale;
    const double macsRatio = a.macsPerImage > 0 ? b.macsPerImage / a.macsPerImage : 0.0;
    const double timeRatio = a.prediction.latencySeconds > 0
                                 ? b.prediction.latencySeconds / a.prediction.latencySeconds
                                 : 0.0;
    QString text;
    const QString faster = timeRatio < 1.0 ? QObject::tr("<b style='color:#1a7a1a'>%1× faster</b>")
                                                 .arg(locale.toString(1.0 / timeRatio, 'f', 2))
                                           : QObject::tr("<b style='color:#a01010'>%1× slower</b>")
                                                 .arg(locale.toString(timeRatio, 'f', 2));
    text += QObject::tr(
                "<b>%1</b> has <b>%2×</b> the MACs of <b>%3</b> and is %4 on %5 "
                "(%6 vs %7 per batch of %8).")
                .arg(b.name, locale.toString(macsRatio, 'f', 2), a.name, faster, a.platform,
                     seconds(b.prediction.latencySeconds), seconds(a.prediction.latencySeconds))
                .arg(a.batch);
    text += QStringLiteral("<ul style='margin-left:-20px'>");
    text += QObject::tr(
                "<li>Matrix-unit utilization %1% vs %2%: MACs on the matrix unit are cheap "
                "when its tiles are full.</li>")
                .arg(locale.toString(100 * b.matrixUtilization, 'f', 1),
                     locale.toString(100 * a.matrixUtilization, 'f', 1));
    const auto& ab = a.prediction.secondsByBound;
    const auto& bb = b.prediction.secondsByBound;
    text += QObject::tr(
                "<li>Time bound by the vector unit %1 → %2, by the matrix unit %3 → %4, "
                "by memory %5 → %6.</li>")
                .arg(seconds(ab[int(Bound::Vector)]), seconds(bb[int(Bound::Vector)]),
                     seconds(ab[int(Bound::Matrix)]), seconds(bb[int(Bound::Matrix)]),
                     seconds(ab[int(Bound::Memory)]), seconds(bb[int(Bound::Memory)]));
    // The stages whose time differs most, with the op that dominates each.
    struct Diff {
        int stage;
        double delta;
    };
    std::vector<Diff> diffs;
    for (const auto& sa : a.stages) {
        if (const BreakdownRow* sb = stageOf(b, sa.stage))
            diffs.push_back({sa.stage, sb->seconds - sa.seconds});
    }
    std::sort(diffs.begin(), diffs.end(),
              [](const Diff& x, const Diff& y) { return std::abs(x.delta) > std::abs(y.delta); });
    for (size_t i = 0; i < std::min<size_t>(3, diffs.size()); ++i) {
        const BreakdownRow* sa = stageOf(a, diffs[i].stage);
        const BreakdownRow* sb = stageOf(b, diffs[i].stage);
        text += QObject::tr("<li><b>%1</b>: %2 → %3; slowest op %4 → %5</li>")
                    .arg(sa->name, seconds(sa->seconds), seconds(sb->seconds), slowestOp(a, *sa),
                         slowestOp(b, *sb));
    }
    text += QStringLiteral("</ul>");
    return text;
}

}  // namespace archscope::ui
