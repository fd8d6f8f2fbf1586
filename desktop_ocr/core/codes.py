"""QR codes and barcodes: decoded with zxing-cpp and listed as lines of their own.

Every capture tool people compare us with reads the codes in a picture beside its text, so a
recognition asked for them (``RecognizeOptions.codes``; the CLI and the window ask, the server does
not, since no vendor answers codes from its general OCR endpoint) gets one ``TextLine`` per code:
its decoded text, score 1.0 (zxing reports only codes whose checksums hold), its polygon in the
original image (corners in the code's own reading order, as a text line's) and ``code`` = the
format's stable name ("QRCode", "EAN13", "DataMatrix", ...). Code lines come after the text lines,
in rows top to bottom, each row left to right, each code its own paragraph.

The text detector also finds "text" in the modules of a 2-D code (QR, Data Matrix, Aztec, ...):
text lines whose centre lies inside such a code are dropped. A linear barcode's printed digits are
real text under the bars and are kept.

Works the same for the local engine and the cloud backends: it runs on the image, after them.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

import numpy as np

from .model import OcrResult, TextLine

log = logging.getLogger(__name__)

#: images above this many pixels are decoded from a copy shrunk to it (zxing takes ~1 s on 48 MP;
#: a code still readable after the shrink is a code a person would hold up to a camera)
MAX_PIXELS = 24_000_000

_zx: Any
try:  # a hard dependency; a build without it reads text only
    _zx = importlib.import_module("zxingcpp")
except ImportError:  # pragma: no cover - the installed package always has it
    _zx = None


def available() -> bool:
    return _zx is not None


def _matrix_formats() -> frozenset[str]:
    if _zx is None:
        return frozenset()
    names = set()
    for fmt in _zx.barcode_formats_list(_zx.BarcodeFormat.MatrixCodes):
        names.add(fmt.name)
    return frozenset(names)


def _gray(pixels: np.ndarray) -> np.ndarray:
    """RGB (or grey, or RGBA) uint8 pixels as one contiguous grey channel."""
    if pixels.ndim == 2:
        return np.ascontiguousarray(pixels)
    rgb = pixels[:, :, :3].astype(np.uint16)
    grey = (rgb[:, :, 0] * 77 + rgb[:, :, 1] * 150 + rgb[:, :, 2] * 29) >> 8  # ITU-R 601 luma
    return np.ascontiguousarray(grey.astype(np.uint8))


def read_codes(pixels: np.ndarray) -> list[TextLine]:
    """Every QR code and barcode zxing decodes in ``pixels`` (H x W [x C] uint8), top to bottom."""
    if _zx is None or pixels.size == 0:
        return []
    grey = _gray(pixels)
    h, w = grey.shape[:2]
    scale = 1.0
    if h * w > MAX_PIXELS:
        scale = (MAX_PIXELS / (h * w)) ** 0.5
        import cv2  # rapidocr's dependency

        grey = cv2.resize(grey, (max(1, round(w * scale)), max(1, round(h * scale))),
                          interpolation=cv2.INTER_AREA)
    try:
        found = _zx.read_barcodes(grey)
    except Exception as exc:  # noqa: BLE001 - a decoder fault must never cost the page its text
        log.warning("barcode decoding failed: %s", exc)
        return []
    lines: list[TextLine] = []
    for code in found:
        if not code.valid or not code.text:
            continue
        pos = code.position
        corners = [pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left]
        polygon = [(min(max(p.x / scale, 0.0), float(w)), min(max(p.y / scale, 0.0), float(h))) for p in corners]
        lines.append(TextLine(text=code.text, polygon=polygon, score=1.0, code=code.format.name))
    return _reading_order(lines)


def _reading_order(lines: list[TextLine]) -> list[TextLine]:
    """Rows top to bottom (codes whose middles lie within the row's first code's height), each left to right."""
    rows: list[list[TextLine]] = []
    for ln in sorted(lines, key=lambda ln: ln.bbox()[1]):
        _, top, _, bottom = ln.bbox()
        if rows:
            _, row_top, _, row_bottom = rows[-1][0].bbox()
            if row_top <= (top + bottom) / 2 <= row_bottom:
                rows[-1].append(ln)
                continue
        rows.append([ln])
    return [ln for row in rows for ln in sorted(row, key=lambda ln: ln.bbox()[0])]


def _inside(point: tuple[float, float], polygon: list[tuple[float, float]]) -> bool:
    """Whether ``point`` lies inside the convex ``polygon`` (either winding)."""
    sign = 0
    n = len(polygon)
    for i in range(n):
        (x0, y0), (x1, y1) = polygon[i], polygon[(i + 1) % n]
        cross = (x1 - x0) * (point[1] - y0) - (y1 - y0) * (point[0] - x0)
        if cross != 0:
            s = 1 if cross > 0 else -1
            if sign and s != sign:
                return False
            sign = s
    return True


def add_codes(result: OcrResult, pixels: np.ndarray) -> OcrResult:
    """Append the codes in ``pixels`` to ``result`` (in place; returned for chaining)."""
    codes = read_codes(pixels)
    if not codes:
        return result
    matrix = _matrix_formats()
    areas = [c.polygon for c in codes if c.code in matrix]
    if areas:
        def centre(ln: TextLine) -> tuple[float, float]:
            left, top, right, bottom = ln.bbox()
            return (left + right) / 2, (top + bottom) / 2

        result.lines = [ln for ln in result.lines
                        if ln.code is not None or not any(_inside(centre(ln), a) for a in areas)]
    paragraph = max((ln.paragraph for ln in result.lines), default=-1) + 1
    for i, code in enumerate(codes):
        code.paragraph = paragraph + i
    result.lines.extend(codes)
    return result

