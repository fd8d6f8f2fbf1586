"""Table rules crossing a detected line (core/rules.py): a form's two cells joined into one box
across a ruled line are cut apart at it; a letter, a number written over a cell's edge and the
edge of a dark patch are not rules."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from desktop_ocr.core import rules
from desktop_ocr.core.image import LoadedImage

from .drawing import cjk_font_path

FONT = 22


def _quad(x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32)


def _table(left: str, right: str, gap: int = 6, rows: int = 4, size: int = FONT,
           halftone: bool = False) -> tuple[np.ndarray, int, tuple[int, int, int, int]]:
    """A ruled table whose heading row has ``left`` and ``right`` in two cells, each written
    ``gap`` px from the rule between them, and ``rows`` rows of figures under them; ``halftone``:
    the heading row shaded with dots, as a faxed form's is. Returns the RGB pixels, the rule's x
    and the heading's ink box (x0, y0, x1, y1) across both cells."""
    font = ImageFont.truetype(cjk_font_path(), size)
    lw, rw = int(font.getlength(left)), int(font.getlength(right))
    x0, rule, top, row = 40, 40 + 10 + lw + gap, 60, 2 * size - 4
    x1 = rule + gap + rw + 10
    img = Image.new("RGB", (x1 + 200, top + row * (rows + 1) + 60), "white")
    d = ImageDraw.Draw(img)
    for k in range(rows + 2):  # the rows' rules
        d.line([(x0, top + k * row), (x1, top + k * row)], fill="black", width=2)
    for x in (x0, rule, x1):  # the columns' rules, down the whole table
        d.line([(x, top), (x, top + row * (rows + 1))], fill="black", width=2)
    ty = top + (row - size) // 2
    if halftone:  # every third pixel of every other row dark, offset row by row
        for y in range(top + 2, top + row - 1, 2):
            for x in range(x0 + 2 + (y // 2) % 3, x1 - 1, 3):
                d.point((x, y), fill=(90, 90, 90))
    d.text((rule - gap - lw, ty), left, fill="black", font=font)
    d.text((rule + gap + 1, ty), right, fill="black", font=font)
    for k in range(rows):
        d.text((x0 + 10, ty + (k + 1) * row), f"{101 + 7 * k}", fill="black", font=font)
        d.text((rule + 10, ty + (k + 1) * row), f"{23 + 5 * k}", fill="black", font=font)
    return np.asarray(img).copy(), rule, (rule - gap - lw, ty, rule + gap + 1 + rw, ty + size + 4)


def test_a_heading_joined_across_a_column_rule_is_cut_at_it():
    px, rule, (hx0, hy0, hx1, hy1) = _table("IND/LOR", "NO. OF")
    box = _quad(hx0 - 4, hy0 - 3, hx1 + 4, hy1 + 3)  # the detector's box: its margin round the ink
    found = rules.rules_across(px, box)
    assert len(found) == 1 and found[0][0] - 1 <= rule <= found[0][1] + 1, (found, rule)
    pieces = rules.split_at_rules(px, [box])
    assert len(pieces) == 2
    (a, b) = pieces
    assert a[:, 0].min() == pytest.approx(box[:, 0].min()) and a[:, 0].max() <= rule
    assert b[:, 0].min() >= rule and b[:, 0].max() == pytest.approx(box[:, 0].max())
    for p in pieces:  # each piece spans the box's height
        assert p[:, 1].min() == pytest.approx(box[:, 1].min()) and p[:, 1].max() == pytest.approx(box[:, 1].max())
    # a grey image gives the same, and a box on no rule is given back as it is
    gray = np.asarray(Image.fromarray(px).convert("L"))
    assert [p.tolist() for p in rules.split_at_rules(gray, [box])] == [p.tolist() for p in pieces]
    lone = _quad(hx0 - 4, hy0 - 3, rule - 3, hy1 + 3)
    assert rules.split_at_rules(px, [lone])[0] is lone


def test_a_number_written_over_a_cells_edge_is_not_cut():
    """A phone number that runs over its cell's edge (an XFUND form's 15810859116 | 联系人姓名):
    the rule touches its digits, so it is no gap between two cells."""
    px, rule, (hx0, hy0, hx1, hy1) = _table("15810859116", "联系人", gap=-30)
    box = _quad(hx0 - 4, hy0 - 3, hx1 + 4, hy1 + 3)
    assert rules.rules_across(px, box) == []


def test_letters_and_bars_of_a_line_are_not_rules():
    """Tall letters, a drawn bar '|' and a box on a line with nothing under or over it."""
    font = ImageFont.truetype(cjk_font_path(), 40)
    img = Image.new("RGB", (900, 300), "white")
    d = ImageDraw.Draw(img)
    d.text((40, 120), "lll Ill | lil 1l| fill", fill="black", font=font)
    px = np.asarray(img).copy()
    box = _quad(30, 112, 40 + font.getlength("lll Ill | lil 1l| fill") + 10, 172)
    assert rules.rules_across(px, box) == []


def test_the_edge_of_a_dark_patch_is_not_a_rule():
    """A line across a board's dark edge (a sign on a wall): the dark runs on beyond the box, but
    wide, not as a ruled line between light cells."""
    img = Image.new("RGB", (900, 400), "white")
    d = ImageDraw.Draw(img)
    d.rectangle([(400, 0), (900, 400)], fill=(30, 30, 30))
    d.line([(300, 0), (300, 400)], fill="black", width=2)  # and a rule through a dark band
    d.rectangle([(280, 0), (296, 400)], fill=(20, 20, 20))
    font = ImageFont.truetype(cjk_font_path(), 36)
    d.text((100, 180), "Open daily", fill="black", font=font)
    d.text((420, 180), "from 9 to 5", fill="white", font=font)
    px = np.asarray(img).copy()
    assert rules.rules_across(px, _quad(90, 170, 700, 226)) == []


def test_a_skewed_or_column_box_is_left_alone():
    px, rule, (hx0, hy0, hx1, hy1) = _table("IND/LOR", "NO. OF")
    h = hy1 - hy0 + 6
    tilted = _quad(hx0 - 4, hy0 - 3, hx1 + 4, hy1 + 3)
    tilted[1, 1] -= 0.1 * (hx1 - hx0)  # its top edge 6 degrees off level
    tilted[2, 1] -= 0.1 * (hx1 - hx0)
    assert rules.rules_across(px, tilted) == []
    column = _quad(rule - 10, hy0 - 3, rule + 10, hy0 - 3 + 4 * h)  # taller than wide
    assert rules.rules_across(px, column) == []


def test_the_engine_reads_two_cells_joined_by_the_detector_apart(engine):
    """Two headings in small print on a shaded row (a faxed form's, as FUNSD's), a few pixels from
    the rule between them, are one box to the detector (looked for: the size and the gap at which
    it joins them), and are read as two lines, each its own cell's text."""
    engine.warm_up()
    for size, gap in ((12, 4), (12, 6), (14, 4), (14, 5), (16, 4), (16, 6)):
        px, rule, _ = _table("IND/LOR", "NO. OF", gap=gap, size=size, halftone=True)
        quads, _ = engine._detect_single(np.ascontiguousarray(px[:, :, ::-1]), 0)
        if any(q[:, 0].min() < rule - 10 and q[:, 0].max() > rule + 10 for q in quads):
            break
    else:
        pytest.fail("the detector joins the two headings at no size or gap: the drawing no longer tests what it should")
    texts = [ln.text.replace(" ", "") for ln in engine.recognize(LoadedImage(px)).lines]
    assert "IND/LOR" in texts, (size, gap, texts)
    assert any(t.startswith("NO") and t.endswith("OF") and "IND" not in t for t in texts), (size, gap, texts)
    assert not any("IND" in t and "OF" in t for t in texts), texts
