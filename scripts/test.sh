#!/usr/bin/env bash
# Set up everything the test suite needs on a fresh machine, then run all of it:
# lint, format check, type check and every test (unit, golden, CLI, server, browser).
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages: Chromium for the browser tests, a Java runtime for the HTML validator.
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing system packages: ${need[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'

# axe-core for the accessibility checks (tests/browser/test_accessibility.py), into the
# git-ignored .node/ folder; nothing is added to the repository.
if [ ! -f .node/node_modules/axe-core/axe.min.js ]; then
  npm install --silent --no-audit --no-fund --no-save --prefix .node axe-core@4 >/dev/null
fi

.venv/bin/ruff check
.venv/bin/ruff format --check
.venv/bin/mypy
.venv/bin/pytest "$@"
