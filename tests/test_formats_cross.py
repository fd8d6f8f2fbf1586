"""A cloud answer in one vendor's format, re-exported in the others: text, order and geometry survive."""

from __future__ import annotations

import json

import pytest

from desktop_ocr import formats
from desktop_ocr.core.model import CharBox, OcrResult, TextLine
from desktop_ocr.formats import _common, aws, huawei, tencent
from tests.vendor_schema import VENDOR, check_answer


@pytest.fixture
def tencent_answer():
    return json.loads((VENDOR / "tencent_general_accurate_ocr.json").read_text("utf-8"))


@pytest.fixture
def from_tencent(tencent_answer):
    return formats.get("tencent").load(tencent_answer)


def test_tencent_to_huawei(tencent_answer, from_tencent):
    out = formats.get("huawei").dump(from_tencent)
    check_answer("huawei", out)
    dets = tencent_answer["Response"]["TextDetections"]
    blocks = out["result"]["words_block_list"]
    assert out["result"]["words_block_count"] == len(dets) == 7
    assert out["result"]["direction"] == 0  # Tencent measured the angle (359.99 = -0.01 degrees)
    for d, b in zip(dets, blocks):
        assert b["words"] == d["DetectedText"]
        assert b["location"] == [[p["X"], p["Y"]] for p in d["Polygon"]]
        assert b["confidence"] == d["Confidence"] / 100


def test_tencent_to_aws(tencent_answer, from_tencent):
    out = formats.get("aws").dump(from_tencent)
    check_answer("aws", out)
    dets = tencent_answer["Response"]["TextDetections"]
    assert [x["words"] for x in out] == [d["DetectedText"] for d in dets]
    # first item, worked by hand the solution's way: corners (446,93) (709,94) (708,118) (446,116)
    # -> top-left (446,93), bottom-right (708,118)
    assert out[0]["location"] == {"top": 93, "left": 446, "width": 262, "height": 25}
    for d, x in zip(dets, out):
        box, loc = d["ItemPolygon"], x["location"]
        assert abs(loc["left"] - box["X"]) <= 1 and abs(loc["top"] - box["Y"]) <= 3
        assert abs(loc["width"] - (box["Width"] - 1)) <= 2 and abs(loc["height"] - (box["Height"] - 1)) <= 5
        assert x["score"] == 1.0


def test_tencent_to_legacy(tencent_answer, from_tencent):
    out = formats.get("tencent-legacy").dump(from_tencent)
    check_answer("tencent-legacy", out)
    for d, item in zip(tencent_answer["Response"]["TextDetections"], out["data"]["items"]):
        box = d["ItemPolygon"]
        assert item["itemstring"] == d["DetectedText"]
        # Tencent's inclusive box vs legacy's right-minus-left: one pixel apart, same rectangle
        assert item["itemcoord"] == {"x": box["X"], "y": box["Y"], "width": box["Width"] - 1,
                                     "height": box["Height"] - 1}
        assert "".join(w["character"] for w in item["words"]) == "".join(d["DetectedText"].split())
        assert all(w["confidence"] == 100.0 for w in item["words"])
    assert out["data"]["session_id"] == ""  # Tencent's RequestId is not a legacy session


@pytest.mark.parametrize("target", ["huawei", "aws", "tencent-legacy", "json"])
def test_tencent_via_other_format_and_back_keeps_text_and_boxes(from_tencent, target):
    mod = formats.get(target)
    back = mod.load(json.loads(json.dumps(mod.dump(from_tencent))))
    assert [ln.text for ln in back.lines] == [ln.text for ln in from_tencent.lines]
    for a, b in zip(from_tencent.lines, back.lines):
        assert all(abs(u - v) <= 3 for u, v in zip(a.bbox(), b.bbox())), (a.bbox(), b.bbox())


def test_tencent_paragraphs_survive_as_text_blocks(from_tencent):
    text = formats.get("text").dump(from_tencent)
    blocks = text.split("\n\n")
    assert len(blocks) == 4
    assert blocks[2].split("\n")[0].startswith("In 2009")


def test_legacy_characters_reach_tencent_words():
    legacy = json.loads((VENDOR / "tencent_legacy_general.json").read_text("utf-8"))
    result = formats.get("tencent-legacy").load(legacy)
    det = formats.get("tencent").dump(result)["Response"]["TextDetections"][0]
    assert det["Words"] == [{"Character": "手", "Confidence": 91}, {"Character": "机", "Confidence": 94}]
    assert det["WordCoordPoint"] == []  # the legacy service gives no character boxes
    assert det["Confidence"] == 92  # the line's: the mean of its characters'
    assert det["ItemPolygon"] == {"Height": 21, "Width": 41, "X": 0, "Y": 100}
    assert det["Polygon"] == [{"X": 0, "Y": 100}, {"X": 40, "Y": 100}, {"X": 40, "Y": 120}, {"X": 0, "Y": 120}]


def test_huawei_example_to_tencent_and_aws():
    doc = json.loads((VENDOR / "huawei_general_text.json").read_text("utf-8"))
    result = formats.get("huawei").load(doc)
    t = formats.get("tencent").dump(result)
    check_answer("tencent", t)
    det = t["Response"]["TextDetections"][0]
    assert det["Confidence"] == 100  # Huawei gave no confidence: the line counts as accepted
    assert det["ItemPolygon"] == {"Height": 16, "Width": 16, "X": 15, "Y": 15}
    assert formats.get("aws").dump(result) == [
        {"words": "文字区域识别文字块1", "location": {"top": 15, "left": 15, "width": 15, "height": 15}, "score": 1.0}]


# -- rotation conventions ------------------------------------------------------------------------

@pytest.mark.parametrize("angle, direction, tencent_angle", [
    (0.0, 0, 0.0), (90.0, 270, 90.0), (180.0, 180, 180.0), (-90.0, 90, 270.0), (-0.01, 0, 359.99),
    (3.4, 357, 3.4), (-12.6, 13, 347.4),
])
def test_angle_conventions(angle, direction, tencent_angle):
    r = OcrResult(width=10, height=10, angle=angle, angle_detected=True)
    assert huawei.direction(r) == direction
    assert tencent.dump(r)["Response"]["Angle"] == pytest.approx(tencent_angle)
    # and Huawei's direction reads back as the same whole-degree rotation
    back = huawei.load(huawei.dump(r))
    assert back.angle_detected and round(back.angle) % 360 == round(angle) % 360


def test_huawei_direction_is_minus_one_when_nobody_looked():
    r = OcrResult(width=10, height=10, angle=90.0, angle_detected=False)
    assert huawei.dump(r)["result"]["direction"] == -1


def test_tencent_angle_never_reaches_360():
    assert tencent.export_angle(-1e-17) == 0.0
    assert 0 <= tencent.export_angle(-1e-300) < 360


# -- geometry helpers ----------------------------------------------------------------------------

def test_quad_keeps_four_points_and_reduces_curved_polygons():
    four = [(1, 2), (10, 2), (10, 8), (1, 8)]
    assert _common.quad(four) == [(1.0, 2.0), (10.0, 2.0), (10.0, 8.0), (1.0, 8.0)]
    curved = [(10, 10), (60, 5), (110, 10), (160, 20), (160, 40), (110, 30), (60, 25), (10, 30)]
    q = _common.quad(curved)
    assert len(q) == 4
    assert q[0][0] < 40 and q[0][1] < 20  # starts at the text's top-left, like the polygon
    assert (_common._signed_area(q) > 0) == (_common._signed_area(curved) > 0)  # same way round
    xs, ys = [p[0] for p in q], [p[1] for p in q]
    assert min(xs) <= 10.5 and max(xs) >= 159.5 and min(ys) <= 10 and max(ys) >= 30


def test_aws_location_follows_the_solution_for_tilted_lines():
    # clockwise tilt: tl (0,0), br (81.6,58.7) -> positive box
    cw = TextLine("x", [(0, 0), (86.6, 50), (81.6, 58.7), (-5, 8.7)])
    assert aws.location(cw) == {"top": 0, "left": 0, "width": 81, "height": 58}
    # counterclockwise tilt: the solution's formula gives a negative height; so do we
    ccw = TextLine("x", [(0, 50), (86.6, 0), (91.6, 8.7), (5, 58.7)])
    assert aws.location(ccw) == {"top": 50, "left": 0, "width": 91, "height": -42}
    # the point order does not matter: the solution sorts the corners itself
    rotated = TextLine("x", [(91.6, 8.7), (5, 58.7), (0, 50), (86.6, 0)])
    assert aws.location(rotated) == aws.location(ccw)


def test_aws_location_truncates_and_clips_like_the_solution():
    line = TextLine("x", [(-4.2, 3.9), (120.7, 3.9), (120.7, 30.99), (-4.2, 30.99)])
    assert aws.location(line, width=100, height=200) == {"top": 3, "left": 0, "width": 99, "height": 27}
    assert aws.location(line) == {"top": 3, "left": -4, "width": 124, "height": 27}  # size unknown: no clip


def test_scores_missing_everywhere():
    line = TextLine("无", [(0, 0), (9, 0), (9, 9), (0, 9)], chars=[CharBox("无")])
    r = OcrResult(width=10, height=10, lines=[line])
    assert tencent.dump(r)["Response"]["TextDetections"][0]["Confidence"] == 100
    assert tencent.dump(r)["Response"]["TextDetections"][0]["Words"][0]["Confidence"] == 100
    assert aws.dump(r)[0]["score"] == 1.0
    assert "confidence" not in huawei.dump(r)["result"]["words_block_list"][0]
    assert formats.get("tencent-legacy").dump(r)["data"]["items"][0]["words"][0]["confidence"] == 100.0


def test_tencent_old_angel_field_is_read_when_angle_is_missing():
    r = tencent.load({"Response": {"Angel": 90.0, "RequestId": "r", "TextDetections": []}})
    assert r.angle == 90.0 and r.angle_detected
    assert not tencent.load({"Response": {"RequestId": "r", "TextDetections": []}}).angle_detected
