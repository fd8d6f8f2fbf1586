"""Geometry and bookkeeping the vendor formats share (no vendor knowledge here)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from .. import vendors
from ..core.errors import AuthFailed, BackendError, OcrError, RateLimited
from ..core.model import Point, TextLine

# A vendor field that must carry a confidence when our line has none (the vendor's answer gave
# none, e.g. Huawei's documented example): the line was returned as text, so it counts as accepted.
# 1.0 rather than 0.0 so that consumers filtering on confidence do not silently drop the line.
UNKNOWN_SCORE = 1.0


def clamp01(x: float) -> float:
    return min(1.0, max(0.0, float(x)))


def line_score(line: TextLine) -> float | None:
    """The line's score, else the mean of its characters' scores, else None."""
    if line.score is not None:
        return line.score
    scores = [c.score for c in (line.chars or []) if c.score is not None]
    return sum(scores) / len(scores) if scores else None


def char_score(line: TextLine, i: int) -> float:
    """Character i's score, falling back to its line's (then UNKNOWN_SCORE)."""
    s = line.chars[i].score if line.chars else None
    if s is None:
        s = line_score(line)
    return UNKNOWN_SCORE if s is None else s


def _signed_area(pts: Sequence[Point]) -> float:
    return 0.5 * sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(pts, list(pts[1:]) + [pts[0]]))


def quad(polygon: Sequence[Point]) -> list[Point]:
    """Four corners for a polygon of 4+ points.

    Four points are returned as they are (their order carries the reading direction). Longer
    polygons (curved text) become their minimum-area rectangle, turned the same way round as the
    polygon and starting at the corner nearest the polygon's first point, so "first point = top-left
    of the text" still holds.
    """
    pts = [(float(x), float(y)) for x, y in polygon]
    if len(pts) == 4:
        return pts
    import cv2
    import numpy as np

    box = cv2.boxPoints(cv2.minAreaRect(np.asarray(pts, dtype=np.float32)))
    corners = [(float(x), float(y)) for x, y in box]
    if (_signed_area(corners) > 0) != (_signed_area(pts) > 0):
        corners.reverse()
    x0, y0 = pts[0]
    start = min(range(4), key=lambda i: (corners[i][0] - x0) ** 2 + (corners[i][1] - y0) ** 2)
    return corners[start:] + corners[:start]


def int_points(points: Iterable[Point]) -> list[tuple[int, int]]:
    """Pixel coordinates as the vendors give them: nearest integer."""
    return [(int(round(x)), int(round(y))) for x, y in points]


def extent(lines: Iterable[TextLine]) -> tuple[int, int]:
    """Smallest image size holding every polygon: the vendors' answers do not state the image size."""
    w = h = -1.0
    for ln in lines:
        for x, y in ln.polygon:
            w, h = max(w, x), max(h, y)
        for c in ln.chars or []:
            for x, y in c.polygon or []:
                w, h = max(w, x), max(h, y)
    return int(math.ceil(w)) + 1 if w >= 0 else 0, int(math.ceil(h)) + 1 if h >= 0 else 0


def message(err: OcrError) -> str:
    """The text a vendor error body carries: a vendor's own message verbatim, else our sentence."""
    if isinstance(err, BackendError):
        return err.message
    return str(err)


def error_code_for(err: OcrError, table: dict, fallback, own_code=None):
    """The vendor code to answer ``err`` with.

    ``own_code(vendor_code)`` returns the code as this vendor writes it when the error already came
    from this vendor (so it is kept verbatim), else None; otherwise the nearest class in ``table``
    (walking the error's class hierarchy) decides, then ``fallback``.
    """
    if isinstance(err, BackendError) and own_code is not None and err.vendor_code is not None:
        kept = own_code(err.vendor_code)
        if kept is not None:
            return kept
    for cls in type(err).__mro__:
        if cls in table:
            return table[cls]
    return fallback


def vendor_error(vendor: str, code: Any, msg: str, status: int | None, *, request_id: str | None = None,
                 auth_status: Iterable[int] = (), rate_status: Iterable[int] = ()) -> BackendError:
    """Our typed error for a vendor's error code: AuthFailed / RateLimited where the vendor's registry
    entry says the code means that (or, for a code it does not list, where the HTTP status does)."""
    kind = vendors.get(vendor).classify(code)
    if kind is None and status is not None:
        kind = "auth" if status in auth_status else "rate" if status in rate_status else None
    cls = AuthFailed if kind == "auth" else RateLimited if kind == "rate" else BackendError
    return cls(msg, vendor_code=None if code is None or code == "" else str(code), status=status,
               request_id=request_id)
