"""Axis-aligned boxes ``(left, top, right, bottom)``: the geometry the engine's steps share.

Whether two boxes stand on one row is asked by the steps that join comb cells (``combs``), read a
line the detector broke in two (``bridge``) and join the pieces of a line cut by a tile's border
(``tiling``); each asks it here, with the tolerances its own case needs.
"""

from __future__ import annotations

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
