"""A line printed sideways and found in pieces (vertical.sideways_runs, engine._join_sideways): a
scanned file's Bates number down the page's margin, turned by 90 degrees, which the detector finds
a character or a few characters at a time. It is read as one line, while a table's column of
one-digit values stays the values of its rows. Drawn pages on the real engine, and the geometry."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from desktop_ocr.core import vertical
from desktop_ocr.core.image import LoadedImage

from .drawing import cjk_font_path

NUMBER = "82200067"


def _form_with_a_number_down_its_margin() -> Image.Image:
    """A page drawn here: a few lines of a report, a small table whose quantity column holds one
    digit per row, and NUMBER printed turned by 90 degrees (read top to bottom) down the right
    margin, its digits spaced as a stamp's are; the page blurred a little, as a scan is. The
    detector finds the number as 8, 2, 2 and 00067, as it finds the FUNSD scans' Bates numbers."""
    f = ImageFont.truetype(cjk_font_path(), 18)
    img = Image.new("RGB", (754, 1000), "white")
    d = ImageDraw.Draw(img)
    body = ["PROGRESS REPORT: OLD GOLD MENTHOL LIGHTS", "Region: Seattle North   Division: 12",
            "Stores stocking the brand: 15 of 20", "Volume moved this month: 77 cartons",
            "Please return this form by May 12 to the office"]
    for k, text in enumerate(body):
        d.text((60, 700 + 34 * k), text, font=f, fill="black")
    rows = [("Item", "Qty", "Amount"), ("Lights 100s", "2", "24.00"), ("Ultra Lights", "2", "20.00"),
            ("Menthol Box", "1", "12.00")]
    for k, (item, qty, amount) in enumerate(rows):
        y = 120 + 32 * k
        d.text((60, y), item, font=f, fill="black")
        d.text((330, y), qty, font=f, fill="black")
        d.text((460, y), amount, font=f, fill="black")
    g = ImageFont.truetype(cjk_font_path(), 20)
    strip = Image.new("RGB", (240, 30), "white")
    sd = ImageDraw.Draw(strip)
    x = 5
    for ch in NUMBER:
        sd.text((x, 3), ch, font=g, fill="black")
        x += int(g.getlength(ch)) + 6
    img.paste(strip.crop((0, 0, x + 5, 30)).rotate(-90, expand=True), (680, 760))
    return img.filter(ImageFilter.GaussianBlur(0.8))


def test_a_number_printed_down_the_margin_in_pieces_reads_as_one_line(engine):
    res = engine.recognize(LoadedImage(np.asarray(_form_with_a_number_down_its_margin()).copy()))
    texts = [ln.text.replace(" ", "") for ln in res.lines]
    assert NUMBER in texts, texts
    x0, y0, x1, y1 = res.lines[texts.index(NUMBER)].bbox()
    assert x0 > 670 and y0 < 775 and y1 > 880 and x1 - x0 < 40  # the whole number as it stands
    # no piece of it is left beside the line: nothing else is read in the margin
    assert [t for t, ln in zip(texts, res.lines) if ln.bbox()[0] > 660] == [NUMBER], texts
    # the table's quantities, one digit above the other, are the values of their own rows
    assert texts.count("2") == 2 and texts.count("1") == 1, texts
    for item, qty in (("Lights100s", "2"), ("UltraLights", "2"), ("MentholBox", "1")):
        row = texts.index(item)
        assert texts[row + 1] == qty, texts


def test_sideways_runs_joins_flat_characters_and_tall_pieces_down_one_axis():
    """Geometry only: characters lying on their side (wider than tall) touching down one axis, and a
    piece of several characters (a tall box) going on from them, are one run; upright characters (as
    tall as wide), a run too short to be a line, Chinese characters, and digits each level with a
    row of their own are not."""
    flat = [(680, 776 + 13 * k, 700, 790 + 13 * k) for k in range(3)]  # 20 wide, 14 tall, touching
    piece = (679, 815, 701, 880)
    assert vertical.sideways_runs(flat + [piece], ["8", "2", "2", "00067"]) == [[0, 1, 2, 3]]
    assert vertical.sideways_runs(flat, list("822")) == [[0, 1, 2]]
    # upright digits in a column: their boxes stand as tall as wide or taller
    upright = [(528, 370 + 33 * k, 553, 400 + 33 * k) for k in range(3)]
    assert vertical.sideways_runs(upright, list("221")) == []
    # two characters lying on their side are not a line yet (the run is under twice its width tall)
    assert vertical.sideways_runs(flat[:2], list("82")) == []
    assert vertical.sideways_runs(flat, list("二寸照")) == []
    # spaced apart (more than a third of the width between them): not one line's characters
    spaced = [(680, 776 + 24 * k, 700, 790 + 24 * k) for k in range(4)]
    assert vertical.sideways_runs(spaced, list("8220")) == []
    # each level with a line beside it of its own: a table's values
    rows = [(400, 776 + 13 * k, 660, 789 + 13 * k) for k in range(3)]
    assert vertical.sideways_runs(flat + rows, list("822") + ["Lights", "Ultra", "Menthol"]) == []


@pytest.mark.realdata
@pytest.mark.parametrize("stem", ["funsd__82200067_0069", "funsd__82251504", "funsd__82253245_3247"])
def test_a_scanned_form_s_bates_number_down_its_margin_reads_as_one_line(engine, eval_dir, stem):
    """The FUNSD scans' Bates number (the file's own number, printed turned by 90 degrees down the
    right margin) was read as 8, 2, 2 and 00067, or one digit a line: eight lines scattered
    among the form's own, none of them the ground truth's one line. It reads as that line."""
    number = stem.split("__")[1].split("_")[0]
    path = next((eval_dir / "images").glob(stem + ".*"))
    res = engine.recognize(LoadedImage(np.asarray(Image.open(path).convert("RGB")).copy()))
    texts = [ln.text.replace(" ", "") for ln in res.lines]
    assert number in texts, texts
    gt = json.loads((eval_dir / "gt" / f"{stem}.json").read_text(encoding="utf-8"))
    want = next(ln["polygon"] for ln in gt["lines"] if ln["text"] == number)
    gx0, gy0 = min(p[0] for p in want), min(p[1] for p in want)
    gx1, gy1 = max(p[0] for p in want), max(p[1] for p in want)
    x0, y0, x1, y1 = res.lines[texts.index(number)].bbox()
    assert abs(x0 - gx0) < 6 and abs(x1 - gx1) < 6 and abs(y0 - gy0) < 6 and abs(y1 - gy1) < 6
    # none of its digits is left over as a line of its own in the margin
    beside = [t for t, ln in zip(texts, res.lines)
              if ln.bbox()[0] > gx0 - 10 and gy0 - 10 < ln.bbox()[1] < gy1 + 10 and t != number]
    assert not beside, texts
