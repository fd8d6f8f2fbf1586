#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine: system libraries Qt needs, a CJK font, Xvfb, and a
# virtual environment in .venv with the app, its cloud, serve and fast extras and the test tools.
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEM_PACKAGES=(
  fonts-wqy-zenhei              # CJK glyphs for the window and for test images we draw
  libegl1 libgl1 libfontconfig1 libglib2.0-0 libdbus-1-3
  libxkbcommon0 libxkbcommon-x11-0
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0
  xvfb xauth                    # a virtual screen for screenshots and headless runs
  dbus-daemon                   # a private session bus for the screen-capture portal tests (tests/test_capture.py)
  poppler-utils                 # pdftotext: tests/test_searchable_pdf.py reads our PDFs as a user's tools do
  qpdf                          # tests/test_documents.py encrypts a PDF with it (a password PDF)
  binutils                      # objdump, which PyInstaller needs for the bundle
  g++ cmake nasm python3-dev     # packaging/build.sh compiles the slim OpenCV and numpy wheels once
                                # per machine (headers for a .venv on the system Python); gcc also
                                # links the slim ICU data library (packaging/icu_slim.py)
)

missing=()
for p in "${SYSTEM_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# constraints.txt: the versions of the engine's libraries its figures are measured with
.venv/bin/python -m pip install -q -c constraints.txt -e ".[cloud,test,build,serve,fast,cluster]"
# opencv-python (non-headless) ships its own Qt plugins that clash with PySide6; some packages
# pull it in. Keep only the headless build.
if .venv/bin/python -m pip show -q opencv-python >/dev/null 2>&1; then
  .venv/bin/python -m pip uninstall -y -q opencv-python
  .venv/bin/python -m pip install -q -c constraints.txt --force-reinstall --no-deps opencv-python-headless
fi
echo "desktop_ocr is set up in .venv"
