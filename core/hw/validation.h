#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "arch/network.h"
#include "calibrate.h"
#include "profile.h"

namespace archscope {

/// The validation-table file format version this code reads (the file's "format_version").
inline constexpr int kValidationFormatVersion = 1;

/// One published measurement: a zoo network at a batch and input resolution.
struct ValidationRow {
    std::string model;  ///< an Archscope zoo name
    int batch = 1;
    int resolution = 224;    ///< input side in pixels (predictions are made at this resolution)
    double latencyMs = 0.0;  ///< per batch, as the source gives it (units converted only)
    std::string sourceRow;   ///< the source's own fields, for tracing the figure back
};

/// A source row left out, with why.
struct DroppedRow {
    std::string sourceRow;
    std::string reason;
};

/// One table of public measurements: one source, platform, software and precision
/// (resources/validation/<name>.json, docs/validation.md).
struct ValidationTable {
    std::string name;
    std::string title;
    std::string sharedFile;  ///< the shared reference file the figures were converted from
    std::string citation;    ///< where that file's figures come from
    std::string platform;    ///< an Archscope profile name (it may not exist yet)
    std::string runtime;     ///< pytorch-eager, tensorrt or xla: nearest runtime class
    std::string software;    ///< exactly what produced the figures
    std::string dtype;       ///< fp32, fp16, bf16 or tf32
    std::string role;        ///< holdout or fit
    std::string conversion;  ///< how source units became ms per batch
    std::vector<std::string> notes;
    std::vector<ValidationRow> rows;
    std::vector<DroppedRow> dropped;
    std::string file;  ///< where it was loaded from
};

/// Parses a table. Throws ArchError naming `where` (the file) and the dotted field
/// ("rows[3].latency_ms") that is missing or wrong; every row's model must be a zoo name.
ValidationTable validationTableFromJson(const nlohmann::json& j, const std::string& where);

/// Loads a table by short name (resources/validation/<name>.json, found with findResource) or
/// by path to a .json file.
ValidationTable loadValidationTable(const std::string& nameOrPath);

/// Short names of the shipped tables (resources/validation/*.json), sorted.
std::vector<std::string> listValidationTables();

/// Every shipped table, in name order.
std::vector<ValidationTable> loadValidationTables();

/// Predicted latency in ms of one batch of `spec` (its resolution already set to the row's).
using LatencyPredictor =
    std::function<double(const NetworkSpec& spec, int batch, const ValidationTable& table)>;

/// One row with its prediction and the two cost proxies, all at the row's batch and resolution.
struct ValidationPoint {
    std::string model;
    int batch = 1;
    int resolution = 224;
    double measuredMs = 0.0;
    double predictedMs = 0.0;
    int64_t macs = 0;                ///< whole batch
    int64_t activationElements = 0;  ///< sum over layers of input + output elements, whole batch
};

/// How well the predictor and the proxies order and match one table.
struct ValidationResult {
    int count = 0;
    double tauModel = 0.0;               ///< Kendall tau-b, predicted vs measured
    double tauMacs = 0.0;                ///< MACs vs measured
    double tauActivations = 0.0;         ///< activation elements vs measured
    double medianAbsErrorPercent = 0.0;  ///< median of |predicted / measured - 1| x 100
    std::vector<ValidationPoint> points;
};

/// The statistics of already computed points (pure; also used on hand-made points in tests).
ValidationResult summarizeValidation(std::vector<ValidationPoint> points);

/// Builds each row's network at its resolution, costs it at its batch, asks `predict`, and
/// summarizes. Exceptions from `predict` propagate.
ValidationResult validateTable(const ValidationTable& table, const LatencyPredictor& predict);

/// The platform a table is predicted on: its profile under its runtime, or under `runtime` when
/// that is not empty. Throws ArchError for a profile or runtime that does not exist.
Profile tablePlatform(const ValidationTable& table, const std::string& runtime = "");
/// The table's precision as a model dtype. Throws ArchError for an unknown one.
Dtype tableDtype(const ValidationTable& table);

/// validateTable with the analytical model of `platform` at the table's dtype.
ValidationResult validateWithModel(const ValidationTable& table, const Profile& platform);

/// One table validated on its platform, or why it could not be.
struct TableValidation {
    std::string runtime;  ///< the runtime predicted under (the table's own or the override)
    std::string method;   ///< predictionMethod() of the platform used; empty when skipped
    ValidationResult result;
    std::string skipped;  ///< why no prediction was possible; empty when validated
};

/// validateWithModel on tablePlatform(table, runtime); an ArchError (a profile or runtime that
/// does not exist or does not cover the platform, an unsupported dtype) becomes `skipped`.
/// `fitted` (a runtime just fitted, e.g. by fitRuntimeOnTables) replaces the loaded runtime of
/// the same name and platform kind.
TableValidation validateOnPlatform(const ValidationTable& table, const std::string& runtime = "",
                                   const Runtime* fitted = nullptr);

/// Whether the model orders the table worse than either cost proxy: its tau is below the tau of
/// MACs or of activation elements.
bool modelRanksBelowProxy(const ValidationResult& r);

/// Fits `parameters` of the runtime `runtime` (for platforms of `kind`) on the rows of every
/// table with role "fit" under that runtime, each row predicted on its own table's platform
/// (fitRuntime). Throws ArchError when no such table exists.
RuntimeFitResult fitRuntimeOnTables(const std::vector<ValidationTable>& tables,
                                    const std::string& runtime, const std::string& kind,
                                    const std::vector<std::string>& parameters);

}  // namespace archscope
