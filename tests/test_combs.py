"""Comb fields (core.combs): a number written one character per cell is read as one line.

A Chinese form's 身份证号 is eighteen cells; the detector finds each cell's digit alone, split by
the cells' borders, and a user copying the number got eighteen lines. The engine joins the pieces
of such a field (a border between every two, evenly spaced, in one row) into one line boxed
around its digits; digits spaced without borders (a date's 5 月 6 日) and a table's digits in
wide columns stay apart."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from desktop_ocr.core import combs
from desktop_ocr.core.engine import LocalEngine
from desktop_ocr.core.image import LoadedImage
from desktop_ocr.core.recognizer import RecognizeOptions

from .drawing import cjk_font_path

FONT = 30
ID_NUMBER = "11010519491231002X"
POSTCODE = "100080"
CELL = (50, 56)  # a comb cell's width and height
OFFSETS = (-6, 4, 0, -3, 6)  # typed digits sit off their cells' middles


def _form(skew: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """A form with two comb fields, a date spaced with words and a table row of digits in wide
    columns, turned by ``skew`` (counter-clockwise); and a mask of the ID number's own ink."""
    font = ImageFont.truetype(cjk_font_path(), FONT)
    page = Image.new("L", (1300, 560), 255)
    digits_ink = Image.new("L", page.size, 0)
    d, ink = ImageDraw.Draw(page), ImageDraw.Draw(digits_ink)
    for label, number, y in (("身份证号", ID_NUMBER, 60), ("邮政编码", POSTCODE, 190)):
        d.text((60, y + 10), label, fill=0, font=font)
        for k, ch in enumerate(number):
            cx = 260 + k * CELL[0]
            d.rectangle((cx, y, cx + CELL[0], y + CELL[1]), outline=0, width=2)
            at = (cx + (CELL[0] - d.textlength(ch, font=font)) / 2 + OFFSETS[k % 5], y + 12)
            d.text(at, ch, fill=0, font=font)
            if number == ID_NUMBER:
                ink.text(at, ch, fill=255, font=font)
    d.text((60, 330), "登记日期：2018 年 5 月 6 日", fill=0, font=font)
    for k in range(5):  # a table row: one digit in each wide column
        cx = 60 + k * 200
        d.rectangle((cx, 420, cx + 200, 480), outline=0, width=2)
        d.text((cx + 90, 432), str(k + 1), fill=0, font=font)
    if skew:
        page = page.rotate(skew, resample=Image.BILINEAR, fillcolor=255, expand=True)
        digits_ink = digits_ink.rotate(skew, resample=Image.BILINEAR, fillcolor=0, expand=True)
    return np.asarray(page.convert("RGB")).copy(), np.asarray(digits_ink) > 127


@pytest.fixture(scope="module")
def engine() -> LocalEngine:
    return LocalEngine()


@pytest.mark.parametrize("skew", [0.0, 4.0, -9.0])
def test_a_comb_field_reads_as_one_line(engine: LocalEngine, skew: float) -> None:
    rgb, mask = _form(skew)
    res = engine.recognize(LoadedImage(rgb), RecognizeOptions(chars=True))
    texts = [ln.text.replace(" ", "") for ln in res.lines]
    assert ID_NUMBER in texts and POSTCODE in texts, texts
    assert "身份证号" in texts and "邮政编码" in texts, texts  # the labels stay their own lines
    # no digit of the fields is left as a line of its own: the short runs of digits read are
    # the table's
    assert [t for t in texts if len(t) <= 3 and t.isascii() and t.isalnum()] == ["1", "2", "3", "4", "5"], texts
    line = res.lines[texts.index(ID_NUMBER)]
    assert line.chars is not None and "".join(c.text for c in line.chars) == ID_NUMBER
    # its box holds every digit's ink, and is about as high as the digits (not the cells)
    poly = np.asarray(line.polygon, dtype=np.float32)
    ys, xs = np.nonzero(mask)
    inside = [cv2.pointPolygonTest(poly, (float(x), float(y)), True) >= -1.5 for x, y in zip(xs, ys)]
    assert np.mean(inside) >= 0.995, line.polygon
    tl, tr, br, bl = poly.astype(np.float64)
    high = np.linalg.norm((bl - tl + br - tr) / 2.0)
    across = (bl - tl + br - tr) / np.linalg.norm(bl - tl + br - tr)
    ink_high = np.ptp(np.column_stack([xs, ys]) @ across) + 1.0
    assert high <= ink_high * 1.35 + 4.0 < CELL[1], (high, ink_high)


def test_digits_without_borders_or_in_wide_columns_stay_apart(engine: LocalEngine) -> None:
    rgb, _ = _form()
    texts = [ln.text.replace(" ", "") for ln in engine.recognize(LoadedImage(rgb)).lines]
    # the table's digits: one line each, in their row's order
    assert [t for t in texts if t in {"1", "2", "3", "4", "5"}] == ["1", "2", "3", "4", "5"], texts
    assert any(t.startswith("登记日期") and t.endswith("6日") for t in texts), texts


def _boxes_page(borders: bool, pitches: list[int], texts: list[str]):
    """Pieces (box, text) on a blank page, one per cell of the given widths, with the cells'
    borders drawn or not."""
    gray = np.full((120, 60 + sum(pitches) + 60), 255, np.uint8)
    boxes, x = [], 60
    for w in pitches:
        if borders:
            gray[20:100, x:x + 2] = 0
        boxes.append((x + w / 2 - 12.0, 35.0, x + w / 2 + 12.0, 85.0))
        x += w
    if borders:
        gray[20:100, x:x + 2] = 0
    return boxes, texts, gray


def test_comb_runs_need_borders_even_cells_and_enough_pieces() -> None:
    digits = list("1234567")
    boxes, texts, gray = _boxes_page(True, [44] * 7, digits)
    assert combs.comb_runs(boxes, texts, gray) == [list(range(7))]
    # reversed input order: the run is still left to right
    assert combs.comb_runs(boxes[::-1], texts[::-1], gray) == [list(range(7))[::-1]]
    assert combs.comb_runs(*_boxes_page(False, [44] * 7, digits)) == []  # spaced, no borders
    assert combs.comb_runs(*_boxes_page(True, [44] * 3, digits[:3])) == []  # too few pieces
    # a cell twice as wide as the rest: not evenly spaced
    assert combs.comb_runs(*_boxes_page(True, [44, 44, 44, 100, 44, 44, 44], digits)) == []
    # a word among them is not a piece: the row is cut there
    boxes, texts, gray = _boxes_page(True, [44] * 9, [*"1234", "年", *"5678"])
    assert combs.comb_runs(boxes, texts, gray) == []
    boxes, texts, gray = _boxes_page(True, [44] * 10, [*"123456", "号", *"789"])
    assert combs.comb_runs(boxes, texts, gray) == [[0, 1, 2, 3, 4, 5]]
