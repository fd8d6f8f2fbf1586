"""Two rows of text boxed as one line: where to cut a line's box between its rows.

The detector can box two short rows standing close as one line: a form's label set in two rows
of spaced characters (``学  历`` over ``学  位``), or a cell's ``全日制`` over ``教育``, the gap
between the rows narrower than the gap between the characters. The recogniser reads such a crop
as one of its rows, and the other is lost. Across a box of two rows, the ink's profile shows two
bands as tall as a row each with empty rows of pixels between them; a line of one row has one
band (its characters' strokes overlap in height). One character may show two (吕), so the engine
cuts no line read as one character.

Pure functions on a line's crop and its frame (top-left, top-right, bottom-right, bottom-left,
as the crop was cut), no Qt, no models: the engine reads the rows and keeps them only where
they say more than the line did (engine._split_rows).
"""

from __future__ import annotations

import cv2
import numpy as np

from .vertical import runs

#: a line's box is looked at when at least this many times as tall as the page's lines across
#: are (median): a box of two rows is about twice as tall as one of them
SPLIT_TALL = 1.5
#: a row of pixels is ink where over this share of its pixels are (a speck or a stray dot
#: between the rows is not)
SPLIT_INK = 0.02
#: a band of ink is a row of text when at least this share of the box's height (二's strokes, a
#: neighbour's descenders reaching in are less)
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


def row_bands(spans: list[tuple[int, int]], height: int) -> list[tuple[int, int]]:
    """The runs (ink_runs) at least SPLIT_BAND of a crop of ``height`` px tall: its rows of text."""
    return [(a, b) for a, b in spans if b - a >= SPLIT_BAND * height]


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
