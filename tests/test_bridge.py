"""A line the detector broke in two with a word left between the pieces is read whole.

On a scanned form skewed by 15 degrees and deskewed, the detector boxed ``OLD GOLD MENTHOL LIGHTS &
ULTRA`` and ``100'S-PROGRESS REPORT`` apart, the ``LIGHTS`` between them in neither box, and it was
lost. A gap between two boxes on one row holds ink only where letters were left out (the boxes
reach past their letters); two fields of a form stand apart on blank paper, and a table's ruled
line between two cells runs on above and below the row. The pages here are drawn with the boxes
placed as the detector places them (a margin around the ink), one line boxed in two pieces."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from desktop_ocr.core import bridge
from desktop_ocr.core import engine as engine_mod

from .drawing import cjk_font_path

SIZE = 28
MARGIN = 6  # the detector's margin around a line's ink
Box = tuple[float, float, float, float]
FILLER = [f"Line {k}: the quick brown fox {k}" for k in range(9)]  # a page of more than COARSE_MAX_BOXES


def _page(rows: list[list[str]], rule: str | None = None, shade: bool = False,
          apart: float = 3.0, width: int = 2) -> tuple[np.ndarray, list[list[Box]]]:
    """A white page (BGR) with each row's strings drawn left to right, ``apart`` type sizes apart,
    the rows 2.2 type sizes apart; and each string's ink box grown by MARGIN, row by row. Around
    the first row's first two strings: ``rule`` "page", a ruled line down the whole page midway
    between them; "cell", one from a table's top border just above the row down (its cells'
    border), ``width`` px wide; ``shade``, a halftone of dark dots over the row and a type size above and below it
    (a table's shaded heading), under the print."""
    font = ImageFont.truetype(cjk_font_path(), SIZE)
    img = Image.new("RGB", (1400, 60 + int(len(rows) * 2.2 * SIZE)), "white")
    draw = ImageDraw.Draw(img)
    placed: list[list[tuple[tuple[int, int], str]]] = []
    boxes: list[list[Box]] = []
    for r, row in enumerate(rows):
        x, y = 30, 30 + int(r * 2.2 * SIZE)
        placed.append([])
        boxes.append([])
        for text in row:
            x0, y0, x1, y1 = draw.textbbox((x, y), text, font=font)
            placed[-1].append(((x, y), text))
            boxes[-1].append((x0 - MARGIN, y0 - MARGIN, x1 + MARGIN, y1 + MARGIN))
            x = int(x1 + apart * SIZE)
    a, b = (boxes[0] + boxes[0])[:2]
    if shade:
        top, bottom = int(a[1]) - SIZE, int(a[3]) + SIZE
        left, right = int(a[0]) - 10, int(b[2]) + 10
        dots = np.random.default_rng(7).random((bottom - top, right - left)) < 0.3
        pixels = np.asarray(img).copy()
        pixels[top:bottom, left:right][dots] = 90
        img = Image.fromarray(pixels)
        draw = ImageDraw.Draw(img)
    for row in placed:
        for at, text in row:
            draw.text(at, text, fill="black", font=font)
    x = int((a[2] + b[0]) / 2)
    if rule == "page":
        draw.line([(x, 10), (x, img.height - 10)], fill="black", width=width)
    elif rule == "cell":
        border = int(a[1]) + 2  # inside the detector's margin above the print
        draw.line([(int(a[0]), border), (int(b[2]), border)], fill="black", width=2)
        draw.line([(x, border), (x, img.height - 10)], fill="black", width=width)
    return np.ascontiguousarray(np.asarray(img)[:, :, ::-1]), boxes


def _broken(box: Box, text: str, start: int, end: int) -> list[Box]:
    """``box`` (the ink box of ``text`` with its margin) cut into two boxes leaving out the
    characters [start, end): a piece before them and one after, each with its margin."""
    font = ImageFont.truetype(cjk_font_path(), SIZE)
    x0 = box[0] + MARGIN
    return [(box[0], box[1], x0 + font.getlength(text[:start]) + MARGIN, box[3]),
            (x0 + font.getlength(text[:end]) - MARGIN, box[1], box[2], box[3])]


def _quad(b: Box) -> np.ndarray:
    return np.array([[b[0], b[1]], [b[2], b[1]], [b[2], b[3]], [b[0], b[3]]], dtype=np.float32)


def test_row_pairs_are_neighbours_on_one_row():
    boxes = [(0, 0, 100, 20), (140, 2, 200, 21),   # a row: the gap 2 heights
             (0, 40, 100, 60), (300, 40, 400, 60),  # a row: the gap 10 heights, too far
             (0, 80, 50, 100), (60, 80, 70, 100), (90, 80, 150, 100),  # three in a row: pairs run left to right
             (210, 0, 260, 50)]  # more than BRIDGE_HEIGHTS as tall as its neighbour
    assert bridge.row_pairs(boxes) == [(0, 1), (4, 5)]
    # the nearest box to the right is the pair; any box standing in the gap keeps the two apart
    assert bridge.row_pairs([(0, 0, 100, 20), (110, 0, 120, 20), (140, 0, 200, 20)]) == [(0, 1)]
    assert bridge.row_pairs([(0, 0, 100, 20), (140, 0, 200, 20), (105, 5, 130, 15)]) == []
    # not on one row: they share under BRIDGE_ROW of their height
    assert bridge.row_pairs([(0, 0, 100, 20), (120, 15, 200, 35)]) == []


def test_ink_in_a_gap_is_letters_left_out():
    text = "OLD GOLD LIGHTS & ULTRA LIGHTS 100'S PROGRESS REPORT"
    bgr, boxes = _page([[text], ["Name:", "Alice"]])
    a, b = _broken(boxes[0][0], text, text.index("ULTRA") + 6, text.index("100"))
    assert bridge.gap_ink(bgr, a, b) >= bridge.BRIDGE_INK  # 'LIGHTS' lies between the boxes
    assert bridge.gap_ink(bgr, *boxes[1]) == 0.0  # a label and its value: blank paper between


@pytest.mark.parametrize("rule, apart, width", [
    ("page", 3.0, 2),   # a rule down the page between two columns
    ("cell", 1.0, 10),  # a bold border from the table's top edge, just above the row, down
    ("cell", 0.6, 2),   # two cells' boxes a few pixels apart, the rule between them
])
def test_a_ruled_line_in_a_gap_is_not_letters(rule, apart, width):
    bgr, boxes = _page([["IND/LOR", "NO. OF"], ["VOLUME", "STORES"]], rule=rule, apart=apart, width=width)
    a, b = boxes[0]
    assert bridge.row_pairs(boxes[0]) == [(0, 1)]  # near enough to be looked at
    x = int((a[2] + b[0]) / 2)
    assert (bgr[int(a[1]) + MARGIN:int(a[3]) - MARGIN, x - 1:x + 2] < 128).any()  # the rule is in the gap
    assert bridge.gap_ink(bgr, a, b) < bridge.BRIDGE_INK


def test_a_shaded_heading_is_not_letters():
    bgr, boxes = _page([["IND/LOR", "NO. OF"], ["VOLUME", "STORES"]], shade=True, apart=1.5)
    a, b = boxes[0]
    assert bridge.row_pairs(boxes[0]) == [(0, 1)]
    assert (bgr[int(a[1]):int(a[3]), int(a[2]):int(b[0])] < 128).mean() > 0.2  # the halftone is in the gap
    assert bridge.gap_ink(bgr, a, b) < bridge.BRIDGE_INK
    # the same words on white paper: blank
    bgr, boxes = _page([["IND/LOR", "NO. OF"], ["VOLUME", "STORES"]], apart=1.5)
    assert bridge.gap_ink(bgr, *boxes[0]) == 0.0


def test_letters_over_a_rule_under_their_row_are_letters():
    """An underlined line (the form's subject line was) keeps the paper light above its row but
    for the rule under it: the gap's letters count."""
    text = "OLD GOLD MENTHOL & ULTRA LIGHTS KINGS PROGRESS REPORT"
    bgr, boxes = _page([[text]])
    box = boxes[0][0]
    under = int(box[3]) + 2
    bgr[under:under + 2, int(box[0]):int(box[2])] = 0
    start = text.index("LIGHTS")
    assert bridge.gap_ink(bgr, *_broken(box, text, start, start + 6)) >= bridge.BRIDGE_INK


@pytest.mark.parametrize("text, word", [("OLD GOLD MENTHOL & ULTRA LIGHTS KINGS PROGRESS REPORT", "LIGHTS"),
                                        ("本项目的主要开发内容和进度报告", "开发")])
def test_a_line_broken_around_a_word_is_read_whole(engine, text, word):
    bgr, boxes = _page([[text], ["Name:", "Alice"], *[[f] for f in FILLER]])
    start = text.index(word)
    pieces = _broken(boxes[0][0], text, start, start + len(word))
    quads = [_quad(b) for b in pieces] + [_quad(b) for row in boxes[1:] for b in row]
    engine._load()
    lines = engine._read(bgr, quads, False)
    assert word not in "".join(ln.text for ln in lines[:2])  # the pieces alone lose it
    out = engine._bridge(bgr, lines, False)
    assert len(out) == len(lines) - 1
    assert out[0].text.replace(" ", "") == text.replace(" ", "")
    assert out[0].score >= engine_mod.OTHER_WAY_SCORE
    xs = [p[0] for p in out[0].polygon]
    assert min(xs) == pytest.approx(pieces[0][0]) and max(xs) == pytest.approx(pieces[1][2])
    # the label and its value beside it stay two lines, as they were read
    assert [ln.text for ln in out[1:3]] == [ln.text for ln in lines[2:4]] == ["Name:", "Alice"]


def test_two_cells_either_side_of_a_rule_stay_apart(engine):
    bgr, boxes = _page([["IND/LOR", "NO. OF"], *[[f] for f in FILLER]], rule="page")
    quads = [_quad(b) for row in boxes for b in row]
    engine._load()
    lines = engine._read(bgr, quads, False)
    assert bridge.row_pairs([ln.bbox() for ln in lines[:2]]) == [(0, 1)]  # looked at
    assert engine._bridge(bgr, lines, False) == lines


def test_a_sparse_page_is_left_as_read(engine):
    """Under COARSE_MAX_BOXES lines across, a page's lines are not joined (a photo's few lines
    are read by other means: read twice, turned)."""
    text = "OLD GOLD MENTHOL & ULTRA LIGHTS 100'S PROGRESS REPORT"
    bgr, boxes = _page([[text]])
    start = text.index("LIGHTS")
    pieces = _broken(boxes[0][0], text, start, start + 6)
    assert bridge.gap_ink(bgr, *pieces) >= bridge.BRIDGE_INK  # joined on a page of more lines
    quads = [_quad(b) for b in pieces]
    engine._load()
    lines = engine._read(bgr, quads, False)
    assert engine._bridge(bgr, lines, False) == lines
