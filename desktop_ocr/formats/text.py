"""Plain text: the lines in reading order, paragraphs separated by a blank line.

    dump(result) -> str             result.text
    dump_error(err) -> str          the error's sentence (it names the source when known)
    load_error(text) -> OcrError    that sentence back as an error
    load(text)                      refused with ValueError: plain text has no geometry to read back
    joined(result, mode) -> str     the text as a capture copies it: "lines" (as dump), "paragraphs"
                                    (each paragraph's lines joined into one line), "one_line" or
                                    "layout" (layout_text: table rows kept on one line, columns
                                    padded with spaces; vertical CJK columns right to left)
"""

from __future__ import annotations

import itertools
import math
import unicodedata
from dataclasses import dataclass
from statistics import median
from typing import Any

from ..core import layout
from ..core.errors import OcrError
from ..core.model import OcrResult, Point, TextLine


def dump(result: OcrResult) -> str:
    return result.text


#: how a capture's text is copied (gui "After a capture"); "lines" is dump's text
JOIN_MODES = ("lines", "paragraphs", "one_line", "layout")


def _wide(ch: str) -> bool:
    """CJK and other full-width characters: written without spaces between lines' pieces."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def join_lines(texts: list[str]) -> str:
    """Lines as one line: a space between two pieces, none where either side is CJK/full-width."""
    out = ""
    for text in (t.strip() for t in texts):
        if not text:
            continue
        if out and not (_wide(out[-1]) or _wide(text[0])):
            out += " "
        out += text
    return out


def joined(result: OcrResult, mode: str) -> str:
    """``result``'s text for ``mode`` (JOIN_MODES): "lines" is dump's text (paragraphs separated by a
    blank line); "paragraphs" joins each paragraph's lines into one line (same paragraphs as dump);
    "one_line" joins every line; "layout" keeps the page's rows and columns (layout_text)."""
    if mode == "lines":
        return dump(result)
    if mode == "paragraphs":
        groups = itertools.groupby(result.lines, key=lambda line: line.paragraph)
        return "\n\n".join(join_lines([line.text for line in lines]) for _, lines in groups)
    if mode == "one_line":
        return join_lines([line.text for line in result.lines])
    if mode == "layout":
        return layout_text(result)
    raise ValueError(f"unknown join mode {mode!r}; expected one of {', '.join(JOIN_MODES)}")


# -- "layout": rows and columns kept, like pdftotext -layout ------------------------------------------


def display_width(text: str) -> int:
    """Columns ``text`` takes in a monospace view: full-width characters 2, combining marks 0."""
    return sum(0 if unicodedata.combining(ch) else 2 if _wide(ch) else 1 for ch in text)


def _has_cjk(text: str) -> bool:
    return any(_wide(ch) and ch.isalpha() for ch in text)


@dataclass
class _Piece:
    """A line in the page's upright frame: its axis-aligned box there and its text."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    code: bool = False
    vertical: bool = False  # TextLine.vertical: read top to bottom, whatever its shape

    @property
    def h(self) -> float:
        return max(1.0, self.y1 - self.y0)

    @property
    def w(self) -> float:
        return max(1.0, self.x1 - self.x0)


def page_direction(result: OcrResult) -> float:
    """Degrees (clockwise, image coordinates) the page's reading direction is turned: the quarter
    turn comes from ``result.angle``, the fine skew from the lines' polygons (each first edge is a
    line's reading direction; a vertical column's first edge runs along it, so the edges are
    averaged modulo 90 degrees, weighted by length)."""
    sx = sy = 0.0
    for line in result.lines:
        if line.code:
            continue
        (ax, ay), (bx, by) = line.polygon[0], line.polygon[1]
        length = math.hypot(bx - ax, by - ay)
        if length > 0:
            a4 = 4.0 * math.atan2(by - ay, bx - ax)
            sx += length * math.cos(a4)
            sy += length * math.sin(a4)
    if math.hypot(sx, sy) < 1e-9:
        return float(result.angle)
    skew = math.degrees(math.atan2(sy, sx)) / 4.0  # in (-45, 45]
    k = round((float(result.angle) - skew) / 90.0)
    return skew + 90.0 * k


def _upright(polygon: list[Point], cos_a: float, sin_a: float) -> tuple[float, float, float, float]:
    """The polygon turned back by the page direction: its axis-aligned box in the upright frame."""
    xs = [x * cos_a + y * sin_a for x, y in polygon]
    ys = [-x * sin_a + y * cos_a for x, y in polygon]
    return min(xs), min(ys), max(xs), max(ys)


def _is_column(p: _Piece) -> bool:
    """A vertical CJK column: a line the engine marks vertical, or one much taller than wide in the
    upright frame (a result read back from a format without the mark)."""
    return not p.code and (p.vertical or p.h > 2.0 * p.w) and len(p.text.strip()) >= 2 and _has_cjk(p.text)


def _beside_rows(column: _Piece, flat: list[_Piece]) -> bool:
    """Whether a line running across stands level with part of ``column``, to its left or right."""
    return any(p.y0 < column.y1 and p.y1 > column.y0 and (p.x1 <= column.x0 or p.x0 >= column.x1)
               for p in flat)


def _rows(pieces: list[_Piece]) -> list[list[_Piece]]:
    """The page's rows as the engine's reading order makes them (core.layout.rows: lines sharing a
    row left to right, a label set over two lines top line first, a sloped table's heading and
    value rows apart); a code (QR/barcode) is a row of its own. Rows top to bottom."""
    text = [p for p in pieces if not p.code]
    out = [[text[i] for i in row] for row in layout.rows([(p.x0, p.y0, p.x1, p.y1) for p in text])]
    out += [[p] for p in pieces if p.code]
    return sorted(out, key=lambda row: (min(p.y0 for p in row) + max(p.y1 for p in row)) / 2.0)


def _cell_width(pieces: list[_Piece], fallback: float) -> float:
    """Pixels per monospace column: the lines' total width over their total display width (lines of
    2+ columns; a one-character box's padding would inflate it), or ``fallback``."""
    text = [p for p in pieces if not p.code and display_width(p.text.strip()) >= 2]
    cells = sum(display_width(p.text.strip()) for p in text)
    if not cells:
        return fallback
    return max(1.0, sum(p.w for p in text) / cells)


def _render_rows(rows: list[list[_Piece]], left: float, cell: float) -> list[str]:
    """Rows as text lines, each piece starting at the column of its left edge (pieces whose left
    edges are within a column of each other form one table column and line up); at least one
    space between pieces, two where a gap of 1.5+ columns shows on the page."""
    texts = [[p.text.strip() for p in row] for row in rows]
    # table columns: left edges of the text pieces, chained within one cell
    edges = sorted({p.x0 for row in rows for p in row if not p.code})
    cluster: dict[float, int] = {}
    starts: list[float] = []
    for i, x in enumerate(edges):
        if i == 0 or x - edges[i - 1] > cell:
            starts.append(x)
        cluster[x] = len(starts) - 1
    col = [max(0, round((x - left) / cell)) for x in starts]
    # place the columns left to right, each after what precedes it in every row that uses it
    pos: list[list[int]] = [[0] * len(row) for row in rows]
    members: dict[int, list[tuple[int, int]]] = {}
    for ri, row in enumerate(rows):
        for pi, p in enumerate(row):
            if not p.code:
                members.setdefault(cluster[p.x0], []).append((ri, pi))
    for c in range(len(starts)):
        want = col[c]
        for ri, pi in members.get(c, []):
            if pi > 0:
                prev_p = rows[ri][pi - 1]
                gap_cols = 2 if rows[ri][pi].x0 - prev_p.x1 >= 1.5 * cell else 1
                want = max(want, pos[ri][pi - 1] + display_width(texts[ri][pi - 1]) + gap_cols)
        col[c] = want
        for ri, pi in members.get(c, []):
            pos[ri][pi] = want
    out = []
    for ri, row in enumerate(rows):
        s = ""
        for pi, p in enumerate(row):
            if p.code:
                s += (" " if s else "") + texts[ri][pi]
                continue
            cur = display_width(s)
            s += " " * max(pos[ri][pi] - cur, 1 if s else 0) + texts[ri][pi]
        out.append(s.rstrip())
    return out


def layout_text(result: OcrResult) -> str:
    """The page as plain text that keeps its layout (JOIN_MODES "layout").

    Lines are taken in the page's upright frame (page_direction). Lines sharing a row (the rows of
    the engine's reading order, core.layout.rows) are written on one text line, left to right,
    padded with spaces on a character grid (column = distance from the page's left edge / the
    median character width; full-width characters take two columns), so a receipt's item, quantity
    and price stay together and its columns line up from row to row. Rows top to bottom; a blank
    line where rows are more than 1.5 line heights apart. A QR code or barcode (TextLine.code) is a
    line of its own. Vertical CJK columns (upright boxes over twice as tall as wide) are written one
    column per line, right to left, where their top falls among the rows (a heading above comes
    first); a lone column with lines running across level with it, left or right, is a label set
    down a form's cell, written across in the row level with its middle, at its place. Paragraph
    numbers are not used."""
    lines: list[TextLine] = [ln for ln in result.lines if ln.text.strip()]
    if not lines:
        return ""
    a = math.radians(page_direction(result))
    cos_a, sin_a = math.cos(a), math.sin(a)
    pieces = [_Piece(ln.text, *_upright(ln.polygon, cos_a, sin_a), code=ln.code is not None, vertical=ln.vertical)
              for ln in lines]
    columns = [p for p in pieces if _is_column(p)]
    flat = [p for p in pieces if not _is_column(p)]
    text_flat = [p for p in flat if not p.code]
    line_h = (median(p.h for p in text_flat) if text_flat
              else median(p.w for p in columns) if columns else median(p.h for p in flat))
    cell = _cell_width(flat, fallback=line_h / 2.0)
    left = min(p.x0 for p in text_flat) if text_flat else 0.0

    groups: list[list[_Piece]] = []  # columns side by side: vertical extents overlapping
    for p in sorted(columns, key=lambda q: q.y0):
        for g in groups:
            if p.y0 < max(q.y1 for q in g) and p.y1 > min(q.y0 for q in g):
                g.append(p)
                break
        else:
            groups.append([p])
    # a lone column beside lines running across is a label set down a cell of a form (二寸照片
    # down a photo cell): it is written across, in the row level with its middle, at its place
    for g in [g for g in groups if len(g) == 1 and _beside_rows(g[0], text_flat)]:
        groups.remove(g)
        mid = (g[0].y0 + g[0].y1) / 2.0
        flat.append(_Piece(g[0].text, g[0].x0, mid - line_h / 2.0, g[0].x1, mid + line_h / 2.0))

    # blocks in top-to-bottom order: ("rows", rows) runs and ("columns", pieces) groups
    blocks: list[tuple[float, float, list[str]]] = []  # (top, bottom, text lines)
    rows = _rows(flat)
    rendered = _render_rows(rows, left, cell) if rows else []
    for row, text in zip(rows, rendered):
        blocks.append((min(p.y0 for p in row), max(p.y1 for p in row), [text]))
    for g in groups:
        blocks.append((min(q.y0 for q in g), max(q.y1 for q in g),
                       [q.text.strip() for q in sorted(g, key=lambda q: -(q.x0 + q.x1))]))
    blocks.sort(key=lambda b: b[0])
    out: list[str] = []
    prev_bottom: float | None = None
    for top, bottom, texts in blocks:
        if prev_bottom is not None and top - prev_bottom > 1.5 * line_h:
            out.append("")
        out.extend(texts)
        prev_bottom = bottom if prev_bottom is None else max(prev_bottom, bottom)
    return "\n".join(out)


def dump_error(err: OcrError) -> str:
    return str(err)


def load(obj: Any, **_size: Any) -> OcrResult:
    raise ValueError("plain text has no line positions: it cannot be read back as a result; "
                     "use the json format for that")


def load_error(obj: Any, status: int | None = None) -> OcrError:
    return OcrError(str(obj).strip() or "error")
