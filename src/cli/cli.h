// cli/: the `tahadhari` command line — one subcommand per file, registered in kCommands
// (commands.cc) with a one-line help. Subcommands parse arguments and format answers; the work is
// done by the subsystems below. Exit codes: 0 ok, 1 error, 2 usage.
// Thread-safety: single-threaded, one command per process.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "store/store.h"

namespace tahadhari::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;

/// A subcommand: `setup` declares its options on `app` and returns the function that runs it
/// after parsing (returning the exit code).
struct Command {
  const char* name;
  const char* help;
  std::function<std::function<int()>(CLI::App* app)> setup;
};

/// All subcommands, in the order `tahadhari --help` lists them.
std::span<const Command> Commands();

/// Runs the CLI on argv; never throws. Returns the process exit code.
int Main(int argc, char** argv);

// ----- shared by subcommands --------------------------------------------------------------------

/// Adds --store PATH (default DefaultStorePath()) to `app`.
void AddStoreOption(CLI::App* app, std::string* store);

/// Filter flags shared by events, stats and other queries.
struct FilterFlags {
  std::string bbox, near, from, to, actor;
  double within_km = -1;
  std::vector<std::string> types, sub_types, countries, admin1, sources;
};
void AddFilterOptions(CLI::App* app, FilterFlags* flags);
/// Validates the flags. Throws UsageError saying which flag is wrong and what was expected.
store::EventFilter ToFilter(const FilterFlags& flags);

/// Adds --format with the allowed values; the first is the default.
void AddFormatOption(CLI::App* app, std::string* format, const std::vector<std::string>& allowed);

/// True when stdout and stderr are terminals (progress bars, colours).
bool Interactive();

/// Prints rows as an aligned text table with a header line.
void PrintTable(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows);

}  // namespace tahadhari::cli
