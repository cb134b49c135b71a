#!/usr/bin/env bash
# Validate the hand-written OpenAPI spec with openapi-spec-validator (PyPI),
# an implementation independent of our own generator.
#
# Usage: bash scripts/validate-spec.sh [SPEC]   (default: spec/payouts.yaml)
#
# The validator is installed once into target/spec-validator-venv and
# reinstalled when VALIDATOR_VERSION changes.
set -euo pipefail

VALIDATOR_VERSION="0.9.0"

# Resolve a caller-supplied path against the caller's directory before moving.
if [[ $# -gt 0 ]]; then
  spec="$1"
  [[ "$spec" == /* ]] || spec="$PWD/$spec"
else
  spec=""
fi

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
spec="${spec:-spec/payouts.yaml}"

venv="target/spec-validator-venv"
stamp="$venv/.openapi-spec-validator-version"

if [[ ! -x "$venv/bin/openapi-spec-validator" ]] \
  || [[ "$(cat "$stamp" 2>/dev/null)" != "$VALIDATOR_VERSION" ]]; then
  echo "Installing openapi-spec-validator $VALIDATOR_VERSION into $venv ..." >&2
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    "openapi-spec-validator==$VALIDATOR_VERSION" >&2
  echo "$VALIDATOR_VERSION" > "$stamp"
fi

if ! output="$("$venv/bin/openapi-spec-validator" --schema 3.0 "$spec" 2>&1)"; then
  printf '%s\n' "$output" >&2
  echo "FAILED: $spec is not a valid OpenAPI 3.0 document" >&2
  exit 1
fi

echo "OK: $spec is a valid OpenAPI 3.0 document (openapi-spec-validator $VALIDATOR_VERSION)"
