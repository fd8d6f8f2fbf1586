"""Table rules crossing a detected line: a form's cells joined into one box are cut apart.

The detector joins the text of two table cells standing close on either side of a ruled line
(a form's column headings ``IND/LOR | NO. OF``) into one box, read as one line across the rule.
A ruled line is told from a letter by where it goes: it crosses the whole height of the line's
box and runs on beyond it, above or below, by at least the box's height (down the table),
where a letter (``l``, ``|``, ``1``) stays within its line. Pure functions on an image and
the detector's boxes (4x2, clockwise from the top-left), no Qt, no models.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from .vertical import runs

#: a rule blackens at least RULE_CROSS of the rows of a line's box (it may start at the table's
#: border a row or two inside the box's top), in a band of columns RULE_MAX_WIDTH wide at most
#: (wider is ink: a bold letter, a block, a bar), and RULE_ON of the rows where it runs on
RULE_CROSS = 0.8
RULE_ON = 0.9
RULE_MAX_WIDTH = 0.25  # of the box's height
#: and runs on beyond the box over this many of its heights, above or below
RULE_BEYOND = 1.0
#: a rule between two cells has no letter's stroke (a column of the box dark on RULE_STROKE of
#: its rows) within RULE_CLEAR of the box's height on either side, past the column or two its
#: own blur darkens
RULE_STROKE = 0.5
RULE_CLEAR = 0.1
#: beside a rule, beyond the box, the page is light: dark on at most this share
RULE_SIDES = 0.3
#: a piece on either side of a rule is at least this many of the box's heights long (a rule at
#: the very end of a box is its cell's edge, not one between two cells)
RULE_PIECE = 1.0
#: only for boxes running across (this many times as long as tall) and level within this many
#: degrees (the working image is upright: a deskewed page's boxes are level)
RULE_MIN_RATIO = 3.0
RULE_MAX_TILT = 2.0


def _dark(patch: np.ndarray) -> np.ndarray:
    """The ink of ``patch`` (uint8, grey or BGR): below Otsu's level, and below 160 on a patch
    of paper alone."""
    gray = cv2.cvtColor(patch, cv2.COLOR_BGR2GRAY) if patch.ndim == 3 else patch
    level, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return gray < min(float(level), 160.0)


def rules_across(image: np.ndarray, quad: np.ndarray) -> list[tuple[float, float]]:
    """The ruled lines crossing the box ``quad`` of ``image`` (grey or BGR): (x0, x1) of each, in
    image pixels, left to right; [] for a box that is not a level line across or is crossed by
    none."""
    q = np.asarray(quad, dtype=np.float64)
    x0, y0 = np.floor(q.min(axis=0)).astype(int)
    x1, y1 = np.ceil(q.max(axis=0)).astype(int)
    ih, iw = image.shape[:2]
    x0, x1, y0, y1 = max(0, x0), min(iw, x1), max(0, y0), min(ih, y1)
    h = y1 - y0
    if h < 4 or x1 - x0 < RULE_MIN_RATIO * h:
        return []
    top = q[1] - q[0]
    if abs(math.degrees(math.atan2(top[1], top[0]))) > RULE_MAX_TILT:
        return []
    reach = int(math.ceil(RULE_BEYOND * h))
    ya, yb = max(0, y0 - reach), min(ih, y1 + reach)
    if y0 - ya < reach and yb - y1 < reach:  # no room beyond the box on either side
        return []
    dark = _dark(np.ascontiguousarray(image[ya:yb, x0:x1]))
    # a rule a pixel out of plumb: each column with its neighbours
    wide = dark.copy()
    wide[:, 1:] |= dark[:, :-1]
    wide[:, :-1] |= dark[:, 1:]
    inside = wide[y0 - ya:y1 - ya]
    crossing = inside.mean(axis=0) >= RULE_CROSS
    out = []
    for a, b in runs(crossing):
        if b - a > max(2.0, RULE_MAX_WIDTH * h) + 2:  # the band is widened by a column each side
            continue
        if a < RULE_PIECE * h or (x1 - x0) - b < RULE_PIECE * h:
            continue
        if _clear(dark[y0 - ya:y1 - ya], a, b, h) and _runs_on(wide, a, b, y0 - ya, y1 - ya, reach):
            out.append((float(x0 + a), float(x0 + b)))
    return out


def _clear(ink: np.ndarray, a: int, b: int, h: int) -> bool:
    """Whether the rule in columns [a, b) of ``ink`` (the box's rows) stands between two cells:
    no stroke of a letter (a column dark on RULE_STROKE of the rows) within RULE_CLEAR of the
    box's height of it on either side (a number written over a cell's edge is crossed by it)."""
    g = max(2, int(math.ceil(RULE_CLEAR * h)))
    near = np.concatenate([ink[:, max(0, a - 1 - g):max(0, a - 1)], ink[:, b + 1:b + 1 + g]], axis=1)
    return not near.size or float(near.mean(axis=0).max()) < RULE_STROKE


def _runs_on(ink: np.ndarray, a: int, b: int, top: int, bottom: int, reach: int) -> bool:
    """Whether the band of columns [a, b) of ``ink`` runs on above row ``top`` or below row
    ``bottom`` for ``reach`` rows, dark on RULE_ON of them, between columns as light as a
    ruled line's surroundings are (dark on at most RULE_SIDES of them: not the edge of a dark
    patch, a sign's board, a shadow)."""
    w = max(2, b - a)
    for rows in (slice(max(0, top - reach), top), slice(bottom, bottom + reach)):
        part = ink[rows]
        if len(part) < reach:
            continue
        if part[:, a:b].any(axis=1).mean() < RULE_ON:
            continue
        left, right = part[:, max(0, a - 3 * w):max(0, a - w)], part[:, b + w:b + 3 * w]
        if left.size and right.size and max(left.mean(), right.mean()) <= RULE_SIDES:
            return True
    return False


def _along(quad: np.ndarray, u: float) -> tuple[np.ndarray, np.ndarray]:
    """The points at fraction ``u`` of the way along the top and the bottom edge of ``quad``."""
    p0, p1, p2, p3 = quad
    return p0 + (p1 - p0) * u, p3 + (p2 - p3) * u


def split_at_rules(image: np.ndarray, quads: list[np.ndarray]) -> list[np.ndarray]:
    """``quads`` with every box crossed by ruled lines (rules_across) cut at them into pieces, one
    per cell, in place of the box; other boxes unchanged, in their order."""
    out: list[np.ndarray] = []
    for quad in quads:
        rules = rules_across(image, quad)
        if not rules:
            out.append(quad)
            continue
        q = np.asarray(quad, dtype=np.float64)
        left, right = float(q[:, 0].min()), float(q[:, 0].max())
        span = max(1e-6, right - left)
        cuts = [left, *[x for r in rules for x in r], right]
        for a, b in zip(cuts[0::2], cuts[1::2]):
            t0, b0 = _along(q, (a - left) / span)
            t1, b1 = _along(q, (b - left) / span)
            out.append(np.array([t0, t1, b1, b0], dtype=np.float32))
    return out


#: a line's first or last character is a box's edge where its ink runs on past the line's box,
#: along the line, by at least this many of the box's heights: a letter stays within the box
#: (the detector's margin reaches past it), a check box's or a cell's edge the line's box cut
#: into goes on (a form's ``MAY 12`` beside its check box, read ``MAY 12[``)
EDGE_BEYOND = 1.0


def runs_past(image: np.ndarray, box: tuple[float, float, float, float], end: str) -> float:
    """How far, in the box's heights, the ink at the ``end`` ("left" or "right") of a level
    line's box (x0, y0, x1, y1 in ``image``, grey or BGR) runs on past it: the farthest reach
    beyond that side of the shapes (8-connected, looked for up to two heights out) whose ink
    is in the box's outermost column of ink on that end; 0 where the box holds no ink."""
    x0, y0, x1, y1 = box
    h = y1 - y0
    ih, iw = image.shape[:2]
    if h < 4:
        return 0.0
    ax, bx = max(0, int(x0 - 2 * h)), min(iw, int(math.ceil(x1 + 2 * h)))
    ay, by = max(0, int(y0 - h)), min(ih, int(math.ceil(y1 + h)))
    dark = _dark(np.ascontiguousarray(image[ay:by, ax:bx])).astype(np.uint8)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    l0, l1 = max(0, int(x0) - ax), int(x1) - ax
    inside = labels[max(0, int(y0) - ay):int(y1) - ay, l0:l1]
    cols = np.flatnonzero(inside.any(axis=0))
    if not len(cols):
        return 0.0
    col = inside[:, cols[-1] if end == "right" else cols[0]]
    reach = 0.0
    for k in np.unique(col[col > 0]):
        sx, _, sw, _, _ = stats[k]
        reach = max(reach, float((sx + sw - l1) if end == "right" else (l0 - sx)))
    return reach / h

