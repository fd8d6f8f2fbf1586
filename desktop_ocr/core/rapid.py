"""The one place that touches rapidocr's internals.

LocalEngine drives rapidocr's three models itself (see engine.py for why), which needs more than
rapidocr's public ``RapidOCR()(image)``: its private lazy loaders, the detector's resize-limit
attributes, the classifier's threshold, the recogniser's input/output dataclasses, the word info
behind per-character boxes and its line-cropping helper. All of that is reached from here only, and
``check_api()`` verifies every piece up front, so a rapidocr release that renames one fails with
``EngineUnavailable`` naming it instead of an AttributeError in the middle of a recognition.

rapidocr is imported lazily (inside functions): importing this module costs nothing.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .errors import EngineUnavailable

SUPPORTED = "3.x"

#: RapidOCR's private lazy loaders (each wires its config section to an ONNX session)
_LOADERS = ("_load_det_model", "_load_cls_model", "_load_rec_model")
#: (module, dataclass, fields we build or read)
_DATACLASSES = (
    ("rapidocr.ch_ppocr_det", "TextDetOutput", ("boxes", "scores")),
    ("rapidocr.ch_ppocr_cls", "TextClsOutput", ("cls_res",)),
    ("rapidocr.ch_ppocr_rec", "TextRecInput", ("img", "return_word_box")),
    ("rapidocr.ch_ppocr_rec", "TextRecOutput", ("txts", "scores", "word_results")),
    ("rapidocr.ch_ppocr_rec.typings", "WordInfo", ("words", "word_cols", "word_types", "line_txt_len", "confs")),
)
#: RapidOCR(params=...) keys we pass
CONFIG_KEYS = ("Det.model_path", "Cls.model_path", "Rec.model_path", "Global.log_level")
#: the ONNX Runtime intra-op thread count (``threads`` of load_models; rapidocr's -1: ORT's default)
THREADS_KEY = "EngineConfig.onnxruntime.intra_op_num_threads"
#: attributes of the loaded model objects we set or read
_MODEL_ATTRS = {"det": ("limit_type", "limit_side_len"), "cls": ("cls_thresh",)}


def version() -> str:
    """The installed rapidocr version ("unknown" when it does not say)."""
    try:  # a static import, so PyInstaller bundles the module
        from rapidocr._version import __version__

        return str(__version__)
    except Exception:  # noqa: BLE001 - only used in messages
        return "unknown"


def package_dir() -> Path:
    """The installed rapidocr package directory (also inside a PyInstaller bundle)."""
    try:
        mod = importlib.import_module("rapidocr")
    except ImportError as exc:  # pragma: no cover - the package depends on it
        raise EngineUnavailable("the rapidocr package is not installed") from exc
    if mod.__file__ is None:  # pragma: no cover - a namespace package, not an installed rapidocr
        raise EngineUnavailable("the rapidocr package has no files")
    return Path(mod.__file__).resolve().parent


def _changed(problems: list[str]) -> EngineUnavailable:
    return EngineUnavailable(f"rapidocr {version()} changed its internals: {'; '.join(problems)}; "
                             f"desktop_ocr supports {SUPPORTED} as tested")


def _get(module: str, name: str, problems: list[str]) -> Any:
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        problems.append(f"{module}.{name} is missing")
        return None


def check_api() -> str:
    """Verify every rapidocr internal we use that exists before the models load; returns the version.

    Raises EngineUnavailable listing each missing piece and the installed version.
    """
    problems: list[str] = []
    ocr_cls = _get("rapidocr.main", "RapidOCR", problems)
    if ocr_cls is not None:
        for name in _LOADERS:
            fn = getattr(ocr_cls, name, None)
            if not callable(fn):
                problems.append(f"RapidOCR.{name} is missing")
            elif len(inspect.signature(fn).parameters) != 1:
                problems.append(f"RapidOCR.{name} takes arguments besides self")
    for module, name, fields in _DATACLASSES:
        cls = _get(module, name, problems)
        if cls is None:
            continue
        have = {f.name for f in dataclasses.fields(cls)} if dataclasses.is_dataclass(cls) else set()
        missing = [f for f in fields if f not in have]
        if missing:
            problems.append(f"{name} lacks {', '.join(missing)}")
    word_type = _get("rapidocr.ch_ppocr_rec.typings", "WordType", problems)
    if word_type is not None and getattr(getattr(word_type, "CN", None), "value", None) != "cn":
        problems.append('WordType.CN is no longer "cn"')
    crop = _get("rapidocr.utils.process_img", "get_rotate_crop_image", problems)
    if crop is not None and (not callable(crop) or len(inspect.signature(crop).parameters) != 2):
        problems.append("get_rotate_crop_image(img, points) changed its signature")
    # RapidOCR(params=...) silently adds unknown Det/Cls/Rec keys: a renamed key would make it
    # load (or download) other models, so our keys must exist in its default config
    cfg_path = _get("rapidocr.main", "DEFAULT_CFG_PATH", problems)
    if cfg_path is not None:
        try:
            from omegaconf import DictConfig, OmegaConf

            cfg = OmegaConf.load(cfg_path)
            for key in CONFIG_KEYS:
                section, name = key.split(".")
                if not isinstance(cfg, DictConfig) or section not in cfg or name not in cfg[section]:
                    problems.append(f"the config key {key} is gone")
            if isinstance(cfg, DictConfig) and OmegaConf.select(cfg, THREADS_KEY) is None:
                problems.append(f"the config key {THREADS_KEY} is gone")
        except Exception as exc:  # noqa: BLE001 - reported as a changed internal
            problems.append(f"its default config {cfg_path} does not load ({exc})")
    if problems:
        raise _changed(problems)
    return version()


@dataclass(frozen=True)
class Recognition:
    """Recognition of a batch of line crops, in input order."""

    txts: list[str]
    scores: list[float]
    words: list  # rapidocr WordInfo per crop (words, word_cols, word_types, line_txt_len, confs) or None


@dataclass(frozen=True)
class Models:
    """rapidocr's three loaded models. Not thread safe: ``detect`` sets the detector's limits."""

    ocr: Any  # the RapidOCR instance that owns the sessions
    det: Any  # rapidocr TextDetector
    cls: Any  # rapidocr TextClassifier
    rec: Any  # rapidocr TextRecognizer

    @property
    def cls_thresh(self) -> float:
        """Score above which the classifier's "180" verdict counts (rapidocr's Cls.cls_thresh)."""
        return self.cls.cls_thresh

    def detect(self, img: np.ndarray, limit_type: str, limit_side_len: int):
        """Boxes (n x 4 x 2, in ``img`` pixels; None or empty when none) and their scores.

        ``limit_type`` "min": the detector grows the short side to ``limit_side_len``; "max": it
        shrinks the long side to ``limit_side_len`` (an image already that size is not resized).
        """
        self.det.limit_type, self.det.limit_side_len = limit_type, limit_side_len
        out = self.det(img)
        return out.boxes, out.scores

    def classify(self, crops: list[np.ndarray]) -> list[tuple[bool, Any]]:
        """Per crop: (the classifier says upside down, its score as rapidocr gives it)."""
        return [("180" in label, score) for label, score in self.cls(crops).cls_res]

    def recognize(self, crops: list[np.ndarray], word_boxes: bool = False) -> Recognition:
        from rapidocr.ch_ppocr_rec import TextRecInput

        out = self.rec(TextRecInput(img=crops, return_word_box=word_boxes))
        return Recognition(txts=list(out.txts), scores=list(out.scores), words=list(out.word_results))


def crop_line(img: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """rapidocr's perspective crop of a 4-point box (float32, 4 x 2) out of ``img``.

    A crop at least 1.5 times as tall as wide comes back turned by ``np.rot90`` (counter-clockwise).
    """
    from rapidocr.utils.process_img import get_rotate_crop_image

    return get_rotate_crop_image(img, quad)


def load_models(model_paths: dict[str, str], threads: int | None = None) -> Models:
    """rapidocr's det/cls/rec models from ``model_paths`` ({"Det.model_path": path, ...}); ``threads``:
    ONNX Runtime intra-op threads per model session (None: rapidocr's default, ORT's own choice).

    EngineUnavailable when rapidocr's internals changed; other exceptions propagate as raised.
    """
    check_api()
    from rapidocr.main import RapidOCR

    params: dict[str, Any] = dict(model_paths)
    params["Global.log_level"] = "error"
    if threads is not None:
        params[THREADS_KEY] = threads
    ocr = RapidOCR(params=params)
    # rapidocr's own lazy loaders wire config to sessions; we call the models directly
    det, cls, rec = ocr._load_det_model(), ocr._load_cls_model(), ocr._load_rec_model()
    problems = [f"{type(obj).__name__}.{attr} is missing"
                for obj, attrs in ((det, _MODEL_ATTRS["det"]), (cls, _MODEL_ATTRS["cls"]))
                for attr in attrs if not hasattr(obj, attr)]
    problems += [f"{type(obj).__name__} is not callable" for obj in (det, cls, rec) if not callable(obj)]
    if problems:
        raise _changed(problems)
    return Models(ocr=ocr, det=det, cls=cls, rec=rec)
