// Accuracy estimators: the IDX and CIFAR-10 readers, the missing-dataset message, NASWOT's
// kernel, determinism of both estimators for a seed, proxy accuracy above chance on real
// Fashion-MNIST, and cooperative cancellation.
#include <zlib.h>

#include <QtTest>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <stop_token>

#include "arch/blockstring.h"
#include "arch/error.h"
#include "torch/dataset.h"
#include "torch/proxy_train.h"
#include "torch/zero_cost.h"
#include "zoo/zoo.h"

using namespace archscope;
namespace fs = std::filesystem;

namespace {

void put32(std::vector<uint8_t>& out, uint32_t v) {
    for (int shift : {24, 16, 8, 0}) out.push_back(uint8_t(v >> shift));
}

/// An IDX image file of `n` 2x3 images whose pixel (i, y, x) is i*10 + y*3 + x, and its labels.
std::pair<std::vector<uint8_t>, std::vector<uint8_t>> tinyIdx(uint32_t n) {
    std::vector<uint8_t> images, labels;
    put32(images, 0x00000803);
    put32(images, n);
    put32(images, 2);
    put32(images, 3);
    put32(labels, 0x00000801);
    put32(labels, n);
    for (uint32_t i = 0; i < n; ++i) {
        for (int p = 0; p < 6; ++p) images.push_back(uint8_t(i * 10 + p));
        labels.push_back(uint8_t(i % 10));
    }
    return {images, labels};
}

void writeRaw(const fs::path& file, const std::vector<uint8_t>& bytes) {
    std::ofstream out(file, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

void writeGz(const fs::path& file, const std::vector<uint8_t>& bytes) {
    gzFile out = gzopen(file.c_str(), "wb");
    QVERIFY(out);
    QCOMPARE(gzwrite(out, bytes.data(), unsigned(bytes.size())), int(bytes.size()));
    gzclose(out);
}

/// A fresh empty folder under the test's temporary directory.
fs::path freshDir(const QTemporaryDir& tmp, const char* name) {
    const fs::path dir = fs::path(tmp.path().toStdString()) / name;
    fs::create_directories(dir);
    return dir;
}

bool fashionMnistInstalled() {
    return fs::is_regular_file(fs::path(kDefaultDatasetFolder) / "t10k-labels-idx1-ubyte.gz");
}

/// A small network that trains in seconds at proxy scale.
NetworkSpec smallNet() {
    NetworkSpec spec;
    spec.name = "small";
    spec.blocks = parseBlockStrings({"r1_k3_s11_e1_i32_o16_se0.25", "r1_k3_s22_e4_i16_o24",
                                     "r1_k5_s22_e4_i24_o40_se0.25", "r1_k3_s22_e4_i40_o80"});
    spec.headFilters = 512;
    return spec;
}

ProxySettings tinyProxy() {
    ProxySettings s;
    s.trainSubset = 512;
    s.testSubset = 256;
    s.epochs = 1;
    s.bnCalibrationImages = 256;
    s.threads = 2;
    return s;
}

}  // namespace

class TestTorchEstimators : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void idxReaderRawAndGz_data() {
        QTest::addColumn<bool>("gz");
        QTest::newRow("raw") << false;
        QTest::newRow("gz") << true;
    }
    void idxReaderRawAndGz() {
        QFETCH(bool, gz);
        QTemporaryDir tmp;
        const fs::path dir = freshDir(tmp, "idx");
        const auto [train, trainLabels] = tinyIdx(5);
        const auto [test, testLabels] = tinyIdx(3);
        const auto write = gz ? writeGz : writeRaw;
        const std::string ext = gz ? ".gz" : "";
        write(dir / ("train-images-idx3-ubyte" + ext), train);
        write(dir / ("train-labels-idx1-ubyte" + ext), trainLabels);
        write(dir / ("t10k-images-idx3-ubyte" + ext), test);
        write(dir / ("t10k-labels-idx1-ubyte" + ext), testLabels);

        const Dataset d = loadDataset(dir, /*trainLimit=*/4);
        QCOMPARE(d.format, DatasetFormat::MnistIdx);
        QCOMPARE(d.name, std::string("idx"));
        QCOMPARE(d.train.count, 4);
        QCOMPARE(d.test.count, 3);
        QCOMPARE(d.train.height, 2);
        QCOMPARE(d.train.width, 3);
        QCOMPARE(d.train.channels, 1);
        QCOMPARE(d.train.pixels.size(), size_t(4 * 6));
        QCOMPARE(int(d.train.pixels[3 * 6 + 5]), 35);  // image 3, row 1, column 2
        QCOMPARE(int(d.train.labels[3]), 3);
        QCOMPARE(d.numClasses, 4);  // labels 0..3 in the read images
    }

    void idxReaderRejectsWrongMagic() {
        QTemporaryDir tmp;
        const fs::path file = freshDir(tmp, "bad") / "x";
        auto [images, labels] = tinyIdx(2);
        writeRaw(file, labels);
        QVERIFY_THROWS_EXCEPTION(ArchError, readIdx(file, file));
    }

    void realFashionMnistHeader() {
        if (!fashionMnistInstalled()) QSKIP("dataset-fashion-mnist is not installed");
        const fs::path dir = kDefaultDatasetFolder;
        const ImageSet test =
            readIdx(dir / "t10k-images-idx3-ubyte.gz", dir / "t10k-labels-idx1-ubyte.gz", 100);
        QCOMPARE(test.count, 100);
        QCOMPARE(test.height, 28);
        QCOMPARE(test.width, 28);
        // Fashion-MNIST's README: the first test label is 9 (ankle boot).
        QCOMPARE(int(test.labels[0]), 9);
    }

    void cifarReader() {
        QTemporaryDir tmp;
        const fs::path dir = freshDir(tmp, "cifar-10-batches-bin");
        auto records = [](int n, int labelOffset) {
            std::vector<uint8_t> bytes;
            for (int r = 0; r < n; ++r) {
                bytes.push_back(uint8_t((r + labelOffset) % 10));
                for (int p = 0; p < 3072; ++p) bytes.push_back(uint8_t((p + r) % 256));
            }
            return bytes;
        };
        writeRaw(dir / "data_batch_1.bin", records(3, 0));
        writeRaw(dir / "data_batch_2.bin", records(2, 7));
        writeRaw(dir / "test_batch.bin", records(2, 1));
        // The parent folder works too: the CIFAR archive unpacks into cifar-10-batches-bin/.
        const Dataset d = loadDataset(dir.parent_path());
        QCOMPARE(d.format, DatasetFormat::Cifar10Binary);
        QCOMPARE(d.train.count, 5);
        QCOMPARE(d.test.count, 2);
        QCOMPARE(d.train.channels, 3);
        QCOMPARE(d.train.height, 32);
        QCOMPARE(int(d.train.labels[3]), 7);
        QCOMPARE(int(d.train.pixels[3 * 3072 + 10]), 10);  // record 0 of batch 2: (p + 0)
        QCOMPARE(d.numClasses, 9);                         // labels 0..8 seen
        QCOMPARE(loadDataset(dir, 4).train.count, 4);

        writeRaw(dir / "test_batch.bin", std::vector<uint8_t>(100, 0));
        QVERIFY_THROWS_EXCEPTION(ArchError, loadDataset(dir));
    }

    void missingDatasetNamesThePackage() {
        QTemporaryDir tmp;
        for (const fs::path& dir :
             {fs::path(tmp.path().toStdString()) / "absent", freshDir(tmp, "empty")}) {
            try {
                loadDataset(dir);
                QFAIL("no error for a folder without a dataset");
            } catch (const ArchError& e) {
                const QString msg = e.what();
                QVERIFY2(msg.contains(QString::fromStdString(dir.string())), e.what());
                QVERIFY2(msg.contains("apt-get install dataset-fashion-mnist"), e.what());
            }
        }
    }

    void proxySpecShrinksTheCandidate() {
        const NetworkSpec b0 = *zooSpec("efficientnet-b0");
        const NetworkSpec p = proxySpec(b0, ProxySettings{}, 1, 10);
        QCOMPARE(p.scaling.width, 0.25);
        QCOMPARE(p.scaling.depth, b0.scaling.depth);
        QCOMPARE(p.scaling.resolution, 32);
        QCOMPARE(p.stem.stride, 1);
        QCOMPARE(p.inputChannels, 1);
        QCOMPARE(p.numClasses, 10);
        QCOMPARE(p.blocks, b0.blocks);
    }

    void naswotKernelOfKnownCodes() {
        // Orthogonal codes: K = [[2, 0], [0, 2]] -> log 4. Equal codes: K singular -> -inf.
        QCOMPARE(naswotLogDet({{1, 0}, {0, 1}}), std::log(4.0));
        // [[3, 2], [2, 3]] (one of three units differs): log 5.
        QVERIFY(std::abs(naswotLogDet({{1, 1, 0}, {1, 0, 0}}) - std::log(5.0)) < 1e-12);
        QVERIFY(std::isinf(naswotLogDet({{1, 0, 1}, {1, 0, 1}})));
    }

    void zeroCostIsDeterministic() {
        ZeroCostSettings s;
        s.gaussianInput = !fashionMnistInstalled();
        s.batch = 8;
        s.resolution = 64;
        s.threads = 2;
        s.seed = 3;
        const NetworkSpec b0 = *zooSpec("efficientnet-b0");
        const AccuracyEstimate a = estimateZeroCost(b0, s);
        const AccuracyEstimate b = estimateZeroCost(b0, s);
        QCOMPARE(a.value, b.value);
        QVERIFY(std::isfinite(a.value));
        QCOMPARE(a.estimator, std::string("zero-cost"));
        QCOMPARE(a.metric, std::string("NASWOT score"));
        QCOMPARE(a.settings["batch"].get<int>(), 8);
        QVERIFY(a.settings["hooked_activations"].get<int>() > 16);
        s.seed = 4;
        QVERIFY(estimateZeroCost(b0, s).value != a.value);
    }

    void proxyIsDeterministic() {
        if (!fashionMnistInstalled()) QSKIP("dataset-fashion-mnist is not installed");
        const ProxySettings s = tinyProxy();
        const AccuracyEstimate a = estimateProxyAccuracy(smallNet(), s);
        const AccuracyEstimate b = estimateProxyAccuracy(smallNet(), s);
        QCOMPARE(a.value, b.value);
        QCOMPARE(a.estimator, std::string("proxy"));
        QCOMPARE(a.unit, std::string("%"));
        QVERIFY(a.dataset.find("fashion-mnist") != std::string::npos);
        QCOMPARE(a.settings["train_subset"].get<int>(), 512);
        QCOMPARE(a.settings["seed"].get<uint64_t>(), uint64_t(0));
    }

    void proxyBeatsChance() {
        if (!fashionMnistInstalled()) QSKIP("dataset-fashion-mnist is not installed");
        ProxySettings s = tinyProxy();
        s.trainSubset = 2048;
        s.testSubset = 500;
        const AccuracyEstimate e = estimateProxyAccuracy(smallNet(), s);
        qInfo("proxy accuracy of the small net on 2048 images: %.1f %% in %.1f s", e.value,
              e.seconds);
        QVERIFY2(e.value > 30.0, qPrintable(QString::number(e.value)));  // chance is 10 %
    }

    void proxyCancelsBetweenBatches() {
        QTemporaryDir tmp;
        const fs::path dir = freshDir(tmp, "idx");
        // 64 random 28x28 images: enough batches to stop after the second.
        std::vector<uint8_t> images, labels;
        put32(images, 0x00000803);
        put32(images, 64);
        put32(images, 28);
        put32(images, 28);
        put32(labels, 0x00000801);
        put32(labels, 64);
        for (int i = 0; i < 64 * 784; ++i) images.push_back(uint8_t((i * 2654435761u) >> 24));
        for (int i = 0; i < 64; ++i) labels.push_back(uint8_t(i % 10));
        for (const char* split : {"train", "t10k"}) {
            writeRaw(dir / (std::string(split) + "-images-idx3-ubyte"), images);
            writeRaw(dir / (std::string(split) + "-labels-idx1-ubyte"), labels);
        }
        ProxySettings s = tinyProxy();
        s.dataFolder = dir;
        s.batchSize = 8;
        std::stop_source stop;
        int lastStep = 0;
        QVERIFY_THROWS_EXCEPTION(
            EstimateCancelled,
            estimateProxyAccuracy(smallNet(), s, stop.get_token(), [&](const ProxyProgress& p) {
                lastStep = p.step;
                if (p.step == 2) stop.request_stop();
            }));
        QCOMPARE(lastStep, 2);  // the third batch never started

        std::stop_source stopped;
        stopped.request_stop();
        ZeroCostSettings z;
        z.gaussianInput = true;
        z.resolution = 32;
        z.batch = 4;
        QVERIFY_THROWS_EXCEPTION(EstimateCancelled,
                                 estimateZeroCost(smallNet(), z, stopped.get_token()));
    }
};

QTEST_GUILESS_MAIN(TestTorchEstimators)
#include "tst_torch_estimators.moc"
