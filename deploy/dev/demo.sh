#!/usr/bin/env bash
# Loads the demo region Duinstreek (docs/demo.md) into the running local stack, through `regie`
# only, as its users would: the admin, procurement staff of Duinhaven and Bollenveld, five
# providers and an auditor, each with their own certificate and profile.
#
# The covenant's term begins on 1 January of last year, so that last year can be reported and
# settled today: the admissions of that year are recorded as decided before Regie (`regie
# application record`), one application round runs now, and last year's reports are submitted
# (late, as they are) and reviewed. Every command and its output go to $REGIE_STATE_DIR/demo.log.
#
# Run by up.sh (skip with `up.sh --no-demo`); running it again does nothing once it has completed.
set -euo pipefail
source "$(dirname "$0")/common.sh"

regie="$build/client/regie"
data="$root/deploy/dev/demo"
fixtures="$root/tests/fixtures/duinstreek"
log="$state/demo.log"
done_marker="$state/demo.loaded"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

year=$(TZ=Europe/Amsterdam date +%Y)
start=$((year - 1))
covenant="jeugd-wmo-duinstreek-$start"

if [ -f "$done_marker" ]; then
  echo "demo: Duinstreek is loaded already (covenant $covenant)"
  exit 0
fi
if "$regie" --profile procurement covenant show "$covenant" >/dev/null 2>&1; then
  echo "demo: $covenant exists but an earlier load did not complete; start afresh with" \
    "down.sh --purge" >&2
  exit 1
fi

: >"$log"
step() { printf '==> demo: %s\n' "$*"; printf '\n## %s\n\n' "$*" >>"$log"; }
# The arguments as one would type them: quoted only where the shell needs it.
typed() {
  local out="" a
  for a in "$@"; do
    if [[ $a =~ ^[A-Za-z0-9_./:,=@%+-]+$ ]]; then out+=" $a"; else out+=" '${a//\'/\'\\\'\'}'"; fi
  done
  printf '%s' "${out# }"
}
# as PROFILE ARGS...: runs `regie --profile PROFILE ARGS...`, logging the command and its output
# (also kept in $last).
as() {
  local profile=$1
  shift
  printf '$ regie --profile %s %s\n' "$profile" "$(typed "$@")" >>"$log"
  if ! last=$("$regie" --profile "$profile" "$@" 2>&1); then
    printf '%s\n' "$last" >>"$log"
    echo "demo: \`regie --profile $profile $*\` failed; see $log" >&2
    tail -n 3 "$log" >&2
    exit 1
  fi
  printf '%s\n' "$last" >>"$log"
}
# refused PROFILE TEXT ARGS...: the command must be refused (exit 4) with TEXT in its message.
refused() {
  local profile=$1 text=$2 out code=0
  shift 2
  printf '$ regie --profile %s %s\n' "$profile" "$(typed "$@")" >>"$log"
  out=$("$regie" --profile "$profile" "$@" 2>&1) || code=$?
  printf '%s\n' "$out" >>"$log"
  if [ "$code" != 4 ]; then
    echo "demo: \`regie --profile $profile $*\` exited $code; the server must refuse it (4)" >&2
    exit 1
  fi
  case "$out" in *"$text"*) ;; *) echo "demo: expected '$text' in: $out" >&2; exit 1 ;; esac
}
# A file of the demo data in the work directory (where the commands run, so that the log shows
# plain file names), with the covenant id and the year filled in; prints its name.
filled() {  # SOURCE TARGET
  sed -e "s/jeugd-wmo-duinstreek-2026/$covenant/g; s/COVENANT/$covenant/g" \
    -e "s/period: 2026/period: $start/; s/YEAR/$start/g" "$1" >"$work/$2"
  echo "$2"
}
cd "$work"

step "certificates and profiles for the demo's organisations"
providers=(12345678 23456789 34567890 45678901 56789012)
names=("Aanbieder Zorg Voorbeeld" "Dagbehandeling De Duinen" "Pleegzorg Kustlijn"
  "Wmo Begeleiding Zeewijk" "Leesbrug Dyslexiezorg")
for i in 1 2 3 4; do
  issue_certificate "provider-${providers[$i]}" provider "${providers[$i]}" "${names[$i]}"
  set_profile "provider-${providers[$i]}"
done
issue_certificate procurement-bollenveld procurement 9902 "Inkoper Bollenveld"
set_profile procurement-bollenveld
profile_of() { [ "$1" = 12345678 ] && echo provider || echo "provider-$1"; }

step "reference data: the municipalities of Duinstreek and their region (admin)"
as admin municipality create --code 9901 --name Duinhaven
as admin municipality create --code 9902 --name Bollenveld
as admin municipality create --code 9903 --name Zeewijk
as admin region create --id duinstreek --name "Regio Duinstreek" \
  --municipalities 9901,9902,9903 --lead 9901

step "the covenant, lots P1-P6 and requirements R1-R5, published (procurement, Duinhaven)"
sed -e "s/jeugd-wmo-duinstreek-2026/$covenant/; s/Duinstreek 2026-2029/Duinstreek $start-$((start + 3))/" \
  -e "s/\"year\": 2026/\"year\": $start/g; s/\"year\": 2029/\"year\": $((start + 3))/" \
  "$fixtures/covenant.json" >covenant.json
as procurement covenant create -f covenant.json
as procurement covenant publish "$covenant"

step "five providers register and record their evidence"
today=$(TZ=Europe/Amsterdam date +%F)
for kvk in "${providers[@]}"; do
  profile=$(profile_of "$kvk")
  if [ "$kvk" = 12345678 ]; then
    as "$profile" provider register -f "$(filled "$fixtures/provider.yaml" provider.yaml)"
  else
    as "$profile" provider register -f "$(filled "$data/providers/$kvk.yaml" "provider-$kvk.yaml")"
  fi
  for evidence in vog:certificate-of-conduct insurance:liability-insurance \
    hkz:quality-mark complaints:complaints-procedure; do
    id=${evidence%%:*}
    printf 'The %s document of %s.\n' "$id" "$kvk" >"$id.pdf"
    expires=()
    if [ "$kvk" = 45678901 ] && [ "$id" = hkz ]; then
      expires=(--expires "$(TZ=Europe/Amsterdam date -d '+20 days' +%F)")
    fi
    as "$profile" evidence add "$id" --kind "${evidence#*:}" --title "Evidence $id" \
      --issued "$start-01-01" "${expires[@]}" -f "$id.pdf"
  done
done

step "admissions decided before the covenant moved into Regie (procurement)"
record() {  # KVK FROM LOTS...
  local kvk=$1 from=$2
  shift 2
  local lots=()
  for lot in "$@"; do lots+=(--lot "$lot"); done
  as procurement application record "$covenant" --provider "$kvk" "${lots[@]}" --from "$from" \
    --decision "Toelatingsbesluit Duinstreek $from nr. $kvk, college van Duinhaven"
}
record 12345678 "$start-01-01" P1 P4 P6
record 23456789 "$start-01-01" P1 P2
record 34567890 "$start-07-01" P3
record 45678901 "$start-01-01" P5
record 56789012 "$start-01-01" P4

step "an application round: Pleegzorg Kustlijn applies for P1 and P4; P4 is rejected on R5"
as provider-34567890 application submit "$covenant" --lot P1 --lot P4 \
  --note "We extend our work to ambulatory care and dyslexia care."
application=$(printf '%s\n' "$last" | sed -n 's|^application *covenants/\([^ ]*\)/applications/\([0-9]*\)$|\1/\2|p')
for pass in R1:vog R2:insurance R3:hkz R4:complaints; do
  as procurement application assess "$application" --requirement "${pass%%:*}" --pass \
    --evidence "${pass#*:}"
done
refused procurement assessment.motivation application assess "$application" --requirement R5 --fail
as procurement application assess "$application" --requirement R5 --fail \
  --motivation "R5: no EED-registered psychologist works for or with the provider."
as procurement-bollenveld application decide "$application" --lot P1 --admit
as procurement-bollenveld application decide "$application" --lot P4 --reject
as provider-34567890 application show "$application"

step "the outcome agreement of lot P6 (procurement)"
as procurement agreement create -f "$(filled "$fixtures/agreement.yaml" agreement.yaml)"

step "two quarterly reports per provider, reviewed; one corrected once"
submit_and_accept() {  # KVK FILE QUARTER
  as "$(profile_of "$1")" report submit -f "$2"
  as procurement report review "$covenant/$1-$start-q$3" --accept
}
submit_and_accept 12345678 "$(filled "$fixtures/report-q1.yaml" 12345678-1.yaml)" 1
as provider report upload -f "$(filled "$fixtures/report-q2.yaml" 12345678-2.yaml)"
as procurement report review "$covenant/12345678-$start-q2" --question \
  --reason "Declared hours in Bollenveld look high"
sed 's/amount_eurocents: 1482000/amount_eurocents: 1404000/' 12345678-2.yaml \
  >12345678-2-corrected.yaml
as provider report submit -f 12345678-2-corrected.yaml
as procurement report review "$covenant/12345678-$start-q2" --accept
for file in "$data"/reports/*.yaml; do
  base=$(basename "$file" .yaml)
  submit_and_accept "${base%-*}" "$(filled "$file" "$base.yaml")" "${base#*-}"
done

step "the consultation table adopts a tariff indexation of P1 from 1 January (procurement)"
as procurement meeting schedule "$covenant" --date "$today" --location "Town hall Duinhaven" \
  --agenda "Tariffs $((year + 1))"
printf 'All providers present.\nIndexation of P1 by 3.25%% (OVA) agreed from 1 January.\n' \
  >minutes.txt
as procurement meeting minutes "$covenant/1" -f minutes.txt \
  --decision "Tariffs of P1 rise by 3.25% from 1 January $((year + 1))."
cat >indexation.yaml <<YAML
title: Tariff indexation P1 $((year + 1))
rationale: OVA index 3.25%, agreed at the consultation table.
effective_date: {year: $((year + 1)), month: 1, day: 1}
tariff_indexation: {basis_points: 325, lot_ids: [P1]}
YAML
as procurement covenant amend "$covenant" -f indexation.yaml --adopt-at "$covenant/1"

step "the settlement of lot P6 for $start (procurement)"
as procurement settle run "$covenant" --period "$start"

date -u +%FT%TZ >"$done_marker"
cat <<MSG
==> demo: Duinstreek loaded (covenant $covenant); every command and its output: $log
Try:
  regie --profile procurement covenant deadlines --within 120d
  regie --profile provider settle explain $covenant/$start-12345678-P6-results
  regie --profile provider query peers $covenant --indicator nji-drop-out --period $start
  regie --profile auditor export ocds $covenant --output duinstreek-ocds.json
MSG
