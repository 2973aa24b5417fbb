#!/usr/bin/env bash
# `regie` without a server: every command has an example in its --help, every example parses
# (it may fail later for want of a profile, never with a usage error), and the bash completion
# script completes commands and flags at every level.
set -euo pipefail
regie=$REGIE_BINARY_DIR/client/regie
work=$(mktemp -d /tmp/regie-help-XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# A shim named `regie` so that the examples run as written, with a private config file and in a
# scratch directory (some examples write files: a CA, certificates, exports).
mkdir -p "$work/bin" "$work/run"
printf '#!/bin/sh\nexec "%s" "$@"\n' "$regie" >"$work/bin/regie"
chmod +x "$work/bin/regie"
export PATH="$work/bin:$PATH" REGIE_CONFIG="$work/config.json" REGIE_PROFILE=""

listing=$("$regie" commands) || fail "regie commands: some command has no example"
count=0
while IFS=$'\t' read -r path example; do
  count=$((count + 1))
  # `regie commands` reads the same table as --help; every seventh --help is checked as well
  # (under AddressSanitizer each start of regie costs half a second).
  if [ $((count % 7)) = 1 ]; then
    help=$("$regie" $path --help) || fail "regie $path --help failed"
    case "$help" in *"Example:"*"$example"*) ;; *) fail "regie $path --help shows no example" ;; esac
  fi
  code=0
  out=$(cd "$work/run" && bash -c "$example" 2>&1 </dev/null) || code=$?
  if [ "$code" = 2 ] || [[ "$out" == *"see regie --help"* ]]; then
    fail "the example of regie $path does not parse: $example -> $out"
  fi
done <<<"$listing"
[ "$count" -ge 90 ] || fail "only $count commands listed"

# Completion, as bash calls it.
complete_words() {  # the words typed so far, the last one being completed
  bash -c 'source <(regie completion bash); COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _regie
    printf "%s\n" "${COMPREPLY[@]}"' completion "$@"
}
out=$(complete_words regie cov)
[ "$out" = covenant ] || fail "regie cov<TAB> gave: $out"
out=$(complete_words regie covenant sh)
[ "$out" = show ] || fail "regie covenant sh<TAB> gave: $out"
out=$(complete_words regie --profile auditor covenant show jeugd --as)
[ "$out" = --as-of ] || fail "regie covenant show --as<TAB> gave: $out"
out=$(complete_words regie export csv a)
[ "$out" = aggregate ] || fail "regie export csv a<TAB> gave: $out"
out=$(complete_words regie --o)
[ "$out" = --output ] || fail "regie --o<TAB> gave: $out"
echo "regie help: $count commands with parsing examples; bash completion: ok"
