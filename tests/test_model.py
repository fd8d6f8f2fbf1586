import json

import pytest

from desktop_ocr.core.model import CharBox, OcrResult, TextLine, normalize_angle


def sample_result() -> OcrResult:
    return OcrResult(
        width=640, height=480, angle=-3.5, angle_detected=True, source="a.png",
        lines=[
            TextLine("你好 world", [(10, 10), (200, 12), (200, 40), (10, 38)], 0.98,
                     chars=[CharBox("你", 0.99, [(10, 10), (30, 10), (30, 38), (10, 38)])], paragraph=0),
            TextLine("第二段", [(10, 80), (100, 80), (100, 110), (10, 110)], 0.7, paragraph=1),
        ],
    )


def test_json_round_trip_is_lossless():
    r = sample_result()
    text = json.dumps(r.to_dict(), ensure_ascii=False)
    back = OcrResult.from_dict(json.loads(text))
    assert back == r
    assert back.to_dict()["version"] == 1


def test_newer_schema_version_is_refused():
    d = sample_result().to_dict()
    d["version"] = 99
    with pytest.raises(ValueError, match="version"):
        OcrResult.from_dict(d)


def test_text_separates_paragraphs_with_blank_line():
    assert sample_result().text == "你好 world\n\n第二段"


@pytest.mark.parametrize("raw,norm", [(359.99, -0.01), (-90, -90), (270, -90), (180, 180), (-180, 180), (0, 0)])
def test_angle_normalised(raw, norm):
    assert normalize_angle(raw) == pytest.approx(norm)


def test_line_validation():
    with pytest.raises(ValueError):
        TextLine("x", [(0, 0), (1, 0), (1, 1)], 0.9)
    with pytest.raises(ValueError):
        TextLine("x", [(0, 0), (1, 0), (1, 1), (0, 1)], 1.5)
