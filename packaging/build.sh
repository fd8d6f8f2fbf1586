#!/usr/bin/env bash
# Builds the frozen application and its Linux archive:
#   dist/desktop-ocr/                                  onedir bundle (run dist/desktop-ocr/desktop-ocr)
#   dist/desktop-ocr-<version>-linux-x86_64.tar.gz     that bundle + .desktop file + icon + install.sh
# Needs the environment of scripts/setup.sh (.venv with the `build` extra, binutils; g++, cmake and
# nasm for the first build of the slim OpenCV and numpy wheels).
# PyInstaller runs from a separate venv, build/bundle-venv: the same packages as the developer venv
# (its `pip freeze` is the constraint set) except OpenCV and numpy, which are the slim wheels of
# packaging/opencv-slim (no FFmpeg/OpenBLAS/OpenSSL: 150 MB less unpacked) and packaging/numpy-slim
# (no OpenBLAS/libgfortran: 27 MB less unpacked). The developer .venv keeps the stock wheels. The slim
# wheels are built once per machine and cached (on 2 cores: OpenCV 9-16 min, numpy 3.5 min).
# Environment: PYTHON (default .venv/bin/python), OPENCV_SLIM_DIR (default
# ~/.cache/desktop-ocr/opencv-slim), NUMPY_SLIM_DIR (default ~/.cache/desktop-ocr/numpy-slim): the
# build-wheel.sh work folders; the wheels are in their wheelhouse/.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
PY=${PYTHON:-$REPO/.venv/bin/python}
t0=$(date +%s)

# 1. The slim OpenCV wheel (built once, then cached).
SLIM_DIR=${OPENCV_SLIM_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/desktop-ocr/opencv-slim}
CV_VERSION=$(sed -n 's/^VERSION=\([0-9.]*\).*/\1/p' packaging/opencv-slim/build-wheel.sh)
find_wheel() { ls "$SLIM_DIR"/wheelhouse/opencv_python_headless-"$CV_VERSION"-cp*-linux_*.whl 2>/dev/null | head -n1; }
WHEEL=$(find_wheel || true)
if [ -z "$WHEEL" ]; then
  echo "slim OpenCV $CV_VERSION not in $SLIM_DIR/wheelhouse: building it (9-16 minutes on 2 cores)"
  bash packaging/opencv-slim/build-wheel.sh "$SLIM_DIR"
  WHEEL=$(find_wheel || true)
  [ -n "$WHEEL" ] || { echo "build failed: no slim OpenCV wheel in $SLIM_DIR/wheelhouse" >&2; exit 1; }
fi
echo "slim OpenCV wheel: $WHEEL"

# 1b. The numpy wheel without BLAS (built once per Python version, then cached). It must be the
# version the developer venv runs, which the tests pass with.
BASE_PY=$("$PY" -c 'import sys; print(getattr(sys, "_base_executable", sys.executable))')
NP_DIR=${NUMPY_SLIM_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/desktop-ocr/numpy-slim}
NP_VERSION=$(sed -n 's/^VERSION=\([0-9.]*\).*/\1/p' packaging/numpy-slim/build-wheel.sh)
DEV_NP_VERSION=$("$PY" -c 'import importlib.metadata as m; print(m.version("numpy"))')
[ "$DEV_NP_VERSION" = "$NP_VERSION" ] || { echo "build failed: .venv has numpy $DEV_NP_VERSION, packaging/numpy-slim/build-wheel.sh builds $NP_VERSION (set its VERSION)" >&2; exit 1; }
CP=$("$PY" -c 'import sys; print("cp%d%d" % sys.version_info[:2])')
find_np_wheel() { ls "$NP_DIR"/wheelhouse/numpy-"$NP_VERSION"-"$CP"-"$CP"-linux_*.whl 2>/dev/null | head -n1; }
NP_WHEEL=$(find_np_wheel || true)
if [ -z "$NP_WHEEL" ]; then
  echo "numpy $NP_VERSION without BLAS not in $NP_DIR/wheelhouse: building it (3.5 minutes on 2 cores)"
  PYTHON=$BASE_PY bash packaging/numpy-slim/build-wheel.sh "$NP_DIR"
  NP_WHEEL=$(find_np_wheel || true)
  [ -n "$NP_WHEEL" ] || { echo "build failed: no numpy wheel in $NP_DIR/wheelhouse" >&2; exit 1; }
fi
echo "numpy wheel without BLAS: $NP_WHEEL"

# 2. The bundle venv, refreshed only when pyproject.toml, the extras it carries, the developer venv's
# packages or the wheels changed (stamp = hash of the five).
VENV=build/bundle-venv
EXTRAS="cloud,build,serve"  # what the installer carries besides the app: cloud SDKs, the local server
mkdir -p build
CONSTRAINTS=build/bundle-constraints.txt
# Pin everything to what the developer venv (and so the test suite) runs; not the project itself.
"$PY" -m pip freeze --exclude-editable 2>/dev/null | grep -v -i -e '^desktop[-_]ocr' -e ' @ ' > "$CONSTRAINTS" || true
STAMP=$( (cat pyproject.toml "$CONSTRAINTS" "$WHEEL" "$NP_WHEEL"; echo "$EXTRAS") | sha256sum | cut -d' ' -f1)
if [ "$(cat "$VENV/.stamp" 2>/dev/null)" != "$STAMP" ] || [ ! -x "$VENV/bin/python" ]; then
  echo "bundle venv: (re)creating $VENV"
  rm -rf "$VENV"
  "$BASE_PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q -c "$CONSTRAINTS" -e ".[$EXTRAS]"
  "$VENV/bin/python" -m pip install -q --force-reinstall --no-deps "$WHEEL" "$NP_WHEEL"
  echo "$STAMP" > "$VENV/.stamp"
else
  echo "bundle venv: $VENV is up to date"
fi
# The stock wheels have the same names and versions: a later reinstall would bring them (and their
# vendored .libs: FFmpeg, OpenBLAS, libgfortran ...) back silently.
"$VENV/bin/python" - <<'PYEOF' || { echo "build failed: $VENV does not have the slim OpenCV and numpy wheels (delete $VENV and rebuild)" >&2; exit 1; }
import pathlib, sysconfig, sys
site = pathlib.Path(sysconfig.get_paths()["purelib"])
libs = sorted(p.name for p in site.glob("*.libs") if p.name.startswith(("opencv_python", "numpy")))
if libs:
    sys.exit(f"stock wheels present: {libs}")
import cv2, numpy
deps = numpy.show_config(mode="dicts")["Build Dependencies"]
if deps["blas"]["name"] != "none" or deps["lapack"]["name"] != "none":
    sys.exit(f"numpy built with BLAS {deps['blas']['name']}, LAPACK {deps['lapack']['name']}")
print(f"bundle venv: cv2 {cv2.__version__} (slim), numpy {numpy.__version__} (no BLAS) from {site}")
PYEOF
echo "bundle venv ready: $(( $(date +%s) - t0 )) s"
PY=$REPO/$VENV/bin/python

VERSION=$("$PY" -c 'import sys; sys.path.insert(0, "packaging"); import bundle_filter, pathlib; print(bundle_filter.version(pathlib.Path(".")))')
ARCH=$(uname -m)
NAME=desktop-ocr
ARCHIVE=dist/$NAME-$VERSION-linux-$ARCH.tar.gz

t1=$(date +%s)
# Bytecode of the build itself must not leak into the source tree's caches.
PYTHONDONTWRITEBYTECODE=1 "$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/desktop_ocr.spec
echo "pyinstaller: $(( $(date +%s) - t1 )) s"

BUNDLE=dist/$NAME
[ -x "$BUNDLE/$NAME" ] || { echo "build failed: $BUNDLE/$NAME missing" >&2; exit 1; }

"$PY" packaging/bundle_filter.py strip "$BUNDLE"
# Qt's ICU data cut to the code pages, collation and zone names of the app's languages (32 -> 8 MB).
"$PY" packaging/icu_slim.py "$BUNDLE"

# Desktop integration files travel inside the bundle folder so the archive is one directory.
cp packaging/linux/desktop-ocr.desktop "$BUNDLE/"
cp packaging/linux/install.sh "$BUNDLE/"
# The app's icon (resources/icon.png, the window icon too); packaging's own is the fallback.
ICON=resources/icon.png; [ -f "$ICON" ] || ICON=packaging/icons/desktop-ocr.png
cp "$ICON" "$BUNDLE/desktop-ocr.png"
chmod +x "$BUNDLE/install.sh"
# Build provenance: the commit, "-dirty" if the bundle's inputs had changes not committed (the smoke
# test reuses a build only when this matches a clean work tree).
if STATE=$(git -C "$REPO" rev-parse HEAD 2>/dev/null); then
  [ -z "$(git -C "$REPO" status --porcelain -- desktop_ocr packaging resources pyproject.toml)" ] || STATE=$STATE-dirty
else
  STATE=unknown
fi
echo "$STATE" > "$BUNDLE/BUILD_COMMIT"

rm -f "$ARCHIVE"
# Reproducible-ish archive: fixed owner, sorted names. gzip -9 would save about 1% for twice the time.
tar --sort=name --owner=0 --group=0 --numeric-owner -C dist -cf - "$NAME" | gzip -6 -n > "$ARCHIVE"

unpacked=$(du -sb "$BUNDLE" | cut -f1)
packed=$(stat -c %s "$ARCHIVE")
echo "bundle:  $BUNDLE  $(( unpacked / 1000000 )) MB unpacked ($unpacked bytes)"
echo "archive: $ARCHIVE  $(( packed / 1000000 )) MB ($packed bytes)"
echo "total build time: $(( $(date +%s) - t0 )) s"
