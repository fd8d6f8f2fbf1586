"""A detected line's frame: its box in the working image, four corners (top-left, top-right,
bottom-right, bottom-left) along and across the line.

The engine crops a line through its frame grown by the detector's margin, reports it tightened to
the box the detector would give at a smaller margin and then fitted to its ink, cuts a line too
long to read at once into pieces, and places each character's box from the recogniser's CTC
columns. Those measures are here: pure functions of a frame and the image it lies on, no models,
no Qt, no state.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from . import rapid
from .model import CharBox, TextLine

#: a box at least 1.5 times as tall as wide (rapid.crop_line reads it turned on its side, cut_turned)
#: and under this many times may be one character or two standing upright (glyph_tall); the
#: engine reads it as it stands too, and ink_box fits no box so tall
GLYPH_TALL = 3.0
#: a line crop is cut into pieces of at most this many of its heights (split_long)
PIECE_RATIO = 30
#: a line's box is fitted to its ink (ink_box) with this margin on every side as a share of the
#: ink's height, and at least INK_MIN_PAD px (a scan's blur at 10 px text): the detector's box is
#: a fixed margin out from a blurred kernel, loose around short lines and single characters (a
#: form's 男 was 38 x 40 px around 21 x 27 px of ink). Measured on the evaluation set: det F1
#: 0.875 -> 0.894, e2e F1 0.760 -> 0.777, the same text read
INK_MARGIN = 0.12
INK_MIN_PAD = 2.0
#: columns of a line's box inked over more than this share of its height, the box taken
#: BORDER_REACH of its height higher and lower, are a cell's border through it, not its text
#: (ink_box): a border runs on past the print, a letter's stem (a lone '1', a 'K' in a tight box)
#: does not
INK_RULE = 0.8
BORDER_REACH = 0.2
#: a run of ink along a line's box this many times as long as the box is high is a rule (ink_box)
RULE_RUN = 4


def _full_width(ch: str) -> bool:
    """A Chinese character or full-width punctuation: a box of the line's height (char_boxes)."""
    return ("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\u3000" <= ch <= "\u303f"
            or "\uff00" <= ch <= "\uffef")


def grow(q: np.ndarray, g: float) -> np.ndarray:
    """A box (4 x 2: top-left, top-right, bottom-right, bottom-left) grown by ``g`` of its
    shorter side on every side, along its own edges."""
    p = np.asarray(q, dtype=np.float64)
    u, v = p[1] - p[0], p[3] - p[0]
    lu, lv = max(float(np.linalg.norm(u)), 1e-6), max(float(np.linalg.norm(v)), 1e-6)
    d = g * min(lu, lv)
    u, v = u / lu * d, v / lv * d
    return np.array([p[0] - u - v, p[1] + u - v, p[2] + u + v, p[3] - u + v], dtype=np.float32)


def glyph_tall(q: np.ndarray) -> bool:
    """Whether a box rapid.crop_line turns (cut_turned) is short enough to be one character or
    two standing upright (a ``$``, ``1``, ``(``: taller than wide), under GLYPH_TALL times as tall
    as wide, rather than a line turned on its side; measured as ink_box measures its frame."""
    w, h = size(q)
    return w > 0 and h < GLYPH_TALL * w


def cut_turned(q: np.ndarray) -> bool:
    """Whether rapid.crop_line turns a box's crop by np.rot90: the box is at least 1.5 times as
    tall as wide (measured as rapidocr measures it)."""
    cw = int(max(np.linalg.norm(q[0] - q[1]), np.linalg.norm(q[2] - q[3])))
    ch = int(max(np.linalg.norm(q[0] - q[3]), np.linalg.norm(q[1] - q[2])))
    return cw > 0 and ch / cw >= 1.5


def tight_inset(frame, grown: float, ratio: float) -> float:
    """How far each side of a detected line's frame (top-left, top-right, bottom-right,
    bottom-left) moves in to be the box the detector gives with unclip ratio ``ratio`` instead of
    ``grown``; 0 for a frame that is not such a box (too small, merged oddly).

    The DB post-processing grows the minimum rectangle of a text kernel (w0 x h0) by
    d = ratio * w0 * h0 / (2 (w0 + h0)) on every side and reports the rectangle around that:
    W = w0 + 2d, H = h0 + 2d. From W and H the kernel's d solves
    (4k - 4) d^2 - k (W + H) d + W H = 0 with k = 2 (1 + 1/grown) (the smaller root); at ``ratio``
    it is d ratio/grown. A 26 px high line moves in by about 1 px per side from 1.6 to 1.4."""
    w, h = size(frame)
    if w < 1.0 or h < 1.0 or ratio >= grown:
        return 0.0
    k = 2.0 * (1.0 + 1.0 / grown)
    a, b = 4.0 * k - 4.0, k * (w + h)
    disc = b * b - 4.0 * a * w * h
    if disc < 0:
        return 0.0
    delta = (b - math.sqrt(disc)) / (2.0 * a) * (1.0 - ratio / grown)
    return delta if 0.0 < delta < min(w, h) / 4.0 else 0.0


def size(frame) -> tuple[float, float]:
    tl, tr, br, bl = (np.asarray(p, dtype=np.float64) for p in frame)
    return float(np.hypot(*((tr - tl) + (br - bl)) / 2.0)), float(np.hypot(*((bl - tl) + (br - tr)) / 2.0))


def inset(frame, along: float, across: float) -> list[tuple[float, float]]:
    """A frame with its ends moved in by ``along`` and its top and bottom by ``across`` pixels."""
    tl, tr, br, bl = (np.asarray(p, dtype=np.float64) for p in frame)
    w, h = size(frame)
    u = ((tr - tl) + (br - bl)) / 2.0 / max(w, 1e-9) * along
    v = ((bl - tl) + (br - tr)) / 2.0 / max(h, 1e-9) * across
    return [(float(p[0]), float(p[1])) for p in (tl + u + v, tr - u + v, br - u - v, bl + u - v)]


def tighten(line: TextLine, grown: float, ratio: float) -> None:
    """Report a detected line as the detector's box at unclip ``ratio`` (REPORT_UNCLIP), which fits
    the printed text; its crop was taken at ``grown``, the margin the recogniser reads best with.
    Its characters' boxes lose the same amount at top and bottom."""
    delta = tight_inset(line.polygon, grown, ratio)
    if delta <= 0.0:
        return
    line.polygon = inset(line.polygon, delta, delta)
    for c in line.chars or []:
        if c.polygon is not None and len(c.polygon) == 4:
            c.polygon = inset(c.polygon, 0.0, delta)


def ink_box(frame, image: np.ndarray) -> tuple[float, float, float, float] | None:
    """Where a horizontal line's ink lies in its box ``frame`` on ``image``: (left, top, right,
    bottom) as fractions of the frame's length and height, with INK_MARGIN (at least INK_MIN_PAD
    px) on every side. Ink is the smaller Otsu class of the box's pixels, without the rules along
    the line (RULE_RUN) and the columns a cell's border crosses (INK_RULE). None where the frame is
    GLYPH_TALL times as tall as wide or more or under 6 px high, or its ink is too little or too
    odd to fit (less than 0.3 of its length or height)."""
    w, h = size(frame)
    if h < 6.0 or h >= GLYPH_TALL * w:
        return None
    quad = np.asarray(frame, dtype=np.float32)
    crop = rapid.crop_line(image, quad)
    if cut_turned(quad):  # a character standing (glyph_tall), its crop turned back as it stands
        crop = np.ascontiguousarray(np.rot90(crop, -1))
    ch, cw = crop.shape[:2]
    if ch < 4:
        return None
    gray = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.ndim == 3 else crop
    level, dark = cv2.threshold(np.ascontiguousarray(gray, dtype=np.uint8), 0, 1,
                                cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    dark_print = dark.mean() < 0.5  # print is the lesser part
    ink = dark if dark_print else 1 - dark
    # a run of ink RULE_RUN times longer than the box is high is a rule along the line (a field's
    # underline, a cell's edge), not text (bold print merged at a low resolution makes runs of 2-3
    # heights); its rows, and the rows next to them (its pieces, where it is not quite parallel to
    # the line), do not count for where the line's ink is
    rule = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, RULE_RUN * ch + 1), np.uint8)).any(axis=1)
    ink[np.convolve(rule, np.ones(3), mode="same") > 0] = 0
    # a cell's border across the line, and the columns beside it (its edge, where it is not quite
    # upright: a third column half covered)
    across = _borders(frame, image, cw, ch, level, dark_print)
    ink[:, np.convolve(across, np.ones(3), mode="same") > 0] = 0
    rows_in = np.flatnonzero(ink.sum(axis=1) >= 2)  # a speck is not a row of ink
    cols_in = np.flatnonzero(ink.sum(axis=0) >= 1)
    if len(rows_in) < 2 or len(cols_in) < 2:
        return None
    r0, r1, c0, c1 = rows_in[0], rows_in[-1] + 1, cols_in[0], cols_in[-1] + 1
    pad = max(INK_MARGIN * (r1 - r0), INK_MIN_PAD)
    top, bottom = max(0.0, r0 - pad) / ch, min(ch, r1 + pad) / ch
    left, right = max(0.0, c0 - pad) / cw, min(cw, c1 + pad) / cw
    if bottom - top < 0.3 or right - left < 0.3:
        return None
    return left, top, right, bottom


def _borders(frame, image: np.ndarray, cw: int, ch: int, level: float, dark_print: bool) -> np.ndarray:
    """Which columns of a line's crop (``cw`` x ``ch``, of ``frame`` on ``image``) a cell's border
    crosses: inked (grey at most ``level``, or above it for light print on dark) over INK_RULE of
    the frame taken BORDER_REACH of its height higher and lower."""
    tl, tr, br, bl = (np.asarray(p, dtype=np.float64) for p in frame)
    down = ((bl - tl) + (br - tr)) / 2.0 * BORDER_REACH
    tall = max(2, int(round(ch * (1.0 + 2.0 * BORDER_REACH))))
    src = np.array([tl - down, tr - down, br + down, bl + down], dtype=np.float32)
    dst = np.array([[0, 0], [cw, 0], [cw, tall], [0, tall]], dtype=np.float32)
    reach = cv2.warpPerspective(image, cv2.getPerspectiveTransform(src, dst), (cw, tall),
                                flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
    gray = cv2.cvtColor(reach, cv2.COLOR_BGR2GRAY) if reach.ndim == 3 else reach
    inked = gray <= level if dark_print else gray > level
    return inked.sum(axis=0) >= INK_RULE * tall


def fit_to(line: TextLine, box: tuple[float, float, float, float]) -> None:
    """Report ``line`` as the part ``box`` (left, top, right, bottom fractions: ink_box) of its
    frame; its characters' boxes take its new top and bottom and stay within its new ends."""
    left, top, right, bottom = box
    tl, tr, br, bl = (np.asarray(p, dtype=np.float64) for p in line.polygon)

    def at(u: float, v: float) -> tuple[float, float]:
        return point((tl + (tr - tl) * u) * (1.0 - v) + (bl + (br - bl) * u) * v)

    along, across = (tr - tl + br - bl) / 2.0, (bl - tl + br - tr) / 2.0
    to_uv = np.linalg.pinv(np.column_stack([along, across]))
    for c in line.chars or []:  # within the line's new ends; its new top and bottom
        if c.polygon is not None and len(c.polygon) == 4:
            u = np.clip([(to_uv @ (np.asarray(q, dtype=np.float64) - tl))[0] for q in c.polygon], left, right)
            c.polygon = [at(u[0], top), at(u[1], top), at(u[2], bottom), at(u[3], bottom)]
    line.polygon = [at(left, top), at(right, top), at(right, bottom), at(left, bottom)]


def point(p: np.ndarray) -> tuple[float, float]:
    return (round(float(p[0]), 1), round(float(p[1]), 1))


def split_long(crop: np.ndarray) -> list[tuple[float, float, str]]:
    """Cut a line crop (longer than the engine's MAX_LINE_RATIO heights) into pieces of at most PIECE_RATIO, each
    cut at the emptiest column in the last third of its piece. Returns (u0, u1, separator) per
    piece, u as a fraction of the crop's width; the separator is a space where the cut fell in a
    gap wider than a third of the line's height, else empty."""
    h, w = crop.shape[:2]
    gray = crop.mean(axis=2) if crop.ndim == 3 else crop.astype(np.float64)
    ink = np.abs(gray - np.median(gray)).mean(axis=0)
    quiet = ink <= 0.1 * max(1e-6, float(ink.max()))
    longest = int(PIECE_RATIO * h)
    cuts, seps = [0], [""]
    while w - cuts[-1] > longest:
        lo, hi = cuts[-1] + (2 * longest) // 3, cuts[-1] + longest
        c = lo + int(np.argmin(ink[lo:hi]))
        run_lo, run_hi = c, c
        while run_lo > cuts[-1] and quiet[run_lo - 1]:
            run_lo -= 1
        while run_hi < w - 1 and quiet[run_hi + 1]:
            run_hi += 1
        cuts.append(c)
        seps.append(" " if quiet[c] and run_hi - run_lo + 1 >= h / 3 else "")
    cuts.append(w)
    return [(cuts[i] / w, cuts[i + 1] / w, seps[i]) for i in range(len(cuts) - 1)]


def sub_frame(frame, u0: float, u1: float) -> list[np.ndarray]:
    """The part of a line frame (top-left, top-right, bottom-right, bottom-left) between the
    fractions u0 and u1 of its length."""
    tl, tr, br, bl = (np.asarray(p, dtype=np.float64) for p in frame)
    return [tl + (tr - tl) * u0, tl + (tr - tl) * u1, bl + (br - bl) * u1, bl + (br - bl) * u0]


def char_boxes(text: str, info, frame, line_score: float) -> list[CharBox] | None:
    """Per-character boxes from the recogniser's CTC columns.

    Chinese characters get one box each; runs of Latin letters/digits (rapidocr's "words",
    split at spaces and script changes) get one box per word. Positions come from the CTC
    column of each character, widths from the neighbouring columns capped by the line height.
    """
    if info is None or not getattr(info, "words", None) or not info.line_txt_len:
        return None
    confs = list(info.confs) if len(info.confs) == len(text) else None
    nonspace_conf = [c for ch, c in zip(text, confs) if not ch.isspace()] if confs else None
    cols = [c for wc in info.word_cols for c in wc]
    flat = [ch for word in info.words for ch in word]
    if len(cols) != len(flat):
        return None
    tl, tr, br, bl = (np.asarray(p, dtype=np.float64) for p in frame)
    width = max(1.0, float(np.linalg.norm(tr - tl)))
    height = max(1.0, float(np.linalg.norm(bl - tl)))
    n = float(info.line_txt_len)
    centres = [(c + 0.5) / n for c in cols]
    spans = []
    for i, ch in enumerate(flat):
        half = (1.0 if _full_width(ch) else 0.6) * height / width * 0.5
        lo = centres[i] - half * 1.1
        hi = centres[i] + half * 1.1
        if i > 0:
            lo = max(lo, (centres[i - 1] + centres[i]) / 2.0)
        if i + 1 < len(flat):
            hi = min(hi, (centres[i] + centres[i + 1]) / 2.0)
        spans.append((max(0.0, lo), min(1.0, hi)))

    def quad(u0: float, u1: float) -> list[tuple[float, float]]:
        a = tl + (tr - tl) * u0
        b = tl + (tr - tl) * u1
        c = bl + (br - bl) * u1
        d = bl + (br - bl) * u0
        return [(float(p[0]), float(p[1])) for p in (a, b, c, d)]

    out: list[CharBox] = []
    k = 0
    for word, wtype in zip(info.words, info.word_types):
        idx = list(range(k, k + len(word)))
        k += len(word)
        scores = [nonspace_conf[i] for i in idx] if nonspace_conf else [line_score] * len(idx)
        if getattr(wtype, "value", "") == "cn":
            for i, s in zip(idx, scores):
                out.append(CharBox(text=flat[i], score=float(min(1.0, max(0.0, s))), polygon=quad(*spans[i])))
        else:
            s = float(np.mean(scores))
            out.append(CharBox(text="".join(flat[i] for i in idx), score=min(1.0, max(0.0, s)),
                               polygon=quad(spans[idx[0]][0], spans[idx[-1]][1])))
    return out
