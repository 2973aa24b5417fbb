#pragma once

// Help that is derived from the command tree itself: an example under every command's --help,
// the list of commands, and bash completion (`regie completion bash`).

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace regie::client {

// The commands that run something (no subcommands of their own), as paths like "covenant show".
std::vector<std::string> LeafCommandPaths(const CLI::App& app);

// The example of the command at `path`, or "" when it has none.
std::string ExampleOf(const std::string& path);

// Sets the "Example:" footer of every command that has one; returns the paths of leaf commands
// that have none (a test keeps that list empty).
std::vector<std::string> AddExamples(CLI::App& app);

// A bash completion script for `regie`: subcommands and flags at every level.
std::string BashCompletion(const CLI::App& app);

}  // namespace regie::client
