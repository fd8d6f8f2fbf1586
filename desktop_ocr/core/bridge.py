"""A line the detector broke in two with letters left between the pieces: where to read it whole.

The detector can break a line where its letters are faint or blurred (a scanned form skewed by
15 degrees and deskewed: ``OLD GOLD MENTHOL LIGHTS & ULTRA`` and ``100'S-PROGRESS REPORT`` boxed
apart, the ``LIGHTS`` between them in neither box). The recogniser reads each box and drops the
letter it cuts in half, so the word between them is lost. Such a gap is told from the space
between two fields of a form by its ink: the detector's boxes reach past their letters by its
margin, so a gap between two boxes on one row is blank paper unless letters were left out. A
table's ruled line between two cells is ink too, but it crosses the row from top to bottom, where
letters stay inside the detector's margin; and a shaded cell is as dark above or below the row as
in it, where letters leave the paper light.

Pure functions on an image and line boxes, no Qt, no models: the engine reads the two pieces
together and keeps that reading only where it says more than the two did, and what they said at
either end (engine._bridge).
"""

from __future__ import annotations

import numpy as np

from .boxes import Box, level
from .rowsplit import ink

#: two boxes are pieces of one row when their heights differ by at most this factor and each
#: spans this share of the shorter one's height
BRIDGE_HEIGHTS = 1.5
BRIDGE_ROW = 0.7
#: and the gap between them is at most this many of the shorter one's heights
BRIDGE_GAP = 3.0
#: a gap holds letters when this share of its columns of pixels have ink in the row's middle half
BRIDGE_INK = 0.5
#: a gap narrower than this many of the row's heights holds no letter (the detector's boxes reach
#: past their letters by about a fifth of a height each; two cells' boxes either side of a ruled
#: line stand a few pixels apart, the rule between them)
BRIDGE_MIN_GAP = 0.3
#: a column dark on this share of the rows the two boxes share is a ruled line or a border: a
#: letter stays inside the detector's margin above and below it
BRIDGE_RULE = 0.9
#: letters leave the paper above and below their row light (but for a rule under them: a row or
#: two): a gap whose rows above the row, or below it, are dark (median, rules left out) on this
#: share of how dark its middle half's are is a shaded cell's halftone or a picture, not letters
BRIDGE_SHADE = 0.5
#: the pieces read together say at least this many characters more than apart: letters were
#: left between them (a ruled line read as ``|`` is one)
BRIDGE_MORE = 2


def row_pairs(boxes: list[Box]) -> list[tuple[int, int]]:
    """(i, j) for each box ``i`` (x0, y0, x1, y1) and the box ``j`` next after it to its right on
    the same row, with a gap of at most BRIDGE_GAP heights between them and no other box in it;
    each box in one pair at most, left to right."""
    used: set[int] = set()
    out = []
    for i in sorted(range(len(boxes)), key=lambda k: boxes[k][0]):
        if i in used:
            continue
        a = boxes[i]
        best = None
        for j, b in enumerate(boxes):
            if j == i or j in used or b[0] < a[2]:
                continue
            if not level(a, b, BRIDGE_HEIGHTS, BRIDGE_ROW):
                continue
            if b[0] - a[2] > BRIDGE_GAP * min(a[3] - a[1], b[3] - b[1]):
                continue
            if best is None or b[0] < boxes[best][0]:
                best = j
        if best is None:
            continue
        b = boxes[best]
        y0, y1 = max(a[1], b[1]), min(a[3], b[3])
        if any(k not in (i, best) and c[2] > a[2] and c[0] < b[0] and c[3] > y0 and c[1] < y1
               for k, c in enumerate(boxes)):
            continue  # another box stands in the gap
        used.update((i, best))
        out.append((i, best))
    return out


def gap_ink(image: np.ndarray, a: Box, b: Box) -> float:
    """The share of the columns of pixels between box ``a`` and box ``b`` to its right (in
    ``image``, grey or BGR) that hold letters: ink in the middle half of the rows the two share,
    in a column that is not a ruled line (BRIDGE_RULE); 0 for a gap under BRIDGE_MIN_GAP heights
    (or 2 px) wide, or one shaded as dark outside the row as in it (BRIDGE_SHADE)."""
    ih, iw = image.shape[:2]
    y0, y1 = max(a[1], b[1]), min(a[3], b[3])
    h = y1 - y0
    g0, g1 = int(np.ceil(a[2])), int(np.floor(b[0]))
    if h < 4 or g1 - g0 < max(2.0, BRIDGE_MIN_GAP * h) or g0 < 0 or g1 > iw:
        return 0.0
    x0, x1 = max(0, int(a[0])), min(iw, int(np.ceil(b[2])))
    top, bottom = max(0, int(y0 - h / 2)), min(ih, int(np.ceil(y1 + h / 2)))
    mask = ink(np.ascontiguousarray(image[top:bottom, x0:x1]))  # Otsu's level over both pieces
    gap = mask[:, g0 - x0:g1 - x0]
    m0, m1 = int(y0 + h / 4) - top, int(np.ceil(y1 - h / 4)) - top
    letters = gap[m0:m1].sum(axis=0) >= max(2, 0.1 * (m1 - m0))
    rule = gap[int(y0) - top:int(np.ceil(y1)) - top].mean(axis=0) >= BRIDGE_RULE
    if not (letters & ~rule).any():
        return 0.0
    dark = gap[:, ~rule].mean(axis=1)  # each row's share of ink
    middle = float(dark[m0:m1].mean())
    if any(len(side) and float(np.median(side)) >= BRIDGE_SHADE * middle
           for side in (dark[:max(0, int(y0) - top)], dark[int(np.ceil(y1)) - top:])):
        return 0.0  # as dark above or below the row as in it: a shaded cell, a picture
    return float((letters & ~rule).mean())
