#!/usr/bin/env bash
# Install everything the tests need on a fresh machine, then run every test. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
# The browser tests drive Debian's Chromium (Playwright's own browser download cannot work offline); the print tests
# convert the workbooks to PDF with LibreOffice and measure them with poppler's pdftotext (the board papers'
# print tests also render pages with its pdftoppm); the forms tests collect a chair's form saved by LibreOffice Calc.
MISSING=""
[ -x /usr/bin/chromium ] || MISSING="$MISSING chromium"
command -v soffice >/dev/null || MISSING="$MISSING libreoffice-calc-nogui"
command -v pdftotext >/dev/null || MISSING="$MISSING poppler-utils"
if [ -n "$MISSING" ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $MISSING
fi
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -c constraints.txt -e '.[test]'
.venv/bin/python -m pytest "$@"
