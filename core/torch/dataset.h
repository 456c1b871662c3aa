#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace archscope {

/// Where Debian's dataset-fashion-mnist package puts Fashion-MNIST (gzip'd MNIST IDX files).
inline constexpr const char* kDefaultDatasetFolder = "/usr/share/datasets/fashion-mnist";
inline constexpr const char* kDefaultDatasetPackage = "dataset-fashion-mnist";

/// Labelled 8-bit images in memory, planar per image (N x C x H x W), as the file formats
/// store them. Plain values: no torch types, so readers and tests need no LibTorch.
struct ImageSet {
    int count = 0;
    int channels = 0;
    int height = 0;
    int width = 0;
    std::vector<uint8_t> pixels;  ///< count * channels * height * width
    std::vector<uint8_t> labels;  ///< count
    size_t imageSize() const { return size_t(channels) * height * width; }
};

enum class DatasetFormat { MnistIdx, Cifar10Binary };
std::string datasetFormatName(DatasetFormat f);  ///< "mnist-idx", "cifar10-binary"

/// A dataset folder, read: its training and held-out test split.
struct Dataset {
    std::filesystem::path folder;
    DatasetFormat format = DatasetFormat::MnistIdx;
    std::string name;  ///< the folder's name, e.g. "fashion-mnist"
    int numClasses = 0;
    ImageSet train;
    ImageSet test;
};

/// The whole file, gunzipped when it starts with the gzip magic (zlib). Throws ArchError.
std::vector<uint8_t> readFileMaybeGzip(const std::filesystem::path& file);

/// MNIST IDX (http://yann.lecun.com/exdb/mnist/): big-endian magic 0x00000803 (images, N x H x W
/// unsigned bytes) and 0x00000801 (labels). Reads at most `limit` images (0 = all).
ImageSet readIdx(const std::filesystem::path& images, const std::filesystem::path& labels,
                 int limit = 0);

/// CIFAR-10 binary (https://www.cs.toronto.edu/~kriz/cifar.html): records of 1 label byte +
/// 3072 bytes (3 x 32 x 32, planar RGB). Reads the files in order, at most `limit` images.
ImageSet readCifar10(const std::vector<std::filesystem::path>& files, int limit = 0);

/// Detects the format of `folder` (MNIST IDX: {train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz];
/// CIFAR-10: data_batch_1..5.bin + test_batch.bin, also in a cifar-10-batches-bin subfolder) and
/// reads at most trainLimit / testLimit images of each split (0 = all). Throws ArchError naming
/// the folder and, for the default folder, the Debian package to install.
Dataset loadDataset(const std::filesystem::path& folder, int trainLimit = 0, int testLimit = 0);

}  // namespace archscope
