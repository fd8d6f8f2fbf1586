"""A sparse page's lines are read twice, from their box and from the box grown
(engine.AGAIN_GROW). The second reading only decides whether a line reads steadily enough to be
kept: a line kept is its first reading, whatever the grown crop took in beside it."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from desktop_ocr.core.image import LoadedImage
from desktop_ocr.core.recognizer import LOCAL_MIN_SCORE, RecognizeOptions

from .drawing import cjk_font_path


def _label_cut_out(size: int = 16, into_value: int = 5) -> np.ndarray:
    """A form's label 'Area:' cut out of its line 12 px round, as a user cuts one from a page:
    its cut ends ``into_value`` px into the underlined value beside it, so a box grown round the
    label takes in the value's first figure."""
    font = ImageFont.truetype(cjk_font_path(), size)
    page = Image.new("RGB", (400, 120), "white")
    d = ImageDraw.Draw(page)
    d.text((40, 40), "Area:", fill="black", font=font)
    x5 = 40 + font.getlength("Area: ")
    d.text((x5, 40), "512", fill="black", font=font)
    d.line((x5, 40 + size + 2, x5 + font.getlength("512"), 40 + size + 2), fill="black", width=1)
    return np.asarray(page.crop((40 - 12, 40 - 12, int(x5) + into_value, 40 + size + 12))).copy()


def _lines(result):
    return [(ln.text, ln.score, ln.polygon) for ln in result.lines]


def test_a_line_kept_on_a_sparse_page_is_its_first_reading(engine):
    # grown by a tenth of its height, the label's box takes in the value's '5' and reads 'Area:5'
    # (at 0.93 here, against 1.00 from its own box); the label is kept as its own box reads it:
    # its confidence is not lowered towards the grown reading's (their mean would be 0.96), and
    # it is the same as with no floor at all (a floor of 0 lets nothing go: nothing is read twice)
    pixels = _label_cut_out()
    kept = engine.recognize(LoadedImage(pixels))
    assert [ln.text for ln in kept.lines] == ["Area:"]
    assert kept.lines[0].score >= 0.99, kept.lines[0].score
    bare = engine.recognize(LoadedImage(pixels), RecognizeOptions(min_score=0.0))
    assert _lines(kept) == [t for t in _lines(bare) if t[1] >= LOCAL_MIN_SCORE]


def test_a_sparse_pages_lines_read_as_with_no_floor_where_they_read_steadily(engine):
    # a sign's few words, drawn: each reads the same from its box grown, so every one is kept,
    # as it reads with no floor
    font = ImageFont.truetype(cjk_font_path(), 40)
    page = Image.new("RGB", (640, 400), "white")
    d = ImageDraw.Draw(page)
    d.text((60, 60), "OPEN 24 HOURS", fill="black", font=font)
    d.text((60, 200), "营业中", fill="black", font=font)
    pixels = np.asarray(page).copy()
    kept = engine.recognize(LoadedImage(pixels))
    assert sorted(ln.text for ln in kept.lines) == ["OPEN 24 HOURS", "营业中"]
    assert _lines(kept) == _lines(engine.recognize(LoadedImage(pixels), RecognizeOptions(min_score=0.0)))
