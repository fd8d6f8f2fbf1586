#!/usr/bin/env bash
# Builds the frozen application and its Linux archive:
#   dist/desktop-ocr/                                  onedir bundle (run dist/desktop-ocr/desktop-ocr)
#   dist/desktop-ocr-<version>-linux-x86_64.tar.gz     that bundle + .desktop file + icon + install.sh
# Needs the environment of scripts/setup.sh (.venv with the `build` extra, binutils).
# Environment: PYTHON (default .venv/bin/python).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
PY=${PYTHON:-$REPO/.venv/bin/python}

VERSION=$("$PY" -c 'import sys; sys.path.insert(0, "packaging"); import bundle_filter, pathlib; print(bundle_filter.version(pathlib.Path(".")))')
ARCH=$(uname -m)
NAME=desktop-ocr
ARCHIVE=dist/$NAME-$VERSION-linux-$ARCH.tar.gz

t0=$(date +%s)
# Bytecode of the build itself must not leak into the source tree's caches.
PYTHONDONTWRITEBYTECODE=1 "$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/desktop_ocr.spec
echo "pyinstaller: $(( $(date +%s) - t0 )) s"

BUNDLE=dist/$NAME
[ -x "$BUNDLE/$NAME" ] || { echo "build failed: $BUNDLE/$NAME missing" >&2; exit 1; }

"$PY" packaging/bundle_filter.py strip "$BUNDLE"

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
