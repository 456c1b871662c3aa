// archscope-cli: the headless twin of the GUI. Wiring only; the work happens in the core.
#include <iostream>

#include <sqlite3.h>

#include "arch/error.h"
#include "registry.h"

namespace {

std::string versionText() {
    return std::string("archscope-cli ") + ARCHSCOPE_VERSION + " (SQLite " + sqlite3_libversion() +
           ")";
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Archscope: platform-aware neural architecture search explorer (headless)",
                 "archscope-cli"};
    app.require_subcommand(1);
    app.set_version_flag("--version", versionText());
    archscope::cli::addRegisteredCommands(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const archscope::ArchError& e) {
        std::cerr << "archscope-cli: error: " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "archscope-cli: error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
