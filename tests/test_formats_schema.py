"""Every export of real engine results validates against a strict schema of the vendor's answer."""

from __future__ import annotations

import json
import warnings

import pytest

from desktop_ocr import formats
from desktop_ocr.core.image import LoadedImage
from desktop_ocr.core.model import CharBox, OcrResult, TextLine
from desktop_ocr.core.recognizer import RecognizeOptions
from tests.drawing import render_lines, rgb_array
from tests.vendor_schema import ANSWER_SCHEMA, VENDOR, check_answer, errors, validate

LINES = ["深圳市南山区科技园 2024年", "Invoice No. 044031900111", "合计金额：￥1,280.50 元"]


@pytest.fixture(scope="module")
def page():
    img = render_lines(LINES)
    return LoadedImage(pixels=rgb_array(img), source="drawn.png")


@pytest.fixture(scope="module")
def results(engine, page):
    plain = engine.recognize(page, RecognizeOptions(chars=False))
    chars = engine.recognize(page, RecognizeOptions(chars=True))
    assert len(plain.lines) >= 3 and len(chars.lines) >= 3
    assert any(ln.chars for ln in chars.lines), "the engine returned no character boxes"
    return {"plain": plain, "chars": chars}


def test_schemas_accept_the_documented_examples():
    validate(json.loads((VENDOR / "aws_general_ocr.json").read_text("utf-8")), "aws")
    validate(json.loads((VENDOR / "tencent_general_accurate_ocr.json").read_text("utf-8")), "tencent")
    validate(json.loads((VENDOR / "tencent_legacy_general.json").read_text("utf-8")), "tencent_legacy")
    validate(json.loads((VENDOR / "huawei_general_text.json").read_text("utf-8")), "huawei")
    validate(json.loads((VENDOR / "huawei_error.json").read_text("utf-8")), "huawei_error")
    validate(json.loads((VENDOR / "tencent_error.json").read_text("utf-8")), "tencent_error")
    validate(json.loads((VENDOR / "tencent_legacy_error.json").read_text("utf-8")), "tencent_legacy_error")


@pytest.mark.parametrize("bad, name", [
    ([{"words": "a", "location": {"top": 1, "left": 2, "width": 3, "height": 4}, "score": 1}], "aws"),  # int score
    ([{"words": "a", "location": {"top": 1.0, "left": 2, "width": 3, "height": 4}, "score": 0.5}], "aws"),
    ([{"words": "a", "location": {"top": 1, "left": 2, "width": 3, "height": 4}, "score": 1.5}], "aws"),
    ({"result": {"direction": 360, "words_block_count": 0, "words_block_list": []}}, "huawei"),
    ({"result": {"direction": -1, "words_block_count": 0, "words_block_list": [],
                 "extra": 1}}, "huawei"),
    ({"data": {"items": [{"itemstring": "a", "itemcoord": {"x": 0, "y": 0, "width": 1, "height": 1},
                          "words": [{"character": "a", "confidence": 100.5}]}], "session_id": ""},
      "code": 0, "message": "OK"}, "tencent_legacy"),
    ({"error_code": "E1", "error_msg": "x"}, "huawei_error"),
])
def test_schemas_reject_wrong_types_and_ranges(bad, name):
    assert errors(bad, name)


def test_tencent_schema_rejects_float_confidence_and_object_advanced_info():
    good = json.loads((VENDOR / "tencent_general_accurate_ocr.json").read_text("utf-8"))
    det = good["Response"]["TextDetections"][0]
    for key, value in [("Confidence", 99.5), ("Confidence", 101), ("AdvancedInfo", {"Parag": {"ParagNo": 1}}),
                       ("AdvancedInfo", '{"Parag":{"ParagNo":0}}')]:
        bad = json.loads(json.dumps(good))
        bad["Response"]["TextDetections"][0][key] = value
        assert errors(bad, "tencent"), (key, value)
    assert det["Confidence"] == 100  # the original still passes (validated above)


@pytest.mark.parametrize("fmt", list(ANSWER_SCHEMA))
@pytest.mark.parametrize("kind", ["plain", "chars"])
def test_engine_results_validate(results, fmt, kind):
    result = results[kind]
    obj = formats.get(fmt).dump(result)
    check_answer(fmt, obj)
    written = json.loads(formats.export_text(result, fmt))  # the file the CLI writes
    if fmt == "tencent":  # a fresh uuid4 per answer when the result did not come from Tencent
        assert written["Response"].pop("RequestId") != obj["Response"].pop("RequestId")
    assert written == json.loads(json.dumps(obj, ensure_ascii=False))


def test_engine_lines_keep_reading_order_and_text_in_every_format(results):
    result = results["plain"]
    texts = [ln.text for ln in result.lines]
    assert "".join(texts).replace(" ", "").find("深圳市南山区") >= 0
    assert [x["words"] for x in formats.get("aws").dump(result)] == texts
    assert [d["DetectedText"] for d in formats.get("tencent").dump(result)["Response"]["TextDetections"]] == texts
    assert [i["itemstring"] for i in formats.get("tencent-legacy").dump(result)["data"]["items"]] == texts
    assert [b["words"] for b in formats.get("huawei").dump(result)["result"]["words_block_list"]] == texts
    assert formats.get("text").dump(result).split("\n") == texts  # one paragraph: no blank lines


def test_characters_fill_tencent_words_and_legacy_words(results):
    result = results["chars"]
    resp = formats.get("tencent").dump(result)["Response"]
    with_chars = [(ln, d) for ln, d in zip(result.lines, resp["TextDetections"]) if ln.chars]
    assert with_chars
    for ln, det in with_chars:
        assert [w["Character"] for w in det["Words"]] == [c.text for c in ln.chars]
        assert len(det["WordCoordPoint"]) == len(ln.chars)
        # every character box lies inside its line's box (a few pixels of slack for rounding)
        box = det["ItemPolygon"]
        for wc in det["WordCoordPoint"]:
            for p in wc["WordCoordinate"]:
                assert box["X"] - 3 <= p["X"] <= box["X"] + box["Width"] + 3
                assert box["Y"] - 3 <= p["Y"] <= box["Y"] + box["Height"] + 3
    legacy = formats.get("tencent-legacy").dump(result)["data"]["items"]
    for ln, item in zip(result.lines, legacy):
        if ln.chars:
            assert [w["character"] for w in item["words"]] == [c.text for c in ln.chars]
            assert all(abs(w["confidence"] - 100 * c.score) < 0.01 for w, c in zip(item["words"], ln.chars))


def test_without_characters_tencent_words_are_empty_and_legacy_lists_each_character(results):
    result = results["plain"]
    for det in formats.get("tencent").dump(result)["Response"]["TextDetections"]:
        assert det["Words"] == [] and det["WordCoordPoint"] == []
    for ln, item in zip(result.lines, formats.get("tencent-legacy").dump(result)["data"]["items"]):
        assert "".join(w["character"] for w in item["words"]) == "".join(ln.text.split())
        assert {w["confidence"] for w in item["words"]} == {round(100 * ln.score, 3)}


def test_aws_location_is_the_drawn_line_box(results, page):
    # upright text: the solution's top-left / bottom-right computation is the line's box
    result = results["plain"]
    for ln, item in zip(result.lines, formats.get("aws").dump(result)):
        left, top, right, bottom = ln.bbox()
        loc = item["location"]
        assert abs(loc["left"] - left) <= 2 and abs(loc["top"] - top) <= 2
        assert abs(loc["width"] - (right - left)) <= 3 and abs(loc["height"] - (bottom - top)) <= 3
        assert loc["width"] > loc["height"] > 10
        assert 0 <= loc["left"] and loc["left"] + loc["width"] < page.width


def test_tencent_sdk_reads_our_answer_without_unknown_fields(results):
    models = pytest.importorskip("tencentcloud.ocr.v20181119.models")
    obj = json.loads(json.dumps(formats.get("tencent").dump(results["chars"])))
    resp = models.GeneralAccurateOCRResponse()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the SDK warns "fileds are useless" for unknown keys
        resp._deserialize(obj["Response"])
    assert len(resp.TextDetections) == len(results["chars"].lines)
    det = resp.TextDetections[0]
    assert isinstance(det.Confidence, int) and det.Polygon[2].X > det.Polygon[0].X
    assert json.loads(det.AdvancedInfo)["Parag"]["ParagNo"] == 1


def test_empty_result_is_a_valid_empty_answer():
    empty = OcrResult(width=100, height=40)
    for fmt in ANSWER_SCHEMA:
        check_answer(fmt, formats.get(fmt).dump(empty))
    assert formats.get("aws").dump(empty) == []
    assert formats.get("huawei").dump(empty)["result"]["words_block_count"] == 0
    assert formats.get("text").dump(empty) == ""


def test_synthetic_edge_cases_validate():
    """Curved (8-point) polygons, missing scores, characters without boxes, tilted lines, off-image points."""
    curved = [(10, 10), (60, 5), (110, 10), (160, 20), (160, 40), (110, 30), (60, 25), (10, 30)]
    result = OcrResult(width=200, height=120, angle=-93.4, angle_detected=True, lines=[
        TextLine("弯曲文字", curved, score=0.8),
        TextLine("无分数", [(5, 50), (80, 50), (80, 70), (5, 70)], score=None,
                 chars=[CharBox("无", None), CharBox("分", 0.7), CharBox("数", 0.9)], paragraph=1),
        TextLine("tilted ccw", [(0, 110), (100, 60), (105, 70), (5, 120)], score=0.5, paragraph=2),
        TextLine("edge", [(-3.6, -2.2), (60.4, -2.2), (60.4, 12.7), (-3.6, 12.7)], score=0.99, paragraph=2),
    ])
    for fmt in ANSWER_SCHEMA:
        check_answer(fmt, formats.get(fmt).dump(result))
    det = formats.get("tencent").dump(result)["Response"]["TextDetections"]
    assert len(det[0]["Polygon"]) == 4
    assert det[1]["Words"][0]["Confidence"] == 80  # no char score: the line's, itself the chars' mean
    assert det[1]["WordCoordPoint"] == []  # characters without boxes: no coordinates to pair
    blocks = formats.get("huawei").dump(result)["result"]["words_block_list"]
    assert "confidence" not in blocks[1] and blocks[0]["confidence"] == 0.8
    aws = formats.get("aws").dump(result)
    assert aws[1]["score"] == pytest.approx(0.8)
    assert aws[3]["location"]["left"] == 0 and aws[3]["location"]["top"] == 0  # clipped like the solution


@pytest.mark.realdata
@pytest.mark.parametrize("stem, direction", [("sroie__025.jpg", 0), ("rotated__sroie_013_r180.jpg", 180)])
def test_real_pages_validate_in_every_format(engine, eval_dir, stem, direction):
    from desktop_ocr.core.sources import load_image

    image = load_image(eval_dir / "images" / stem)
    result = engine.recognize(image, RecognizeOptions(chars=True))
    assert len(result.lines) > 20
    for fmt in ANSWER_SCHEMA:
        check_answer(fmt, formats.get(fmt).dump(result))
    # Huawei reports the page turn (a page upside down is 180 either way round)
    assert formats.get("huawei").dump(result)["result"]["direction"] in (direction, (direction + 1) % 360,
                                                                          (direction - 1) % 360)
    # AWS: image-space corners even when the text reads upside down (our polygons start at the
    # text's own top-left, which on a 180-degree page is the image's bottom-right)
    for item in formats.get("aws").dump(result):
        loc = item["location"]
        assert loc["width"] > 0 and loc["height"] > 0, item
        assert loc["left"] + loc["width"] < image.width and loc["top"] + loc["height"] < image.height


def test_our_huawei_keys_are_the_sdk_models_keys(results):
    """Cross-check with Huawei's own SDK models: no key it does not know, and none of the doc's missing."""
    sdk = pytest.importorskip("huaweicloudsdkocr.v1.model")
    out = formats.get("huawei").dump(results["plain"])["result"]
    assert set(out) <= set(sdk.GeneralTextResult.attribute_map.values())
    for block in out["words_block_list"]:
        assert {"words", "location"} <= set(block) <= set(sdk.GeneralTextWordsBlockList.attribute_map.values())
