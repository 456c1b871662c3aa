#include "networksummary.h"

#include <QLocale>
#include <QObject>

#include "hw/explain.h"

namespace archscope::ui {
namespace {

QString seconds(double s) {
    return QString::fromStdString(formatSeconds(s));
}

QString opText(const analysis::SlowestOp& op) {
    return QObject::tr("%1 (%2, %3-bound)")
        .arg(QString::fromStdString(op.name), QString::fromStdString(op.kind),
             QString::fromUtf8(boundName(op.bound).data()));
}

}  // namespace

QString explanationHtml(const analysis::Explanation& e) {
    const QLocale locale;
    const QString faster = e.latencyRatio < 1.0
                               ? QObject::tr("<b style='color:#1a7a1a'>%1× faster</b>")
                                     .arg(locale.toString(1.0 / e.latencyRatio, 'f', 2))
                               : QObject::tr("<b style='color:#a01010'>%1× slower</b>")
                                     .arg(locale.toString(e.latencyRatio, 'f', 2));
    QString text =
        QObject::tr(
            "<b>%1</b> has <b>%2×</b> the MACs of <b>%3</b> and is %4 on %5 "
            "(%6 vs %7 per batch of %8).")
            .arg(QString::fromStdString(e.nameB), locale.toString(e.macsRatio, 'f', 2),
                 QString::fromStdString(e.nameA), faster, QString::fromStdString(e.platform),
                 seconds(e.secondsB), seconds(e.secondsA))
            .arg(e.batch);
    text += QStringLiteral("<ul style='margin-left:-20px'>");
    // The platform's own words for its units (MXU on a TPU, Tensor Cores on a GPU).
    const auto unit = [&e](Bound b) { return QString::fromStdString(e.unitNames[size_t(b)]); };
    text += QObject::tr(
                "<li>%3 utilization %1% vs %2%: MACs on the %3 (the matrix unit) are cheap "
                "when its tiles are full.</li>")
                .arg(locale.toString(100 * e.matrixUtilizationB, 'f', 1),
                     locale.toString(100 * e.matrixUtilizationA, 'f', 1), unit(Bound::Matrix));
    const auto& ab = e.secondsByBoundA;
    const auto& bb = e.secondsByBoundB;
    const auto part = [&](Bound b) {
        return QObject::tr("%1 %2 → %3")
            .arg(unit(b), seconds(ab[size_t(b)]), seconds(bb[size_t(b)]));
    };
    text += QObject::tr("<li>Time bound by the %1, by the %2, by %3.</li>")
                .arg(part(Bound::Vector), part(Bound::Matrix), part(Bound::Memory));
    for (const analysis::StageDifference& d : e.stages) {
        text += QObject::tr("<li><b>%1</b>: %2 → %3; slowest op %4 → %5</li>")
                    .arg(QString::fromStdString(d.stage), seconds(d.secondsA), seconds(d.secondsB),
                         opText(d.slowestA), opText(d.slowestB));
    }
    text += QStringLiteral("</ul>");
    return text;
}

}  // namespace archscope::ui
