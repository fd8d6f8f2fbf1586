#!/usr/bin/env bash
# Builds numpy from its PyPI sdist without BLAS/LAPACK (meson: blas=none, lapack=none,
# allow-noblas=true; numpy.linalg then uses its bundled lapack_lite), so the wheel has no
# numpy.libs/ (OpenBLAS 25 MB, libgfortran, libquadmath). CPU dispatch stays numpy's default
# (baseline "min", dispatch "max": the same run-time SIMD selection as the PyPI wheel).
# packaging/build.sh runs this when the wheel is not cached yet and installs the wheel into its
# bundle venv (build/bundle-venv); see README.md here for the measurements.
#   usage: [PYTHON=python3.11] bash packaging/numpy-slim/build-wheel.sh [WORKDIR]
#   (wheel lands in WORKDIR/wheelhouse; it is for PYTHON's CPython version, default python3)
set -euo pipefail
W=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/desktop-ocr/numpy-slim}
VERSION=2.4.6   # the same version the app is tested with
PY=${PYTHON:-python3}
mkdir -p "$W"
W=$(cd "$W" && pwd)
cd "$W"
# The wheel is CPython-version specific: one build venv per interpreter version.
PYV=$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
VENV=$W/venv-py$PYV
[ -x "$VENV/bin/pip" ] || { "$PY" -m venv "$VENV" && "$VENV/bin/pip" install -q -U pip; }
# One pip command fetches the sdist and builds it: `pip download --no-binary numpy` would compile
# the whole of numpy once more just to read its metadata (meson-python has no metadata-only hook).
# Build requirements (meson-python, Cython; ninja if the system has none) come as wheels; only numpy
# itself is compiled (option order matters: an --only-binary :all: after --no-binary numpy would
# cancel it and fetch the stock wheel). No pip cache: its wheel cache ignores -C options, so a wheel
# built with other flags could come back.
rm -f wheelhouse/numpy-"$VERSION"-*.whl
nice -n 10 "$VENV/bin/pip" wheel "numpy==$VERSION" --no-deps --no-cache-dir -w wheelhouse \
  --only-binary :all: --no-binary numpy \
  -Csetup-args=-Dblas=none -Csetup-args=-Dlapack=none -Csetup-args=-Dallow-noblas=true \
  "-Ccompile-args=-j$(nproc)"
WHEEL=$(ls wheelhouse/numpy-"$VERSION"-cp*-linux_*.whl | head -n1)
# Checks: no vendored libraries in the wheel, and the built numpy says it has no BLAS.
"$VENV/bin/python" -c 'import sys, zipfile; v = [n for n in zipfile.ZipFile(sys.argv[1]).namelist() if ".libs/" in n]; sys.exit(f"build failed: {sys.argv[1]} carries {v}" if v else 0)' "$WHEEL"
rm -rf check && "$VENV/bin/python" -m pip install -q --no-deps --target check "$WHEEL"
(cd / && PYTHONPATH="$W/check" "$VENV/bin/python" - <<'PYEOF')
import numpy
cfg = numpy.show_config(mode="dicts")
deps = cfg["Build Dependencies"]
for name in ("blas", "lapack"):
    assert deps[name]["name"] == "none" and not deps[name].get("found"), (name, deps[name])
simd = cfg["SIMD Extensions"]
a = numpy.arange(12.0).reshape(3, 4)
assert (numpy.linalg.inv(numpy.eye(3) * 2) == numpy.eye(3) / 2).all() and (a @ a.T)[2, 2] == 366.0
print(f"numpy {numpy.__version__} from {numpy.__file__}: blas {deps['blas']['name']}, "
      f"lapack {deps['lapack']['name']}; SIMD baseline {simd['baseline']}, dispatch found {simd['found']}")
PYEOF
rm -rf check
ls -la wheelhouse
