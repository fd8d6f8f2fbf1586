"""Two rows of text boxed as one line, or a label of rows boxed by columns: where to cut a box between its rows.

The detector can box two short rows standing close as one line: a form's label set in two rows
of spaced characters (``学  历`` over ``学  位``), or a cell's ``全日制`` over ``教育``, the gap
between the rows narrower than the gap between the characters. The recogniser reads such a crop
as one of its rows, and the other is lost. Across a box of two rows, the ink's profile shows two
bands as tall as a row each with empty rows of pixels between them; a line of one row has one
band (its characters' strokes overlap in height). One character may show two (吕), so the engine
cuts no line read as one character.

On a skewed page, the detector can box such a label by columns instead, the characters being as
far apart across as the rows are down: a column 学学 as one box, 历 and 位 apart beside it
(grid_groups). The same characters are then said either way; on a page whose lines run across,
the engine reads the label's box by rows, the page's own writing mode.

Pure functions on a line's crop and its frame (top-left, top-right, bottom-right, bottom-left,
as the crop was cut) and on boxes, no Qt, no models: the engine reads the rows and keeps them
only where they say more than the line did (engine._split_rows), or what the columns did
(engine._grid_rows).
"""

from __future__ import annotations

import cv2
import numpy as np

from .model import unspaced
from .vertical import PIECE_TALL, ideographs, runs

#: a line's box is looked at when at least this many times as tall as the page's lines across
#: are (median): a box of two rows is about twice as tall as one of them
SPLIT_TALL = 1.5
#: a row of pixels is ink where over this share of its pixels are (a speck or a stray dot
#: between the rows is not)
SPLIT_INK = 0.02
#: a band of ink is a row of text when at least this share of the height its ink spans, from the
#: top of its first band to the bottom of its last (二's strokes, a neighbour's descenders reaching
#: in are less). Of the ink, not of the crop: a tall box's crop has the detector's margin above and
#: below, and xfund val_5's two-row label skewed by 5 degrees, 25 and 24 px rows in a 103 px crop,
#: was a quarter of it by neither
SPLIT_BAND = 0.25


def ink(crop: np.ndarray) -> np.ndarray:
    """Boolean ink mask of a line's crop (BGR or grey): Otsu's threshold, the minority side
    (dark print on light, or light on dark)."""
    grey = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.ndim == 3 else crop
    _, dark = cv2.threshold(np.ascontiguousarray(grey), 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    mask = dark > 0
    return ~mask if mask.mean() > 0.5 else mask


def ink_runs(crop: np.ndarray) -> list[tuple[int, int]]:
    """[top, bottom) of each run of rows of ink in a line's crop, top down (none in a crop of
    under 4 x 4 px)."""
    mask = ink(crop)
    h, w = mask.shape
    if h < 4 or w < 4:
        return []
    return runs(mask.sum(axis=1) > SPLIT_INK * w)


def row_bands(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The runs (ink_runs, top down) at least SPLIT_BAND of the height all of them span: a crop's
    rows of text."""
    if not spans:
        return []
    extent = spans[-1][1] - spans[0][0]
    return [(a, b) for a, b in spans if b - a >= SPLIT_BAND * extent]


def row_cuts(bands: list[tuple[int, int]], height: int) -> list[float]:
    """Where to cut a crop of ``height`` px with these bands: the middle of each gap between two
    bands, as a share of the height; [] for one band (a line of one row)."""
    return [(b0 + a1) / 2.0 / height for (_, b0), (a1, _) in zip(bands, bands[1:])]


def sub_frame(frame: np.ndarray, v0: float, v1: float) -> np.ndarray:
    """The part of a frame (4 x 2: top-left, top-right, bottom-right, bottom-left) from ``v0`` to
    ``v1`` of its height (shares, top down), in the same corner order."""
    tl, tr, br, bl = (np.asarray(p, dtype=np.float64) for p in frame)
    return np.array([tl + (bl - tl) * v0, tr + (br - tr) * v0, tr + (br - tr) * v1, tl + (bl - tl) * v1],
                    dtype=np.float32)


def sub_frames(frame: np.ndarray, cuts: list[float]) -> list[np.ndarray]:
    """The frame cut across at ``cuts`` (shares of its height, top down): one frame per row."""
    edges = [0.0, *cuts, 1.0]
    return [sub_frame(frame, v0, v1) for v0, v1 in zip(edges, edges[1:])]


def band_aspect(crop: np.ndarray, band: tuple[int, int]) -> float:
    """How long a band's ink runs along the line, in the band's heights (a row of characters set
    at one type size: about its number of type sizes; a character's flattened half: longer
    than the one character read in it)."""
    mask = ink(crop)[band[0]:band[1]]
    cols = np.flatnonzero(mask.any(axis=0))
    if cols.size == 0:
        return 0.0
    return float(cols[-1] - cols[0] + 1) / max(1, band[1] - band[0])


#: a label of spaced characters in two or three rows (学  历 over 学  位) that the detector, on a
#: skewed page, boxes by columns instead: a column piece (a box PIECE_TALL times as tall as wide)
#: of GRID_MAX_ROWS Chinese characters or fewer, with the characters beside it. A character is
#: beside the group when it stands within the piece's height (GRID_SLACK of a character's size
#: above or below) and no more than GRID_GAP of that size from the group across
GRID_MAX_ROWS = 3
GRID_SLACK = 0.3
GRID_GAP = 1.0
#: ... on a page whose lines run across: column pieces GRID_PIECES of its lines across or fewer
GRID_PIECES = 0.25


def grid_groups(boxes: list[tuple[float, float, float, float]], texts: list[str],
                across: list[bool]) -> list[tuple[list[int], int]]:
    """Labels of two or three rows boxed by columns: (indices into ``boxes``, rows) per label, the
    column piece first. ``boxes``: upright (x0, y0, x1, y1) of each line of ``texts``; ``across``:
    whether each is a line read across (not a vertical one). A group is a column piece of 2 to
    GRID_MAX_ROWS Chinese characters and the Chinese characters beside it (singles, or pieces of
    no more characters), each no wider than the piece is, two columns at least; the engine reads
    the group's box row by row and keeps the rows only where they say what the columns did."""
    chars = [unspaced(t) for t in texts]
    pieces = [i for i, (b, t) in enumerate(zip(boxes, chars))
              if across[i] and 2 <= len(t) <= GRID_MAX_ROWS and ideographs(t)
              and b[3] - b[1] >= PIECE_TALL * max(1e-6, b[2] - b[0])]
    if not pieces or len(pieces) > GRID_PIECES * sum(across):
        return []
    used: set[int] = set()
    out = []
    for i in pieces:
        if i in used:
            continue
        x0, y0, x1, y1 = boxes[i]
        size = x1 - x0
        group = [i]
        grown = True
        while grown:
            grown = False
            gx0, gx1 = min(boxes[j][0] for j in group), max(boxes[j][2] for j in group)
            for j, b in enumerate(boxes):
                if (j in group or j in used or not across[j] or not ideographs(chars[j])
                        or len(chars[j]) > len(chars[i]) or b[2] - b[0] > size * (1 + GRID_SLACK)):
                    continue
                if b[1] < y0 - GRID_SLACK * size or b[3] > y1 + GRID_SLACK * size:
                    continue
                if b[0] - gx1 > GRID_GAP * size or gx0 - b[2] > GRID_GAP * size:
                    continue
                group.append(j)
                grown = True
        if len(group) >= 2 and sum(len(chars[j]) for j in group) >= 2 * len(chars[i]):
            used.update(group)
            out.append((group, len(chars[i])))
    return out
