"""Strangely shaped images: very long lines are read in pieces, hopelessly elongated images are
refused with a clear error instead of exhausting memory."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from desktop_ocr.core import engine as engine_mod
from desktop_ocr.core.errors import ImageTooLarge
from desktop_ocr.core.image import LoadedImage
from desktop_ocr.core.recognizer import RecognizeOptions

from .drawing import cjk_font_path

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
    pieces = engine_mod._split_long(crop)
    assert len(pieces) >= w // (engine_mod.PIECE_RATIO * h)
    assert pieces[0][0] == 0.0 and pieces[-1][1] == 1.0
    for (_, u1, _), (v0, _, _) in zip(pieces, pieces[1:]):
        assert u1 == v0  # contiguous, nothing lost or read twice
    gray = crop.mean(axis=2)
    for u0, u1, _sep in pieces:
        assert (u1 - u0) * w <= engine_mod.PIECE_RATIO * h + 1
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
