"""Golden tests: each vendor's documented example answer loads into our model and exports unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_ocr import formats
from desktop_ocr.core.model import OcrResult

VENDOR = Path(__file__).parent / "fixtures" / "vendor"
REPAIRS = json.loads((VENDOR / "repairs.json").read_text(encoding="utf-8"))

GOLDEN = {
    "aws": "aws_general_ocr",
    "tencent": "tencent_general_accurate_ocr",
    "tencent-legacy": "tencent_legacy_general",
    "huawei": "huawei_general_text",
}


def fixture(name: str):
    return json.loads((VENDOR / f"{name}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(REPAIRS))
def test_fixture_is_the_documented_example_with_only_the_listed_repairs(name):
    raw = (VENDOR / f"{name}.raw.txt").read_text(encoding="utf-8")
    repairs = REPAIRS[name]
    if repairs:
        with pytest.raises(json.JSONDecodeError):
            json.loads(raw)  # as printed in the docs it is not JSON: the repairs are needed
    for old, new, count in repairs:
        assert raw.count(old) == count, (old, raw.count(old))
        raw = raw.replace(old, new)
    assert json.loads(raw) == fixture(name)


@pytest.mark.parametrize("fmt", sorted(GOLDEN))
def test_documented_example_round_trips_unchanged(fmt):
    doc = fixture(GOLDEN[fmt])
    mod = formats.get(fmt)
    result = mod.load(doc)
    assert isinstance(result, OcrResult) and result.lines
    assert mod.dump(result) == doc
    # and through our own JSON file and back: nothing the vendor said is lost on the way
    again = formats.get("json").load(json.loads(formats.export_text(result, "json")))
    assert mod.dump(again) == doc


def test_aws_example_reads_as_expected():
    result = formats.get("aws").load(fixture("aws_general_ocr"))
    first = result.lines[0]
    assert first.text == "香港永久性居民身份證"
    assert first.polygon == [(148, 18), (317, 18), (317, 35), (148, 35)]
    assert first.score == pytest.approx(0.9923796653747559)
    assert result.width >= 392 and result.height >= 53  # extent of the boxes: AWS omits the image size


def test_tencent_example_item_polygon_is_the_inclusive_box_of_polygon_for_all_items():
    dets = fixture("tencent_general_accurate_ocr")["Response"]["TextDetections"]
    assert len(dets) == 7
    for d in dets:
        xs = [p["X"] for p in d["Polygon"]]
        ys = [p["Y"] for p in d["Polygon"]]
        assert d["ItemPolygon"] == {"X": min(xs), "Y": min(ys), "Width": max(xs) - min(xs) + 1,
                                    "Height": max(ys) - min(ys) + 1}


def test_tencent_example_reads_as_expected():
    doc = fixture("tencent_general_accurate_ocr")
    result = formats.get("tencent").load(doc)
    assert result.angle == pytest.approx(-0.01001, abs=1e-5)  # 359.98999 in our (-180, 180]
    assert result.angle_detected
    assert result.meta["RequestId"] == "4021987a-5441-4160-981a-d084cd96b5ad"
    assert [ln.paragraph for ln in result.lines] == [0, 1, 2, 2, 2, 3, 3]  # ParagNo 1..4, 0-based here
    assert result.lines[2].text.startswith('In 2009, I wrote "101 Things')
    assert all(ln.score == 1.0 and ln.chars is None for ln in result.lines)
    # paragraphs become blank-line-separated blocks in the text export
    assert formats.get("text").dump(result).count("\n\n") == 3
    assert formats.get("tencent").dump(result)["Response"]["Angle"] == 359.989990234375


def test_tencent_legacy_example_reads_as_expected():
    result = formats.get("tencent-legacy").load(fixture("tencent_legacy_general"))
    (line,) = result.lines
    assert line.text == "手机" and line.score is None  # the service gives only character confidences
    assert line.bbox() == (0, 100, 40, 120)
    assert [(c.text, c.score) for c in line.chars] == [("手", pytest.approx(0.909)), ("机", pytest.approx(0.939))]
    assert result.meta["session_id"] == ""


def test_huawei_example_reads_as_expected():
    result = formats.get("huawei").load(fixture("huawei_general_text"))
    (line,) = result.lines
    assert line.text == "文字区域识别文字块1" and line.score is None
    assert line.polygon == [(15, 15), (30, 15), (30, 30), (15, 30)]
    assert not result.angle_detected  # direction -1: detect_direction was off


def test_huawei_documented_error_round_trips():
    doc = fixture("huawei_error")
    mod = formats.get("huawei")
    err = mod.load_error(doc, 400)
    assert err.vendor_code == "AIS.0103" and err.message == doc["error_msg"] and err.status == 400
    assert mod.dump_error(err) == doc
    with pytest.raises(type(err)) as caught:
        mod.load(doc)  # an error body handed to load() raises the same typed error
    assert caught.value.vendor_code == "AIS.0103"


@pytest.mark.parametrize("fmt, name", [("tencent", "tencent_error"), ("tencent-legacy", "tencent_legacy_error")])
def test_constructed_error_bodies_round_trip(fmt, name):
    doc = fixture(name)
    mod = formats.get(fmt)
    err = mod.load_error(doc, 200)
    assert mod.dump_error(err) == doc
    with pytest.raises(type(err)):
        mod.load(doc)


def test_aws_duration_entry_survives_a_round_trip():
    doc = fixture("aws_general_ocr") + [{"duration": 0.8125}]
    mod = formats.get("aws")
    result = mod.load(doc)
    assert len(result.lines) == 2 and result.meta["duration"] == 0.8125
    assert mod.dump(result) == doc
