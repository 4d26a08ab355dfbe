#include <vector>
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/cli.h"
#include "core/error.h"

namespace tahadhari::cli {

// Each subcommand's file defines its Command.
extern const Command kIngestCommand;
extern const Command kEventsCommand;
extern const Command kStatsCommand;
extern const Command kDemoCommand;
extern const Command kServeCommand;
extern const Command kTokenCommand;
extern const Command kBoundariesCommand;
extern const Command kExtractCommand;
extern const Command kEvalExtractCommand;

std::span<const Command> Commands() {
  static const std::vector<Command> kCommands = {
      kIngestCommand, kEventsCommand, kStatsCommand, kServeCommand,
      kTokenCommand,  kBoundariesCommand, kExtractCommand, kEvalExtractCommand, kDemoCommand,
  };
  return kCommands;
}

int Main(int argc, char** argv) {
  CLI::App app{"tahadhari: conflict early warning from ACLED, UCDP, GDELT and the news",
               "tahadhari"};
  app.set_version_flag("--version", TAHADHARI_VERSION);
  app.require_subcommand(1);
  std::function<int()> run;
  for (const Command& c : Commands()) {
    CLI::App* sub = app.add_subcommand(c.name, c.help);
    auto runner = std::make_shared<std::function<int()>>(c.setup(sub));
    sub->callback([runner, &run] { run = *runner; });
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  } catch (const CLI::CallForVersion& e) {
    app.exit(e);
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "tahadhari: {}\nRun 'tahadhari --help' or 'tahadhari COMMAND --help'.\n",
               e.what());
    return kExitUsage;
  }
  try {
    return run ? run() : kExitUsage;
  } catch (const UsageError& e) {
    fmt::print(stderr, "tahadhari: {}\n", e.what());
    return kExitUsage;
  } catch (const Error& e) {
    fmt::print(stderr, "tahadhari: {}\n", e.what());
    return kExitError;
  } catch (const std::exception& e) {
    fmt::print(stderr, "tahadhari: internal error: {}\n", e.what());
    return kExitError;
  }
}

}  // namespace tahadhari::cli
