#!/usr/bin/env bash
# Formats Regie's C++ sources with clang-format 14, or with --check reports files that differ.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
formatter=$(command -v clang-format-14 || command -v clang-format)
mapfile -t files < <(git ls-files --cached --others --exclude-standard -- '*.cpp' '*.hpp')
if [ "${1:-}" = "--check" ]; then
  "$formatter" --dry-run --Werror "${files[@]}"
  echo "clang-format: ${#files[@]} files formatted correctly"
else
  "$formatter" -i "${files[@]}"
fi
