"""Reported line boxes are fitted to the line's ink (lineframe.ink_box): a form's short labels and
single characters, a line over a rule, light text on a dark band and a skewed page all come back
boxed around their own ink with INK_MARGIN, not the detector's loose margin (a single 男 was
38 x 40 px around 21 x 27 px of ink), and nothing of the ink is left out."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from desktop_ocr.core import lineframe
from desktop_ocr.core.image import LoadedImage
from desktop_ocr.core.recognizer import RecognizeOptions

from .drawing import cjk_font_path

SIZE = (900, 460)
FONT = 30
# (text, top-left, ink colour, a rule drawn just under it, a cell drawn around it)
ITEMS = [
    ("性别", (60, 60), 0, False, False),
    ("男", (270, 60), 0, False, True),
    ("民族", (430, 60), 0, False, False),
    ("汉", (640, 60), 0, False, True),
    ("Name: Li Wei 2026", (60, 190), 0, True, False),
    ("Total 128.50", (120, 330), 255, False, False),
]
BAND = (40, 310, 860, 385)  # a dark band behind the last line


def _draw(skew: float = 0.0) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The page, and each item's own ink (a mask of the page's size), both turned by ``skew``."""
    font = ImageFont.truetype(cjk_font_path(), FONT)
    page = Image.new("L", SIZE, 255)
    d = ImageDraw.Draw(page)
    d.rectangle(BAND, fill=40)
    masks = {}
    for text, (x, y), ink, rule, cell in ITEMS:
        alone = Image.new("L", SIZE, 0)
        ImageDraw.Draw(alone).text((x, y), text, fill=255, font=font)
        d.text((x, y), text, fill=ink, font=font)
        x0, y0, x1, y1 = alone.getbbox()
        if rule:  # a form's rule under the field, longer than its text
            d.rectangle((x - 20, y1 + 1, x1 + 160, y1 + 2), fill=0)
        if cell:  # a cell's border around the value
            d.rectangle((x0 - 14, y0 - 12, x1 + 14, y1 + 12), outline=0, width=2)
        if skew:
            alone = alone.rotate(skew, resample=Image.BILINEAR, fillcolor=0)
        masks[text] = np.asarray(alone) > 127
    if skew:
        page = page.rotate(skew, resample=Image.BILINEAR, fillcolor=255)
    return np.asarray(page.convert("RGB")).copy(), masks


def _line(res, text: str):
    key = text.replace(" ", "")
    hits = [ln for ln in res.lines if key in ln.text.replace(" ", "")]
    assert hits, (text, [ln.text for ln in res.lines])
    return hits[0]


def _check_fits(ln, mask: np.ndarray) -> None:
    """The line's polygon holds its ink, and is no more than the ink's rotated box grown by
    INK_MARGIN of its height (plus 2 px of rounding) on every side."""
    poly = np.asarray(ln.polygon, dtype=np.float32)
    ys, xs = np.nonzero(mask)
    inside = [cv2.pointPolygonTest(poly, (float(x), float(y)), True) >= -1.5 for x, y in zip(xs, ys)]
    assert np.mean(inside) >= 0.995, (ln.text, ln.polygon)
    # the ink's extent along and across the line's own frame
    tl, tr, br, bl = poly.astype(np.float64)
    along, across = tr - tl + br - bl, bl - tl + br - tr
    along, across = along / np.linalg.norm(along), across / np.linalg.norm(across)
    pts = np.column_stack([xs, ys]).astype(np.float64)
    ink_long, ink_high = np.ptp(pts @ along) + 1.0, np.ptp(pts @ across) + 1.0
    pad = lineframe.INK_MARGIN * ink_high + 2.0
    width, height = lineframe.size(ln.polygon)
    assert height <= ink_high + 2 * pad, (ln.text, height, ink_high)
    assert width <= ink_long + 2 * pad, (ln.text, width, ink_long)


@pytest.mark.parametrize("skew", [0.0, 6.0])
def test_lines_are_boxed_around_their_own_ink(engine, skew):
    rgb, masks = _draw(skew)
    res = engine.recognize(LoadedImage(rgb), RecognizeOptions(chars=True))
    for text, *_ in ITEMS:
        ln = _line(res, text)
        _check_fits(ln, masks[text])
        poly = np.asarray(ln.polygon, dtype=np.float32)
        for c in ln.chars or []:  # the characters' boxes stay within the line's top and bottom
            if c.polygon is not None:
                for x, y in c.polygon:
                    assert cv2.pointPolygonTest(poly, (float(x), float(y)), True) >= -1.0, (ln.text, c)


def test_a_rule_under_a_line_is_not_its_ink(engine):
    """The field's rule, a blank row under the text and 20 px longer than it at the start: on a
    page skewed by 6 degrees it cuts through the box's bottom rows in pieces, and the box still
    starts where the text does, not where the rule does."""
    rgb, masks = _draw(6.0)
    ln = _line(engine.recognize(LoadedImage(rgb)), "Name: Li Wei 2026")
    tl, tr, br, bl = np.asarray(ln.polygon, dtype=np.float64)
    along = (tr - tl + br - bl) / np.linalg.norm(tr - tl + br - bl)
    ys, xs = np.nonzero(masks["Name: Li Wei 2026"])
    ink = np.column_stack([xs, ys]) @ along
    across = np.column_stack([xs, ys]) @ np.array([-along[1], along[0]])
    pad = lineframe.INK_MARGIN * (np.ptp(across) + 1.0)
    start = min(tl @ along, bl @ along)
    assert ink.min() - pad - 2.0 <= start <= ink.min() + 1.0, (ln.polygon, ink.min())


def test_tall_tiny_and_blank_frames_are_not_fitted():
    page = np.full((200, 400, 3), 255, np.uint8)
    page[100:104, 20:380] = 0  # a rule alone: no text in its box
    blank = [(10.0, 10.0), (300.0, 10.0), (300.0, 60.0), (10.0, 60.0)]
    ruled = [(10.0, 90.0), (390.0, 90.0), (390.0, 115.0), (10.0, 115.0)]
    tall = [(10.0, 10.0), (40.0, 10.0), (40.0, 150.0), (10.0, 150.0)]
    tiny = [(10.0, 10.0), (90.0, 10.0), (90.0, 14.0), (10.0, 14.0)]
    for frame in (blank, ruled, tall, tiny):
        assert lineframe.ink_box(frame, page) is None, frame
    for x in range(50, 300, 20):  # and with print in it, strokes 10 px wide, it is fitted
        page[30:45, x:x + 10] = 0
    left, top, right, bottom = lineframe.ink_box(blank, page)
    fitted = (10 + left * 290, 10 + top * 50, 10 + right * 290, 10 + bottom * 50)
    assert fitted == pytest.approx((48, 28, 300, 47), abs=1)  # 2 px out (INK_MIN_PAD), the frame's end


def test_a_letters_stem_is_ink_and_a_cells_border_is_not():
    """A lone '1' in a box that hugs it, its stem over the box's whole height, is ink (a cell's
    border is told from a stem by running on above and below the box, BORDER_REACH); a border
    that crosses a box, a pixel off upright, is not ink, nor is the edge beside it."""
    page = np.full((200, 400, 3), 255, np.uint8)
    page[40:70, 100:105] = 0  # a '1': a stem 5 px wide, 30 px high ...
    page[66:70, 94:111] = 0  # ... on a foot
    one = [(90.0, 38.0), (115.0, 38.0), (115.0, 72.0), (90.0, 72.0)]  # the box around it
    left, top, right, bottom = lineframe.ink_box(one, page)
    fitted = (90 + left * 25, 38 + top * 34, 90 + right * 25, 38 + bottom * 34)
    # the stem and the foot kept, INK_MARGIN (3.6 px) out, within the box
    assert fitted == pytest.approx((90.4, 38, 114.6, 72), abs=1.0)
    # a field cell's borders running from row 110 to 190, the left one leaning a pixel, around
    # print in rows 135-165; the box from row 125 to 175 (under the cell's height)
    page[110:150, 60:62] = 0
    page[150:190, 61:63] = 0
    page[110:190, 300:302] = 0
    for x in range(100, 260, 20):
        page[135:165, x:x + 8] = 0
    box = [(50.0, 125.0), (320.0, 125.0), (320.0, 175.0), (50.0, 175.0)]
    left, top, right, bottom = lineframe.ink_box(box, page)
    fitted = (50 + left * 270, 125 + top * 50, 50 + right * 270, 125 + bottom * 50)
    assert fitted == pytest.approx((96.4, 131.4, 251.6, 168.6), abs=1.0)
