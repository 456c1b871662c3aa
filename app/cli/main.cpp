// archscope-cli: the headless twin of the GUI. Wiring only; the work happens in the core.
#include <iostream>

#include <sqlite3.h>

#include "arch/error.h"
#include "registry.h"
#include "search/plugins.h"
#include "util/json_input.h"
#ifdef ARCHSCOPE_HAS_TORCH
#include "torch/evaluator_registry.h"
#include "torch/measure.h"
#endif

namespace {

/// The version and the versions of the libraries this binary runs with (SQLite: the loaded
/// library, not the header it was compiled against).
std::string versionText() {
    std::string text = std::string("archscope-cli ") + ARCHSCOPE_VERSION + "\nSQLite " +
                       sqlite3_libversion() + "\n";
#ifdef ARCHSCOPE_HAS_TORCH
    text += "LibTorch " + archscope::libtorchVersion() + "\n";
#else
    text += "LibTorch: not built in (configure with -DARCHSCOPE_WITH_TORCH=ON)\n";
#endif
    return text + "Qt: not used (the CLI is the Qt-free headless build)";
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Archscope: platform-aware neural architecture search explorer (headless)",
                 "archscope-cli"};
    app.require_subcommand(1);
    app.set_version_flag("--version", versionText());
    // Everything the binary can do is plugged in here, explicitly (no static registrars).
    archscope::registerCorePlugins();  // run kinds search + lacs, the imagenet estimator
#ifdef ARCHSCOPE_HAS_TORCH
    archscope::registerTorchEvaluators();  // proxy / zero-cost / supernet accuracy, cpu / cuda
                                           // measurement
#endif
    namespace cli = archscope::cli;
    cli::addArchCommands(app);
    cli::addExportArchCommands(app);
    cli::addHwCommands(app);
    cli::addValidateCommands(app);
    cli::addSearchCommands(app);
#ifdef ARCHSCOPE_HAS_TORCH
    cli::addTorchCommands(app);
#endif
    cli::addLacsCommands(app);
#ifdef ARCHSCOPE_HAS_TORCH
    cli::addCalibrateCommand(app);
#endif
    cli::addEstimateCommands(app);
#ifdef ARCHSCOPE_HAS_TORCH
    cli::addSupernetCommands(app);
#endif
    cli::addStoreCommands(app);
    cli::addCalibrateFromCommand(app);
    cli::addImportCommands(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const archscope::ArchError& e) {
        std::cerr << "archscope-cli: error: " << archscope::jsonin::excerpt(e.what(), 2000) << "\n";
        return 1;
    } catch (const nlohmann::json::exception& e) {
        // A reader missed a check; still no bare "[json.exception...]" and no echoed input.
        std::cerr << "archscope-cli: error: malformed input: " << archscope::jsonin::plainMessage(e)
                  << "\n";
        return 1;
    } catch (const std::bad_alloc&) {
        std::cerr << "archscope-cli: error: out of memory; use a smaller input, batch or network\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "archscope-cli: error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
