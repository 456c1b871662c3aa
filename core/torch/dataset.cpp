// Readers of the two image-classification formats the proxy estimator trains on: MNIST IDX
// (gzip'd or raw) and CIFAR-10 binary. Plain C++ + zlib; no LibTorch here.
#include "dataset.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <limits>

#include "arch/error.h"

namespace archscope {
namespace fs = std::filesystem;
namespace {

constexpr uint32_t kIdxImagesMagic = 0x00000803;  // unsigned byte, 3 dimensions
constexpr uint32_t kIdxLabelsMagic = 0x00000801;  // unsigned byte, 1 dimension
constexpr int kCifarSide = 32;
constexpr int kCifarChannels = 3;
constexpr size_t kCifarRecord = 1 + size_t(kCifarChannels) * kCifarSide * kCifarSide;

/// Reads at most `maxBytes` of `file`; gzread passes files without the gzip magic through as-is.
std::vector<uint8_t> readPrefix(const fs::path& file, size_t maxBytes) {
    gzFile in = gzopen(file.c_str(), "rb");
    if (!in) throw ArchError("cannot open " + file.string());
    std::vector<uint8_t> data;
    std::array<uint8_t, 1 << 16> chunk{};
    while (data.size() < maxBytes) {
        const auto want = unsigned(std::min<size_t>(chunk.size(), maxBytes - data.size()));
        const int got = gzread(in, chunk.data(), want);
        if (got < 0) {
            int code = 0;
            const std::string why = gzerror(in, &code);
            gzclose(in);
            throw ArchError("cannot read " + file.string() + ": " + why +
                            " (a damaged download? fetch the file again)");
        }
        if (got == 0) break;
        data.insert(data.end(), chunk.begin(), chunk.begin() + got);
    }
    gzclose(in);
    return data;
}

uint32_t bigEndian32(const std::vector<uint8_t>& d, size_t at) {
    return uint32_t(d[at]) << 24 | uint32_t(d[at + 1]) << 16 | uint32_t(d[at + 2]) << 8 |
           uint32_t(d[at + 3]);
}

/// The first existing of `stem` and `stem.gz` in `folder`, or empty.
fs::path findMaybeGz(const fs::path& folder, const std::string& stem) {
    for (const fs::path& p : {folder / stem, folder / (stem + ".gz")}) {
        if (fs::is_regular_file(p)) return p;
    }
    return {};
}

int countClasses(const ImageSet& a, const ImageSet& b) {
    int top = -1;
    for (const ImageSet* s : {&a, &b}) {
        for (uint8_t l : s->labels) top = std::max(top, int(l));
    }
    return top + 1;
}

[[noreturn]] void throwMissing(const fs::path& folder, const std::string& why) {
    std::string msg = "no dataset in " + folder.string() + ": " + why +
                      ". Expected MNIST IDX files ({train,t10k}-{images-idx3,labels-idx1}-ubyte, "
                      "optionally .gz) or CIFAR-10 binary files (data_batch_1..5.bin, "
                      "test_batch.bin)";
    if (fs::path(kDefaultDatasetFolder) == folder) {
        msg += "; install Fashion-MNIST with `apt-get install " +
               std::string(kDefaultDatasetPackage) + "`";
    } else {
        msg += "; or pass --data " + std::string(kDefaultDatasetFolder) +
               " after `apt-get install " + kDefaultDatasetPackage + "`";
    }
    throw ArchError(msg);
}

}  // namespace

std::string datasetFormatName(DatasetFormat f) {
    return f == DatasetFormat::MnistIdx ? "mnist-idx" : "cifar10-binary";
}

std::vector<uint8_t> readFileMaybeGzip(const fs::path& file) {
    return readPrefix(file, std::numeric_limits<size_t>::max());
}

ImageSet readIdx(const fs::path& images, const fs::path& labels, int limit) {
    // Headers first: they say how many bytes the requested images need.
    std::vector<uint8_t> head = readPrefix(images, 16);
    if (head.size() < 16 || bigEndian32(head, 0) != kIdxImagesMagic) {
        throw ArchError(images.string() + " is not an MNIST IDX image file (magic 0x00000803)");
    }
    const uint32_t n = bigEndian32(head, 4), h = bigEndian32(head, 8), w = bigEndian32(head, 12);
    if (h == 0 || w == 0 || h > 4096 || w > 4096) {
        throw ArchError(images.string() + ": implausible image size " + std::to_string(h) + "x" +
                        std::to_string(w));
    }
    const uint32_t count = limit > 0 ? std::min<uint32_t>(n, uint32_t(limit)) : n;
    ImageSet set;
    set.count = int(count);
    set.channels = 1;
    set.height = int(h);
    set.width = int(w);
    std::vector<uint8_t> img = readPrefix(images, 16 + size_t(count) * h * w);
    if (img.size() < 16 + size_t(count) * h * w) {
        throw ArchError(images.string() + " is truncated: the header promises " +
                        std::to_string(n) + " images");
    }
    set.pixels.assign(img.begin() + 16, img.end());

    std::vector<uint8_t> lab = readPrefix(labels, 8 + size_t(count));
    if (lab.size() < 8 || bigEndian32(lab, 0) != kIdxLabelsMagic) {
        throw ArchError(labels.string() + " is not an MNIST IDX label file (magic 0x00000801)");
    }
    if (bigEndian32(lab, 4) != n || lab.size() < 8 + size_t(count)) {
        throw ArchError(labels.string() + " holds " + std::to_string(bigEndian32(lab, 4)) +
                        " labels for " + std::to_string(n) + " images");
    }
    set.labels.assign(lab.begin() + 8, lab.end());
    return set;
}

ImageSet readCifar10(const std::vector<fs::path>& files, int limit) {
    ImageSet set;
    set.channels = kCifarChannels;
    set.height = kCifarSide;
    set.width = kCifarSide;
    for (const fs::path& file : files) {
        const size_t want = limit > 0 ? size_t(limit - set.count) * kCifarRecord
                                      : std::numeric_limits<size_t>::max();
        if (want == 0) break;
        std::vector<uint8_t> data = readPrefix(file, want);
        if (data.size() % kCifarRecord != 0 && data.size() < want) {
            throw ArchError(file.string() +
                            " is not CIFAR-10 binary: " + std::to_string(data.size()) +
                            " bytes is not a multiple of " + std::to_string(kCifarRecord));
        }
        const size_t records = data.size() / kCifarRecord;
        for (size_t r = 0; r < records; ++r) {
            const uint8_t* rec = data.data() + r * kCifarRecord;
            if (rec[0] > 9) {
                throw ArchError(file.string() + ": label " + std::to_string(rec[0]) +
                                " in record " + std::to_string(r) + " (CIFAR-10 has 0..9)");
            }
            set.labels.push_back(rec[0]);
            set.pixels.insert(set.pixels.end(), rec + 1, rec + kCifarRecord);
        }
        set.count += int(records);
    }
    return set;
}

Dataset loadDataset(const fs::path& folder, int trainLimit, int testLimit) {
    if (!fs::is_directory(folder)) throwMissing(folder, "the folder does not exist");
    Dataset d;
    d.folder = folder;
    d.name = folder.filename().empty() ? folder.parent_path().filename().string()
                                       : folder.filename().string();
    const fs::path trainImages = findMaybeGz(folder, "train-images-idx3-ubyte");
    const fs::path trainLabels = findMaybeGz(folder, "train-labels-idx1-ubyte");
    const fs::path testImages = findMaybeGz(folder, "t10k-images-idx3-ubyte");
    const fs::path testLabels = findMaybeGz(folder, "t10k-labels-idx1-ubyte");
    if (!trainImages.empty() && !trainLabels.empty() && !testImages.empty() &&
        !testLabels.empty()) {
        d.format = DatasetFormat::MnistIdx;
        d.train = readIdx(trainImages, trainLabels, trainLimit);
        d.test = readIdx(testImages, testLabels, testLimit);
    } else {
        fs::path cifar = folder;
        if (!fs::is_regular_file(cifar / "test_batch.bin") &&
            fs::is_directory(folder / "cifar-10-batches-bin")) {
            cifar = folder / "cifar-10-batches-bin";
        }
        std::vector<fs::path> trainFiles;
        for (int i = 1; i <= 5; ++i) {
            const fs::path p = cifar / ("data_batch_" + std::to_string(i) + ".bin");
            if (fs::is_regular_file(p)) trainFiles.push_back(p);
        }
        if (trainFiles.empty() || !fs::is_regular_file(cifar / "test_batch.bin")) {
            throwMissing(folder, "neither MNIST IDX nor CIFAR-10 binary files were found");
        }
        d.format = DatasetFormat::Cifar10Binary;
        d.train = readCifar10(trainFiles, trainLimit);
        d.test = readCifar10({cifar / "test_batch.bin"}, testLimit);
    }
    if (d.train.count == 0 || d.test.count == 0) throwMissing(folder, "a split holds no images");
    if (d.train.imageSize() != d.test.imageSize() || d.train.channels != d.test.channels) {
        throw ArchError(folder.string() + ": training and test images differ in size");
    }
    d.numClasses = countClasses(d.train, d.test);
    return d;
}

}  // namespace archscope
