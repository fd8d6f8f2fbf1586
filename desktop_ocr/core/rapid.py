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
import importlib.util
import inspect
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
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
#: the detector's inference runtime and OpenVINO's thread count (``runtime="openvino"``)
DET_ENGINE_KEY = "Det.engine_type"
OV_THREADS_KEY = "EngineConfig.openvino.inference_num_threads"
OV_PINNING_KEY = "EngineConfig.openvino.enable_cpu_pinning"
#: the recogniser's input height, and the most padded width (lines x widest line) one
#: recognition batch may have: longer lines go in smaller batches
REC_HEIGHT = 48
REC_BATCH_WIDTH = 6 * 50 * REC_HEIGHT  # (lines up to 50 heights batch exactly as in rapidocr)
#: inference runtimes the detector can run on: ONNX Runtime (always installed) or OpenVINO (the
#: optional ``[fast]`` extra; same model file, same results to 1e-4, measured ~3x faster on an
#: AVX-512 CPU: benchmarks/bench_engine.py)
RUNTIMES = ("onnxruntime", "openvino")
#: the detector's post-processing settings (rapidocr's DBPostProcess): the probability a pixel
#: counts as text at (0.3), the mean probability a box is kept at (0.5; the engine's passes for
#: doubtful boxes go down to their own), how far a box grows out from its kernel (1.6: crops and
#: reported boxes follow it)
DET_KNOBS = ("thresh", "box_thresh", "unclip_ratio")
#: attributes of the loaded model objects we set or read
_MODEL_ATTRS = {"det": ("limit_type", "limit_side_len", "session", "postprocess_op"), "cls": ("cls_thresh",),
                "rec": ("session", "postprocess_op", "resize_norm_img", "rec_image_shape", "rec_batch_num")}


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
    engine_type = _get("rapidocr.utils.typings", "EngineType", problems)
    if engine_type is not None and getattr(getattr(engine_type, "OPENVINO", None), "value", None) != "openvino":
        problems.append('EngineType.OPENVINO is no longer "openvino"')
    word_type = _get("rapidocr.ch_ppocr_rec.typings", "WordType", problems)
    if word_type is not None and getattr(getattr(word_type, "CN", None), "value", None) != "cn":
        problems.append('WordType.CN is no longer "cn"')
    pre = _get("rapidocr.ch_ppocr_det.utils", "DetPreProcess", problems)
    if pre is not None and not callable(getattr(pre, "resize", None)):
        problems.append("DetPreProcess.resize is missing")
    post = _get("rapidocr.ch_ppocr_det.utils", "DBPostProcess", problems)
    if post is not None:
        params = inspect.signature(post).parameters
        for name in DET_KNOBS:  # read from, and set on, its instance (det_knobs)
            if name not in params:
                problems.append(f"DBPostProcess no longer takes {name}")
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
            for key in (THREADS_KEY, DET_ENGINE_KEY, OV_THREADS_KEY):
                if isinstance(cfg, DictConfig) and OmegaConf.select(cfg, key) is None:
                    problems.append(f"the config key {key} is gone")
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


@dataclass
class Models:
    """rapidocr's three loaded models. Not thread safe: ``detect`` sets the detector's limits.

    ``pool``: when set, the classifier and recogniser sessions run one thread each and the work is
    shared out among the pool's threads (the classifier's batches, the recogniser's crops), which
    measured ~10% faster on 2 cores than one call on a 2-thread session: the resizing, normalising
    and decoding around each inference run in parallel too.
    """

    ocr: Any  # the RapidOCR instance that owns the sessions
    det: Any  # rapidocr TextDetector
    cls: Any  # rapidocr TextClassifier
    rec: Any  # rapidocr TextRecognizer
    pool: ThreadPoolExecutor | None = None
    workers: int = 1  # the pool's threads
    _det_shape: tuple | None = field(default=None, compare=False)
    _fixed: tuple | None = field(default=None, compare=False)  # (input shape, compiled model, request)

    @property
    def cls_thresh(self) -> float:
        """Score above which the classifier's "180" verdict counts (rapidocr's Cls.cls_thresh)."""
        return self.cls.cls_thresh

    @property
    def unclip_ratio(self) -> float:
        """How far the detector's DB post-processing grows each found text kernel into its box
        (rapidocr's Det.unclip_ratio, 1.6): the offset is ratio x area / perimeter of the kernel."""
        return float(self.det.postprocess_op.unclip_ratio)

    def detect(self, img: np.ndarray, limit_type: str, limit_side_len: int, fixed: bool = False,
               box_thresh: float | None = None):
        """Boxes (n x 4 x 2, in ``img`` pixels; None or empty when none) and their scores.

        ``limit_type`` "min": the detector grows the short side to ``limit_side_len``; "max": it
        shrinks the long side to ``limit_side_len`` (an image already that size is not resized).
        ``fixed``: one of many inputs of the same size (the tiles of a large image): on OpenVINO
        the detector is compiled once for that exact shape, which needs ~40% of the dynamic-shape
        model's working memory (a 1600 x 1024 tile: +0.18 GB instead of +0.45 GB) and runs ~15%
        faster; the compilation (~0.2 s) is kept for the next image with tiles of that shape.
        ``box_thresh``: the least mean text probability a box is kept at, instead of rapidocr's
        Det.box_thresh (a box's score is that mean; every box scoring over the usual threshold is
        the same either way).
        """
        post = self.det.postprocess_op
        usual = post.box_thresh
        if box_thresh is not None:
            post.box_thresh = box_thresh
        try:
            return self._detect(img, limit_type, limit_side_len, fixed)
        finally:
            post.box_thresh = usual

    @property
    def box_thresh(self) -> float:
        """The least mean text probability of a box the detector keeps (rapidocr's Det.box_thresh)."""
        return float(self.det.postprocess_op.box_thresh)

    def det_knobs(self, **values: float) -> dict[str, float]:
        """The detector's post-processing (DET_KNOBS of rapidocr's DBPostProcess), after setting
        ``values`` on it for every detection from now on: how the accuracy benchmark tunes them on
        the evaluation set (``--detector``). ValueError for a name not among DET_KNOBS."""
        unknown = [key for key in values if key not in DET_KNOBS]
        if unknown:  # nothing is set then
            raise ValueError(f"unknown detector setting {unknown[0]!r}; choose from {', '.join(DET_KNOBS)}")
        post = self.det.postprocess_op
        for key, value in values.items():
            setattr(post, key, float(value))
        return {key: float(getattr(post, key)) for key in DET_KNOBS}

    def _detect(self, img: np.ndarray, limit_type: str, limit_side_len: int, fixed: bool):
        from rapidocr.ch_ppocr_det.utils import DetPreProcess

        self.det.limit_type, self.det.limit_side_len = limit_type, limit_side_len
        if not self._unit_normalisation():  # a detector with other constants: rapidocr's own path
            out = self.det(img)
            return out.boxes, out.scores
        # rapidocr's steps (resize to multiples of 32, normalise, infer, DB post-processing, box
        # order), with the normalisation written straight into the float32 input instead of
        # float64 numpy temporaries (~50 ms per page, ~0.5 s on a 12000 px strip)
        resized = DetPreProcess(limit_side_len, limit_type).resize(img)
        if resized is None:
            return None, []
        blob = _det_blob(resized)
        request = self._fixed_request(blob.shape) if fixed else None
        if request is not None:
            request.infer([blob])
            preds = request.get_output_tensor().data
        else:
            if self._det_shape is not None and self._det_shape != blob.shape:
                self.trim()  # OpenVINO keeps the buffers of every input shape it has seen: one at a time
            elif self._fixed is not None:
                self._fixed[1].release_memory()  # the tiles' buffers go before the whole image's come
            self._det_shape = blob.shape
            preds = self.det.session(blob)
        boxes, scores = self.det.postprocess_op(preds, img.shape[:2])
        if len(boxes) < 1:
            return None, []
        # not re-sorted top-to-bottom as rapidocr does (which leaves the scores in the old order):
        # our layout orders the lines
        return boxes, scores

    def _fixed_request(self, shape: tuple):
        """An OpenVINO infer request of the detector compiled for exactly ``shape`` (None on ONNX
        Runtime, which has no such gain). One shape is kept at a time."""
        model: Any = getattr(self.det.session, "model", None)
        if not hasattr(model, "reshape") or not hasattr(model, "clone"):
            return None
        if self._fixed is not None and self._fixed[0] == shape:
            return self._fixed[2]
        import openvino

        self._fixed = None  # the old shape's compilation goes before the new one is made
        self.trim()  # and the dynamic model's buffers
        static = model.clone()
        static.reshape(list(shape))
        compiled = openvino.Core().compile_model(static, "CPU", self._ov_properties())
        self._fixed = (shape, compiled, compiled.create_infer_request())
        return self._fixed[2]

    def _ov_properties(self) -> dict:
        """The dynamic detector's thread and pinning settings, for the fixed-shape compilation."""
        request: Any = getattr(self.det.session, "session", None)
        compiled: Any = request.get_compiled_model() if hasattr(request, "get_compiled_model") else None
        props = {}
        for key in ("INFERENCE_NUM_THREADS", "ENABLE_CPU_PINNING"):
            try:
                props[key] = compiled.get_property(key)
            except Exception:  # noqa: BLE001 - a property this OpenVINO does not report: its default
                pass
        return props

    def trim(self) -> None:
        """Free the detector's working memory (OpenVINO keeps it between calls for speed; ONNX
        Runtime without its arena already frees it). The next detection allocates it again."""
        request = getattr(self.det.session, "session", None)
        compiled = getattr(request, "get_compiled_model", None)
        if callable(compiled):
            compiled().release_memory()
        if self._fixed is not None:
            self._fixed[1].release_memory()
        self._det_shape = None

    def _unit_normalisation(self) -> bool:
        """Whether the detector normalises with mean 0.5 and std 0.5 (rapidocr's default)."""
        mean, std = getattr(self.det, "mean", None), getattr(self.det, "std", None)
        return (mean is not None and std is not None and list(mean) == [0.5, 0.5, 0.5]
                and list(std) == [0.5, 0.5, 0.5])

    def _batches(self, crops: list[np.ndarray], batch: int, width_budget: int | None) -> list[list[int]]:
        """Crop indices grouped into batches as rapidocr would (in order of width to height, ``batch``
        at most), closed early when the batch's padded width (count x widest, at the model's
        48 px height) would pass ``width_budget``: the recogniser's memory grows with it (6 lines
        of 60 heights need ~0.7 GB, one needs 0.17 GB)."""
        order = [int(i) for i in np.argsort([c.shape[1] / c.shape[0] for c in crops], kind="stable")]
        out: list[list[int]] = []
        for i in order:
            width = REC_HEIGHT * crops[i].shape[1] / max(1, crops[i].shape[0])
            cur = out[-1] if out else None
            if cur is None or len(cur) >= batch or (width_budget and (len(cur) + 1) * width > width_budget):
                out.append([i])
            else:
                cur.append(i)
        return out

    def _run_batched(self, fn, crops: list[np.ndarray], batch: int, width_budget: int | None = None) -> list:
        """``fn(list of crops) -> list of per-crop results``, called once per batch (so each call
        is exactly one inference), the batches dealt out to the pool's threads; results in input
        order."""
        if not crops:
            return []
        batches = self._batches(crops, batch, width_budget)
        pool = self.pool
        if pool is not None and len(batches) == 1 and len(crops) > 1:
            half = (len(batches[0]) + 1) // 2  # one batch on two cores: halved
            batches = [batches[0][:half], batches[0][half:]]

        def run(share: list[list[int]]) -> list[tuple[int, object]]:
            return [(i, r) for idx in share for i, r in zip(idx, fn([crops[i] for i in idx]))]

        n = min(self.workers, len(batches)) if pool is not None else 1
        shares = [batches[k::n] for k in range(n)]
        parts = list(pool.map(run, shares)) if pool is not None and n > 1 else [run(shares[0])]
        out: list = [None] * len(crops)
        for part in parts:
            for i, r in part:
                out[i] = r
        return out

    def classify(self, crops: list[np.ndarray]) -> list[tuple[bool, Any]]:
        """Per crop: (the classifier says upside down, its score as rapidocr gives it)."""
        def run(part: list[np.ndarray]) -> list[tuple[bool, Any]]:
            return [("180" in label, score) for label, score in self.cls(part).cls_res]

        return self._run_batched(run, crops, int(getattr(self.cls, "cls_batch_num", 6)))

    def recognize(self, crops: list[np.ndarray], word_boxes: bool = False) -> Recognition:
        """Text, score and word info per crop, exactly as rapidocr's recogniser gives them.

        The crops are grouped as rapidocr groups them (``_batches``) and each crop is padded to its
        group's width as rapidocr pads it, so every crop's input, and so its reading, is the same
        as plain RapidOCR's; but each crop is then inferred on its own instead of the group in one
        call. On this CPU that is ~20% faster (a 6 x 640 px batch's working set no longer fits the
        caches) and the recogniser's memory is one crop's instead of six (benchmarks/bench_engine.py).
        """
        rec = self.rec
        if not crops:
            return Recognition(txts=[], scores=[], words=[])
        ratios = [c.shape[1] / c.shape[0] for c in crops]
        widest = [0.0] * len(crops)  # rapidocr's max_wh_ratio of each crop's group
        base = rec.rec_image_shape[2] / rec.rec_image_shape[1]
        for group in self._batches(crops, int(rec.rec_batch_num), REC_BATCH_WIDTH):
            group_widest = max([base, *(ratios[j] for j in group)])
            for i in group:
                widest[i] = group_widest

        def run(i: int) -> tuple[str, float, Any]:
            preds = rec.session(rec.resize_norm_img(crops[i], widest[i])[np.newaxis])
            lines, words = rec.postprocess_op(preds, word_boxes, wh_ratio_list=[ratios[i]], max_wh_ratio=widest[i])
            return lines[0][0], lines[0][1], words[0] if word_boxes else None

        # widest inputs first, each thread taking the next crop when it is free: the cores finish together
        order = sorted(range(len(crops)), key=lambda i: -widest[i])
        done = self.pool.map(run, order) if self.pool is not None and len(crops) > 1 else map(run, order)
        rows: list = [None] * len(crops)
        for i, row in zip(order, done):
            rows[i] = row
        return Recognition(txts=[r[0] for r in rows], scores=[r[1] for r in rows], words=[r[2] for r in rows])


def _det_blob(img: np.ndarray) -> np.ndarray:
    """The detector's input, 1 x 3 x h x w float32: rapidocr's (x / 255 - 0.5) / 0.5 per channel,
    i.e. x / 127.5 - 1, computed channel by channel into the result (no float64 copies; the
    packaged app's slim OpenCV has no dnn module for blobFromImage)."""
    import cv2

    h, w = img.shape[:2]
    blob = np.empty((1, 3, h, w), dtype=np.float32)
    for c, channel in enumerate(cv2.split(img)):  # contiguous planes: far faster than strided views
        np.multiply(channel, np.float32(1.0 / 127.5), out=blob[0, c], casting="unsafe")
    blob -= np.float32(1.0)
    return blob


def crop_line(img: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """rapidocr's perspective crop of a 4-point box (float32, 4 x 2) out of ``img``.

    A crop at least 1.5 times as tall as wide comes back turned by ``np.rot90`` (counter-clockwise).
    """
    from rapidocr.utils.process_img import get_rotate_crop_image

    return get_rotate_crop_image(img, quad)


def openvino_available() -> bool:
    """Whether OpenVINO (the ``[fast]`` extra) is installed, without importing it."""
    return importlib.util.find_spec("openvino") is not None


def resolve_runtime(runtime: str) -> str:
    """"auto" -> "openvino" when installed, else "onnxruntime"; a named runtime is checked.

    EngineUnavailable when "openvino" is asked for and not installed; ValueError for an unknown name.
    """
    if runtime == "auto":
        return "openvino" if openvino_available() else "onnxruntime"
    if runtime not in RUNTIMES:
        raise ValueError(f"unknown inference runtime {runtime!r}; choose from auto, {', '.join(RUNTIMES)}")
    if runtime == "openvino" and not openvino_available():
        raise EngineUnavailable("OpenVINO is not installed: pip install 'desktop-ocr[fast]', "
                                "or choose the onnxruntime runtime")
    return runtime


def load_models(model_paths: dict[str, str], threads: int | None = None, runtime: str = "onnxruntime",
                parallel: int = 1) -> Models:
    """rapidocr's det/cls/rec models from ``model_paths`` ({"Det.model_path": path, ...}); ``threads``:
    inference threads per model (None: rapidocr's default, the runtime's own choice); ``runtime``:
    what runs the detector, one of RUNTIMES (classifier and recogniser always run on ONNX Runtime,
    which is as fast as OpenVINO for them); ``parallel`` > 1: classifier and recogniser run
    single-threaded sessions, called from that many threads at once (``Models.pool``).

    EngineUnavailable when rapidocr's internals changed; other exceptions propagate as raised.
    """
    check_api()
    from rapidocr.main import RapidOCR

    params: dict[str, Any] = dict(model_paths)
    params["Global.log_level"] = "error"
    if threads is not None:
        params[THREADS_KEY] = threads
        params[OV_THREADS_KEY] = threads
        # OpenVINO pins a single inference thread to CPU 0: two single-threaded engines (CLI
        # --workers 2, serve --threads 1) would share one core
        params[OV_PINNING_KEY] = False
    if runtime == "openvino":
        from rapidocr.utils.typings import EngineType

        params[DET_ENGINE_KEY] = EngineType.OPENVINO
    ocr = RapidOCR(params=params)
    # rapidocr's own lazy loaders wire config to sessions (read when each model loads); we call
    # the models directly
    det = ocr._load_det_model()
    if parallel > 1:
        from omegaconf import OmegaConf

        OmegaConf.update(ocr.cfg, THREADS_KEY, 1)
    cls, rec = ocr._load_cls_model(), ocr._load_rec_model()
    problems = [f"{type(obj).__name__}.{attr} is missing"
                for obj, attrs in ((det, _MODEL_ATTRS["det"]), (cls, _MODEL_ATTRS["cls"]), (rec, _MODEL_ATTRS["rec"]))
                for attr in attrs if not hasattr(obj, attr)]
    problems += [f"{type(obj).__name__} is not callable" for obj in (det, cls, rec) if not callable(obj)]
    if problems:
        raise _changed(problems)
    pool = ThreadPoolExecutor(parallel, thread_name_prefix="ocr-rec") if parallel > 1 else None
    return Models(ocr=ocr, det=det, cls=cls, rec=rec, pool=pool, workers=max(1, parallel))
