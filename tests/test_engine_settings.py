"""Engine settings on the real models: score threshold, detection size, character boxes, missing
models, and use from several threads at once."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from desktop_ocr.core import engine as engine_mod
from desktop_ocr.core import rapid
from desktop_ocr.core.engine import LocalEngine, model_paths
from desktop_ocr.core.errors import EngineUnavailable
from desktop_ocr.core.image import LoadedImage
from desktop_ocr.core.recognizer import CLOUD_MIN_SCORE, LOCAL_MIN_SCORE, RecognizeOptions

from .drawing import cjk_font_path, render_lines


def _img(pil: Image.Image) -> LoadedImage:
    return LoadedImage(np.asarray(pil.convert("RGB")).copy(), source="drawn")


def _inside(pt, bbox, tol=3.0) -> bool:
    x0, y0, x1, y1 = bbox
    return x0 - tol <= pt[0] <= x1 + tol and y0 - tol <= pt[1] <= y1 + tol


def test_character_boxes_chinese_each_char_latin_per_word(engine):
    page = render_lines(["识别汉字 OCR2026 test"], font_size=40)
    res = engine.recognize(_img(page), RecognizeOptions(chars=True))
    assert len(res.lines) == 1
    line = res.lines[0]
    assert line.text.replace(" ", "") == "识别汉字OCR2026test"
    assert [c.text for c in line.chars] == ["识", "别", "汉", "字", "OCR2026", "test"]
    bbox = line.bbox()
    lefts = []
    for c in line.chars:
        assert 0.0 <= c.score <= 1.0
        assert len(c.polygon) == 4
        assert all(_inside(p, bbox) for p in c.polygon)
        lefts.append(min(p[0] for p in c.polygon))
    assert lefts == sorted(lefts)  # left to right, no reordering
    # each Chinese box covers roughly one glyph: about as wide as the font size, and it sits
    # on ink (the drawn glyph), not on the white between characters
    arr = np.asarray(page.convert("L"))
    for c in line.chars[:4]:
        xs = [p[0] for p in c.polygon]
        ys = [p[1] for p in c.polygon]
        assert 20 <= max(xs) - min(xs) <= 60
        patch = arr[int(min(ys)):int(max(ys)), int(min(xs)):int(max(xs))]
        assert (patch < 128).mean() > 0.08


def test_character_boxes_off_by_default(engine):
    res = engine.recognize(_img(render_lines(["你好 world"])))
    assert res.lines and all(ln.chars is None for ln in res.lines)


def test_min_score_drops_weak_lines(engine):
    # a crisp line and a faint, blurred one: the faint one has the lower score
    img = Image.new("RGB", (900, 260), "white")
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(cjk_font_path(), 40)
    d.text((30, 30), "清晰的文字 Clear text", fill="black", font=font)
    d.text((30, 150), "模糊 faint 12", fill=(200, 200, 200), font=ImageFont.truetype(cjk_font_path(), 18))
    image = _img(img)
    everything = engine.recognize(image, RecognizeOptions(min_score=0.0))
    scores = sorted(ln.score for ln in everything.lines)
    assert len(scores) >= 2
    cut = (scores[0] + scores[-1]) / 2.0
    strict = engine.recognize(image, RecognizeOptions(min_score=cut))
    assert 1 <= len(strict.lines) < len(everything.lines)
    assert all(ln.score >= cut for ln in strict.lines)


def test_the_local_engine_drops_its_readings_under_its_own_floor_unless_told(engine):
    # plain rapidocr keeps lines from 0.5; the local engine from LOCAL_MIN_SCORE (0.64), since
    # its readings under that are mostly scraps (tests/test_rotation_realdata.py: a skewed
    # receipt, a skewed sign); a caller's min_score, lower or higher, is taken as given
    assert engine.min_score_for(RecognizeOptions()) == LOCAL_MIN_SCORE > CLOUD_MIN_SCORE
    assert engine.min_score_for(RecognizeOptions(min_score=0.3)) == 0.3
    assert engine.min_score_for(RecognizeOptions(min_score=0.0)) == 0.0


def test_detection_size_setting_changes_what_is_found(engine):
    # small text on a big page: a tiny detection size loses it, the automatic size keeps it
    img = Image.new("RGB", (2400, 1600), "white")
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(cjk_font_path(), 16)
    for i in range(5):
        d.text((100, 100 + i * 60), f"小号文字第{i + 1}行 small text {i + 1}", fill="black", font=font)
    image = _img(img)
    auto = engine.recognize(image, RecognizeOptions(detect_rotation=False))
    tiny = engine.recognize(image, RecognizeOptions(detect_rotation=False, det_limit=320))
    assert len(auto.lines) == 5
    assert "小号文字第3行" in auto.lines[2].text.replace(" ", "")
    assert len(tiny.lines) < len(auto.lines)


def test_missing_models_give_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(engine_mod, "model_dir", lambda: tmp_path)
    with pytest.raises(EngineUnavailable) as err:
        model_paths()
    msg = str(err.value)
    assert "PP-OCRv6_det_small.onnx" in msg and str(tmp_path) in msg and "never downloaded" in msg
    fresh = LocalEngine()
    with pytest.raises(EngineUnavailable):
        fresh.recognize(_img(render_lines(["abc"])))
    with pytest.raises(EngineUnavailable):
        fresh.warm_up()


def test_models_load_lazily_from_the_wheel():
    eng = LocalEngine()
    assert eng._models is None  # constructing costs nothing
    paths = model_paths()
    for p in paths.values():
        assert "rapidocr" in p and p.endswith(".onnx")


def _intra_op(eng: LocalEngine, names=("det", "cls", "rec")) -> dict[str, int]:
    models = eng._loaded()
    return {n: getattr(models, n).session.session.get_session_options().intra_op_num_threads for n in names}


def test_threads_set_the_onnx_runtime_sessions(engine):
    # the default: classifier and recogniser run one thread per call, spread over the cores by the
    # engine's pool (a 1-core machine: one call on ONNX Runtime's own choice of threads)
    assert engine.threads is None
    want = 1 if engine.parallel > 1 else 0
    assert _intra_op(engine, ("cls", "rec")) == {"cls": want, "rec": want}
    assert (engine._loaded().pool is not None) == (engine.parallel > 1)
    one = LocalEngine(threads=1, runtime="onnxruntime")
    one._load()
    assert one.parallel == 1 and one._loaded().pool is None
    assert _intra_op(one) == {"det": 1, "cls": 1, "rec": 1}
    auto = LocalEngine(runtime="onnxruntime")
    auto._load()
    assert _intra_op(auto, ("det",)) == {"det": 0}  # the detector keeps ONNX Runtime's own choice


@pytest.mark.skipif(not rapid.openvino_available(), reason="OpenVINO (the [fast] extra) is not installed")
def test_openvino_detector_gives_the_onnx_runtime_result():
    img = _img(render_lines(["发票代码 144031900111", "Total: $1,234.56", "北京市海淀区中关村大街1号"],
                            font_size=30))
    ov_engine, ort_engine = LocalEngine(runtime="openvino"), LocalEngine(runtime="onnxruntime")
    got_ov, got_ort = ov_engine.recognize(img), ort_engine.recognize(img)
    assert ov_engine.runtime_used == "openvino" and ort_engine.runtime_used == "onnxruntime"
    assert [ln.text for ln in got_ov.lines] == [ln.text for ln in got_ort.lines]
    assert len(got_ov.lines) == 3 and "144031900111" in got_ov.lines[0].text.replace(" ", "")
    for a, b in zip(got_ov.lines, got_ort.lines):
        assert np.abs(np.asarray(a.polygon) - np.asarray(b.polygon)).max() <= 1.0


def test_an_unknown_runtime_is_refused_by_name():
    with pytest.raises(ValueError, match="tpu"):
        LocalEngine(runtime="tpu").warm_up()


def test_concurrent_use_from_threads_matches_serial(engine):
    images = [_img(render_lines([f"线程{i}号 thread {i}", f"第二行 line {i * 11}"])) for i in range(4)]
    serial = [[ln.text for ln in engine.recognize(im).lines] for im in images]
    got: dict[int, list[str]] = {}
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            got[i] = [ln.text for ln in engine.recognize(images[i]).lines]
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors
    assert [got[i] for i in range(4)] == serial
    assert serial[2][0].replace(" ", "") == "线程2号thread2"


def test_blank_image_gives_empty_result_not_error(engine):
    res = engine.recognize(LoadedImage(np.full((300, 400, 3), 255, np.uint8)))
    assert res.lines == [] and (res.width, res.height) == (400, 300)
