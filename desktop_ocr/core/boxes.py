"""Axis-aligned boxes ``(left, top, right, bottom)``: the geometry the engine's steps share.

Whether two boxes stand on one row is asked by the steps that join comb cells (``combs``), read a
line the detector broke in two (``bridge``) and join the pieces of a line cut by a tile's border
(``tiling``); each asks it here, with the tolerances its own case needs. How much of one box
another covers, against many at once (``bounds``, ``shared``), is asked by the engine's passes
that tell a line found again from one found anew.
"""

from __future__ import annotations

import numpy as np

Box = tuple[float, float, float, float]


def level(a: Box, b: Box, heights: float, share: float) -> bool:
    """Whether boxes ``a`` and ``b`` stand on one row: the taller at most ``heights`` times as
    tall as the shorter, and the two overlapping vertically by ``share`` of the shorter's height
    or more. A box of no height stands on no row."""
    ha, hb = a[3] - a[1], b[3] - b[1]
    low = min(ha, hb)
    if low <= 0 or max(ha, hb) > heights * low:
        return False
    return min(a[3], b[3]) - max(a[1], b[1]) >= share * low


def bounds(quads: list[np.ndarray]) -> np.ndarray:
    """The bounding boxes of ``quads`` (each n x 2 points): an array of their (x0, y0, x1, y1),
    one row each, to measure one box against all of them at once."""
    return np.array([[q[:, 0].min(), q[:, 1].min(), q[:, 0].max(), q[:, 1].max()] for q in quads]).reshape(-1, 4)


def intersections(q: np.ndarray, fb: np.ndarray) -> tuple[np.ndarray, float]:
    """The areas of ``q``'s bounding box's intersections with each of ``fb`` (``bounds``), and its area."""
    x0, y0, x1, y1 = q[:, 0].min(), q[:, 1].min(), q[:, 0].max(), q[:, 1].max()
    iw = np.clip(np.minimum(fb[:, 2], x1) - np.maximum(fb[:, 0], x0), 0, None)
    ih = np.clip(np.minimum(fb[:, 3], y1) - np.maximum(fb[:, 1], y0), 0, None)
    return iw * ih, max(1e-6, float((x1 - x0) * (y1 - y0)))


def shared(q: np.ndarray, fb: np.ndarray) -> np.ndarray:
    """For each box of ``fb`` (``bounds``): the share of the smaller one's area, of it and of
    ``q``'s bounding box, that the two have in common (1.0: one lies inside the other)."""
    inter, area = intersections(q, fb)
    return inter / np.minimum(np.maximum(1e-6, (fb[:, 2] - fb[:, 0]) * (fb[:, 3] - fb[:, 1])), area)
