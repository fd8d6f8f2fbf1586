"""Boxes the detector doubts (engine._detect_doubtful): on a sparse image, a box scored from
DOUBT_BOX_THRESH up to the detector's own threshold is read, and kept where it reads surely; on a
page of many lines, where it also says SPARE_MIN_CHARS characters. And which way up a page of few boxes is read
(engine._telling): characters that read as characters upside down say nothing of it."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from desktop_ocr.core import engine as engine_mod
from desktop_ocr.core import rapid
from desktop_ocr.core.image import LoadedImage
from desktop_ocr.core.model import TextLine

from .drawing import cjk_font_path

SIGN = "Genaxis Theatre"
NUMBER = "10"


def _faint_sign(blur: float, notices: int = 0) -> np.ndarray:
    """A grey sign's name, low in contrast and blurred by ``blur`` px, beside a large sharp
    number, under ``notices`` sharp black lines of a notice board."""
    img = Image.new("RGB", (900, 600 + 50 * notices), (160, 160, 160))
    ImageDraw.Draw(img).text((100, 100), SIGN, fill=(115, 115, 115), font=ImageFont.truetype(cjk_font_path(), 24))
    img = img.filter(ImageFilter.GaussianBlur(blur))
    draw, font = ImageDraw.Draw(img), ImageFont.truetype(cjk_font_path(), 30)
    draw.text((600, 300), NUMBER, fill=(0, 0, 0), font=ImageFont.truetype(cjk_font_path(), 80))
    for i in range(notices):
        draw.text((100, 580 + 50 * i), f"Line {i + 1} of the notice board", fill=(0, 0, 0), font=font)
    return np.asarray(img).copy()


def _on_sign(quad: np.ndarray) -> bool:
    """Whether a box lies on the sign's name (drawn at 100, 100: about 190 x 30 px)."""
    return 80 <= quad[:, 0].min() and quad[:, 0].max() <= 330 and 80 <= quad[:, 1].min() and quad[:, 1].max() <= 150


def _doubted(engine, notices: int) -> float:
    """A blur at which the detector, at its own threshold, finds no box on the sign (drawn beside
    the number, under ``notices`` lines), and finds one from DOUBT_BOX_THRESH that reads surely.
    The detector scores a box by its mean text probability, which the blur brings under 0.5;
    where exactly moves with the image's size, the font's rendering and the CPU's float kernels,
    so it is looked for."""
    engine.warm_up()
    models = engine._loaded()
    for blur in np.arange(1.0, 2.2, 0.02):  # the first blurs at which the usual pass loses the sign
        bgr = np.ascontiguousarray(_faint_sign(float(blur), notices)[:, :, ::-1])
        usual, _ = engine._detect_single(bgr, 0)
        if any(map(_on_sign, usual)):
            continue
        low, scores = engine._detect_single(bgr, 0, box_thresh=engine_mod.DOUBT_BOX_THRESH)
        assert models.box_thresh == 0.5  # the detector's own threshold is back after each call
        on = [(q, s) for q, s in zip(low, scores) if _on_sign(q)]
        assert all(engine_mod.DOUBT_BOX_THRESH <= s < models.box_thresh for _, s in on), on
        if not on:
            break  # blurred past what the lower threshold finds
        read = models.recognize([rapid.crop_line(bgr, q) for q, _ in on])
        if any(t == SIGN and s >= engine_mod.OTHER_WAY_SCORE for t, s in zip(read.txts, read.scores)):
            return float(blur)
    pytest.fail(f"no blur from 1.0 to 2.2 px makes the detector doubt the sign under {notices} lines "
                "while it reads: the drawing no longer tests what it should")


def test_a_lower_threshold_adds_only_boxes_under_the_usual_one(engine):
    """The sign the detector doubts under three sharp lines: from DOUBT_BOX_THRESH, the pass gives
    the box of the sign besides, and every box over the usual threshold comes out the same."""
    bgr = np.ascontiguousarray(_faint_sign(_doubted(engine, 3), notices=3)[:, :, ::-1])
    usual, usual_scores = engine._detect_single(bgr, 0)
    low, low_scores = engine._detect_single(bgr, 0, box_thresh=engine_mod.DOUBT_BOX_THRESH)
    over = [(q.tolist(), s) for q, s in zip(low, low_scores) if s >= 0.5]
    assert over == [(q.tolist(), s) for q, s in zip(usual, usual_scores)]
    assert len(usual) == 4  # the number and the three lines
    under = [q for q, s in zip(low, low_scores) if s < 0.5]
    assert any(map(_on_sign, under)), [q.tolist() for q in under]


def test_on_a_page_of_many_lines_a_doubtful_box_that_reads_surely_is_read(engine):
    """A page of more than COARSE_MAX_BOXES lines is a document: its doubtful boxes are spare
    boxes (engine._read_page), kept where they read surely and say SPARE_MIN_CHARS characters or
    more (a form's stray marks and shadows score there, and read as a character or two), as a
    table's heading printed on a halftone band is (a FUNSD form's NAME OF ACCOUNT). The sign is
    read where it stands, and every line of the page besides, in order."""
    notices = engine_mod.COARSE_MAX_BOXES + 1
    res = engine.recognize(LoadedImage(_faint_sign(_doubted(engine, notices), notices)))
    texts = [ln.text for ln in res.lines]
    signs = [ln for ln in res.lines if ln.text == SIGN]
    assert len(signs) == 1 and NUMBER in texts, texts
    assert _on_sign(np.asarray(signs[0].polygon)), signs[0].polygon
    assert [t for t in texts if t.startswith("Line")] == [f"Line {i + 1} of the notice board"
                                                         for i in range(engine_mod.COARSE_MAX_BOXES + 1)]
    assert texts.index(SIGN) < texts.index("Line 1 of the notice board")  # above them, read first


def _line(text: str, score: float) -> TextLine:
    return TextLine(text=text, polygon=[(0, 0), (100, 0), (100, 20), (0, 20)], score=score)


def test_characters_that_read_either_way_up_say_nothing_of_which_way_is_up():
    """A street sign's '[06]' read upside down is '(90)', and more surely (0.96 against 0.88):
    neither says which way is up; a word does, and a plate's province and letters do."""
    assert engine_mod._telling([_line("[06]", 0.88), _line("10", 1.0)], 0.5) == 0.0
    assert engine_mod._telling([_line("(90)", 0.96), _line("1", 0.94), _line("SOS pod 8:69", 0.99)], 0.5) == 0.0
    assert engine_mod._telling([_line("Carpark", 1.0)], 0.5) == pytest.approx(6.0)  # all but its p
    assert engine_mod._telling([_line("皖A·999J3", 0.9)], 0.5) == pytest.approx(4 * 0.9)
    assert engine_mod._telling([_line("Carpark", 0.4)], 0.5) == 0.0  # under the least score: not read
