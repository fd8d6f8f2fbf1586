"""Page orientation: 0/90/180/270 rotation plus residual skew, and the exact transforms to undo it.

rapidocr's direction classifier only decides 0 or 180 per text line, so the page-level decision
is ours. It is made from one detection pass (no recognition of the whole page):

1. Line direction. Detected line boxes are rotated rectangles; the direction of their long edges,
   weighted by length and elongation, gives the page's text direction modulo 180 degrees: about
   0 for an upright (or upside-down) page, about 90 for a page turned by 90/270, plus the
   residual skew. A length-weighted median around the histogram mode ignores stray boxes.
2. Which end is up. The candidates left are "direction" and "direction + 180". A sample of the
   longest lines is cropped as the first candidate would read them. When rapidocr's 0/180 line
   classifier (cheap) agrees on nearly all of them with high confidence, that settles it.
   Otherwise the sample is recognised both ways and the candidate with the higher summed
   recognition confidence wins (upside-down text reads with clearly lower confidence). With no
   elongated box at all (single characters) all four quarter turns are tried the same way.
   Upright is the prior: a horizontal-looking page is only turned when the turned reading wins
   by a clear margin (a few blurry words in a street photo must not flip the page).

Angles follow the result model: degrees the text is turned from upright, clockwise positive,
in image coordinates (x right, y down), so a reading direction pointing down is +90.
Transforms are 3x3 matrices in continuous pixel coordinates (a pixel covers [x, x+1)).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from .model import normalize_angle

#: skew below this is reported but the image is not resampled (crops follow the boxes anyway)
MIN_DESKEW = 1.0
#: fewer agreeing lines than this are snapped to the axis when within MIN_DESKEW of it
MIN_SKEW_LINES = 3
#: lines sampled for the up/down decision
SAMPLE_LINES = 10
#: the line classifier alone decides up/down when this share of at least CLS_MIN_LINES sampled
#: lines agree, each with at least CLS_CONFIDENT confidence
CLS_AGREE = 0.8
CLS_MIN_LINES = 4
CLS_CONFIDENT = 0.9
#: mean per-line confidence gain a turned reading needs over the upright one (see the prior below)
PRIOR_MARGIN = 0.1
#: sample crops are cut to this width/height ratio
MAX_SAMPLE_RATIO = 12
#: baseline_angle: trial angles within this many degrees of the box's direction; the band is
#: scaled to at most this many pixels across the line; fewer ink pixels than this say nothing
BASELINE_SPAN = 12.0
BASELINE_THICK = 64.0
BASELINE_MIN_INK = 20
BASELINE_MAX_INK = 20000
#: content_quad: how far (per channel) a pixel may be from the corners' colour and still be the
#: flat fill a turned picture's canvas leaves; the least leg (px) of a corner's wedge
WEDGE_TOL = 4
WEDGE_MIN_LEG = 8
WEDGE_SIDE_INSET = 2
#: a wedge's rows and columns stop being flat on one straight line: this share of them within
#: this many px of it
WEDGE_INLIERS = 0.8
WEDGE_FIT = 2.0
#: where the picture's own pixels have the canvas's colour along its edge (a white sky on a white
#: canvas), rows of the wedge run on past the edge: the edge is fitted again on the rows that do
#: not (at most this many times), and taken where this share of all rows stop on it
WEDGE_REFITS = 4
WEDGE_EDGE_SHARE = 0.5
#: rows and columns of a wedge looked at, at most, each way
WEDGE_SAMPLES = 2048
#: fill_wedges: the wedges repeat the picture's pixels this far inside its edge (past its blend)
WEDGE_INSET = 2.0
WEDGE_BAND = 256
#: a turned picture (content_quad) is a rectangle turned when its four edges agree on the angle
#: within this many degrees and its opposite sides' lengths within this share (plus 2 px)
PICTURE_SQUARE = 0.5
PICTURE_SIDES = 0.01
PICTURE_INSET = 1.0


@dataclass(frozen=True)
class Orientation:
    angle: float  # text turned clockwise from upright, degrees, (-180, 180]
    confident: bool = True

    @property
    def quarter(self) -> int:
        """The multiple of 90 closest to the angle, 0..270."""
        return int(round(self.angle / 90.0)) % 4 * 90

    @property
    def skew(self) -> float:
        """What is left after the quarter turn, about -45..45."""
        return normalize_angle(self.angle - self.quarter)


# --------------------------------------------------------------------------------------------
# transforms
# --------------------------------------------------------------------------------------------
def rotation_matrix(w: int, h: int, angle: float) -> tuple[np.ndarray, int, int]:
    """Matrix turning a w x h image by ``-angle`` (making text turned by ``angle`` upright),
    canvas expanded so nothing is cut; returns (3x3 matrix, new width, new height).
    Exact quarter turns give exact integer canvases."""
    a = normalize_angle(angle)
    q = int(round(a / 90.0)) % 4
    if abs(a - round(a / 90.0) * 90.0) < 1e-9:
        # exact quarter turns: exact matrices, no trig rounding
        if q == 0:
            return np.eye(3), w, h
        if q == 1:  # text points down: turn the image counter-clockwise by 90
            return np.array([[0.0, 1.0, 0.0], [-1.0, 0.0, float(w)], [0.0, 0.0, 1.0]]), h, w
        if q == 2:
            return np.array([[-1.0, 0.0, float(w)], [0.0, -1.0, float(h)], [0.0, 0.0, 1.0]]), w, h
        return np.array([[0.0, -1.0, float(h)], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]), h, w
    t = math.radians(a)
    c, s = math.cos(t), math.sin(t)
    nw = int(math.ceil(abs(w * c) + abs(h * s) - 1e-6))
    nh = int(math.ceil(abs(w * s) + abs(h * c) - 1e-6))
    # p' = R(-t) (p - centre) + new centre; R(-t) = [[c, s], [-s, c]] in y-down coordinates
    rot = np.array([[c, s], [-s, c]])
    centre = np.array([w / 2.0, h / 2.0])
    new_centre = np.array([nw / 2.0, nh / 2.0])
    m = np.eye(3)
    m[:2, :2] = rot
    m[:2, 2] = new_centre - rot @ centre
    return m, nw, nh


def apply_matrix(points: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Map (..., 2) points through a 3x3 affine matrix."""
    pts = np.asarray(points, dtype=np.float64)
    flat = pts.reshape(-1, 2)
    out = flat @ m[:2, :2].T + m[:2, 2]
    return out.reshape(pts.shape)


def whole_pixels(m: np.ndarray) -> bool:
    """Whether ``m`` moves pixels whole (the identity, a quarter turn): ``warp_image`` then copies
    them without resampling, and a crop of its output is as sharp as one of its input."""
    a = m[:2, :2]
    return bool(np.allclose(a, np.round(a)) and np.allclose(m[:2, 2], np.round(m[:2, 2])))


def warp_image(img: np.ndarray, m: np.ndarray, size: tuple[int, int],
               interpolation: int = cv2.INTER_LINEAR, fill: tuple[float, ...] | None = None) -> np.ndarray:
    """Resample ``img`` through matrix ``m`` onto a canvas of ``size`` (w, h).

    Quarter turns use exact array rotations (lossless); other angles cv2.warpAffine with
    ``interpolation`` (bilinear, as the engine deskews), the new corners filled by the page's
    border colour so no dark wedges turn into fake text (or by ``fill``).
    """
    w, h = size
    a = m[:2, :2]
    if whole_pixels(m):
        if np.allclose(a, np.eye(2)):
            return img
        for k in (1, 2, 3):  # np.rot90(img, k) turns the content counter-clockwise by k*90
            rm, _, _ = rotation_matrix(img.shape[1], img.shape[0], 90.0 * k)
            if np.allclose(rm, m):
                return np.ascontiguousarray(np.rot90(img, k))
    # cv2 works in pixel-centre coordinates: p_pix' = A p_pix + (A @ 0.5 + b - 0.5)
    shift = a @ np.array([0.5, 0.5]) + m[:2, 2] - 0.5
    mp = np.hstack([a, shift[:, None]]).astype(np.float64)
    return cv2.warpAffine(img, mp, (w, h), flags=interpolation, borderMode=cv2.BORDER_CONSTANT,
                          borderValue=border_colour(img) if fill is None else fill)


def _flat_run(side: np.ndarray, colour: np.ndarray) -> int:
    """How many pixels from the start of ``side`` (n x channels) are ``colour``, within WEDGE_TOL."""
    off = np.abs(side.astype(np.int16) - colour).max(axis=1) > WEDGE_TOL
    return int(np.argmax(off)) if off.any() else len(side)


def _wedge_edge(view: np.ndarray, colour: np.ndarray, a: int, b: int) -> np.ndarray | None:
    """The straight edge closing the flat wedge in ``view``'s top-left corner, whose legs along the
    top and the left side are about ``a`` and ``b`` px: (a point on it, its direction), fitted to
    where each row and column of the wedge stops being flat; None when those do not lie on one line
    (WEDGE_INLIERS of them within WEDGE_FIT px, or, where the picture's own pixels of the canvas's
    colour carry rows on past its edge, WEDGE_EDGE_SHARE within it and no more than 1 -
    WEDGE_INLIERS short of it): not a wedge."""
    # every row and column of the wedge, or WEDGE_SAMPLES of them on a large image, a band at a
    # time (a turned 20000 px picture's wedge is 10000 px across)
    ys = np.unique(np.linspace(0, b - 1, min(b, WEDGE_SAMPLES)).astype(int))
    xs = np.unique(np.linspace(0, a - 1, min(a, WEDGE_SAMPLES)).astype(int))
    right, low = min(view.shape[1], a + WEDGE_MIN_LEG), min(view.shape[0], b + WEDGE_MIN_LEG)
    pts: list[tuple[float, float]] = []
    for k in range(0, len(ys), WEDGE_BAND):
        off = np.abs(view[ys[k:k + WEDGE_BAND], :right].astype(np.int16) - colour).max(axis=2) > WEDGE_TOL
        pts += [(float(np.argmax(r)), y + 0.5) for y, r in zip(ys[k:k + WEDGE_BAND], off) if r.any()]
    for k in range(0, len(xs), WEDGE_BAND):
        off = np.abs(view[:low, xs[k:k + WEDGE_BAND]].astype(np.int16) - colour).max(axis=2) > WEDGE_TOL
        pts += [(x + 0.5, float(np.argmax(c))) for x, c in zip(xs[k:k + WEDGE_BAND], off.T) if c.any()]
    if len(pts) < 2 * WEDGE_MIN_LEG:
        return None
    pts_a = np.asarray(pts, np.float32)
    use = np.ones(len(pts_a), bool)
    for _ in range(WEDGE_REFITS):
        vx, vy, x0, y0 = cv2.fitLine(pts_a[use], cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
        # each point's distance from the line, positive on the corner's side: a row of the canvas
        # stops being flat at the picture's edge or, where the picture has the canvas's colour
        # there (a white sky on a white canvas), further on, never before it
        side = 1.0 if (0.0 - x0) * vy - (0.0 - y0) * vx >= 0 else -1.0
        dist = ((pts_a[:, 0] - x0) * vy - (pts_a[:, 1] - y0) * vx) * side
        near = np.abs(dist) <= WEDGE_FIT
        if near.mean() >= WEDGE_INLIERS:
            return np.array([[x0, y0], [vx, vy]], np.float64)
        past = dist < -WEDGE_FIT
        if not past.any() or (~past).sum() < 2 * WEDGE_MIN_LEG:
            break
        use = ~past
    if near.mean() >= WEDGE_EDGE_SHARE and (dist > WEDGE_FIT).mean() <= 1.0 - WEDGE_INLIERS:
        return np.array([[x0, y0], [vx, vy]], np.float64)
    return None


def _meet(e: np.ndarray, f: np.ndarray) -> np.ndarray | None:
    """Where two lines (point, direction) cross; None when they are nearly parallel."""
    m = np.stack([e[1], -f[1]], axis=1)
    if abs(np.linalg.det(m)) < 1e-6:
        return None
    t = np.linalg.solve(m, f[0] - e[0])
    return e[0] + t[0] * e[1]


def content_quad(img: np.ndarray) -> np.ndarray | None:
    """The corners (on its top, right, bottom, left side) of a turned picture inside ``img`` when each of
    ``img``'s four corners is a wedge of one flat colour closed by a straight edge, the triangles a
    turned image's canvas leaves (an image editor's, a screenshot's); else None. The edges are
    fitted to where every row and column of each wedge stops being flat, so a few of the
    picture's own pixels of the canvas's colour along an edge do not move them; a page's plain
    margin (flat along a whole side) or a picture framed but not turned is not taken for one."""
    if img.ndim != 3 or min(img.shape[:2]) < 4 * WEDGE_MIN_LEG:
        return None
    h, w = img.shape[:2]
    colour = img[0, 0].astype(np.int16)
    if any(int(np.abs(img[y, x].astype(np.int16) - colour).max()) > WEDGE_TOL
           for y, x in ((0, -1), (-1, 0), (-1, -1))):
        return None
    # the legs measured WEDGE_SIDE_INSET px inside the sides: a picture's corner may reach a side
    # by less than a pixel, blended into its row within WEDGE_TOL (a canvas rounded up to whole px)
    k = WEDGE_SIDE_INSET
    top, bottom, left, right = img[k], img[-1 - k], img[:, k], img[:, -1 - k]
    a_tl, a_tr = _flat_run(top, colour), _flat_run(top[::-1], colour)
    a_bl, a_br = _flat_run(bottom, colour), _flat_run(bottom[::-1], colour)
    b_tl, b_bl = _flat_run(left, colour), _flat_run(left[::-1], colour)
    b_tr, b_br = _flat_run(right, colour), _flat_run(right[::-1], colour)
    legs = [(a_tl, b_tl), (a_tr, b_tr), (a_br, b_br), (a_bl, b_bl)]  # clockwise from top-left
    if min(min(leg) for leg in legs) < WEDGE_MIN_LEG or a_tl + a_tr >= w or a_bl + a_br >= w \
            or b_tl + b_bl >= h or b_tr + b_br >= h:
        return None
    edges = []
    for (a, b), (fy, fx) in zip(legs, [(1, 1), (1, -1), (-1, -1), (-1, 1)]):
        edge = _wedge_edge(img[::fy, ::fx], colour, a, b)  # each corner seen as the top-left one
        if edge is None:
            return None
        if fx < 0:
            edge[0, 0], edge[1, 0] = w - edge[0, 0], -edge[1, 0]
        if fy < 0:
            edge[0, 1], edge[1, 1] = h - edge[0, 1], -edge[1, 1]
        edges.append(edge)
    # the picture's edges, clockwise from its top-left one: its corners where neighbours meet
    corners = [_meet(edges[k - 1], edges[k]) for k in (1, 2, 3, 0)]
    if any(c is None for c in corners):
        return None
    return np.array(corners, np.float64)


def fill_wedges(img: np.ndarray, quad: np.ndarray | None = None) -> np.ndarray:
    """``img`` with a turned picture's flat corner wedges (content_quad, or ``quad`` when it is
    known) filled by its own edge pixels repeated outwards, as if the picture went on; ``img``
    itself when it has none.

    The detector takes a turned picture framed by flat wedges for a block of text: a street photo
    skewed by 5 to 15 degrees on a flat canvas lit 8-30% of its probability map (and was read as one
    line, '恒'), upright 0.2%; the same turns with the picture's edges repeated, 0.2-0.4%. The
    picture's pixels more than WEDGE_INSET inside its edges and every coordinate stay as they were
    (the whole image is resampled, the picture's inside onto itself: one pass, no mask)."""
    quad = content_quad(img) if quad is None else quad
    if quad is None:
        return img
    h, w = img.shape[:2]
    origin, e1, e2 = quad[0], quad[1] - quad[0], quad[3] - quad[0]
    to_uv = np.linalg.inv(np.stack([e1, e2], axis=1))  # canvas offset -> picture's (u, v) in 0..1
    du, dv = WEDGE_INSET / np.linalg.norm(e1), WEDGE_INSET / np.linalg.norm(e2)
    out = np.empty_like(img)
    px = np.arange(w, dtype=np.float32)[None, :] + np.float32(0.5 - origin[0])
    for y0 in range(0, h, WEDGE_BAND):  # a band of rows at a time: the maps stay small on a large image
        py = np.arange(y0, min(h, y0 + WEDGE_BAND), dtype=np.float32)[:, None] + np.float32(0.5 - origin[1])
        u = np.clip(to_uv[0, 0] * px + to_uv[0, 1] * py, du, 1 - du)
        v = np.clip(to_uv[1, 0] * px + to_uv[1, 1] * py, dv, 1 - dv)
        mx = (origin[0] - 0.5 + u * e1[0] + v * e2[0]).astype(np.float32)
        my = (origin[1] - 0.5 + u * e1[1] + v * e2[1]).astype(np.float32)
        out[y0:y0 + len(py)] = cv2.remap(img, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return out


def skew_of(angle: float) -> float:
    """An angle less its nearest quarter turn: -45..45 degrees."""
    return (angle + 45.0) % 90.0 - 45.0


def picture_turn(quad: np.ndarray) -> float | None:
    """The angle (degrees, clockwise, in -45..45: a picture turned by 80 is one turned by -10 and
    then by a quarter, which the page's own orientation finds) by which a picture whose corners
    content_quad found is turned, when it is a rectangle turned (its four edges agree on the
    angle within PICTURE_SQUARE degrees, its opposite sides' lengths within PICTURE_SIDES);
    None for another shape (a photo of a photo, seen in perspective)."""
    q = np.asarray(quad, dtype=np.float64)
    turns, lengths = [], []
    for k in range(4):
        d = q[(k + 1) % 4] - q[k]
        lengths.append(float(np.hypot(*d)))
        turns.append(skew_of(math.degrees(math.atan2(d[1], d[0]))))
    first = turns[0]
    spread = [skew_of(t - first) for t in turns]
    if max(abs(s) for s in spread) > PICTURE_SQUARE:
        return None
    for a, b in ((lengths[0], lengths[2]), (lengths[1], lengths[3])):
        if abs(a - b) > PICTURE_SIDES * max(a, b) + 2.0:
            return None
    return skew_of(first + float(np.mean(spread)))


def turned_picture(img: np.ndarray) -> tuple[float, np.ndarray] | None:
    """A picture turned on a flat canvas (content_quad: an image editor's turn, a screenshot of a
    turned photo) by MIN_DESKEW degrees or more: (the angle it is turned by, picture_turn; its
    corners); None when ``img`` is no such picture."""
    quad = content_quad(img)
    if quad is None:
        return None
    turn = picture_turn(quad)
    if turn is None or abs(turn) < MIN_DESKEW:
        return None
    return turn, quad


def straighten(img: np.ndarray, picture: tuple[float, np.ndarray] | None = None
               ) -> tuple[float, np.ndarray, np.ndarray] | None:
    """A turned picture (turned_picture, or ``picture`` when it is known) cut out and turned upright
    by its own edges: (the angle it was turned by, the matrix from ``img`` to the upright picture,
    the upright picture); None when ``img`` is no such picture. Its edges give its turn exactly,
    where its text lines (a few signs in a street photo) may not. Resampled with Lanczos: the
    picture was resampled once already, by its turn."""
    picture = turned_picture(img) if picture is None else picture
    if picture is None:
        return None
    turn, quad = picture
    t = math.radians(turn)
    c, s = math.cos(t), math.sin(t)
    rot = np.array([[c, s], [-s, c]])  # as rotation_matrix: text turned by ``turn`` made upright
    upright = quad @ rot.T
    # cut PICTURE_INSET px inside its edges, whose pixels the turn blended with the canvas
    low, high = upright.min(axis=0) + PICTURE_INSET, upright.max(axis=0) - PICTURE_INSET
    w, h = (int(round(v)) for v in high - low)
    if min(w, h) < 4 * WEDGE_MIN_LEG:
        return None
    m = np.eye(3)
    m[:2, :2] = rot
    m[:2, 2] = -low
    return turn, m, warp_image(img, m, (w, h), interpolation=cv2.INTER_LANCZOS4)


def border_colour(img: np.ndarray) -> tuple[float, ...]:
    """The median colour of an image's outermost pixels (the page's own background, usually)."""
    border = np.concatenate([img[0], img[-1], img[:, 0], img[:, -1]]).reshape(-1, img.shape[2])
    return tuple(float(v) for v in np.median(border, axis=0))


# --------------------------------------------------------------------------------------------
# estimation
# --------------------------------------------------------------------------------------------
def _edges(quad: np.ndarray) -> tuple[float, float, float]:
    """(long-edge direction mod 180 in (-90, 90], long, short) of a detected 4-point box."""
    q = np.asarray(quad, dtype=np.float64)
    e1 = ((q[1] - q[0]) + (q[2] - q[3])) / 2.0
    e2 = ((q[2] - q[1]) + (q[3] - q[0])) / 2.0
    l1, l2 = float(np.hypot(*e1)), float(np.hypot(*e2))
    long_e = e1 if l1 >= l2 else e2
    ang = math.degrees(math.atan2(long_e[1], long_e[0]))
    ang = (ang + 90.0) % 180.0 - 90.0  # (-90, 90]
    if ang == -90.0:
        ang = 90.0
    return ang, max(l1, l2), min(l1, l2)


def weighted_median(values: Sequence[float] | np.ndarray, weights: Sequence[float] | np.ndarray) -> float:
    """The value at which half the total weight lies below (``values`` not empty)."""
    v, w = np.asarray(values, dtype=np.float64), np.asarray(weights, dtype=np.float64)
    order = np.argsort(v)
    cum = np.cumsum(w[order])
    return float(v[order][np.searchsorted(cum, cum[-1] / 2.0)])


def line_direction(quads: Sequence[np.ndarray]) -> tuple[float, float]:
    """Dominant text-line direction modulo 180, in (-90, 90], and the evidence weight behind it
    (0 when no box is elongated enough to say).

    One or two lines (a plate, a sign) report their own tilt once it reaches ``MIN_DESKEW``
    (below that, their boxes' angles are noise and snap to the axis). Snapping tilts up to 5
    degrees, as this once did, read the evaluation set's plates and signs worse (crops taken
    slanted) and misreported pages skewed by 5 degrees.
    """
    angs, weights = [], []
    for q in quads:
        ang, long_len, short_len = _edges(q)
        if short_len < 1.0:
            continue
        ratio = long_len / short_len
        if ratio < 1.6:  # squares (single characters) do not show a direction
            continue
        angs.append(ang)
        weights.append(long_len * min(ratio - 1.0, 4.0))
    if not angs:
        return 0.0, 0.0
    angs_a, w = np.array(angs), np.array(weights)
    # circular histogram over 180 degrees, 1-degree bins, smoothed
    hist = np.zeros(180)
    idx = np.floor(angs_a + 90.0).astype(int) % 180
    np.add.at(hist, idx, w)
    kernel = np.array([1, 2, 3, 2, 1], dtype=float)
    smooth = sum(np.roll(hist, k - 2) * kernel[k] for k in range(5))
    mode = float(np.argmax(smooth)) - 90.0 + 0.5
    # residuals relative to the mode, unwrapped into (-90, 90]
    rel = (angs_a - mode + 90.0) % 180.0 - 90.0
    near = np.abs(rel) <= 8.0
    rel_n, w_n = rel[near], w[near]
    med = weighted_median(rel_n, w_n)
    direction = (mode + med + 90.0) % 180.0 - 90.0
    axis = 90.0 * round(direction / 90.0)
    support = int(np.sum(np.abs(rel_n - med) <= 2.0))
    if support < MIN_SKEW_LINES and abs(direction - axis) < MIN_DESKEW:
        direction = (axis + 90.0) % 180.0 - 90.0  # a few boxes' angles wobble by tenths of a degree
    if direction == -90.0:
        direction = 90.0
    return direction, float(w_n.sum())


def baseline_angle(img: np.ndarray, quad: np.ndarray, guess: float) -> float | None:
    """The direction of one text line's rows of ink in ``img`` (BGR or grey), in degrees as the
    page's angle, measured within BASELINE_SPAN of ``guess`` (the line's box's direction): the
    band around the box is cut out turned by ``guess``, its ink (the rarer side of an Otsu
    threshold) projected across the line at trial angles, and the angle whose profile is sharpest
    (largest sum of squares: tops, baselines and the gaps between rows of characters line up) is
    taken. A box gives its direction
    only to within a few degrees when it is short (a plate 1.6 times as long as tall, a badge
    beside it); the characters' own rows give it within a few tenths. None when the band has no
    ink to speak of or the sharpest profile lies at the edge of the span (no clear answer)."""
    (cx, cy), (bw, bh), _ = cv2.minAreaRect(np.asarray(quad, dtype=np.float32))
    length, thick = max(bw, bh), min(bw, bh)
    if thick < 4.0:
        return None
    scale = min(1.0, BASELINE_THICK / thick)  # the profile's bins are pixels of the band so sized
    bl, bt = int(length * 1.1 * scale) + 4, int(thick * 1.6 * scale) + 4
    m = cv2.getRotationMatrix2D((float(cx), float(cy)), guess, scale)
    m[0, 2] += bl / 2.0 - cx
    m[1, 2] += bt / 2.0 - cy
    band = cv2.warpAffine(img, m, (bl, bt), flags=cv2.INTER_AREA if scale < 1.0 else cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_REPLICATE)
    if band.ndim == 3:
        band = cv2.cvtColor(band, cv2.COLOR_BGR2GRAY)
    level, _ = cv2.threshold(band, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    dark = band < level
    ink = dark if dark.sum() * 2 <= dark.size else ~dark
    ys, xs = np.nonzero(ink)
    if len(xs) < BASELINE_MIN_INK:
        return None
    step = -(-len(xs) // BASELINE_MAX_INK)  # a long line's ink sampled evenly: the profile keeps its shape
    xs, ys = xs[::step].astype(np.float64), ys[::step].astype(np.float64)
    xs = xs - xs.mean()
    ys = ys - ys.mean()

    def sharpest(trials: np.ndarray) -> float:
        rad = np.radians(trials)[:, None]
        across = np.round(ys[None, :] * np.cos(rad) - xs[None, :] * np.sin(rad)).astype(np.int64)
        across -= across.min(axis=1, keepdims=True)
        width = int(across.max()) + 1
        rows = (across + np.arange(len(trials))[:, None] * width).ravel()
        hist = np.bincount(rows, minlength=width * len(trials)).reshape(len(trials), width).astype(np.float64)
        return float(trials[int(np.argmax((hist ** 2).sum(axis=1)))])

    coarse = sharpest(np.arange(-BASELINE_SPAN, BASELINE_SPAN + 1e-9, 0.5))
    if abs(coarse) >= BASELINE_SPAN:
        return None
    fine = sharpest(np.arange(coarse - 0.5, coarse + 0.5 + 1e-9, 0.1))
    return normalize_angle(guess + fine)


def oriented_crop(img: np.ndarray, quad: np.ndarray, angle: float) -> np.ndarray | None:
    """Crop a detected box as it reads when the page's text is turned by ``angle``:
    the corners are ordered in the upright frame, then rectified from the original image."""
    m, _, _ = rotation_matrix(img.shape[1], img.shape[0], angle)
    up = apply_matrix(quad, m)
    order = order_quad(up)
    src = np.asarray(quad, dtype=np.float64)[order].astype(np.float32)
    dst_pts = up[order]
    w = int(round(max(np.hypot(*(dst_pts[1] - dst_pts[0])), np.hypot(*(dst_pts[2] - dst_pts[3])))))
    h = int(round(max(np.hypot(*(dst_pts[3] - dst_pts[0])), np.hypot(*(dst_pts[2] - dst_pts[1])))))
    if w < 4 or h < 4:
        return None
    dst = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    pm = cv2.getPerspectiveTransform(src, dst)
    return cv2.warpPerspective(img, pm, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)


def upright_quad(quad: np.ndarray, m: np.ndarray) -> np.ndarray:
    """A detected box mapped through ``m`` into the upright image, its corners ordered
    top-left, top-right, bottom-right, bottom-left there (float32, 4 x 2)."""
    up = apply_matrix(quad, m)
    return up[order_quad(up)].astype(np.float32)


def order_quad(pts: np.ndarray) -> list[int]:
    """Indices of 4 points as top-left, top-right, bottom-right, bottom-left (upright frame)."""
    p = np.asarray(pts, dtype=np.float64)
    c = p.mean(axis=0)
    ang = np.arctan2(p[:, 1] - c[1], p[:, 0] - c[0])  # y down: increasing = clockwise
    idx = list(np.argsort(ang))  # clockwise starting near "left"
    # start from the point with the smallest x + y (top-left)
    start = min(range(4), key=lambda k: p[idx[k], 0] + p[idx[k], 1])
    return [int(idx[(start + k) % 4]) for k in range(4)]


ScoreFn = Callable[[list[np.ndarray]], list[float]]


ClassifyFn = Callable[[list[np.ndarray]], list[tuple[bool, float]]]


def estimate_orientation(img: np.ndarray, quads: Sequence[np.ndarray], score_crops: ScoreFn,
                         sample: int = SAMPLE_LINES, classify: ClassifyFn | None = None) -> Orientation:
    """Decide the page angle from detected boxes; ``score_crops`` recognises crops and returns
    their confidences (only ``sample`` lines, in 2 or 4 orientations, are recognised).

    ``classify`` (the 0/180 line classifier: (is_upside_down, confidence) per crop) settles the
    up/down question first when nearly all sampled lines agree with high confidence; only
    otherwise are the sample lines recognised both ways."""
    if len(quads) == 0:
        return Orientation(0.0, confident=False)
    direction, evidence = line_direction(quads)
    # longest boxes first: most characters, most reliable scores
    by_len = sorted(quads, key=lambda q: -_edges(q)[1])[:sample]
    if evidence > 0:
        candidates = [normalize_angle(direction), normalize_angle(direction + 180.0)]
    else:
        candidates = [0.0, 90.0, 180.0, 270.0]
    base = candidates[0]
    crops, owners = [], []
    for q in by_len:
        crop = oriented_crop(img, q, base)
        if crop is None:
            continue
        # the first dozen characters tell up from down as well as the whole line, far cheaper
        ch, cw = crop.shape[:2]
        if cw > MAX_SAMPLE_RATIO * ch and cw >= ch:
            crop = np.ascontiguousarray(crop[:, : MAX_SAMPLE_RATIO * ch])
        elif ch > MAX_SAMPLE_RATIO * cw:
            crop = np.ascontiguousarray(crop[: MAX_SAMPLE_RATIO * cw])
        variants = [crop, np.ascontiguousarray(np.rot90(crop, 2))]
        if len(candidates) == 4:  # base 0: candidates 0, 90, 180, -90
            variants = [crop, np.ascontiguousarray(np.rot90(crop, 1)),
                        np.ascontiguousarray(np.rot90(crop, 2)), np.ascontiguousarray(np.rot90(crop, 3))]
        for k, v in enumerate(variants):
            crops.append(v)
            owners.append(k)
    if not crops:
        return Orientation(normalize_angle(direction), confident=False)
    if classify is not None and len(candidates) == 2:
        base_crops = [c for c, k in zip(crops, owners) if k == 0]
        votes = classify(base_crops)
        strong = [flip for flip, conf in votes if conf >= CLS_CONFIDENT]
        if len(base_crops) >= CLS_MIN_LINES and len(strong) >= CLS_AGREE * len(votes):
            flips = sum(strong)
            if flips >= CLS_AGREE * len(votes):
                return Orientation(candidates[1])
            if len(strong) - flips >= CLS_AGREE * len(votes):
                return Orientation(candidates[0])
    scores = score_crops(crops)
    totals = [0.0] * len(candidates)
    for k, s in zip(owners, scores):
        totals[k] += float(s)
    best = int(np.argmax(totals))
    n_lines = len(crops) / len(candidates)
    # prior: pages are upright far more often than not. Turning a page the detector saw as
    # horizontal needs a clear win in recognition confidence; with only square boxes (no line
    # direction at all) it needs several lines besides.
    if best != 0 and abs(candidates[0]) < 45.0:
        needed = PRIOR_MARGIN * n_lines
        if len(candidates) == 4 and n_lines < 3:
            needed = float("inf")
        if totals[best] - totals[0] < needed:
            best = 0
    # variant k = the crop turned counter-clockwise by k*90 (np.rot90): if it reads best, the
    # text was turned clockwise by base + k*90
    angle = normalize_angle(base + 90.0 * best * (2 if len(candidates) == 2 else 1))
    margin = sorted(totals)[-1] - (sorted(totals)[-2] if len(totals) > 1 else 0.0)
    return Orientation(angle, confident=margin > 0.05 * max(1, len(by_len)))
