"""rapidocr's internals behind desktop_ocr.core.rapid: present in the installed version, shaped as
we read them, and a clear EngineUnavailable when an upgrade removes one.

If a rapidocr upgrade breaks this file, do not patch the test: adapt core/rapid.py (the only
module that touches rapidocr internals) and re-run the accuracy benchmark.
"""

from __future__ import annotations

import dataclasses
import re
import sys
import types
from importlib.metadata import version as dist_version
from pathlib import Path

import cv2
import numpy as np
import pytest

from desktop_ocr.core import rapid
from desktop_ocr.core.engine import LocalEngine, model_paths
from desktop_ocr.core.errors import EngineUnavailable
from tests.drawing import render_lines, rgb_array


@pytest.fixture(scope="module")
def models() -> rapid.Models:
    return rapid.load_models(model_paths())


def _line_bgr(text: str = "Hello 2024 你好世界") -> np.ndarray:
    return np.ascontiguousarray(rgb_array(render_lines([text]))[:, :, ::-1])


def _line_crop(models: rapid.Models, text: str = "Hello 2024 你好世界") -> np.ndarray:
    bgr = _line_bgr(text)
    boxes, _ = models.detect(bgr, "min", 736)
    assert boxes is not None and len(boxes) == 1
    return rapid.crop_line(bgr, np.asarray(boxes[0], dtype=np.float32).copy())


def test_check_api_passes_on_the_installed_version():
    installed = rapid.check_api()
    assert installed == dist_version("rapidocr")
    # desktop_ocr is tested against 3.x: a new major version must be looked at (then update SUPPORTED)
    assert installed.split(".")[0] == rapid.SUPPORTED.split(".")[0]


def test_engine_touches_rapidocr_only_through_core_rapid():
    src = (Path(rapid.__file__).parent / "engine.py").read_text(encoding="utf-8")
    assert not re.search(r"^\s*(from|import)\s+rapidocr", src, re.MULTILINE)
    assert "_load_" not in src and "rapidocr." not in src


def test_detector_returns_boxes_and_scores(models):
    bgr = _line_bgr()
    boxes, scores = models.detect(bgr, "min", 736)
    assert isinstance(boxes, np.ndarray) and boxes.shape == (1, 4, 2)
    assert len(scores) == 1 and 0.5 < float(scores[0]) <= 1.0
    h, w = bgr.shape[:2]  # in the input's own pixels
    assert 0 <= boxes[..., 0].min() and boxes[..., 0].max() <= w and boxes[..., 1].max() <= h
    empty_boxes, _ = models.detect(np.full((96, 320, 3), 255, np.uint8), "min", 736)
    assert empty_boxes is None or len(empty_boxes) == 0


def test_detector_honours_the_limits_we_set(models, monkeypatch):
    """engine._detect_single sizes the image itself and relies on these resize semantics."""
    seen = []
    session = models.det.session  # test-only peek at the network input

    def spy(x):
        seen.append(x.shape[2:])
        return session(x)

    monkeypatch.setattr(models.det, "session", spy)
    img = np.full((160, 640, 3), 255, np.uint8)
    cv2.putText(img, "LIMITS 42", (20, 100), cv2.FONT_HERSHEY_SIMPLEX, 2.0, (0, 0, 0), 4)
    models.detect(img, "max", 640)  # already that size: no resize
    models.detect(img, "min", 736)  # short side grown to 736
    models.detect(img, "max", 480)  # long side shrunk to 480 (then both to multiples of 32)
    assert seen == [(160, 640), (736, 2944), (128, 480)]


def test_classifier_flags_upside_down_lines(models):
    crop = _line_crop(models)
    res = models.classify([crop, np.ascontiguousarray(np.rot90(crop, 2))])
    assert [flip for flip, _ in res] == [False, True]
    assert all(float(score) > models.cls_thresh for _, score in res)
    assert 0.0 < float(models.cls_thresh) < 1.0


def test_recognizer_returns_texts_scores_and_word_info(models):
    crop = _line_crop(models)
    plain = models.recognize([crop], word_boxes=False)
    assert plain.txts[0].replace(" ", "") == "Hello2024你好世界"
    assert len(plain.scores) == 1 and 0.8 < float(plain.scores[0]) <= 1.0
    wb = models.recognize([crop, crop], word_boxes=True)
    assert wb.txts == [plain.txts[0]] * 2 and len(wb.scores) == len(wb.words) == 2
    info = wb.words[0]  # what lineframe.char_boxes reads
    assert info.line_txt_len > 0 and len(info.confs) == len(wb.txts[0])
    assert "".join("".join(w) for w in info.words) == wb.txts[0].replace(" ", "")
    assert [len(c) for c in info.word_cols] == [len(w) for w in info.words]
    assert len(info.word_types) == len(info.words)
    kinds = {"".join(w): t.value for w, t in zip(info.words, info.word_types)}
    assert kinds["Hello"] == kinds["2024"] != "cn"
    assert {t for w, t in kinds.items() if w[0] in "你好世界"} == {"cn"}


def test_crop_turns_tall_boxes_by_rot90(models):
    """engine._read's crop frames assume this orientation."""
    img = np.random.default_rng(0).integers(0, 255, (200, 200, 3), dtype=np.uint8)
    wide = np.array([[10, 20], [110, 20], [110, 60], [10, 60]], np.float32)
    tall = np.array([[10, 20], [50, 20], [50, 120], [10, 120]], np.float32)
    assert rapid.crop_line(img, wide.copy()).shape == (40, 100, 3)
    np.testing.assert_array_equal(rapid.crop_line(img, wide.copy()), img[20:60, 10:110])
    got = rapid.crop_line(img, tall.copy())
    assert got.shape == (40, 100, 3)
    np.testing.assert_array_equal(got, np.rot90(img[20:120, 10:50]))


# --- a simulated upgrade: copies of rapidocr's modules with one internal gone -----------------

def _without(module_name: str, attr: str, replacement=None) -> types.ModuleType:
    real = sys.modules[module_name] if module_name in sys.modules else __import__(module_name, fromlist=["_"])
    fake = types.ModuleType(module_name)
    fake.__dict__.update({k: v for k, v in vars(real).items() if k != attr})
    if replacement is not None:
        setattr(fake, attr, replacement)
    return fake


def _ocr_without(method: str) -> type:
    from rapidocr.main import RapidOCR

    body = {k: v for k, v in vars(RapidOCR).items() if k not in (method, "__dict__", "__weakref__")}
    return type("RapidOCR", (), body)


def _dataclass_without(cls: type, field: str) -> type:
    return dataclasses.make_dataclass(cls.__name__, [(f.name, f.type, dataclasses.field(default=None))
                                                     for f in dataclasses.fields(cls) if f.name != field])


def _upgrades():
    from rapidocr.ch_ppocr_det import TextDetOutput
    from rapidocr.ch_ppocr_rec import TextRecInput, TextRecOutput
    from rapidocr.ch_ppocr_rec.typings import WordInfo

    return {
        "_load_cls_model": ("rapidocr.main", "RapidOCR", _ocr_without("_load_cls_model")),
        "_load_det_model": ("rapidocr.main", "RapidOCR", _ocr_without("_load_det_model")),
        "TextRecInput lacks return_word_box": (
            "rapidocr.ch_ppocr_rec", "TextRecInput", _dataclass_without(TextRecInput, "return_word_box")),
        "TextRecOutput lacks word_results": (
            "rapidocr.ch_ppocr_rec", "TextRecOutput", _dataclass_without(TextRecOutput, "word_results")),
        "TextDetOutput lacks boxes": (
            "rapidocr.ch_ppocr_det", "TextDetOutput", _dataclass_without(TextDetOutput, "boxes")),
        "WordInfo lacks confs": (
            "rapidocr.ch_ppocr_rec.typings", "WordInfo", _dataclass_without(WordInfo, "confs")),
        "get_rotate_crop_image": ("rapidocr.utils.process_img", "get_rotate_crop_image", None),
        "TextClsOutput": ("rapidocr.ch_ppocr_cls", "TextClsOutput", None),
    }


def _post_without(param: str) -> type:
    """rapidocr's DBPostProcess as an upgrade that renamed ``param`` would have it."""
    import inspect

    from rapidocr.ch_ppocr_det.utils import DBPostProcess

    sig = inspect.signature(DBPostProcess)

    class Renamed(DBPostProcess):
        pass

    Renamed.__signature__ = sig.replace(parameters=[p for n, p in sig.parameters.items() if n != param])  # type: ignore[attr-defined]
    return Renamed


@pytest.mark.parametrize("param", rapid.DET_KNOBS)
def test_an_upgrade_that_renames_a_detector_setting_is_named(monkeypatch, param):
    """The accuracy benchmark's --detector (and the engine's doubtful passes) set these on the
    detector's instance: a renamed one would be set on nothing."""
    module = "rapidocr.ch_ppocr_det.utils"
    monkeypatch.setitem(sys.modules, module, _without(module, "DBPostProcess", _post_without(param)))
    with pytest.raises(EngineUnavailable, match=f"DBPostProcess no longer takes {param}"):
        rapid.check_api()


def test_detector_settings_change_what_it_finds():
    """det_knobs: a larger unclip ratio grows every box, a box threshold over any box's mean
    probability (0.8 here) keeps none; an unknown name is refused. Its own engine, so no other
    test sees the settings."""
    bgr = _line_bgr()
    engine = LocalEngine()
    assert engine.det_knobs() == {"thresh": 0.3, "box_thresh": 0.5, "unclip_ratio": 1.6}
    with engine._lock:
        usual, _ = engine._detect_single(bgr, 0)
    assert engine.det_knobs(unclip_ratio=2.2)["unclip_ratio"] == 2.2
    with engine._lock:
        grown, _ = engine._detect_single(bgr, 0)
    assert len(usual) == len(grown) == 1
    height = lambda q: float(np.ptp(q[:, 1]))  # noqa: E731
    assert height(grown[0]) > height(usual[0]) + 2, (usual, grown)
    engine.det_knobs(unclip_ratio=1.6, box_thresh=0.999)
    with engine._lock:
        assert engine._detect_single(bgr, 0)[0] == []
    with pytest.raises(ValueError, match="unknown detector setting 'limit'"):
        engine.det_knobs(thresh=0.2, limit=3)
    assert engine.det_knobs()["thresh"] == 0.3  # refused whole


@pytest.mark.parametrize("missing", list(_upgrades()))
def test_an_upgrade_that_drops_an_internal_is_named(monkeypatch, missing):
    module, attr, replacement = _upgrades()[missing]
    monkeypatch.setitem(sys.modules, module, _without(module, attr, replacement))
    with pytest.raises(EngineUnavailable) as err:
        rapid.check_api()
    msg = str(err.value)
    assert missing in msg
    assert f"rapidocr {dist_version('rapidocr')} changed its internals" in msg
    assert "desktop_ocr supports 3.x as tested" in msg


def test_a_renamed_config_key_is_named(monkeypatch, tmp_path):
    from rapidocr.main import DEFAULT_CFG_PATH

    cfg = tmp_path / "config.yaml"
    cfg.write_text(Path(DEFAULT_CFG_PATH).read_text(encoding="utf-8").replace("model_path:", "model_file:"),
                   encoding="utf-8")
    monkeypatch.setitem(sys.modules, "rapidocr.main", _without("rapidocr.main", "DEFAULT_CFG_PATH", cfg))
    with pytest.raises(EngineUnavailable, match="the config key Det.model_path is gone"):
        rapid.check_api()


def test_the_engine_reports_the_changed_internal(monkeypatch):
    monkeypatch.setitem(sys.modules, "rapidocr.main",
                        _without("rapidocr.main", "RapidOCR", _ocr_without("_load_cls_model")))
    with pytest.raises(EngineUnavailable, match="RapidOCR._load_cls_model is missing"):
        LocalEngine().warm_up()


def test_a_renamed_model_attribute_is_named(monkeypatch):
    import rapidocr.main

    class TextDetector(rapidocr.main.TextDetector):  # an upgrade that renamed limit_type
        def __init__(self, cfg):
            super().__init__(cfg)
            self.limit_kind = self.__dict__.pop("limit_type")

    monkeypatch.setattr(rapidocr.main, "TextDetector", TextDetector)
    with pytest.raises(EngineUnavailable, match="TextDetector.limit_type is missing"):
        rapid.load_models(model_paths())


def test_our_detector_input_matches_rapidocrs_normalisation():
    from rapidocr.ch_ppocr_det.utils import DetPreProcess

    img = np.random.default_rng(3).integers(0, 256, (64, 96, 3), dtype=np.uint8)
    theirs = DetPreProcess(96, "max")(img)  # no resize at this size: normalisation only
    ours = rapid._det_blob(img)
    assert ours.shape == theirs.shape == (1, 3, 64, 96) and ours.dtype == np.float32
    np.testing.assert_allclose(ours, theirs, atol=1e-6)


def test_recognizer_reads_each_crop_as_rapidocr_reads_it_in_its_batch(models):
    """Models.recognize infers crop by crop, but pads each crop to its batch's width as rapidocr's
    TextRecognizer does: the same texts and scores as rapidocr's own batched call."""
    from rapidocr.ch_ppocr_rec import TextRecInput

    # five short lines and a long one: rapidocr pads the short ones to the long one's width, which
    # changes their readings (here "No. 12" reads "No.12" and scores move by ~0.06 unpadded)
    texts = ["ID 7F3A", "No. 12", "合计", "Total", "第1页",
             "备注：请于三日内付款 Invoice No. INV-2024-0042 合计金额 ¥3,580.00 E-mail: info@example.com",
             "Qty 3 x 19.99 = 59.97", "发票代码 144031900111"]  # (and a second batch of two)
    crops = [np.ascontiguousarray(rgb_array(render_lines([t], font_size=30, margin=6, spacing=1.2))[:, :, ::-1])
             for t in texts]
    ours = models.recognize(crops)
    theirs = models.rec(TextRecInput(img=crops, return_word_box=False))
    assert ours.txts == list(theirs.txts)
    np.testing.assert_allclose(ours.scores, [float(s) for s in theirs.scores], atol=1e-4)


def _boxes_close(a, b) -> bool:
    """The same boxes, corners within 3 px: OpenVINO picks other kernels for a fixed shape, and
    their rounding differs by CPU (on an AMD EPYC one corner of a 36 px high slanted box moved by
    2 px; within 1 px on the Intel Xeon before it)."""
    a, b = sorted(np.asarray(a).tolist()), sorted(np.asarray(b).tolist())
    return len(a) == len(b) and bool(np.abs(np.asarray(a) - np.asarray(b)).max() <= 3.0)


@pytest.mark.skipif(not rapid.openvino_available(), reason="the [fast] extra (OpenVINO) is not installed")
def test_fixed_shape_detection_finds_the_same_boxes_as_the_dynamic_model():
    """The tiles of a large image go to a detector compiled for their exact shape (less memory);
    it must find what the dynamic-shape detector finds, and the two must take turns cleanly."""
    models = rapid.load_models(model_paths(), runtime="openvino")

    def tile(lines: list[str]) -> np.ndarray:
        bgr = np.ascontiguousarray(rgb_array(render_lines(lines, font_size=22))[:, :, ::-1])
        h, w = bgr.shape[:2]
        return cv2.copyMakeBorder(bgr, 0, 1600 - h, 0, 1000 - w, cv2.BORDER_CONSTANT, value=(255, 255, 255))

    first = tile(["第1行 Item 01 数量 1", "Total: $1,234.56", "2024-05-21 09:42"])
    second = tile(["发票代码 144031900111", "Invoice No. INV-2024-0042"])
    dynamic_first, _ = models.detect(first, "min", 736)
    dynamic_second, _ = models.detect(second, "min", 736)
    assert len(dynamic_first) == 3 and len(dynamic_second) == 2
    assert _boxes_close(models.detect(first, "min", 736, fixed=True)[0], dynamic_first)
    assert _boxes_close(models.detect(second, "min", 736, fixed=True)[0], dynamic_second)  # same shape again
    models.trim()
    assert _boxes_close(models.detect(first, "min", 736)[0], dynamic_first)  # back to the dynamic model
    assert _boxes_close(models.detect(first[:800], "min", 736, fixed=True)[0],  # a new shape
                        models.detect(first[:800], "min", 736)[0])
