"""Detection on large images by overlapping tiles, so small text is not shrunk away.

rapidocr shrinks every image to 2000 px on its longest side before detection; on a 10000 px
receipt strip that turns 20 px text into 4 px smudges. Instead, images larger than
``TILE_TRIGGER`` are cut into overlapping tiles of at most ``TILE_SIZE`` px that are detected at
full resolution (or at the scale that keeps the tile count bounded). Only *detection* is tiled:
boxes are mapped back to the full image, duplicates and pieces cut at tile borders are merged
geometrically, and every line is then recognised once from the full-resolution image, so a line
split by a tile border still reads as one line. One more whole-image pass at the usual 2000 px
catches text too big for the tiles (a headline taller than the overlap); its boxes are kept only
when they are tall and do not swallow several small lines the tiles saw separately.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from .boxes import level

#: longest side above which we tile (rapidocr's own limit is 2000)
TILE_TRIGGER = 2560
#: tile side and overlap in detection pixels; the overlap exceeds any plausible line height
TILE_SIZE = 1600
TILE_OVERLAP = 256
#: more tiles than this and the image is first scaled down (bounds the time for huge scans)
MAX_TILES = 48


@dataclass(frozen=True)
class Tile:
    x0: int
    y0: int
    x1: int
    y1: int


def needs_tiling(w: int, h: int) -> bool:
    return max(w, h) > TILE_TRIGGER


def _starts(length: int, size: int, overlap: int) -> list[int]:
    if length <= size:
        return [0]
    n = math.ceil((length - overlap) / (size - overlap))
    step = (length - size) / (n - 1)
    return [int(round(i * step)) for i in range(n)]


def plan_tiles(w: int, h: int, size: int = TILE_SIZE, overlap: int = TILE_OVERLAP) -> list[Tile]:
    """Overlapping tiles covering a w x h image (in that image's pixels)."""
    xs = _starts(w, size, overlap)
    ys = _starts(h, size, overlap)
    return [Tile(x, y, min(w, x + size), min(h, y + size)) for y in ys for x in xs]


def tiling_scale(w: int, h: int, size: int = TILE_SIZE, overlap: int = TILE_OVERLAP,
                 max_tiles: int = MAX_TILES) -> float:
    """1.0, or the down-scale that keeps the tile count within ``max_tiles``."""
    scale = 1.0
    while len(plan_tiles(int(w * scale), int(h * scale), size, overlap)) > max_tiles:
        scale *= 0.85
    return scale


#: text at least this tall (tile pixels) is taken from the whole-image pass
BIG_TEXT = TILE_OVERLAP // 2


#: a box this many of its heights (short sides) from an inner tile border may be a piece cut there
#: (the detector's box of a cut line can stop a few pixels short of the border)
NEAR_BORDER = 0.5
#: two pieces of a cut line share a row (or a column, across) when the taller box is at most
#: ROW_HEIGHTS times the shorter and they overlap by ROW_OVERLAP of its height
ROW_HEIGHTS = 1.6
ROW_OVERLAP = 0.6


def _is_cut(r, t: Tile, w: int, h: int, edge: float = 3.0) -> bool:
    return ((t.x0 > 0 and r[0] <= t.x0 + edge) or (t.y0 > 0 and r[1] <= t.y0 + edge)
            or (t.x1 < w and r[2] >= t.x1 - edge) or (t.y1 < h and r[3] >= t.y1 - edge))


def cut_flags(pieces, w: int, h: int) -> list[bool]:
    """Whether each tile box touches an inner tile border (may be a cut piece)."""
    return [_is_cut(_rect(q), t, w, h) for q, _, t in pieces]


def big_text(quads: list[np.ndarray], tile_quads: list[np.ndarray], cut: list[bool]) -> list[bool]:
    """Per whole-image box, whether it is worth keeping: text taller than BIG_TEXT, and not a blob
    of several small lines the tiles resolved (the shrunken whole image can melt dense small text
    together). ``cut``: per tile box, whether it touches an inner tile border (``cut_flags``)."""
    def min_edge(q: np.ndarray) -> float:
        return min(float(np.hypot(*(q[(i + 1) % 4] - q[i]))) for i in range(4))

    whole = [q.astype(np.float64) for q, c in zip(tile_quads, cut) if not c]
    rects = np.array([_rect(q) for q in whole]).reshape(-1, 4)
    heights = np.array([min_edge(q) for q in whole])
    keep = []
    for quad in quads:
        height = min_edge(quad)
        if height < BIG_TEXT:
            keep.append(False)
            continue
        big = quad.astype(np.float64)
        x0, y0, x1, y1 = _rect(big)
        near = np.flatnonzero((heights < 0.5 * height) & (rects[:, 0] < x1) & (rects[:, 2] > x0)
                              & (rects[:, 1] < y1) & (rects[:, 3] > y0))
        covered = sum(_quad_inter(big, whole[i]) for i in near)
        # small whole lines filling much of the box: a blob, the tiles read them better
        keep.append(covered < 0.3 * _quad_area(big))
    return keep


def _rect(quad: np.ndarray) -> tuple[float, float, float, float]:
    return float(quad[:, 0].min()), float(quad[:, 1].min()), float(quad[:, 0].max()), float(quad[:, 1].max())


def _area(r) -> float:
    return max(0.0, r[2] - r[0]) * max(0.0, r[3] - r[1])


def _inter(a, b) -> float:
    return _area((max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])))


def merge_tile_boxes(pieces: list[tuple[np.ndarray, float, Tile]], w: int, h: int,
                     edge: float = 3.0) -> tuple[list[np.ndarray], list[float]]:
    """Merge boxes detected per tile (already in full-image coordinates).

    * a box touching an inner tile border is a piece that may be cut;
    * a box mostly inside another box (the same line seen by two tiles) is dropped in favour of
      the larger one;
    * cut pieces of one line from neighbouring tiles (same row, the pieces overlapping across
      the border) are joined into one rotated rectangle around both; so are those of one column
      of vertical writing (same column, overlapping across a horizontal border).
    """
    items: list[dict[str, Any]] = []  # quad, score, rect, cut, alive
    for quad, score, t in pieces:
        r = _rect(quad)
        cut = _is_cut(r, t, w, h, edge)
        # near a border for its size: a piece cut there whose box stops a few pixels short of it
        near = cut or _is_cut(r, t, w, h, NEAR_BORDER * min(r[2] - r[0], r[3] - r[1]))
        items.append({"quad": quad.astype(np.float64), "score": float(score), "rect": r, "cut": cut,
                      "near": near, "alive": True})
    # largest first so contained duplicates and pieces meet their full version; passes repeat
    # until nothing changes, since a box grown by a join can then overlap one it was compared
    # with before (a long line cut by several tiles)
    changed = True
    while changed:
        changed = False
        items = [it for it in items if it["alive"]]
        items.sort(key=lambda it: -_quad_area(it["quad"]))
        for i, a in enumerate(items):
            if not a["alive"]:
                continue
            for b in items[i + 1:]:
                if not b["alive"]:
                    continue
                if _inter(a["rect"], b["rect"]) <= 0:
                    continue
                inter = _quad_inter(a["quad"], b["quad"])
                small = min(_quad_area(a["quad"]), _quad_area(b["quad"]))
                if small <= 0:
                    continue
                if inter / small >= 0.6:
                    # b lies (mostly) inside a: a duplicate or a cut piece of a. When a may itself be
                    # a cut piece, b can be the whole line, smaller only because the tile that cut
                    # a boxed it a few pixels taller: the two are joined, or the line loses its
                    # end beyond the border (a form deskewed to 2411 px, its tiles' border at
                    # x 811: '2. 高等职业教育...' came back from 816 on, without its '2.')
                    b["alive"] = False
                    changed = True
                    if a["near"]:
                        _join(a, b)
                    continue
                # cut pieces of one line; or a cut piece overlapping a whole box along its row
                # (the far end of a line whose last tile saw it whole); the same down a column
                # of vertical writing cut by a horizontal border. The boxes themselves overlap
                # (neighbouring tiles overlap by TILE_OVERLAP): on a skewed page the rectangles
                # round two neighbouring lines or columns overlap as well, the boxes do not
                only = not (a["cut"] and b["cut"])
                if inter > 0 and (a["cut"] or b["cut"]) and (
                        _same_row(a["rect"], b["rect"], overlap_only=only)
                        or _same_column(a["rect"], b["rect"], overlap_only=only)):
                    b["alive"] = False
                    changed = True
                    _join(a, b)
    alive = [it for it in items if it["alive"]]
    return [it["quad"].astype(np.float32) for it in alive], [it["score"] for it in alive]


def _quad_area(q: np.ndarray) -> float:
    return abs(float(cv2.contourArea(q.astype(np.float32))))


def _quad_inter(a: np.ndarray, b: np.ndarray) -> float:
    area, _ = cv2.intersectConvexConvex(_convex(a), _convex(b))
    return max(0.0, float(area))


def _convex(q: np.ndarray) -> np.ndarray:
    return cv2.convexHull(q.astype(np.float32))


def _same_row(a, b, overlap_only: bool = False) -> bool:
    """Two boxes of one text row: overlapping vertically by most of their similar heights, and
    touching (or, with ``overlap_only``, overlapping by a character or more) horizontally."""
    if not level(a, b, ROW_HEIGHTS, ROW_OVERLAP):
        return False
    ha, hb = a[3] - a[1], b[3] - b[1]
    gap_x = max(a[0], b[0]) - min(a[2], b[2])  # negative when they overlap horizontally
    return gap_x <= (-min(ha, hb) if overlap_only else 0.5 * min(ha, hb))


def _same_column(a, b, overlap_only: bool = False) -> bool:
    """Two boxes of one column of vertical writing: ``_same_row`` across instead of along, for
    boxes the taller of which is a column (twice as tall as either is wide). Without that, two
    lines one above the other, each as wide as the other, would count as one column."""
    if max(a[3] - a[1], b[3] - b[1]) < 2 * max(a[2] - a[0], b[2] - b[0]):
        return False
    return _same_row((a[1], a[0], a[3], a[2]), (b[1], b[0], b[3], b[2]), overlap_only)


def _join(a: dict, b: dict) -> None:
    pts = np.vstack([a["quad"], b["quad"]]).astype(np.float32)
    box = cv2.boxPoints(cv2.minAreaRect(pts))
    a["quad"] = _order_clockwise(box.astype(np.float64))
    a["rect"] = _rect(a["quad"])
    a["score"] = max(a["score"], b["score"])
    a["cut"] = a["cut"] or b["cut"]
    a["near"] = a["near"] or b["near"]


def _order_clockwise(box: np.ndarray) -> np.ndarray:
    """Order like the DB post-processing does: top-left first, clockwise."""
    pts = sorted(box.tolist(), key=lambda p: p[0])
    left, right = sorted(pts[:2], key=lambda p: p[1]), sorted(pts[2:], key=lambda p: p[1])
    return np.array([left[0], right[0], right[1], left[1]], dtype=np.float64)
