#!/usr/bin/env bash
# Lint an OpenAPI spec with Spectral (@stoplight/spectral-cli, npm) and the
# repository's ruleset, .spectral.yaml: the built-in OpenAPI rules plus this
# project's conventions (spec/README.md).
#
# Usage: bash scripts/lint-spec.sh [--json] [SPEC]   (default: spec/payouts.yaml)
#
# Works from any directory; a relative SPEC is taken from the caller's
# directory. Spectral is installed once into target/spectral (Node.js and npm
# are needed) and reinstalled when SPECTRAL_VERSION changes; install messages
# go to stderr.
#
# Output and exit status, a contract that `cargo xtask review` relies on:
#   without --json  Spectral's human-readable ("stylish") report on stdout.
#   with --json     stdout holds ONLY Spectral's JSON array of findings
#                   (`[]` when there are none), for a program to parse. Each
#                   finding has at least:
#                     code              the rule name, e.g. "operation-summary"
#                     message           what is wrong
#                     path              JSON path of the place, a list of keys
#                     severity          0 error, 1 warning, 2 information, 3 hint
#                     range.start.line  ZERO-based line in the linted file
#                                       (add 1 for an editor's line number)
#                   and also source (the file) and range.start.character.
#   exit 0          no error-severity finding (warnings may be reported)
#   exit 1          at least one error-severity finding
#   exit 2          Spectral could not be installed or run (no node, bad
#                   ruleset, unreadable spec, ...); a message is on stderr and
#                   stdout has nothing to parse
set -euo pipefail

SPECTRAL_VERSION="6.16.3"

die() {
  echo "lint-spec.sh: $*" >&2
  exit 2
}

json=false
spec=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --json) json=true ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    -*) die "unknown option $1 (usage: bash scripts/lint-spec.sh [--json] [SPEC])" ;;
    *)
      [[ -z "$spec" ]] || die "only one SPEC may be given (usage: bash scripts/lint-spec.sh [--json] [SPEC])"
      spec="$1"
      ;;
  esac
  shift
done

# Resolve a caller-supplied path against the caller's directory before moving.
if [[ -n "$spec" && "$spec" != /* ]]; then
  spec="$PWD/$spec"
fi

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
spec="${spec:-spec/payouts.yaml}"
ruleset="$repo_root/.spectral.yaml"

[[ -f "$spec" ]] || die "no such file: $spec"
[[ -f "$ruleset" ]] || die "no ruleset at $ruleset"
command -v node >/dev/null 2>&1 || die "node is not on PATH; Spectral needs Node.js 18.18 or later"

prefix="target/spectral"
spectral="$prefix/node_modules/.bin/spectral"
stamp="$prefix/.spectral-cli-version"

if [[ ! -x "$spectral" ]] || [[ "$(cat "$stamp" 2>/dev/null)" != "$SPECTRAL_VERSION" ]]; then
  command -v npm >/dev/null 2>&1 || die "npm is not on PATH; it is needed once to install Spectral"
  echo "Installing Spectral $SPECTRAL_VERSION into $prefix ..." >&2
  rm -rf "$prefix"
  mkdir -p "$prefix"
  # --ignore-scripts: the only install script in Spectral's dependencies is a
  # usage-analytics ping, which the linter does not need.
  npm install --no-save --no-audit --no-fund --ignore-scripts --loglevel=error \
    --prefix "$prefix" "@stoplight/spectral-cli@$SPECTRAL_VERSION" >&2 \
    || die "could not install @stoplight/spectral-cli@$SPECTRAL_VERSION with npm"
  [[ -x "$spectral" ]] || die "npm finished but $spectral is missing"
  echo "$SPECTRAL_VERSION" > "$stamp"
fi

args=(lint --ruleset "$ruleset" --fail-severity error)

if ! $json; then
  set +e
  "$spectral" "${args[@]}" "$spec"
  status=$?
  set -e
  case "$status" in
    0 | 1) exit "$status" ;;
    *) die "Spectral $SPECTRAL_VERSION failed to lint $spec (exit $status)" ;;
  esac
fi

# --quiet keeps Spectral's "No results ..." line off stdout, so that stdout is
# the JSON array alone.
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
set +e
"$spectral" "${args[@]}" --format json --quiet "$spec" > "$out"
status=$?
set -e
case "$status" in
  0 | 1) ;;
  *) die "Spectral $SPECTRAL_VERSION failed to lint $spec (exit $status)" ;;
esac
# Spectral writes nothing at all when there is no finding.
if [[ ! -s "$out" ]] || ! grep -q '[^[:space:]]' "$out"; then
  echo "[]"
  exit "$status"
fi
[[ "$(tr -d '[:space:]' < "$out" | head -c 1)" == "[" ]] \
  || die "Spectral's output is not a JSON array: $(head -c 300 "$out")"
cat "$out"
echo
exit "$status"
