#!/usr/bin/env bash
# Self-test of the Spectral ruleset (.spectral.yaml) through scripts/lint-spec.sh.
#
# Usage: bash scripts/test-lint-rules.sh
#
# - spec/payouts.yaml must lint with no finding at all.
# - Each tests/fixtures/lint/RULE.yaml or RULE.VARIANT.yaml breaks exactly one
#   of our rules: linting it must exit 1 and report RULE, and no other rule at
#   error severity.
# - Each rule of our own in .spectral.yaml (a rule name followed by a body, as
#   opposed to a one-line `name: off`) must have at least one fixture.
#
# Ends with "lint rules: N passed, M failed" and exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

passed=0
failed=0
pass() {
  passed=$((passed + 1))
  echo "ok    $1"
}
fail() {
  failed=$((failed + 1))
  echo "FAIL  $1"
}

out="$(mktemp)"
trap 'rm -f "$out"' EXIT

# Lints $1 into $out and sets status (lint-spec.sh's exit status), count (how
# many findings) and codes (the codes of error-severity findings, sorted,
# comma-separated, or - when there are none).
lint() {
  set +e
  bash scripts/lint-spec.sh --json "$1" > "$out"
  status=$?
  set -e
  local summary
  summary="$(python3 -c '
import json, sys
findings = json.load(open(sys.argv[1]))
codes = sorted({f["code"] for f in findings if f["severity"] == 0})
print(len(findings), ",".join(codes) or "-")
' "$out" 2>/dev/null)" || summary="? unparsable-output"
  read -r count codes <<< "$summary"
}

# The first run also installs Spectral, so that a broken install shows here once.
lint spec/payouts.yaml
if [[ $status -gt 1 ]]; then
  echo "scripts/lint-spec.sh could not run Spectral (exit $status)"
  echo "lint rules: 0 passed, 1 failed"
  exit 1
fi
if [[ $status -eq 0 && "$count" == 0 ]]; then
  pass "spec/payouts.yaml: no findings"
else
  fail "spec/payouts.yaml: expected no findings, got $count (errors from: $codes); see bash scripts/lint-spec.sh"
fi

shopt -s nullglob
fixtures=(tests/fixtures/lint/*.yaml)
[[ ${#fixtures[@]} -gt 0 ]] || fail "no fixtures in tests/fixtures/lint"

for fixture in "${fixtures[@]}"; do
  name="$(basename "$fixture" .yaml)"
  rule="${name%%.*}"
  lint "$fixture"
  if [[ $status -eq 1 && "$codes" == "$rule" ]]; then
    pass "$fixture: $rule"
  else
    fail "$fixture: expected exit 1 and errors from $rule only, got exit $status and errors from: $codes"
  fi
done

# Our rules: two-space-indented names under `rules:` whose line ends at the colon.
rules="$(awk '
  /^rules:/ { inside = 1; next }
  /^[^[:space:]#]/ { inside = 0 }
  inside && /^  [A-Za-z0-9_-]+:[[:space:]]*$/ { sub(/^  /, ""); sub(/:.*/, ""); print }
' .spectral.yaml)"
[[ -n "$rules" ]] || fail ".spectral.yaml: found no rules of our own"
for rule in $rules; do
  matches=0
  for candidate in tests/fixtures/lint/"$rule".yaml tests/fixtures/lint/"$rule".*.yaml; do
    [[ -f "$candidate" ]] && matches=$((matches + 1))
  done
  if [[ $matches -gt 0 ]]; then
    pass "rule $rule has $matches fixture(s)"
  else
    fail "rule $rule has no fixture: add tests/fixtures/lint/$rule.yaml, a spec that breaks only it"
  fi
done

echo "lint rules: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
