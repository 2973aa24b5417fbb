// regie-apidoc: docs/api.md from the comments of proto/regie/**, so that the API reference never
// drifts from the API. Reads the .proto sources with protobuf's own parser (libprotoc), and
// writes every package, service, RPC, message (resource), field and enum value with its comment.
//
//   regie-apidoc PROTO_DIR            the Markdown on standard output
//   regie-apidoc PROTO_DIR --write F  into file F
//   regie-apidoc PROTO_DIR --check F  exit 1 when F differs from what would be written

#include <google/protobuf/compiler/importer.h>
#include <google/protobuf/descriptor.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "auth/access_policy.hpp"

namespace {

namespace pb = google::protobuf;

class CollectErrors : public pb::compiler::MultiFileErrorCollector {
 public:
  void AddError(const std::string& file, int line, int column,
                const std::string& message) override {
    errors << file << ":" << line + 1 << ":" << column + 1 << ": " << message << "\n";
  }
  std::ostringstream errors;
};

// Who may call `service`/`method` by the access policy every server enforces.
std::string Roles(const pb::ServiceDescriptor* service, const pb::MethodDescriptor* method) {
  const auto* rule =
      regie::auth::AccessPolicy::Default().Find("/" + service->full_name() + "/" + method->name());
  if (rule == nullptr) {
    return "nobody (not in the access policy)";
  }
  std::string roles;
  for (const auto role : rule->roles) {
    roles += (roles.empty() ? "" : ", ") + std::string(regie::auth::RoleName(role));
  }
  return roles;
}

// A leading comment with the comment markers' spaces removed and its lines kept.
template <typename Descriptor>
std::string Comment(const Descriptor* d) {
  pb::SourceLocation location;
  if (!d->GetSourceLocation(&location)) {
    return "";
  }
  std::istringstream in(location.leading_comments);
  std::string line;
  std::string text;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == ' ') {
      line.erase(0, 1);
    }
    text += line + "\n";
  }
  while (!text.empty() && text.back() == '\n') {
    text.pop_back();
  }
  return text;
}

// A comment as one table cell: lines joined, pipes escaped.
std::string Cell(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::string cell;
  for (const char c : text) {
    cell += c == '|' ? std::string("\\|") : std::string(1, c);
  }
  return cell.empty() ? "" : cell;
}

// Markdown anchors as GitHub makes them from a heading: lower case, spaces to dashes.
std::string Anchor(const std::string& heading) {
  std::string anchor;
  for (const char c : heading) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      anchor += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (c == ' ' || c == '-') {
      anchor += '-';
    }
  }
  return anchor;
}

// A type as written in the .proto file, linked when it is one of ours.
std::string TypeName(const pb::FieldDescriptor* f) {
  std::string name;
  if (f->message_type() != nullptr) {
    name = f->message_type()->full_name();
  } else if (f->enum_type() != nullptr) {
    name = f->enum_type()->full_name();
  } else {
    name = f->type_name();
  }
  if (f->is_map()) {
    const auto* entry = f->message_type();
    return "map<" + TypeName(entry->field(0)) + ", " + TypeName(entry->field(1)) + ">";
  }
  std::string text = "`" + name + "`";
  if ((f->message_type() != nullptr || f->enum_type() != nullptr) && name.rfind("regie.", 0) == 0) {
    text = "[" + text + "](#" + Anchor(name) + ")";
  }
  return (f->is_repeated() ? "repeated " : "") + text;
}

void WriteEnum(std::ostream& out, const pb::EnumDescriptor* e) {
  out << "#### " << e->full_name() << "\n\n";
  if (const auto comment = Comment(e); !comment.empty()) {
    out << comment << "\n\n";
  }
  out << "| value | number | meaning |\n|---|---|---|\n";
  for (int i = 0; i < e->value_count(); ++i) {
    const auto* v = e->value(i);
    out << "| `" << v->name() << "` | " << v->number() << " | " << Cell(Comment(v)) << " |\n";
  }
  out << "\n";
}

void WriteMessage(std::ostream& out, const pb::Descriptor* m) {
  if (m->options().map_entry()) {
    return;
  }
  out << "#### " << m->full_name() << "\n\n";
  if (const auto comment = Comment(m); !comment.empty()) {
    out << comment << "\n\n";
  }
  if (m->field_count() > 0) {
    out << "| field | number | type | meaning |\n|---|---|---|---|\n";
    for (int i = 0; i < m->field_count(); ++i) {
      const auto* f = m->field(i);
      const auto* oneof = f->real_containing_oneof();
      out << "| `" << f->name() << "` | " << f->number() << " | " << TypeName(f) << " | "
          << (oneof != nullptr ? "One of `" + oneof->name() + "`. " : "") << Cell(Comment(f))
          << " |\n";
    }
    out << "\n";
  }
  for (int i = 0; i < m->enum_type_count(); ++i) {
    WriteEnum(out, m->enum_type(i));
  }
  for (int i = 0; i < m->nested_type_count(); ++i) {
    WriteMessage(out, m->nested_type(i));
  }
}

// Whether clients retry the RPC after UNAVAILABLE or DEADLINE_EXCEEDED, by its idempotency level
// (docs/adr/0013-client-retries.md).
std::string Retried(const pb::MethodDescriptor* method) {
  switch (method->options().idempotency_level()) {
    case pb::MethodOptions::NO_SIDE_EFFECTS:
      return "yes (read)";
    case pb::MethodOptions::IDEMPOTENT:
      return "yes (same `request_id`)";
    default:
      return "no";
  }
}

void WriteService(std::ostream& out, const pb::ServiceDescriptor* s) {
  out << "### " << s->full_name() << "\n\n";
  if (const auto comment = Comment(s); !comment.empty()) {
    out << comment << "\n\n";
  }
  out << "| RPC | request | response | roles | retried |\n|---|---|---|---|---|\n";
  for (int i = 0; i < s->method_count(); ++i) {
    const auto* m = s->method(i);
    const auto type = [](const pb::Descriptor* d, bool streaming) {
      const auto name = d->full_name();
      const auto linked = name.rfind("regie.", 0) == 0
                              ? "[`" + d->name() + "`](#" + Anchor(name) + ")"
                              : "`" + name + "`";
      return (streaming ? "stream " : "") + linked;
    };
    out << "| [" << m->name() << "](#" << Anchor(s->name() + "." + m->name()) << ") | "
        << type(m->input_type(), m->client_streaming()) << " | "
        << type(m->output_type(), m->server_streaming()) << " | " << Roles(s, m) << " | "
        << Retried(m) << " |\n";
  }
  out << "\n";
  for (int i = 0; i < s->method_count(); ++i) {
    const auto* m = s->method(i);
    out << "#### " << s->name() << "." << m->name() << "\n\n`/" << s->full_name() << "/"
        << m->name() << "`\n\n";
    if (const auto comment = Comment(m); !comment.empty()) {
      out << comment << "\n\n";
    }
  }
}

std::string Render(const std::filesystem::path& proto_dir) {
  pb::compiler::DiskSourceTree tree;
  tree.MapPath("", proto_dir.string());
  tree.MapPath("", "/usr/include");
  CollectErrors errors;
  pb::compiler::Importer importer(&tree, &errors);
  std::vector<std::string> paths;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(proto_dir / "regie")) {
    if (entry.path().extension() == ".proto") {
      paths.push_back(std::filesystem::relative(entry.path(), proto_dir).generic_string());
    }
  }
  std::sort(paths.begin(), paths.end());
  std::map<std::string, std::vector<const pb::FileDescriptor*>> packages;
  for (const auto& path : paths) {
    const auto* file = importer.Import(path);
    if (file == nullptr) {
      throw std::runtime_error("cannot parse " + path + ":\n" + errors.errors.str());
    }
    packages[file->package()].push_back(file);
  }

  std::ostringstream out;
  out << "# Regie API reference\n\n"
         "Generated from the comments in `proto/` by `tools/apidoc` (regie-apidoc); do not edit "
         "by hand. After changing a .proto file, run `ninja -C build/dev api-docs` (the test "
         "`unit.api_docs` fails while this file is out of date).\n\n"
         "Every service listens on the same port, behind mutual TLS. The roles column is the "
         "access policy (`services/common/auth/access_policy.cpp`, docs/adr/0004): the roles "
         "whose certificates may call the RPC at all; the services then check the organisation "
         "(a provider's own records, a covenant's managers, an auditor's municipalities). Errors "
         "follow docs/adr/0002 (INVALID_ARGUMENT with the fields named, "
         "FAILED_PRECONDITION with a reason). Resource names follow AIP-122 "
         "(`covenants/{covenant}/lots/{lot}`). The retried column is the RPC's "
         "`idempotency_level`: the typed client and `regie` retry reads, and writes that are "
         "idempotent on their `request_id`, after UNAVAILABLE or DEADLINE_EXCEEDED "
         "(docs/adr/0013).\n\n## Contents\n\n";
  for (const auto& [package, files] : packages) {
    out << "- [" << package << "](#" << Anchor(package) << ")";
    std::string services;
    for (const auto* f : files) {
      for (int i = 0; i < f->service_count(); ++i) {
        services += (services.empty() ? ": " : ", ") + std::string("[") + f->service(i)->name() +
                    "](#" + Anchor(f->service(i)->full_name()) + ")";
      }
    }
    out << services << "\n";
  }
  out << "\n";
  for (const auto& [package, files] : packages) {
    out << "## " << package << "\n\n";
    for (const auto* f : files) {
      for (int i = 0; i < f->service_count(); ++i) {
        WriteService(out, f->service(i));
      }
    }
    out << "### Messages and enums of " << package << "\n\n";
    for (const auto* f : files) {
      for (int i = 0; i < f->message_type_count(); ++i) {
        WriteMessage(out, f->message_type(i));
      }
      for (int i = 0; i < f->enum_type_count(); ++i) {
        WriteEnum(out, f->enum_type(i));
      }
    }
  }
  auto text = out.str();
  while (text.size() >= 2 && text.substr(text.size() - 2) == "\n\n") {
    text.pop_back();
  }
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  const bool valid =
      args.size() == 1 || (args.size() == 3 && (args[1] == "--check" || args[1] == "--write"));
  if (!valid) {
    std::cerr << "usage: regie-apidoc PROTO_DIR [--write FILE | --check FILE]\n";
    return 2;
  }
  try {
    const auto text = Render(args[0]);
    if (args.size() == 1) {
      std::cout << text;
      return 0;
    }
    if (args[1] == "--write") {
      std::ofstream(args[2]) << text;
      return 0;
    }
    std::ifstream in(args[2]);
    std::stringstream current;
    current << in.rdbuf();
    if (current.str() != text) {
      std::cerr << args[2] << " is out of date with proto/: run `ninja -C <build dir> api-docs`\n";
      return 1;
    }
    std::cout << args[2] << " matches proto/\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "regie-apidoc: " << e.what() << "\n";
    return 1;
  }
}
