"""Vertical writing: columns of upright characters stacked top to bottom, read right to left.

The detector finds such a column as one tall box, the same shape as a line of a page turned by
90 degrees; the recogniser only reads horizontal lines. A turned line is made horizontal by turning
its crop (rapid.crop_line), which would lay the upright characters of a column on their sides. A
column is instead cut into character cells, and the cells are pasted side by side, still upright,
into one horizontal line image that the same recogniser reads:

* ``column_crop``: the box rectified upright (not turned), with the matrix back to image pixels;
* ``cells``: where one character ends and the next begins: the ink profile along the column, its
  pieces merged (closest first) while the merged piece stays about as tall as the column's ink is
  wide (二, 三 and 八 are several pieces), a piece much taller cut at the emptiest rows near a
  regular pitch (touching characters);
* ``stack``: the cells side by side, each trimmed to its own ink width (a digit is narrow) and
  centred on the line's height, with a ``CellMap`` from line positions back to the column;
* ``CellMap.column_quad``: a span of the line (a character the recogniser placed there) as a
  quad of the column in image pixels, for per-character boxes.

Whether a page's tall boxes are columns or turned lines is decided by the engine from readings of
a few of them (``looks_vertical``); this module only holds the geometry. Qt-free, numpy and cv2.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from .model import unspaced
from .rotation import apply_matrix, order_quad

#: a box at least this many times as tall as wide is a column (or a turned line): rapid.crop_line's
#: own rule for turning a crop
TALL_RATIO = 1.5
#: the vertical-writing check runs only on a page with at least this many tall boxes
MIN_COLUMNS = 2
#: pieces are merged while the cell stays within this many character sizes
MERGE_LIMIT = 1.15
#: a cell padding on each side, as a share of the character size
PAD = 0.12


def box_size(quad: np.ndarray) -> tuple[float, float]:
    """(width, height) of a detected box: its first edge and its second, the longer of each pair
    (the measure rapid.crop_line and the engine use)."""
    p = np.asarray(quad, dtype=np.float64)
    w = max(float(np.linalg.norm(p[0] - p[1])), float(np.linalg.norm(p[2] - p[3])))
    h = max(float(np.linalg.norm(p[0] - p[3])), float(np.linalg.norm(p[1] - p[2])))
    return w, h


def is_tall(quad: np.ndarray) -> bool:
    """Whether a detected box is a candidate column: upright-ish and TALL_RATIO times as tall as
    wide (the boxes rapid.crop_line turns)."""
    w, h = box_size(quad)
    return w > 0 and h / w >= TALL_RATIO


def column_crop(img: np.ndarray, quad: np.ndarray, max_ratio: float | None = None
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The column rectified upright: (crop, 3x3 matrix from crop pixels to ``img`` pixels, the box's
    corners as top-left, top-right, bottom-right, bottom-left). ``max_ratio``: only the column's top,
    at most that many widths long. None when the box is degenerate."""
    pts = np.asarray(quad, dtype=np.float64)
    ordered = pts[order_quad(pts)]
    tl, tr, br, bl = ordered
    if max_ratio is not None:
        keep = min(1.0, max_ratio * np.linalg.norm(tr - tl) / max(1e-6, float(np.linalg.norm(bl - tl))))
        bl, br = tl + (bl - tl) * keep, tr + (br - tr) * keep
        ordered = np.array([tl, tr, br, bl])
    w = int(round(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))))
    h = int(round(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))))
    if w < 4 or h < 4:
        return None
    dst = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    pm = cv2.getPerspectiveTransform(ordered.astype(np.float32), dst)
    crop = cv2.warpPerspective(img, pm, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
    back = cv2.getPerspectiveTransform(dst, ordered.astype(np.float32))
    return crop, back, ordered.astype(np.float32)


def _ink(crop: np.ndarray) -> np.ndarray:
    """Boolean mask of the pixels that differ clearly from the crop's background (its median)."""
    gray = crop.mean(axis=2) if crop.ndim == 3 else crop.astype(np.float64)
    diff = np.abs(gray - np.median(gray))
    top = float(np.percentile(diff, 99.5))
    return diff > max(24.0, 0.4 * top)


def runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of each run of True in a 1-d boolean array (also rules.py's)."""
    padded = np.concatenate([[False], flags.astype(bool), [False]])
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2])]


def longest_band(crop: np.ndarray) -> float:
    """The share of the height the crop's ink spans (its first row of ink to its last) that its
    longest run of rows of ink covers: near 1 for one character standing (an ``!``'s stem and
    dot, 0.75), about half for two rows one over the other; 0.0 for a crop without ink."""
    ink = _ink(crop)
    bands = runs(ink.sum(axis=1) >= max(1, int(0.02 * ink.shape[1])))
    if not bands:
        return 0.0
    return max(b - a for a, b in bands) / float(bands[-1][1] - bands[0][0])


def char_size(crop: np.ndarray) -> float:
    """The character size of a column: the width its ink spans (at least half the crop's width,
    the detector's padding around narrow glyphs), in pixels."""
    ink = _ink(crop)
    h, w = ink.shape
    cols = ink.sum(axis=0) >= max(1, int(0.02 * h))
    xs = np.flatnonzero(cols)
    span = float(xs[-1] - xs[0] + 1) if xs.size else float(w)
    return max(0.5 * w, min(float(w), span))


def _grid(blank: np.ndarray, top: int, bottom: int, s: float) -> list[int] | None:
    """Cuts of a regular character pitch (printed CJK is set on a grid) between ``top`` and
    ``bottom``: the pitch from 0.85 to 1.6 character sizes, and the phase, whose cuts all fall on
    blank rows with the widest margin; None when no pitch fits (proportional or irregular text)."""
    n_rows = blank.size
    best: tuple[int, float, float] | None = None  # (phase window, -pitch, phase)
    extent = bottom - top
    for pitch in np.arange(max(4.0, 0.85 * s), 1.6 * s + 0.25, 0.5):
        if extent < 1.5 * pitch:
            break
        ks = np.arange(1, int(extent // pitch) + 1)
        phases = np.arange(0.0, pitch, 1.0)
        cuts = np.rint(top + phases[:, None] - pitch * 0.5 + ks[None, :] * pitch).astype(int)
        inside = (cuts > top) & (cuts < bottom)
        ok = blank[np.clip(cuts, 0, n_rows - 1)] | ~inside
        good = ok.all(axis=1) & (inside.sum(axis=1) >= 1)
        spans = runs(good)
        if not spans:
            continue
        a, b = max(spans, key=lambda r: r[1] - r[0])
        key = (b - a, -float(pitch), float(phases[(a + b - 1) // 2]))
        if best is None or key[:2] > best[:2]:
            best = key
    if best is None:
        return None
    pitch, phase = -best[1], best[2]
    out = [int(round(top + phase - pitch * 0.5 + k * pitch)) for k in range(1, int(extent // pitch) + 1)]
    return [c for c in out if top < c < bottom]


def cells(crop: np.ndarray) -> list[tuple[int, int]]:
    """Character cells of an upright column crop, top to bottom: [y0, y1) row ranges that together
    cover the column's ink (cut in the gaps between characters).

    Text on a regular pitch is cut on that grid (a small punctuation mark keeps its own cell,
    二 and 三 are not split); otherwise the ink profile's pieces are merged, closest first, while
    the merged piece stays about one character tall, and a piece much taller is cut at the
    emptiest rows near a regular pitch (touching characters)."""
    h, w = crop.shape[:2]
    s = char_size(crop)
    ink = _ink(crop)
    rows = ink.sum(axis=1) >= max(1, int(0.02 * w))
    pieces = [list(r) for r in runs(rows)]
    if not pieces:
        return [(0, h)]
    pad = int(round(PAD * s))
    top, bottom = pieces[0][0], pieces[-1][1]
    blank = ~rows
    blank = blank | np.concatenate([[False], blank[:-1]]) | np.concatenate([blank[1:], [False]])
    grid = _grid(blank, top, bottom, s)
    if grid is not None:
        bounds = [max(0, top - pad), *grid, min(h, bottom + pad)]
        return [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]
    # closest pieces first, while the merged piece stays about one character tall
    limit = MERGE_LIMIT * s
    while len(pieces) > 1:
        gaps = [(pieces[i + 1][0] - pieces[i][1], i) for i in range(len(pieces) - 1)
                if pieces[i + 1][1] - pieces[i][0] <= limit]
        if not gaps:
            break
        _, i = min(gaps)
        pieces[i] = [pieces[i][0], pieces[i + 1][1]]
        del pieces[i + 1]
    profile = ink.sum(axis=1)
    split: list[list[int]] = []
    for a, b in pieces:
        n = int(round((b - a) / s))
        if n >= 2 and (b - a) > 1.5 * s:
            pitch = (b - a) / n
            cuts = [a]
            for k in range(1, n):
                c = int(round(a + k * pitch))
                lo, hi = max(cuts[-1] + 1, c - int(0.2 * pitch)), min(b - 1, c + int(0.2 * pitch) + 1)
                if hi > lo:
                    c = lo + int(np.argmin(profile[lo:hi]))
                cuts.append(c)
            cuts.append(b)
            split += [[cuts[k], cuts[k + 1]] for k in range(n)]
        else:
            split.append([a, b])
    bounds = [max(0, top - pad)] + [(split[i][1] + split[i + 1][0]) // 2 for i in range(len(split) - 1)] \
        + [min(h, bottom + pad)]
    return [(bounds[i], bounds[i + 1]) for i in range(len(split))]


@dataclass(frozen=True)
class CellMap:
    """Where each cell of a column went in its stacked line: per cell (x0, x1) in the line image and
    (y0, y1) in the column crop; ``back`` maps column-crop pixels to image pixels, ``width`` is the
    column crop's width."""

    line_spans: tuple[tuple[float, float], ...]
    column_spans: tuple[tuple[float, float], ...]
    back: np.ndarray
    width: float

    def column_rows(self, x0: float, x1: float) -> tuple[float, float]:
        """The column rows [y0, y1) holding the line span [x0, x1): the cells it covers (a cell
        counts when the span holds its centre, or the span lies inside it)."""
        hit = [k for k, (a, b) in enumerate(self.line_spans) if x0 <= (a + b) / 2.0 < x1]
        if not hit:
            centre = (x0 + x1) / 2.0
            hit = [min(range(len(self.line_spans)),
                       key=lambda k: abs((self.line_spans[k][0] + self.line_spans[k][1]) / 2.0 - centre))]
        return self.column_spans[hit[0]][0], self.column_spans[hit[-1]][1]

    def column_quad(self, x0: float, x1: float) -> list[tuple[float, float]]:
        """The part of the column holding the line span [x0, x1), in image pixels: top-left,
        top-right, bottom-right, bottom-left of the column as it stands."""
        y0, y1 = self.column_rows(x0, x1)
        pts = np.array([[0.0, y0], [self.width, y0], [self.width, y1], [0.0, y1]])
        return [(float(x), float(y)) for x, y in _perspective(pts, self.back)]


def _perspective(points: np.ndarray, m: np.ndarray) -> np.ndarray:
    """(n, 2) points through a 3x3 perspective matrix (affine ones via rotation.apply_matrix)."""
    if np.allclose(m[2], [0.0, 0.0, 1.0]):
        return apply_matrix(points, m)
    p = np.hstack([points, np.ones((len(points), 1))]) @ m.T
    return p[:, :2] / p[:, 2:3]


def stack(crop: np.ndarray, spans: Sequence[tuple[int, int]], back: np.ndarray) -> tuple[np.ndarray, CellMap]:
    """The cells of an upright column crop side by side in one horizontal line image (upright, in
    reading order), each trimmed to its own ink width plus a little padding and centred on the
    line's height; and the CellMap back to the column (``back``: column crop to image pixels)."""
    h, w = crop.shape[:2]
    s = char_size(crop)
    pad = max(1, int(round(PAD * s)))
    ink = _ink(crop)
    bg = np.median(crop.reshape(-1, crop.shape[2]), axis=0).astype(crop.dtype) if crop.ndim == 3 \
        else np.median(crop).astype(crop.dtype)
    pieces = []
    for y0, y1 in spans:
        xs = np.flatnonzero(ink[y0:y1].any(axis=0))
        if xs.size:
            x0, x1 = max(0, int(xs[0]) - pad), min(w, int(xs[-1]) + 1 + pad)
        else:
            x0, x1 = 0, w
        pieces.append(crop[y0:y1, x0:x1])
    line_h = max(p.shape[0] for p in pieces)
    total = sum(p.shape[1] for p in pieces)
    line = np.empty((line_h, total) + crop.shape[2:], dtype=crop.dtype)
    line[...] = bg
    line_spans, x = [], 0
    for p in pieces:
        top = (line_h - p.shape[0]) // 2
        line[top:top + p.shape[0], x:x + p.shape[1]] = p
        line_spans.append((float(x), float(x + p.shape[1])))
        x += p.shape[1]
    cmap = CellMap(line_spans=tuple(line_spans), column_spans=tuple((float(a), float(b)) for a, b in spans),
                   back=np.asarray(back, dtype=np.float64), width=float(w))
    return line, cmap


def stacked_line(img: np.ndarray, quad: np.ndarray, limit: int | None = None
                 ) -> tuple[np.ndarray, CellMap, np.ndarray] | None:
    """A detected column box read as vertical writing: (the horizontal line image of its cells, the
    CellMap back to image pixels, the column's corners top-left, top-right, bottom-right,
    bottom-left in image pixels). ``limit``: only the first so many cells. None when the box is
    degenerate."""
    cut = column_crop(img, quad, 1.3 * (limit + 1) if limit else None)
    if cut is None:
        return None
    crop, back, corners = cut
    spans = cells(crop)
    line, cmap = stack(crop, spans[:limit] if limit else spans, back)
    return line, cmap, corners


# --------------------------------------------------------------------------------------------
# the page-level decision: columns of upright characters, or lines of a page turned by 90
# --------------------------------------------------------------------------------------------
#: tall boxes whose readings decide (the tallest); each read up to SAMPLE_CELLS characters
SAMPLE_COLUMNS = 3
SAMPLE_CELLS = 8
#: the stacked readings must average this confidence, most of their characters Chinese
MIN_STACKED = 0.8
#: ... and be within this of the turned reading's mean confidence, which must beat the reading
#: the other way round (a page turned by 270 also reads stacked, backwards) by TURN_MARGIN
STACK_MARGIN = 0.1
TURN_MARGIN = 0.1


def sample(quads: Sequence[np.ndarray]) -> list[np.ndarray]:
    """The tallest SAMPLE_COLUMNS tall boxes, or none when the page has fewer than MIN_COLUMNS tall
    boxes (pure geometry: a page without columns pays nothing more)."""
    if len(quads) < MIN_COLUMNS:
        return []
    p = np.asarray([np.asarray(q, dtype=np.float64)[:4] for q in quads])  # one array pass, no loop
    w = np.maximum(np.linalg.norm(p[:, 0] - p[:, 1], axis=1), np.linalg.norm(p[:, 2] - p[:, 3], axis=1))
    h = np.maximum(np.linalg.norm(p[:, 0] - p[:, 3], axis=1), np.linalg.norm(p[:, 1] - p[:, 2], axis=1))
    tall_idx = np.flatnonzero((w > 0) & (h >= TALL_RATIO * np.maximum(w, 1e-9)))
    if tall_idx.size < MIN_COLUMNS:
        return []
    tall = [quads[int(i)] for i in tall_idx]
    return sorted(tall, key=lambda q: -box_size(q)[1])[:SAMPLE_COLUMNS]


def _cjk_share(texts: Sequence[str]) -> float:
    chars = [c for t in texts for c in t if not c.isspace()]
    if not chars:
        return 0.0
    return sum(1 for c in chars if "\u3400" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f") / len(chars)


def plausible(texts: Sequence[str], scores: Sequence[float]) -> bool:
    """Whether the stacked readings of the sample look like columns of upright Chinese: confident
    on average (an empty reading counts 0) and mostly Chinese characters."""
    if not texts:
        return False
    conf = [float(s) if t.strip() else 0.0 for t, s in zip(texts, scores)]
    return float(np.mean(conf)) >= MIN_STACKED and _cjk_share(texts) >= 0.5


def looks_vertical(stacked: Sequence[float], turned: Sequence[float], other: Sequence[float]) -> bool:
    """The decision from the sample's mean confidences read three ways: ``stacked`` (the cells
    upright, side by side), ``turned`` (the crop turned counter-clockwise, as a page turned by 90
    reads) and ``other`` (turned clockwise, as a page turned by 270 reads).

    Measured with PP-OCRv6 (drawn pages and the evaluation set's turned pages): the recogniser
    reads Chinese characters lying on their left side almost as well as upright ones, so columns
    read well both stacked and turned, and badly the other way; a page turned by 90 reads well
    only turned (its characters lie on their right side when stacked); a page turned by 270 reads
    well the other way and stacked (backwards), badly turned."""
    if not stacked or not turned:
        return False
    s, t = float(np.mean(stacked)), float(np.mean(turned))
    o = float(np.mean(other)) if other else 0.0
    return s >= MIN_STACKED and s >= t - STACK_MARGIN and t >= o + TURN_MARGIN


# -- a column of separate characters ----------------------------------------------------------
# A label written vertically with its characters spread over a form cell (二寸照片, 备注) is found
# by the detector as one box per character. The boxes are joined into one column when they are
# alike (the same size), on one axis, close enough (STACK_GAP) and not rows of a table: a table's
# one-character values (男 over 汉) each stand level with their own cell beside them.
#: characters' widths and heights within this factor of each other
STACK_SIZE = 1.35
#: centres off the column's axis by at most this share of the width
STACK_AXIS = 0.3
#: the blank between two characters at most this many character heights
STACK_GAP = 2.5
#: a line this close beside the column (in character widths) that stands level with one of its
#: characters only (half of that character's height, a tenth of any other's) makes it a table's rows
ROW_MATE_REACH = 4.0
#: a box of Chinese characters this many times as tall as wide is a piece of a column
PIECE_TALL = 1.5


def ideograph(c: str) -> bool:
    """A Chinese character (unlike lineframe._full_width, which takes any full-width glyph, punctuation too)."""
    return "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"


def ideographs(text: str, least: int = 1) -> bool:
    """Whether ``text`` (spaces left out) is Chinese characters only, ``least`` of them at least."""
    t = unspaced(text)
    return len(t) >= max(1, least) and all(ideograph(c) for c in t)


def _single_cjk(text: str) -> bool:
    t = text.strip()
    return len(t) == 1 and ideograph(t)


def char_stacks(boxes: Sequence[tuple[float, float, float, float]], texts: Sequence[str]) -> list[list[int]]:
    """Columns of separate characters: lists of indices into ``boxes`` (upright (x0, y0, x1, y1),
    one per line of ``texts``), top to bottom, two or more each, one lone character at least;
    every other line stays as it is. A box PIECE_TALL times as tall as wide or more, of two
    Chinese characters or more, is a piece of the column that the detector found as one box (read
    stacked or turned), and is joined with the lone characters above and below it (学 习 工 over
    作简 over 历: the label 学习工作简历 spread down a form's cell, beside the rows of the history it
    names). Its characters are as tall as it is wide; the whole column, pieces included, is what
    must not stand level with a table's rows."""
    piece = [ideographs(t, 2) and boxes[i][3] - boxes[i][1] >= PIECE_TALL * (boxes[i][2] - boxes[i][0])
             for i, t in enumerate(texts)]
    singles = [i for i, t in enumerate(texts) if _single_cjk(t)]
    if len(singles) < 1 or len(singles) + sum(piece) < 2:  # most pages: nothing to join, nothing to compute
        return []
    cand = sorted(singles + [i for i, p in enumerate(piece) if p], key=lambda i: boxes[i][1])
    tops = [boxes[i][1] for i in cand]

    def size(i: int) -> float:  # a character's height; a column piece's characters are as tall as it is wide
        b = boxes[i]
        return b[2] - b[0] if piece[i] else b[3] - b[1]

    def alike(i: int, j: int) -> bool:
        a, b = boxes[i], boxes[j]
        if not (piece[i] or piece[j]):
            return _alike(a, b)
        aw, bw = a[2] - a[0], b[2] - b[0]
        return min(aw, bw) > 0 and max(aw, bw) <= STACK_SIZE * min(aw, bw) and not (piece[i] and piece[j])

    def below(last: int, taken: set[int]) -> list[int]:
        a = boxes[last]
        aw, ah, step = a[2] - a[0], a[3] - a[1], size(last)
        # only characters starting below a's middle and within reach (a taller one is not alike)
        lo = bisect.bisect_right(tops, a[1] + 0.5 * ah)
        hi = bisect.bisect_right(tops, a[3] + STACK_GAP * STACK_SIZE * step)
        return [j for j in cand[lo:hi] if j not in taken and alike(last, j)
                and boxes[j][1] - a[3] <= STACK_GAP * max(step, size(j))
                and abs((boxes[j][0] + boxes[j][2]) - (a[0] + a[2])) / 2.0
                <= STACK_AXIS * max(aw, boxes[j][2] - boxes[j][0])]

    # (two pieces are never alike: every chain holds a lone character)
    return _chains(cand, boxes, below, lambda chain: True)


def _chains(cand: list[int], boxes: Sequence[tuple[float, float, float, float]],
            below: Callable[[int, set[int]], list[int]], keep: Callable[[list[int]], bool]) -> list[list[int]]:
    """Chains down the page: from each candidate (``cand``, top first) not yet in one, the topmost
    of ``below(last, taken)`` added while there is one; a chain is kept when it has two members or
    more, ``keep`` says so and it is not a table's rows (_table_rows)."""
    arr = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    used: set[int] = set()
    out = []
    for i in cand:
        if i in used:
            continue
        chain = [i]
        while True:
            nxt = below(chain[-1], used | set(chain))
            if not nxt:
                break
            chain.append(min(nxt, key=lambda j: boxes[j][1]))
        used.update(chain)  # a table's column is not tried again from its second row
        if len(chain) >= 2 and keep(chain) and not _table_rows([boxes[j] for j in chain], arr):
            out.append(chain)
    return out


def _alike(a, b) -> bool:
    aw, ah, bw, bh = a[2] - a[0], a[3] - a[1], b[2] - b[0], b[3] - b[1]
    return min(aw, ah, bw, bh) > 0 and max(aw, bw) <= STACK_SIZE * min(aw, bw) \
        and max(ah, bh) <= STACK_SIZE * min(ah, bh)


def _table_rows(chain, boxes: np.ndarray) -> bool:
    """Whether the chain is values (or labels spaced out) in a table's rows: most of its characters,
    two at least, each stand level with a line beside the chain of their own (half of that
    character's height, a tenth of any other's)."""
    c = np.asarray(chain, dtype=np.float64)
    x0, x1 = c[:, 0].min(), c[:, 2].max()
    reach = ROW_MATE_REACH * float((c[:, 2] - c[:, 0]).max())
    near = (boxes[:, 2] >= x0 - reach) & (boxes[:, 0] <= x1 + reach) & ~((boxes[:, 2] > x0) & (boxes[:, 0] < x1)) \
        & (boxes[:, 3] > c[:, 1].min()) & (boxes[:, 1] < c[:, 3].max())
    m = boxes[near]
    if not len(m):
        return False
    # level[i, k]: the share of character k's height that line i covers
    level = np.clip(np.minimum(m[:, 3:4], c[None, :, 3]) - np.maximum(m[:, 1:2], c[None, :, 1]), 0.0, None) \
        / np.maximum(c[None, :, 3] - c[None, :, 1], 1e-6)
    own = np.zeros(len(chain), dtype=bool)
    for row in level:
        k = int(np.argmax(row))
        if row[k] >= 0.5 and np.all(np.delete(row, k) <= 0.1):
            own[k] = True
    return int(own.sum()) >= max(2, 0.5 * len(chain))


# -- a line printed sideways, found in pieces --------------------------------------------------
# A number printed along a page's edge, turned by 90 degrees (a scanned file's Bates number,
# 82200067 down the right margin of the FUNSD forms), is found by the detector one character at a
# time or in a few pieces, each read on its own. Its characters lie on their side, so each one's
# box is wider than tall, and they follow one another closer than the run is wide; a piece of
# several characters is a tall box (read turned, as rapid.crop_line turns a tall crop). A table's
# column of one-digit values is not such a run: its digits stand upright (a box 1.1-1.3 times as
# tall as wide on the SROIE receipts and drawn, where a digit on its side is 0.6-0.75 on the FUNSD
# scans and 0.9-1.03 drawn in a wide font) and each stands level with its row (_table_rows). The
# engine reads a run again as one line, and keeps that reading only where it is sure and better
# than the run's characters read stacked upright.
#: a character lying on its side: its box at most this tall for its width
SIDEWAYS_FLAT = 1.05
#: a piece of several characters: its box at least this tall for its width (rapid.crop_line's rule)
SIDEWAYS_TALL = TALL_RATIO
#: the pieces' widths within this factor of each other (a piece's box has wider margins than a
#: single character's), their centres off the run's axis by at most STACK_AXIS of the width
SIDEWAYS_SIZE = 1.5
#: the blank between two pieces at most this share of the width (touching boxes overlap: negative)
SIDEWAYS_GAP = 0.35
#: a run at least this tall for its width (a line of three characters or more)
SIDEWAYS_RUN = 2.0


def _sideways_piece(box: tuple[float, float, float, float], text: str) -> bool:
    t = text.strip()
    w, h = box[2] - box[0], box[3] - box[1]
    if not t or w <= 0 or _cjk_share([t]) > 0:
        return False
    return h <= SIDEWAYS_FLAT * w if len(t) == 1 else h >= SIDEWAYS_TALL * w


def sideways_runs(boxes: Sequence[tuple[float, float, float, float]], texts: Sequence[str]) -> list[list[int]]:
    """Pieces of one line printed sideways: lists of indices into ``boxes`` (upright (x0, y0, x1, y1),
    one per line of ``texts``), top to bottom, two or more each; every other line stays as it is."""
    cand = sorted((i for i, (b, t) in enumerate(zip(boxes, texts)) if _sideways_piece(b, t)),
                  key=lambda i: boxes[i][1])
    if len(cand) < 2:  # most pages
        return []
    def below(last: int, taken: set[int]) -> list[int]:
        a = boxes[last]
        out = []
        for j in cand:
            b = boxes[j]
            if j in taken or b[1] <= a[1]:
                continue
            wide, narrow = max(a[2] - a[0], b[2] - b[0]), min(a[2] - a[0], b[2] - b[0])
            if wide <= SIDEWAYS_SIZE * narrow and abs((a[0] + a[2]) - (b[0] + b[2])) / 2.0 <= STACK_AXIS * wide \
                    and -0.5 * wide <= b[1] - a[3] <= SIDEWAYS_GAP * wide:
                out.append(j)
        return out

    def line_tall(run: list[int]) -> bool:
        x0, x1 = min(boxes[j][0] for j in run), max(boxes[j][2] for j in run)
        y0, y1 = min(boxes[j][1] for j in run), max(boxes[j][3] for j in run)
        return y1 - y0 >= SIDEWAYS_RUN * (x1 - x0)

    return _chains(cand, boxes, below, line_tall)
