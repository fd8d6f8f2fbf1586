"""RecognizeOptions.single_line: the whole image is one line, read without detection (real engine)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from desktop_ocr import cli
from desktop_ocr.core.image import LoadedImage
from desktop_ocr.core.recognizer import RecognizeOptions
from tests.drawing import render_lines, rgb_array, to_png_bytes

LINES = ["发票代码 144031900111", "Total: $1,234.56", "2024-05-21 09:42"]
SINGLE = RecognizeOptions(single_line=True)


def line_image(text: str, font_size: int = 32):
    """One line with a small margin, as a line cut out of a page."""
    return render_lines([text], font_size=font_size, margin=8, spacing=1.4)


def loaded(img) -> LoadedImage:
    return LoadedImage(rgb_array(img).copy())


def rect(w: int, h: int, start: int) -> list[tuple[float, float]]:
    """The image rectangle clockwise from corner ``start`` (0 top-left, 1 top-right, ...)."""
    corners = [(0.0, 0.0), (float(w), 0.0), (float(w), float(h)), (0.0, float(h))]
    return corners[start:] + corners[:start]


def inside(polygon, w: int, h: int) -> bool:
    return all(0 <= x <= w and 0 <= y <= h for x, y in polygon)


@pytest.mark.parametrize("text", LINES)
@pytest.mark.parametrize("font_size", [24, 40])
def test_one_line_reads_exactly(engine, text, font_size):
    img = line_image(text, font_size)
    res = engine.recognize(loaded(img), SINGLE)
    assert [ln.text for ln in res.lines] == [text]
    assert res.lines[0].polygon == rect(*img.size, 0)
    assert (res.angle, res.angle_detected) == (0.0, False)
    assert (res.width, res.height) == img.size


def test_upside_down_line_reads_exactly_and_reports_180(engine):
    img = line_image(LINES[0]).rotate(180)
    res = engine.recognize(loaded(img), SINGLE)
    assert [ln.text for ln in res.lines] == [LINES[0]]
    assert (res.angle, res.angle_detected) == (180.0, True)
    assert res.lines[0].polygon == rect(*img.size, 2)  # reading starts at the bottom-right corner


@pytest.mark.parametrize(("turn", "angle", "start"), [(-90, 90.0, 1), (90, -90.0, 3)])
def test_tall_image_is_a_line_turned_a_quarter(engine, turn, angle, start):
    img = line_image(LINES[1]).rotate(turn, expand=True)  # PIL turns counter-clockwise
    res = engine.recognize(loaded(img), SINGLE)
    assert [ln.text for ln in res.lines] == [LINES[1]]
    assert res.angle == angle
    assert res.lines[0].polygon == rect(*img.size, start)


def test_image_without_text_gives_no_line(engine):
    blank = LoadedImage(np.full((60, 320, 3), 255, np.uint8))
    res = engine.recognize(blank, RecognizeOptions(single_line=True, min_score=0.0))
    assert res.lines == []
    assert (res.angle, res.angle_detected) == (0.0, False)


@pytest.mark.parametrize("turn", [0, 180])
def test_chars_gives_boxes_inside_the_image(engine, turn):
    img = line_image(LINES[0]).rotate(turn)
    res = engine.recognize(loaded(img), RecognizeOptions(single_line=True, chars=True))
    (line,) = res.lines
    assert line.chars is not None
    assert [c.text for c in line.chars] == ["发", "票", "代", "码", "144031900111"]
    w, h = img.size
    assert all(c.polygon is not None and inside(c.polygon, w, h) for c in line.chars)
    first_x = line.chars[0].polygon[0][0]  # the first character's box starts on the reading side
    assert first_x < w / 4 if turn == 0 else first_x > 3 * w / 4


def test_min_score_filters(engine):
    image = loaded(line_image(LINES[2]))
    (line,) = engine.recognize(image, RecognizeOptions(single_line=True, min_score=0.0)).lines
    assert line.score is not None and 0.5 < line.score < 1.0
    for min_score, kept in ((line.score, 1), (min(1.0, line.score + 1e-4), 0)):
        assert len(engine.recognize(image, RecognizeOptions(single_line=True, min_score=min_score)).lines) == kept


def test_cli_single_line_flag(tmp_path, capsys):
    """End to end through the real CLI and engine: with the flag the one line's box is the whole image
    (nothing was detected); without it the detector's box lies inside the image."""
    img = line_image(LINES[1])
    path = tmp_path / "line.png"
    path.write_bytes(to_png_bytes(img))
    assert cli.main(["recognize", str(path), "--single-line", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [ln["text"] for ln in out["lines"]] == [LINES[1]]
    assert sorted(map(tuple, out["lines"][0]["polygon"])) == sorted(rect(img.width, img.height, 0))
    assert cli.main(["recognize", str(path), "--format", "json"]) == 0
    full = json.loads(capsys.readouterr().out)["lines"]
    assert full and sorted(map(tuple, full[0]["polygon"])) != sorted(rect(img.width, img.height, 0))


@pytest.mark.parametrize(("action", "sent"), [("GeneralAccurateOCR", True), ("GeneralBasicOCR", False)])
def test_tencent_asks_for_no_detection_where_it_can(engine, action, sent):
    from desktop_ocr import backends
    from tests.fakes.kits import KITS

    kit = KITS["tencent"]
    img = line_image(LINES[1])
    image = LoadedImage(pixels=rgb_array(img), source="line.png", data=to_png_bytes(img), format="png")
    with kit.make_fake(engine) as fake:
        backend = backends.create("tencent", **{**kit.settings(fake), "action": action, "backoff": 0.05})
        backend.recognize(image, SINGLE)
        assert (b'"EnableDetectText": false' in fake.requests[0].body) is sent
