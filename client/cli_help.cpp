#include "cli_help.hpp"

#include <map>
#include <sstream>

namespace regie::client {
namespace {

std::vector<const CLI::App*> Children(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App* sub) { return !sub->get_group().empty(); });
}

void Walk(const CLI::App& app, const std::string& path,
          const std::function<void(const CLI::App&, const std::string&)>& visit) {
  visit(app, path);
  for (const auto* sub : Children(app)) {
    Walk(*sub, path.empty() ? sub->get_name() : path + " " + sub->get_name(), visit);
  }
}

// One example per leaf command, with the demo region's names (docs/demo.md).
const std::map<std::string, std::string>& Examples() {
  static const std::map<std::string, std::string> examples = {
#include "cli_examples.inc"
  };
  return examples;
}

}  // namespace

std::vector<std::string> LeafCommandPaths(const CLI::App& app) {
  std::vector<std::string> paths;
  Walk(app, "", [&](const CLI::App& a, const std::string& path) {
    if (!path.empty() && Children(a).empty()) {
      paths.push_back(path);
    }
  });
  return paths;
}

std::string ExampleOf(const std::string& path) {
  const auto found = Examples().find(path);
  return found == Examples().end() ? "" : found->second;
}

std::vector<std::string> AddExamples(CLI::App& app) {
  std::vector<std::string> missing;
  for (const auto& path : LeafCommandPaths(app)) {
    const auto example = ExampleOf(path);
    if (example.empty()) {
      missing.push_back(path);
      continue;
    }
    CLI::App* command = &app;
    std::istringstream words(path);
    for (std::string word; words >> word;) {
      command = command->get_subcommand(word);
    }
    command->footer("Example:\n  " + example + "\n\n" + command->get_footer());
  }
  return missing;
}

std::string BashCompletion(const CLI::App& app) {
  std::ostringstream words;
  Walk(app, "", [&](const CLI::App& a, const std::string& path) {
    std::string list;
    for (const auto* sub : Children(a)) {
      list += (list.empty() ? "" : " ") + sub->get_name();
    }
    for (const auto* option : a.get_options()) {
      for (const auto& name : option->get_lnames()) {
        list += (list.empty() ? "--" : " --") + name;
      }
    }
    words << "  [\"regie" << (path.empty() ? "" : " " + path) << "\"]=\"" << list << "\"\n";
  });
  return "# bash completion for regie: source it, or put it in\n"
         "# ~/.local/share/bash-completion/completions/regie (regie completion bash > ...)\n"
         "declare -gA _regie_words=(\n" +
         words.str() +
         ")\n"
         "_regie() {\n"
         "  local cur=${COMP_WORDS[COMP_CWORD]} path=regie word i\n"
         "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
         "    word=${COMP_WORDS[i]}\n"
         "    if [[ -n ${_regie_words[\"$path $word\"]+set} ]]; then\n"
         "      path=\"$path $word\"\n"
         "    fi\n"
         "  done\n"
         "  mapfile -t COMPREPLY < <(compgen -W \"${_regie_words[$path]}\" -- \"$cur\")\n"
         "}\n"
         "complete -o default -F _regie regie\n";
}

}  // namespace regie::client
