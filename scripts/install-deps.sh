#!/usr/bin/env bash
# Installs the Debian 12 packages Regie needs to build, test and run.
# Idempotent: when every package is already installed it changes nothing and exits 0.
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build pkg-config git clang-format-14
  # fuzzing (scripts/fuzz.sh): clang with libFuzzer and the sanitizer runtimes
  clang-14 libclang-rt-14-dev
  # gRPC and protobuf: the library, the compiler, the plugin and the well-known protos
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev libprotoc-dev protobuf-compiler grpc-proto
  # database, crypto, logging, command line, JSON and YAML input, tests
  libpqxx-dev libssl-dev openssl libspdlog-dev libcli11-dev nlohmann-json3-dev libyaml-cpp-dev
  libboost-test-dev
  # exact rationals for settlement money (GMP's C++ interface)
  libgmp-dev
  # the Prometheus metrics endpoint (prometheus-cpp with its civetweb HTTP server)
  prometheus-cpp-dev
  # tests: a real JSON Schema validator for the OCDS export; the deploy/ checks (YAML, and
  # systemd-analyze for the units)
  python3 python3-jsonschema python3-yaml systemd
  # the database server and pg_virtualenv (throwaway clusters in tests)
  postgresql-15 postgresql-client-15 postgresql-common
  # util-linux provides runuser (PostgreSQL refuses to run as root)
  util-linux
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
