// core/analysis: the one median and quantile, Kendall tau, Pearson, Spearman, the log-log fit and
// the spread at similar x, on exact cases.
#include <QtTest>
#include <cmath>

#include "analysis/statistics.h"

using namespace archscope::analysis;

class TestAnalysis : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void medianAndQuantiles() {
        QCOMPARE(median({3.0, 1.0, 2.0}), 2.0);
        QCOMPARE(median({4.0, 1.0, 2.0, 3.0}), 2.5);
        QCOMPARE(median({7.0}), 7.0);
        QVERIFY(std::isnan(median({})));
        // Linear between order statistics, as numpy.quantile: 0.1 of 0..10 is 1.0.
        QCOMPARE(quantile({10, 0, 5, 1, 2, 3, 4, 6, 7, 8, 9}, 0.1), 1.0);
        QCOMPARE(quantile({1.0, 2.0}, 0.9), 1.9);
        QCOMPARE(quantile({1.0, 2.0}, 0.0), 1.0);
    }

    void pearsonValues() {
        QCOMPARE(pearson({1, 2, 3}, {2, 4, 6}), 1.0);
        QCOMPARE(pearson({1, 2, 3}, {3, 2, 1}), -1.0);
        QCOMPARE(pearson({1, 2, 3}, {5, 5, 5}), 0.0);  // a constant series has no correlation
        QCOMPARE(pearson({1}, {1}), 0.0);
    }

    void kendallTauValues() {
        QCOMPARE(kendallTau({1, 2, 3}, {10, 20, 30}), 1.0);
        QCOMPARE(kendallTau({1, 2, 3}, {30, 20, 10}), -1.0);
        QCOMPARE(kendallTau({1, 2, 3, 4, 5}, {3, 1, 2, 5, 4}), 0.4);
        // tau-b with one tie on each side: 4 / sqrt(5 x 5) (scipy.stats.kendalltau agrees).
        QCOMPARE(kendallTau({1, 1, 2, 3}, {1, 2, 2, 3}), 0.8);
        QCOMPARE(kendallTau({1}, {1}), 0.0);
    }

    void spearman_data() {
        QTest::addColumn<QList<double>>("x");
        QTest::addColumn<QList<double>>("y");
        QTest::addColumn<double>("expected");
        QTest::newRow("monotone") << QList<double>{1, 2, 3, 4} << QList<double>{1, 10, 100, 1000}
                                  << 1.0;
        QTest::newRow("reversed") << QList<double>{1, 2, 3, 4} << QList<double>{4, 3, 2, 1} << -1.0;
        // Ranks x 1,2,3,4,5 vs y 2,1,4,3,5: 1 - 6*4/(5*24) = 0.8.
        QTest::newRow("two swaps")
            << QList<double>{1, 2, 3, 4, 5} << QList<double>{2, 1, 4, 3, 5} << 0.8;
        QTest::newRow("one point") << QList<double>{1} << QList<double>{1} << 0.0;
    }
    void spearman() {
        QFETCH(QList<double>, x);
        QFETCH(QList<double>, y);
        QFETCH(double, expected);
        const double rho =
            archscope::analysis::spearman({x.begin(), x.end()}, {y.begin(), y.end()});
        QVERIFY2(qAbs(rho - expected) < 1e-12, qPrintable(QString::number(rho)));
    }

    void logLogFitOfAPowerLaw() {
        std::vector<double> x, y;
        for (double v : {1.0, 10.0, 100.0, 1000.0}) {
            x.push_back(v);
            y.push_back(3.0 * std::pow(v, 0.5));
        }
        const LogLogFit fit = fitLogLog(x, y);
        QCOMPARE(fit.n, 4);
        QVERIFY(qAbs(fit.slope - 0.5) < 1e-12);
        QVERIFY(qAbs(fit.intercept - std::log10(3.0)) < 1e-12);
        QVERIFY(qAbs(fit.r2 - 1.0) < 1e-12);
        y[1] *= 4;  // a scatter lowers R²
        QVERIFY(fitLogLog(x, y).r2 < 0.99);
    }

    void spreadAtSimilarMacs() {
        const SpreadPair p =
            largestSpreadAtSimilarX({1.0, 1.1, 5.0, 1.05}, {2.0, 1.0, 100.0, 6.0}, 0.25);
        QCOMPARE(p.slower, 3);
        QCOMPARE(p.faster, 1);
        QCOMPARE(p.ratio, 6.0);
        QCOMPARE(largestSpreadAtSimilarX({1.0, 10.0}, {1.0, 2.0}, 0.25).ratio, 0.0);
    }
};

QTEST_GUILESS_MAIN(TestAnalysis)
#include "tst_analysis.moc"
