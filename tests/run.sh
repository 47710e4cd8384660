#!/usr/bin/env bash
# Set up and run every test on a fresh Debian/Ubuntu machine with Python 3.11 and apt.
# Installs LibreOffice Calc (headless) and poppler for the tests that open built workbooks.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v soffice >/dev/null || ! command -v pdftoppm >/dev/null; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends \
    libreoffice-calc-nogui python3-uno poppler-utils >/dev/null
fi
python3 -m venv .venv
.venv/bin/pip install -q -e '.[test]'
.venv/bin/ruff check xltools tests benchmarks
XLTOOLS_REQUIRE_LIBREOFFICE=1 .venv/bin/python -m pytest -q "$@"
