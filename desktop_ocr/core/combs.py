"""Comb fields: a number written one character per cell (an ID number, a postcode, a date in boxes).

The detector finds such a field as one box per cell or per few cells, split by the cells' borders,
and a user copying the number would get eighteen lines of one or two digits. ``comb_runs`` finds
the pieces that are one field, to be reported as one line:

* each piece reads one to ``MAX_PIECE`` letters or digits;
* the pieces stand in one row, about as tall as each other, left to right, each at most
  ``MAX_GAP`` of their height from the next;
* a cell's border (a dark column through the pieces' whole height) stands between every two;
* the characters are evenly spaced (``PITCH_SPREAD``), as the cells are;
* there are at least ``MIN_PIECES`` pieces with ``MIN_CHARS`` characters in all.

Digits in a table's cells are not a field: a table's columns are wider than the digits' height
(``MAX_GAP``) or uneven. Digits spaced without borders are not one either (the two numbers of
``5 月 6 日`` are separate words). Qt-free: numpy and cv2 only; boxes are axis-aligned
``(left, top, right, bottom)`` in the image the lines were read in.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

import cv2
import numpy as np

from .boxes import Box, level
from .model import unspaced

#: a piece of a field reads at most this many characters (cells the detector did not split)
MAX_PIECE = 3
#: pieces of one field: at least this many, with at least MIN_CHARS characters
MIN_PIECES = 4
MIN_CHARS = 6
#: the space between two pieces' boxes, at most this share of their height
MAX_GAP = 1.5
#: two pieces share a row when their boxes overlap by this share of the lower one's height,
#: and are alike when the taller is at most HEIGHT_RATIO times the shorter
ROW_OVERLAP = 0.6
HEIGHT_RATIO = 1.5
#: a border: a column of the gap dark over this share of the two pieces' rows
BORDER_COVER = 0.9
#: each piece's distance to the next per character, within this share of the field's median (typed
#: digits sit off the middle of their cells: 28-50 px around 42 on a scanned form)
PITCH_SPREAD = 0.5

def is_piece(text: str) -> bool:
    """Whether a line's text could be a piece of a field: 1..MAX_PIECE ASCII letters or digits."""
    t = unspaced(text)
    return 0 < len(t) <= MAX_PIECE and t.isascii() and t.isalnum()


def _same_row(a: Box, b: Box) -> bool:
    return level(a, b, HEIGHT_RATIO, ROW_OVERLAP)


def _dark(gray: np.ndarray) -> np.ndarray:
    """Dark pixels of a grey crop (Otsu), as 0/1; the lesser class is the print."""
    _, dark = cv2.threshold(np.ascontiguousarray(gray, dtype=np.uint8), 0, 1,
                            cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return dark if dark.mean() < 0.5 else 1 - dark


def has_border(gray: np.ndarray, a: Box, b: Box) -> bool:
    """Whether a cell's border stands between box ``a`` and box ``b`` (a left of b) in ``gray``: a
    column between them (their facing quarters included: a grown box can take the border in)
    dark over BORDER_COVER of the rows the two boxes span; a column one pixel either side counts
    too (a border not quite upright). A letter's stem is as tall as the print, not the box."""
    h = min(a[3] - a[1], b[3] - b[1])
    x0 = int(max(0, np.floor(a[2] - 0.25 * h)))
    x1 = int(min(gray.shape[1], np.ceil(b[0] + 0.25 * h)))
    y0 = int(max(0, np.floor(min(a[1], b[1]))))
    y1 = int(min(gray.shape[0], np.ceil(max(a[3], b[3]))))
    if x1 - x0 < 1 or y1 - y0 < 4:
        return False
    # Otsu over the two pieces and the gap, so the print and the paper are both in the sample
    lx0 = int(max(0, np.floor(a[0])))
    lx1 = int(min(gray.shape[1], np.ceil(b[2])))
    ink = _dark(gray[y0:y1, lx0:lx1])[:, x0 - lx0:x1 - lx0]
    near = cv2.dilate(ink, np.ones((1, 3), np.uint8))  # a border one pixel off upright
    return bool((near.mean(axis=0) >= BORDER_COVER).any())


def comb_runs(boxes: Sequence[Box], texts: Sequence[str], gray: np.ndarray) -> list[list[int]]:
    """The fields among the lines (``boxes`` and ``texts`` alike indexed; ``gray``: the image they
    were read in, one channel): lists of indices, each a field's pieces left to right."""
    pieces = sorted((i for i, t in enumerate(texts) if is_piece(t)), key=lambda i: boxes[i][0])
    chains: list[list[int]] = []
    for i in pieces:
        b = boxes[i]
        for chain in chains:
            last = boxes[chain[-1]]
            h = min(last[3] - last[1], b[3] - b[1])
            if _same_row(last, b) and -0.5 * h <= b[0] - last[2] <= MAX_GAP * h \
                    and not _between(boxes, chain[-1], i):
                chain.append(i)
                break
        else:
            chains.append([i])
    runs = []
    for chain in chains:
        for run in _split_at_borders(chain, boxes, gray):
            chars = [len(unspaced(texts[i])) for i in run]
            if len(run) >= MIN_PIECES and sum(chars) >= MIN_CHARS and _even(run, chars, boxes):
                runs.append(run)
    return runs


def _between(boxes: Sequence[Box], i: int, j: int) -> bool:
    """Whether another line stands in the row between box ``i`` and box ``j`` (a word between
    two digits ends a field)."""
    a, b = boxes[i], boxes[j]
    return any(k not in (i, j) and _same_row(a, c) and a[2] <= (c[0] + c[2]) / 2.0 <= b[0]
               for k, c in enumerate(boxes))


def _split_at_borders(chain: list[int], boxes: Sequence[Box], gray: np.ndarray) -> list[list[int]]:
    """A chain cut wherever no border stands between two of its pieces."""
    out = [[chain[0]]]
    for i, j in zip(chain, chain[1:]):
        if has_border(gray, boxes[i], boxes[j]):
            out[-1].append(j)
        else:
            out.append([j])
    return out


def _even(run: list[int], chars: list[int], boxes: Sequence[Box]) -> bool:
    """Whether the run's characters are evenly spaced: each piece's centre to the next's, per
    character between them, within PITCH_SPREAD of the median."""
    centres = [(boxes[i][0] + boxes[i][2]) / 2.0 for i in run]
    pitches = [(c1 - c0) / ((n0 + n1) / 2.0) for c0, c1, n0, n1 in zip(centres, centres[1:], chars, chars[1:])]
    mid = statistics.median(pitches)
    return mid > 0 and all(abs(p - mid) <= PITCH_SPREAD * mid for p in pitches)
