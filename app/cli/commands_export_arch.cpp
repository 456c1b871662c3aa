// `export-arch`: a network out of Archscope, as IR JSON, TF block strings or a PyTorch module.
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "arch/error.h"
#include "arch/export.h"
#include "arch/json.h"
#include "registry.h"
#include "zoo/zoo.h"

namespace archscope::cli {
namespace {

std::string exportText(const NetworkSpec& spec, const std::string& format) {
    if (format == "json") return networkSpecToJson(spec).dump(2) + "\n";
    if (format == "blocks") return networkToBlockText(spec);
    return networkToPyTorch(spec);
}

void runExportArch(const std::string& model, const std::string& format, const std::string& out) {
    const NetworkSpec spec = resolveModel(model);
    const std::string text = exportText(spec, format);
    if (out.empty() || out == "-") {
        std::cout << text;
        return;
    }
    std::ofstream file(out, std::ios::binary | std::ios::trunc);
    if (!file)
        throw ArchError("cannot write \"" + out + "\"; check the folder exists and is writable");
    file << text;
    file.close();
    if (!file) throw ArchError("writing \"" + out + "\" failed (disk full?)");
    std::cerr << "wrote " << spec.name << " as " << format << " to " << out << "\n";
}

}  // namespace

void addExportArchCommands(CLI::App& app) {
    auto* cmd = app.add_subcommand(
        "export-arch", "Write a network as IR JSON, TF block strings or a PyTorch nn.Module file");
    auto model = std::make_shared<std::string>();
    auto format = std::make_shared<std::string>("json");
    auto out = std::make_shared<std::string>();
    cmd->add_option("model", *model, "Zoo name or architecture .json file")->required();
    cmd->add_option("--format", *format,
                    "json: the architecture file; blocks: TF block strings with the scaling as "
                    "comments; pytorch: a self-contained Python file with Net and build()")
        ->check(CLI::IsMember({"json", "blocks", "pytorch"}))
        ->capture_default_str();
    cmd->add_option("--out,-o", *out, "Output file (default: stdout)");
    cmd->callback([=] { runExportArch(*model, *format, *out); });
}

}  // namespace archscope::cli
