"""A box taller than wide is not always a line turned on its side: one character standing upright
(``(``, ``!``, a narrow ``$`` in a form's column) is boxed taller than wide too. rapidocr's crop
turns every box 1.5 times as tall as wide or more by 90 degrees, and the turned character read
as garbage (``(`` as ``C`` at 0.28, ``!`` as ``一``). A box under lineframe.GLYPH_TALL times as tall
as wide is read as it stands too, the more confident reading kept unless it says fewer characters
(a short column of Chinese characters squeezed into one); not where its ink stands in two rows
(two short lines boxed as one), which read as they stand squeezes into one row of nonsense."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from desktop_ocr.core import engine as engine_mod
from desktop_ocr.core import lineframe, vertical
from desktop_ocr.core.image import LoadedImage
from desktop_ocr.core.recognizer import RecognizeOptions

from .drawing import cjk_font_path, tight_line

MARGIN = 6  # the box's margin around the ink, as the detector's boxes have


def _boxed(text: str | list[str], size: int = 40, column: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """A white page (BGR) with ``text`` drawn on it 20 px from its edges (``column``: its
    characters, or the strings of a list, one under the other, a line's height apart), and its
    box: MARGIN px around the ink, clockwise from the top-left."""
    if column:
        font = ImageFont.truetype(cjk_font_path(), size)
        rows = list(text)
        ink = Image.new("RGB", (max(int(font.getlength(r)) for r in rows), len(rows) * size), "white")
        for i, row in enumerate(rows):
            ImageDraw.Draw(ink).text((0, i * size), row, fill="black", font=font)
        page = Image.new("RGB", (ink.width + 40, ink.height + 40), "white")
        page.paste(ink, (20, 20))
        rgb = np.asarray(page)
    else:
        assert isinstance(text, str)
        rgb = tight_line(text, size, 20)
    h, w = rgb.shape[:2]
    x0, y0, x1, y1 = 20 - MARGIN, 20 - MARGIN, w - 20 + MARGIN, h - 20 + MARGIN
    quad = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32)
    return np.ascontiguousarray(rgb[:, :, ::-1]), quad


@pytest.mark.parametrize("glyph", ["(", ")", "{", "!"])
def test_a_character_standing_in_a_tall_box_is_read_as_it_stands(engine, glyph):
    bgr, quad = _boxed(glyph)
    height, width = np.ptp(quad[:, 1]), np.ptp(quad[:, 0])
    assert 1.5 <= height / width < lineframe.GLYPH_TALL  # a box rapidocr's crop turns on its side
    engine._load()
    lines = engine._read(bgr, [quad], False)
    assert [ln.text for ln in lines] == [glyph]
    assert lines[0].score >= engine.min_score_for(RecognizeOptions())  # kept on a page
    # reported as it stands: its first edge runs across the page, from the top-left corner
    tl, tr = np.asarray(lines[0].polygon[0]), np.asarray(lines[0].polygon[1])
    assert tr[0] - tl[0] > 0 and abs(tr[1] - tl[1]) < 1.0
    assert tuple(tl) == pytest.approx(tuple(quad[0]), abs=1.0)


@pytest.mark.parametrize("text", ["学位", "备注"])
def test_a_short_column_of_chinese_characters_is_still_read_turned(engine, text):
    """Two characters one under the other, as tall as a character standing: read turned they say
    both; squeezed into one as they stand they say fewer, so the turned reading stays."""
    bgr, quad = _boxed(text, size=30, column=True)
    assert 1.5 <= np.ptp(quad[:, 1]) / np.ptp(quad[:, 0]) < lineframe.GLYPH_TALL
    engine._load()
    lines = engine._read(bgr, [quad], False)
    assert [ln.text for ln in lines] == [text]


def test_two_short_rows_boxed_as_one_are_not_read_as_they_stand(engine):
    """Two short rows in one box (sroie 050 skewed by -15: ``6%`` over ``0%``, read as it stands
    as ``68``). Its ink makes two bands, so only the turned reading is made, the line's frame
    turned as rapidocr's crop is (its first edge runs down the box). ``A`` over ``B`` at 20 px
    read as it stands says ``AB`` more surely (0.94) than turned (0.87): without the bands' test
    it would be taken so."""
    bgr, quad = _boxed(["A", "B"], size=20, column=True)
    assert 1.5 <= np.ptp(quad[:, 1]) / np.ptp(quad[:, 0]) < lineframe.GLYPH_TALL
    upright = bgr[int(quad[0, 1]):int(quad[2, 1]), int(quad[0, 0]):int(quad[2, 0])]
    assert vertical.longest_band(upright) < engine_mod.GLYPH_BAND
    engine._load()
    lines = engine._read(bgr, [quad], False)
    assert [ln.text for ln in lines] == ["AB"]
    tl, tr = np.asarray(lines[0].polygon[0]), np.asarray(lines[0].polygon[1])
    assert abs(tr[0] - tl[0]) < 1.0 and tr[1] > tl[1]  # read turned, not as it stands


@pytest.mark.parametrize("glyph", ["!", "(", "$", "j"])
def test_one_character_standing_is_one_band_of_ink(glyph):
    bgr, quad = _boxed(glyph)
    crop = bgr[int(quad[0, 1]):int(quad[2, 1]), int(quad[0, 0]):int(quad[2, 0])]
    assert vertical.longest_band(crop) >= engine_mod.GLYPH_BAND


def test_a_brace_alone_on_a_page_is_read_and_boxed_to_its_ink(engine):
    """On a page, a ``{`` standing alone between lines (an answer sheet's mark) is boxed taller
    than wide: read turned it was lost (under the floor); read as it stands it is kept, and
    reported hugging its ink like any line (lineframe.ink_box fits a standing character too)."""
    font = ImageFont.truetype(cjk_font_path(), 50)
    page = Image.new("RGB", (1200, 500), "white")
    draw = ImageDraw.Draw(page)
    draw.text((40, 40), "单项选择题答题卡", fill="black", font=font)
    draw.text((420, 200), "{", fill="black", font=font)
    draw.text((40, 360), "请用黑色签字笔填写", fill="black", font=font)
    rgb = np.asarray(page).copy()
    res = engine.recognize(LoadedImage(rgb.copy()))
    assert [ln.text for ln in res.lines] == ["单项选择题答题卡", "{", "请用黑色签字笔填写"]
    brace = np.asarray(res.lines[1].polygon)
    ys, xs = np.nonzero(rgb[150:320].min(axis=2) < 128)
    ink = (xs.min(), ys.min() + 150, xs.max() + 1, ys.max() + 151)
    box = (brace[:, 0].min(), brace[:, 1].min(), brace[:, 0].max(), brace[:, 1].max())
    # the detector's box at REPORT_UNCLIP leaves 8 px beside the 12 px wide brace; fitted, the
    # ink's margin (INK_MARGIN of its height) and a pixel of the crop's resampling
    pad = max(lineframe.INK_MARGIN * (ink[3] - ink[1]), lineframe.INK_MIN_PAD) + 1.0
    assert box[0] <= ink[0] and box[1] <= ink[1] and box[2] >= ink[2] and box[3] >= ink[3]
    assert box[0] >= ink[0] - pad and box[1] >= ink[1] - pad and box[2] <= ink[2] + pad and box[3] <= ink[3] + pad
