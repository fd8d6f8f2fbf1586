"""Strangely shaped images: very long lines are read in pieces, hopelessly elongated images are
refused with a clear error instead of exhausting memory."""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from desktop_ocr.core import engine as engine_mod
from desktop_ocr.core import lineframe
from desktop_ocr.core.errors import ImageTooLarge
from desktop_ocr.core.image import LoadedImage
from desktop_ocr.core.recognizer import RecognizeOptions

from .drawing import cjk_font_path, tight_line

PHRASE = "Item 12 数量 3 单价 45.50"


def _long_line(repeats: int, font_size: int = 24) -> tuple[np.ndarray, str]:
    """One line of ``repeats`` phrases, three spaces apart, on a strip just taller than the text."""
    font = ImageFont.truetype(cjk_font_path(), font_size)
    text = "   ".join([PHRASE] * repeats)
    width = int(font.getlength(text)) + 40
    img = Image.new("RGB", (width, font_size + 16), "white")
    ImageDraw.Draw(img).text((20, 6), text, fill="black", font=font)
    return np.asarray(img).copy(), text


def _norm(text: str) -> str:
    return text.replace(" ", "")


def test_split_long_cuts_at_gaps_into_pieces_no_longer_than_the_limit():
    pixels, _ = _long_line(30)
    crop = np.ascontiguousarray(pixels[:, :, ::-1])
    h, w = crop.shape[:2]
    pieces = lineframe.split_long(crop)
    assert len(pieces) >= w // (lineframe.PIECE_RATIO * h)
    assert pieces[0][0] == 0.0 and pieces[-1][1] == 1.0
    for (_, u1, _), (v0, _, _) in zip(pieces, pieces[1:]):
        assert u1 == v0  # contiguous, nothing lost or read twice
    gray = crop.mean(axis=2)
    for u0, u1, _sep in pieces:
        assert (u1 - u0) * w <= lineframe.PIECE_RATIO * h + 1
    for _, u1, _sep in pieces[:-1]:
        col = min(w - 1, int(round(u1 * w)))
        assert gray[:, col].min() > 200  # the cut falls on a blank column, not through a glyph


def test_a_line_longer_than_the_limit_reads_whole(engine):
    pixels, text = _long_line(30)
    h, w = pixels.shape[:2]
    assert w > engine_mod.MAX_LINE_RATIO * h  # really read in pieces
    res = engine.recognize(LoadedImage(pixels, source="long"), RecognizeOptions(chars=True))
    # (detection of an image this long is tiled; the tiles may leave the line in a few boxes)
    assert _norm("".join(ln.text for ln in res.lines)) == _norm(text)
    widest = max(res.lines, key=lambda ln: ln.polygon[1][0] - ln.polygon[0][0])
    assert widest.polygon[1][0] - widest.polygon[0][0] > engine_mod.MAX_LINE_RATIO * (widest.polygon[3][1]
                                                                                      - widest.polygon[0][1])
    # per-character boxes come from every piece, in order along the line
    xs = [min(p[0] for p in c.polygon) for ln in res.lines for c in ln.chars or []]
    assert len(xs) > 30 and xs == sorted(xs) and xs[-1] > 0.9 * w


def test_single_line_mode_reads_a_long_line_in_pieces(engine):
    pixels, text = _long_line(20)
    res = engine.recognize(LoadedImage(pixels, source="long"), RecognizeOptions(single_line=True))
    assert len(res.lines) == 1 and _norm(res.lines[0].text) == _norm(text)


def test_a_hopelessly_elongated_image_is_refused_clearly(engine):
    pixels = np.full((15, 1_000_000, 3), 255, np.uint8)
    pixels[4:11, ::9] = 0
    with pytest.raises(ImageTooLarge) as err:
        engine.recognize(LoadedImage(pixels, source="strip.png"))
    msg = str(err.value)
    assert "strip.png" in msg and "1000000x15" in msg and "elongated" in msg


def test_only_an_image_with_something_on_it_is_searched_again_turned_when_nothing_is_found():
    # the second detection pass (turned by a quarter) is for photos whose text the detector
    # missed: a blank page, white or scanned with paper noise, is not worth it; a drawn line is
    rng = np.random.default_rng(0)
    white = np.full((2000, 1414, 3), 255, np.uint8)
    paper = np.clip(rng.normal(228, 20, (1200, 900, 3)), 0, 255).astype(np.uint8)
    assert not engine_mod._has_marks(white)
    assert not engine_mod._has_marks(paper)
    line, _ = _long_line(1)
    page = np.full((1200, 900, 3), 255, np.uint8)
    page[600:600 + line.shape[0], 100:100 + line.shape[1]] = line[:, :, ::-1]
    assert engine_mod._has_marks(page)


DARK, LIGHT = ((40, 40, 60), (220, 220, 230)), ((245, 245, 245), (90, 90, 90))


@pytest.mark.parametrize(("text", "font_size", "margin", "colours"), [
    ("OK", 13, 1, DARK),  # a small label, light on dark: nothing was found
    ("x 2", 13, 3, DARK),
    ("*特价*", 14, 1, DARK),  # the last character at the right edge was dropped
    ("6.60 *", 16, 3, LIGHT),
    ("→ 下一步", 18, 1, ("white", "black")),  # the first one at the left edge was dropped
])
def test_a_line_cut_out_tightly_reads_to_its_first_and_last_character(engine, text, font_size, margin,
                                                                        colours):
    pixels = tight_line(text, font_size, margin, *colours)
    assert engine_mod._is_flat(*pixels.shape[:2])  # padded for detection, as a single line is
    res = engine.recognize(LoadedImage(pixels, source="tight.png"))
    assert _norm("".join(ln.text for ln in res.lines)) == _norm(text)
    for ln in res.lines:  # the boxes stay on the image, for all the margin detection saw
        xs, ys = zip(*ln.polygon)
        assert min(xs) >= 0 and max(xs) <= pixels.shape[1] and min(ys) >= 0 and max(ys) <= pixels.shape[0]


@pytest.mark.parametrize(("text", "font_size", "margin", "colours"), [
    ("合计 128.50", 24, 1, ("white", "black")),  # read `合计：128.50`: the `1` read twice, as `：`
    ("*特价*", 24, 1, DARK),  # read `*特价**`
    ("NO. 17", 30, 3, ("white", "black")),  # read `NO..17`
    ("¥ 35.00", 30, 1, ("white", "black")),  # the `¥` was lost
])
def test_a_line_of_large_type_cut_out_tightly_reads_each_character_once(engine, text, font_size, margin,
                                                                          colours):
    """The detector grows the short side of what it reads to 736 px: on a strip only a little
    taller than the line, type of 24 px or more grew to characters near 300 px tall, and the
    detector split the line at a space into boxes overlapping by half a character."""
    pixels = tight_line(text, font_size, margin, *colours)
    assert engine_mod._is_flat(*pixels.shape[:2])
    res = engine.recognize(LoadedImage(pixels, source="tight.png"))
    assert unicodedata.normalize("NFKC", _norm("".join(ln.text for ln in res.lines))) == _norm(text)
    spans = sorted((min(x for x, _ in ln.polygon), max(x for x, _ in ln.polygon)) for ln in res.lines)
    for (_, right), (left, _) in zip(spans, spans[1:]):  # no stretch of the line is in two boxes
        assert left >= right - 1
