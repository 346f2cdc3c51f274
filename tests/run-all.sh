#!/usr/bin/env bash
# Every check and every test: install mindgap with its test tools, lint, type-check, test.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"

echo "== npm (headless Chromium driver for the browser tests)"
npm ci --prefix tests/e2e/browser --no-audit --no-fund --loglevel=error

echo "== VS Code extension (npm ci, tsc, eslint, unit tests, the .vsix the end-to-end test installs)"
npm ci --prefix vscode-client --no-audit --no-fund --loglevel=error
npm --prefix vscode-client run --silent typecheck
npm --prefix vscode-client run --silent lint
npm --prefix vscode-client run --silent test
npm --prefix vscode-client run --silent package >/dev/null

# A real VS Code for the extension's end-to-end test: code-server from npm (cached in
# ~/.cache/mindgap, so only the first run takes a minute or two).
echo "== code-server (VS Code for the extension's end-to-end test)"
bash tests/e2e/vscode/install-code-server.sh >/dev/null

echo "== ruff (lint, format)"
python3 -m ruff check server tests bench
python3 -m ruff format --check server tests bench
echo "== mypy"
python3 -m mypy
echo "== pytest"
# In CI the editor tests must run, never skip (MINDGAP_REQUIRE_EDITORS makes a missing nvim fail).
MINDGAP_REQUIRE_EDITORS="${CI:-}" python3 -m pytest -q "$@"
