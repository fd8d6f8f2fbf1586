"""A region taken from a page or a screen cuts its neighbouring lines through their height: those
halves are let go (engine._cut_by_frame), and a whole line touching the region's edge is kept."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from desktop_ocr.core.image import LoadedImage
from desktop_ocr.core.recognizer import RecognizeOptions

from .drawing import cjk_font_path

LATIN = ["Invoice No. INV-2024-0042", "Payment due 2024-06-30", "Tel 021-6234 5678"]
CHINESE = ["上海市浦东新区世纪大道", "合计金额一百二十八元", "电话号码六二三四五六"]


def _page(lines: list[str], size: int = 28, gap: int = 10,
          sizes: list[int] | None = None) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """The lines drawn one under the other, ``gap`` px apart (each at ``size`` px, or at its own of
    ``sizes``), and each one's ink (top, bottom)."""
    sizes = sizes or [size] * len(lines)
    page = Image.new("RGB", (560, 80 + sum(s + gap for s in sizes)), "white")
    d = ImageDraw.Draw(page)
    inks = []
    y = 40
    for text, px in zip(lines, sizes):
        font = ImageFont.truetype(cjk_font_path(), px)
        d.text((30, y), text, fill="black", font=font)
        _, top, _, bottom = d.textbbox((30, y), text, font=font)
        inks.append((top, bottom))
        y += px + gap
    return np.asarray(page), inks


def _region(pixels: np.ndarray, inks: list[tuple[int, int]], keep: float) -> np.ndarray:
    """A region from the first line's ink to the last's, ``keep`` of each of those two lines'
    height inside it (1.0: they touch its edges whole)."""
    (t0, b0), (t2, b2) = inks[0], inks[-1]
    top = int(round(b0 - keep * (b0 - t0)))
    bottom = int(round(t2 + keep * (b2 - t2)))
    return np.ascontiguousarray(pixels[top:bottom + 1, 16:540])


def _texts(engine, pixels: np.ndarray, **options) -> list[str]:
    opts = RecognizeOptions(**options) if options else None
    return [ln.text for ln in engine.recognize(LoadedImage(pixels), opts).lines]


@pytest.mark.parametrize("lines", [LATIN, CHINESE], ids=["latin", "chinese"])
def test_a_region_lets_go_the_neighbours_its_edges_halve(engine, lines):
    pixels, inks = _page(lines)
    region = _region(pixels, inks, keep=0.5)
    # with no floor nothing is let go: the halves are there to read, and are read as lines
    everything = _texts(engine, region, min_score=0.0)
    assert len(everything) == 3 and everything[1] == lines[1], everything
    assert _texts(engine, region) == [lines[1]]
    # the same region turned a quarter: its edges above and below the lines are its sides now
    assert _texts(engine, np.ascontiguousarray(np.rot90(region, -1))) == [lines[1]]


@pytest.mark.parametrize("lines", [LATIN, CHINESE], ids=["latin", "chinese"])
def test_whole_lines_touching_the_edges_are_kept(engine, lines):
    # the region cut tight round the ink: the first and last lines touch its edges, whole; the
    # first Latin line (capitals and figures) stands lower than the second (descenders)
    pixels, inks = _page(lines)
    assert _texts(engine, _region(pixels, inks, keep=1.0)) == lines


MIXED = ["Invoice No. INV-2024-0042", "合计 Total 128.50 元", "电话 021-6234 5678"]


def test_an_english_line_over_chinese_ones_is_kept(engine):
    # an English line in a smaller type over Chinese lines, touching the region's top edge whole:
    # it stands under CUT_HEIGHT of them, as a halved line would, and is kept, as tall as its own
    # text says a whole line of its type size is (CUT_EM)
    pixels, inks = _page(MIXED, sizes=[24, 28, 28])
    read = _texts(engine, _region(pixels, inks, keep=1.0))
    assert [t.replace(" ", "") for t in read] == [t.replace(" ", "") for t in MIXED], read


def test_a_whole_caption_under_a_heading_is_kept(engine):
    # a region taken tight round a heading and its caption in a type half its size: the caption
    # touches the bottom edge and stands under CUT_HEIGHT of the heading, as a halved line would;
    # it is kept, as tall as its own text says a whole line of its type size is (CUT_EM)
    lines = ["Quarterly Report 2024", "Prepared by the finance team"]
    pixels, inks = _page(lines, sizes=[44, 22])
    assert _texts(engine, _region(pixels, inks, keep=1.0)) == lines
