#!/usr/bin/env bash
# Builds a slim opencv-python-headless wheel (core, imgproc, imgcodecs + geometry, flann: all that
# rapidocr and desktop_ocr call) from the PyPI sdist, without FFmpeg/AV1/VPx, OpenBLAS, OpenSSL,
# IPP or OpenCL. packaging/build.sh runs this when the wheel is not cached yet and installs the wheel
# into its bundle venv (build/bundle-venv); see README.md here for the measurements.
#   usage: bash packaging/opencv-slim/build-wheel.sh [WORKDIR]   (wheel lands in WORKDIR/wheelhouse)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
W=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/desktop-ocr/opencv-slim}
VERSION=5.0.0.93   # the same version the app is tested with
mkdir -p "$W"
cd "$W"
command -v nasm >/dev/null || echo "note: without nasm the bundled libjpeg-turbo builds without SIMD (cv2.imdecode ~3x slower; the app decodes with Pillow)" >&2
[ -x venv/bin/pip ] || { python3 -m venv venv && venv/bin/pip install -q -U pip; }
[ -f "sdist/opencv_python_headless-$VERSION.tar.gz" ] || \
  venv/bin/pip download -q --no-deps --no-binary opencv-python-headless "opencv-python-headless==$VERSION" -d sdist
rm -rf src && mkdir src && tar xzf "sdist/opencv_python_headless-$VERSION.tar.gz" -C src
cd "src/opencv_python_headless-$VERSION"
# OpenCV's typing-stub generator assumes modules (features, calib) that a reduced BUILD_LIST leaves out.
patch -p1 < "$HERE/opencv5-stubs-buildlist.patch"
export ENABLE_HEADLESS=1 CMAKE_BUILD_PARALLEL_LEVEL=$(nproc)
# OpenCV 5 moved minAreaRect/boxPoints/contourArea/getPerspectiveTransform into 'geometry' (needs flann).
export CMAKE_ARGS="-DBUILD_LIST=core,imgproc,imgcodecs,geometry,flann,python3 \
 -DCMAKE_BUILD_TYPE=Release -DENABLE_PRECOMPILED_HEADERS=OFF \
 -DWITH_IPP=OFF -DBUILD_IPP_IW=OFF -DWITH_ITT=OFF -DWITH_OPENCL=OFF -DWITH_VA=OFF -DWITH_VA_INTEL=OFF \
 -DWITH_FFMPEG=OFF -DWITH_GSTREAMER=OFF -DWITH_V4L=OFF -DWITH_1394=OFF \
 -DWITH_LAPACK=OFF -DWITH_EIGEN=OFF -DWITH_TBB=OFF -DWITH_OPENMP=OFF -DWITH_PROTOBUF=OFF \
 -DWITH_OPENEXR=OFF -DBUILD_OPENEXR=OFF -DWITH_OPENJPEG=OFF -DWITH_JASPER=OFF -DWITH_AVIF=OFF -DWITH_JPEGXL=OFF \
 -DWITH_GDAL=OFF -DWITH_GDCM=OFF \
 -DWITH_JPEG=ON -DBUILD_JPEG=ON -DWITH_PNG=ON -DBUILD_PNG=ON -DWITH_TIFF=ON -DBUILD_TIFF=ON \
 -DWITH_WEBP=ON -DBUILD_WEBP=ON -DBUILD_ZLIB=ON \
 -DWITH_OPENVINO=OFF -DWITH_KLEIDICV=OFF -DWITH_FASTCV=OFF -DBUILD_opencv_java=OFF -DPYTHON3_LIMITED_API=ON"
nice -n 10 "$W/venv/bin/pip" wheel . --no-deps -w "$W/wheelhouse"
ls -la "$W/wheelhouse"
