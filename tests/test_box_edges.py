"""A check box's edge that a line's box cut into is not read as the line's last (or first) letter.

A form's labels stand beside check boxes (``MAY 12`` then a box to tick). On a skewed scan
deskewed, the detector's box for the label reached into the check box's left edge, and the line
read ``MAY 12[``. A letter stays inside the detector's box (its margin reaches past it); an edge
the box cut into runs on past it, along the line, as the check box's top and bottom do. The
pages are drawn with the boxes placed as the detector placed them there."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from desktop_ocr.core import engine as engine_mod
from desktop_ocr.core import rules
from desktop_ocr.core.image import LoadedImage

from .drawing import cjk_font_path

SIZE = 28
MARGIN = 6


def _label(text: str, box_side: str | None, touch: int = 2) -> tuple[np.ndarray, tuple[float, float, float, float]]:
    """A white page (BGR) with ``text`` and, on ``box_side`` ("right" or "left"), a check box
    ``touch`` px from its ink, a little taller than the print; and the line's box: MARGIN px
    around the ink, reaching into the check box's edge on that side."""
    font = ImageFont.truetype(cjk_font_path(), SIZE)
    img = Image.new("RGB", (560, 120), "white")
    draw = ImageDraw.Draw(img)
    draw.text((200, 40), text, fill="black", font=font)
    x0, y0, x1, y1 = draw.textbbox((200, 40), text, font=font)
    box = [x0 - MARGIN, y0 - MARGIN, x1 + MARGIN, y1 + MARGIN]
    if box_side == "right":
        draw.rectangle([x1 + touch, y0 - 6, x1 + touch + 90, y1 + 6], outline="black", width=2)
        box[2] = x1 + touch + 5
    elif box_side == "left":
        draw.rectangle([x0 - touch - 90, y0 - 6, x0 - touch, y1 + 6], outline="black", width=2)
        box[0] = x0 - touch - 5
    return np.ascontiguousarray(np.asarray(img)[:, :, ::-1]), (box[0], box[1], box[2], box[3])


def _quad(b) -> np.ndarray:
    return np.array([[b[0], b[1]], [b[2], b[1]], [b[2], b[3]], [b[0], b[3]]], dtype=np.float32)


def test_an_edge_runs_past_the_box_and_a_letter_does_not():
    bgr, box = _label("MAY 12", "right")
    assert rules.runs_past(bgr, box, "right") >= rules.EDGE_BEYOND
    assert rules.runs_past(bgr, box, "left") < rules.EDGE_BEYOND  # the M stays inside
    bgr, box = _label("No", "left")
    assert rules.runs_past(bgr, box, "left") >= rules.EDGE_BEYOND
    assert rules.runs_past(bgr, box, "right") < rules.EDGE_BEYOND
    bgr, box = _label("x = a[", None)  # a bracket that is print
    assert rules.runs_past(bgr, box, "right") < rules.EDGE_BEYOND
    bgr, box = _label("[1] Yes |", None)
    assert rules.runs_past(bgr, box, "left") < rules.EDGE_BEYOND
    assert rules.runs_past(bgr, box, "right") < rules.EDGE_BEYOND
    assert rules.runs_past(np.full((60, 200, 3), 255, np.uint8), (10.0, 10.0, 150.0, 40.0), "right") == 0.0


@pytest.mark.parametrize("text, side", [("MAY 12", "right"), ("JUN 23", "right"), ("AUG 4", "right"),
                                        ("No", "left")])
def test_a_check_box_edge_read_as_a_letter_is_taken_off(engine, text, side):
    bgr, box = _label(text, side)
    engine._load()
    line = engine._read(bgr, [_quad(box)], True)[0]
    edge = engine_mod.EDGE_LAST if side == "right" else engine_mod.EDGE_FIRST
    said = line.text[-1] if side == "right" else line.text[0]
    assert said in edge and line.text != text  # the recogniser reads the edge as a bracket
    out = engine_mod._edges_off(bgr, [line])
    assert out[0] is line and line.text == text
    assert "".join(c.text for c in line.chars).replace(" ", "") == text.replace(" ", "")


@pytest.mark.parametrize("text", ["x = a[", "Yes |", "] done"])
def test_a_bracket_that_is_print_stays(engine, text):
    bgr, box = _label(text, None)
    engine._load()
    line = engine._read(bgr, [_quad(box)], False)[0]
    assert line.text[-1] in engine_mod.EDGE_LAST or line.text[0] in engine_mod.EDGE_FIRST
    before = line.text
    assert engine_mod._edges_off(bgr, [line])[0].text == before


def test_a_page_with_a_check_box_reads_its_label(engine):
    """The whole engine, on a page the detector boxes itself: a label beside its check box
    reads as the label (the detector's box reaches into the edge here too: without _edges_off
    the page read ``MAY 12[``, touching or 3 px apart)."""
    bgr, _ = _label("MAY 12", "right", touch=3)
    result = engine.recognize(LoadedImage(np.ascontiguousarray(bgr[:, :, ::-1])))
    assert [ln.text for ln in result.lines] == ["MAY 12"]
