"""Reading order and paragraphs for lines of an upright page.

Input boxes are axis-aligned (left, top, right, bottom) in the upright frame (the engine turns
rotated pages upright before calling this). The page is cut recursively, XY-cut style:

* a blank vertical gutter splits the region into columns read left to right, but only when it
  looks like prose columns (each side several lines, lines filling their column); forms and
  receipts, whose key/value or item/price pairs also leave gutters, keep row order;
* full-width lines (a title over two columns) cut the region into bands at their height, when
  the rest splits into columns; a blank strip wider than 1.5 lines also separates bands;
* what cannot be cut is read in rows: lines are placed top to bottom, lines about level left to
  right (a tilt of a pixel does not change what was placed first); a line joins a row whose
  extent and one of whose cells it overlaps by more than half the smaller height (a tall line
  widening the row does not pull the next row in), unless it stands under a line of the row in
  the same column; a line of about the same height close under a line of the row, in its
  column, is that cell's next line (a label set over two lines beside one-line cells): read right
  after it, in its place in the row, also when it is short and overlaps the row by less than half
  but a one-line cell beside it is centred on the label's two lines (a value so set, on a
  deskewed page); a row whose every cell has lines of that kind and none of one line is a
  table's heading row and the rows under it (taken for one row on a sloped photo) and is read
  row by row; a label over two touching lines with its value to the right centred on them is
  found on the whole page before the rows are (``_labels``), so it is read with its second line
  and then its value at any pixel of their boxes; rows top to bottom, left to right within a
  row; a row made mostly of columns of vertical writing (``vertical``) is read right to left.

Paragraphs follow the reading order: a new one starts at each column/band change, at a vertical
gap clearly larger than the usual line gap, at a change of text height (headings), or when a
line is indented after a line that ended short.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

Box = tuple[float, float, float, float]

WRAPPED_RATIO = 6.0  # a cell's line at least this many heights long is wrapped text (_table_rows)
LABEL_GAP = 0.2  # a label's two lines are at most this share of a line's height apart (_labels)
LABEL_HEIGHTS = 1.6  # ... and the taller at most this many times the other's height
LEVEL = 0.15  # lines whose centres are at most this share of a line's height apart are level (_level_first)
LABEL_CENTRE = 0.25  # share of the way between a label's two lines a value centred on them stays off each (_centred)


@dataclass
class _Item:
    idx: int
    x0: float
    y0: float
    x1: float
    y1: float
    vertical: bool = False

    @property
    def h(self) -> float:
        return max(1.0, self.y1 - self.y0)

    @property
    def w(self) -> float:
        return max(1.0, self.x1 - self.x0)


def _level_first(by_centre: list[_Item]) -> list[_Item]:
    """The order ``_rows`` places lines in: top to bottom by centre, except that the lines whose
    centres lie within ``LEVEL`` times the smaller height below the topmost one's are taken left
    to right. A line's place can depend on what was placed before it (a row it joins, or a cell
    it continues); a tilt of a pixel must not decide that, so lines about level are taken in the
    order of an exactly level row."""
    rest = list(by_centre)
    out = []
    while rest:
        top = rest[0]
        mid = (top.y0 + top.y1) / 2.0
        level = []
        for k, b in enumerate(rest):
            if (b.y0 + b.y1) / 2.0 - mid > LEVEL * top.h:
                break
            if (b.y0 + b.y1) / 2.0 - mid <= LEVEL * min(top.h, b.h):
                level.append(k)
        k = min(level, key=lambda k: rest[k].x0)
        out.append(rest.pop(k))
    return out


def _rows(items: list[_Item]) -> list[list[_Item]]:
    items = sorted(items, key=lambda b: ((b.y0 + b.y1) / 2.0, b.x0))
    under, beside = _labels(items)
    items = _level_first(items)
    rows: list[list[list[_Item]]] = []  # each row: cells left to right, a cell's lines top to bottom
    spans: list[list[float]] = []
    second = {id(a): b for b in items if (a := under.get(id(b))) is not None}
    where: dict[int, tuple[int, int]] = {}  # id of a placed line: (its row, its cell)

    def bottom(m: _Item) -> float:
        """Where ``m`` reaches down to: a label's first line, over its second line."""
        return second[id(m)].y1 if id(m) in second else m.y1

    def level_with(b: _Item, cell: list[_Item]) -> bool:
        """``b`` overlaps a cell of the row (a label's first line reaching over its second) by
        half: the row's span alone, widened by a tall line, is not enough."""
        y0 = min(m.y0 for m in cell)
        y1 = max(bottom(m) for m in cell)
        return min(b.y1, y1) - max(b.y0, y0) > 0.5 * min(b.h, y1 - y0)

    def place(b: _Item, r: int, cell: list[_Item] | None) -> None:
        if r == len(rows):
            rows.append([])
            spans.append([b.y0, b.y1])
        if cell is None:
            rows[r].append([b])
            cell = rows[r][-1]
        else:
            cell.append(b)
        where[id(b)] = (r, next(k for k, c in enumerate(rows[r]) if c is cell))
        # a label's first line: its row reaches down over its second line from the start
        spans[r] = [min(spans[r][0], b.y0), max(spans[r][1], b.y1, bottom(b))]

    for b in items:
        first = under.get(id(b)) or beside.get(id(b))
        if first is not None and id(first) in where:
            r, k = where[id(first)]
            if id(b) in under and rows[r][k][-1] is first:
                place(b, r, rows[r][k])  # the second line of a label whose value is centred on both
                continue
            if id(b) in beside:
                place(b, r, None)  # a value centred on a label's two lines: in the label's row
                continue
        placed = False
        # compare with the last few rows (a tall box may start a row a small one joins later)
        for r in range(len(rows) - 1, max(-1, len(rows) - 4), -1):
            ry0, ry1 = spans[r]
            row_h = median(x.h for c in rows[r] for x in c)
            ov = min(b.y1, ry1) - max(b.y0, ry0)
            if abs((b.y0 + b.y1) - (ry0 + ry1)) / 2.0 >= max(b.h, row_h):
                continue
            over = [c for c in rows[r] if any(_stacked(b, m) for m in c)]
            half = ov > 0.5 * min(b.h, row_h) and any(level_with(b, c) for c in rows[r])
            if half and not over:
                place(b, r, None)
            elif len(over) == 1 and id(b) not in second and _next_line(over[0][-1], b) and (
                    half or (b.w < WRAPPED_RATIO * b.h and _centred(b, rows[r], over[0]))):
                place(b, r, over[0])  # the next line of a cell of two lines (not a label's first line)
            else:
                continue
            placed = True
            break
        if not placed:
            place(b, len(rows), None)
    rows = [part for row in rows for part in _table_rows(row)]
    spans = [[min(b.y0 for c in row for b in c), max(b.y1 for c in row for b in c)] for row in rows]
    order = sorted(range(len(rows)), key=lambda r: (spans[r][0] + spans[r][1]) / 2.0)
    out = []
    for r in order:
        key = _row_key([c[0] for c in rows[r]])
        out.append([b for c in sorted(rows[r], key=lambda c: key(c[0])) for b in c])
    return out


def _labels(items: list[_Item]) -> tuple[dict[int, _Item], dict[int, _Item]]:
    """Labels set over two lines with a value centred on them, found before the rows are: ({id
    of a label's second line: its first line}, {id of a value: the first line of its label}).

    A form's label in two languages (从业人数 over Number of employees) has its value set to the
    right, centred on the two lines: it overlaps each by about half its height, so it joined
    the label's row on one copy of a page and started a row of its own on the same page
    skewed, deskewed and a pixel taller; the label's second line then went to the value's row.
    Found on the whole page first, a label and its value are one row at any such pixel: the
    label's row reaches over both its lines from its first line on (a line level with the pair,
    left of it, joins it however the first line alone overlaps that line), and its first line
    never continues the cell above it (a label 14 px under another was read as its third line).
    The value's centre lies in the middle half between the lines' centres (LABEL_CENTRE), it stands
    to their right with no line of its height stacked on it (a column of prose beside another,
    set half a line apart, has), and is no taller than the two lines together."""
    under: dict[int, _Item] = {}
    beside: dict[int, _Item] = {}
    if len(items) < 3:
        return under, beside
    centre = [(b.y0 + b.y1) / 2.0 for b in items]  # items are sorted by centre
    # a second line's centre lies at most half a's height, the gap and half its own height below
    # a's centre: 1.5 of a's height
    reach = 0.5 + LABEL_GAP + 0.5 * LABEL_HEIGHTS
    for i, a in enumerate(items):
        for j in range(i + 1, len(items)):
            b = items[j]
            if centre[j] > centre[i] + reach * a.h:
                break  # sorted by centre: no later line can be a's second line (_label_lines)
            if id(b) in under or not _label_lines(a, b):
                continue
            lo, hi = centre[i], centre[j]
            right = max(a.x1, b.x1)
            vals = [c for k, c in enumerate(items[i + 1:j], i + 1)
                    if c.x0 >= right and c.h < a.h + b.h
                    and LABEL_CENTRE < (centre[k] - lo) / (hi - lo) < 1.0 - LABEL_CENTRE
                    and not _in_column(c, items)]
            if vals:
                under[id(b)] = a
                for c in vals:
                    beside.setdefault(id(c), a)
    return under, beside


def _label_lines(a: _Item, b: _Item) -> bool:
    """``b`` could be the second line of a label whose first line is ``a``: stacked on it, close
    under it (LABEL_GAP), the two of heights within LABEL_HEIGHTS (a label in two languages is
    often set in two sizes, and a short line's box is the loosest)."""
    return (_stacked(a, b) and max(a.h, b.h) <= LABEL_HEIGHTS * min(a.h, b.h)
            and -0.5 * b.h <= b.y0 - a.y1 <= LABEL_GAP * min(a.h, b.h))


def _in_column(c: _Item, items: list[_Item]) -> bool:
    """A line of about ``c``'s height is stacked close over or under it (``_next_line``)."""
    return any(_next_line(c, d) or _next_line(d, c) for d in items if d is not c
               and d.y0 < c.y1 + c.h and d.y1 > c.y0 - c.h)


def _centred(b: _Item, row: list[list[_Item]], cell: list[_Item]) -> bool:
    """A one-line cell of the row, after ``cell``'s last line and ``b`` under it, is centred on
    the pair, taken as one label over two lines: its centre lies nearer the middle of the pair
    than the middle of either line, and it stands to their right (a label's value).

    A value level with the first line is not (a receipt's price, with the next item under its
    name; a date with a note under it), nor a label centred on two rows of options to its right
    (项目类型 beside two rows of check boxes: read row by row). Lines of two columns of prose, set
    half a line apart, are centred on each other's pairs too: the caller joins only short lines
    (a label's, not wrapped text)."""
    top = (cell[-1].y0 + cell[-1].y1) / 2.0
    step = (b.y0 + b.y1) / 2.0 - top
    right = max(cell[-1].x1, b.x1)
    return step > 0 and any(
        LABEL_CENTRE < ((c[0].y0 + c[0].y1) / 2.0 - top) / step < 1.0 - LABEL_CENTRE and c[0].x0 >= right
        for c in row if c is not cell and len(c) == 1)


def _table_rows(row: list[list[_Item]]) -> list[list[list[_Item]]]:
    """The row, or the rows it is made of when every cell of it is a heading with a short value
    under it: a table's heading row and the value row under it, on a sloped or curved photo,
    whose boxes overlap enough to be taken for one row of labels set over two lines (a
    receipt's tax table was read column by column: Tax Code, SR, %, 6, ...). A label over two
    lines sits beside one-line cells; a row with none is split by line, the k-th lines of its
    cells making its k-th row. Cells of wrapped text (a long line) are prose cells side by side
    and keep their lines."""
    if len(row) < 2 or any(len(c) == 1 or any(b.w >= WRAPPED_RATIO * b.h for b in c) for c in row):
        return [row]
    return [[[c[k]] for c in row if k < len(c)] for k in range(max(len(c) for c in row))]


def _next_line(a: _Item, b: _Item) -> bool:
    """``b`` is the line under ``a`` in the same cell: stacked, of about its height, close below it."""
    return _stacked(a, b) and max(a.h, b.h) <= 1.4 * min(a.h, b.h) and -0.5 * b.h <= b.y0 - a.y1 <= 0.5 * b.h


def _stacked(a: _Item, b: _Item) -> bool:
    """One line above the other in the same column (a form's two-line label, a wrapped cell): they
    never stand side by side in a row, however a box beside them (a value centred on the pair)
    chains the rows; the lower one is at most that cell's next line (``_next_line``)."""
    x_ov = min(a.x1, b.x1) - max(a.x0, b.x0)
    y_ov = min(a.y1, b.y1) - max(a.y0, b.y0)
    return x_ov > 0.3 * min(a.w, b.w) and y_ov < 0.5 * min(a.h, b.h)


def _row_key(row: list[_Item]):
    """Left to right; right to left in a row mostly of vertical columns."""
    if 2 * sum(b.vertical for b in row) > len(row):
        return lambda b: -b.x1
    return lambda b: b.x0


def _gaps(intervals: list[tuple[float, float]], min_gap: float) -> list[tuple[float, float]]:
    """Blank stretches between the union of intervals, at least ``min_gap`` wide."""
    iv = sorted(intervals)
    out = []
    end = iv[0][1]
    for a, b in iv[1:]:
        if a - end >= min_gap:
            out.append((end, a))
        end = max(end, b)
    return out


def _columns_split(items: list[_Item], line_h: float) -> list[list[_Item]] | None:
    if len(items) < 6:
        return None
    gaps = _gaps([(b.x0, b.x1) for b in items], max(line_h * 1.0, 8.0))
    if not gaps:
        return None
    left = min(b.x0 for b in items)
    right = max(b.x1 for b in items)
    width = right - left
    cuts = [left] + [(g0 + g1) / 2.0 for g0, g1 in gaps] + [right]
    cols = []
    for a, b in zip(cuts[:-1], cuts[1:]):
        cols.append([it for it in items if a <= (it.x0 + it.x1) / 2.0 < b or (b == right and it.x1 == right)])
    for col in cols:
        if len(col) < 3:
            return None
        c0 = min(b.x0 for b in col)
        c1 = max(b.x1 for b in col)
        if (c1 - c0) < 0.25 * width:
            return None
        if median(b.w for b in col) < 0.6 * (c1 - c0):  # ragged key/value columns, not prose
            return None
    return cols


def _cut(items: list[_Item], line_h: float, depth: int = 0) -> list[list[list[_Item]]]:
    """Blocks in reading order, each a list of rows."""
    if not items:
        return []
    if depth < 8:
        cols = _columns_split(items, line_h)
        if cols is not None:
            return [blk for col in cols for blk in _cut(col, line_h, depth + 1)]
        # full-width lines (titles, rules) crossing the gutter: cut the page at them when the
        # rest splits into columns
        left = min(b.x0 for b in items)
        right = max(b.x1 for b in items)
        wide = [b for b in items if b.w > 0.55 * (right - left)]
        narrow = [b for b in items if b.w <= 0.55 * (right - left)]
        if wide and narrow and _columns_split(narrow, line_h) is not None:
            blocks: list[list[list[_Item]]] = []
            rest = sorted(narrow, key=lambda b: b.y0)
            run: list[_Item] = []
            for wb in sorted(wide, key=lambda b: b.y0):
                above = [b for b in rest if (b.y0 + b.y1) / 2.0 < wb.y0]
                if above:
                    if run:
                        blocks.append(_rows(run))
                        run = []
                    blocks.extend(_cut(above, line_h, depth + 1))
                    rest = [b for b in rest if b not in above]
                run.append(wb)
            if run:
                blocks.append(_rows(run))
            if rest:
                blocks.extend(_cut(rest, line_h, depth + 1))
            return blocks
        # section breaks (a blank strip wider than a line) separate bands read top to bottom
        gaps = _gaps([(b.y0, b.y1) for b in items], max(line_h * 1.5, 4.0))
        if gaps:
            cuts = [g0 for g0, _ in gaps]
            bands: list[list[_Item]] = [[] for _ in range(len(cuts) + 1)]
            for it in items:
                bands[sum(1 for c in cuts if (it.y0 + it.y1) / 2.0 > c)].append(it)
            return [blk for band in bands if band for blk in _cut(band, line_h, depth + 1)]
    return [_rows(items)]


def rows(boxes: Sequence[Box]) -> list[list[int]]:
    """The boxes' indices in rows, top to bottom (no column or band cuts: a whole page's rows, as a
    layout-keeping text copy writes them); within a row, cells left to right, a cell's lines (a
    label set over two lines) top to bottom. The same rows reading_order reads within a block."""
    items = [_Item(i, float(b[0]), float(b[1]), float(b[2]), float(b[3])) for i, b in enumerate(boxes)]
    return [[it.idx for it in row] for row in _rows(items)] if items else []


def reading_order(boxes: Sequence[Box], vertical: Sequence[bool] | None = None) -> tuple[list[int], list[int]]:
    """(indices in reading order, paragraph number per index) for upright boxes; ``vertical``
    marks columns of vertical writing (read right to left within their row)."""
    if not boxes:
        return [], []
    flags = list(vertical) if vertical is not None else [False] * len(boxes)
    items = [_Item(i, float(b[0]), float(b[1]), float(b[2]), float(b[3]), bool(v))
             for (i, b), v in zip(enumerate(boxes), flags)]
    line_h = median(it.h for it in items)
    blocks = _cut(items, line_h)
    order: list[int] = []
    para = [0] * len(items)
    p = -1
    for rows in blocks:
        p += 1
        col_left = min(b.x0 for r in rows for b in r)
        col_right = max(b.x1 for r in rows for b in r)
        gaps = [min(b.y0 for b in r2) - max(b.y1 for b in r1) for r1, r2 in zip(rows, rows[1:])]
        pos_gaps = [g for g in gaps if g > 0]
        usual_gap = median(pos_gaps) if pos_gaps else 0.0
        prev_row = None
        for ri, row in enumerate(rows):
            if prev_row is not None:
                h_prev = median(b.h for b in prev_row)
                h_cur = median(b.h for b in row)
                hh = min(h_prev, h_cur)
                gap = gaps[ri - 1]
                prev_right = max(b.x1 for b in prev_row)
                cur_left = min(b.x0 for b in row)
                new_para = (
                    gap > max(1.2 * usual_gap, 0.0) + 0.6 * hh  # clearly wider than usual spacing
                    or max(h_prev, h_cur) > 1.35 * hh  # heading / font change
                    or (cur_left - col_left > 1.5 * hh and col_right - prev_right > 3.0 * hh)
                    or (len(row) > 1) != (len(prev_row) > 1) and gap > 0.5 * hh
                )
                if new_para:
                    p += 1
            for b in row:
                order.append(b.idx)
                para[b.idx] = p
            prev_row = row
    return order, para
