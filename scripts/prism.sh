#!/usr/bin/env bash
# Install Stoplight Prism (@stoplight/prism-cli, npm), pinned, into
# target/prism-cli, and print the path of its `prism` executable.
#
# Usage: bash scripts/prism.sh
#
# Node.js and npm are needed. Prism is installed once and reinstalled when
# PRISM_VERSION changes; install messages go to stderr, so stdout holds only
# the path. `cargo xtask prism` runs it to mock each spec with `--errors`.
#
# Exit 0 with the path on stdout; exit 2 when node or npm is missing or the
# install fails (a message is on stderr).
set -euo pipefail

PRISM_VERSION="5.14.2"

die() {
  echo "prism.sh: $*" >&2
  exit 2
}

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

command -v node >/dev/null 2>&1 || die "node is not on PATH; Prism needs Node.js 18 or later"

prefix="target/prism-cli"
prism="$prefix/node_modules/.bin/prism"
stamp="$prefix/.prism-cli-version"

if [[ ! -x "$prism" ]] || [[ "$(cat "$stamp" 2>/dev/null)" != "$PRISM_VERSION" ]]; then
  command -v npm >/dev/null 2>&1 || die "npm is not on PATH; it is needed once to install Prism"
  echo "Installing Prism $PRISM_VERSION into $prefix ..." >&2
  rm -rf "$prefix"
  mkdir -p "$prefix"
  # --ignore-scripts: Prism needs no install script to run.
  npm install --no-save --no-audit --no-fund --ignore-scripts --loglevel=error \
    --prefix "$prefix" "@stoplight/prism-cli@$PRISM_VERSION" >&2 \
    || die "could not install @stoplight/prism-cli@$PRISM_VERSION with npm"
  [[ -x "$prism" ]] || die "npm finished but $prism is missing"
  echo "$PRISM_VERSION" > "$stamp"
fi

echo "$repo_root/$prism"
