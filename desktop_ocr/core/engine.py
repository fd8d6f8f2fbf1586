"""The local engine: RapidOCR (PP-OCR models on ONNX Runtime) from the models inside the rapidocr wheel.

Thread safety: one RapidOCR instance per LocalEngine, guarded by a lock. RapidOCR keeps per-call
options as instance state (``update_params``) and ONNX Runtime already spreads one inference over
all cores, so running two recognitions of one instance at once would race on that state and gain
nothing in speed. Callers on several threads simply queue on the lock.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import numpy as np

from .errors import EngineUnavailable
from .image import LoadedImage
from .model import CharBox, OcrResult, TextLine
from .recognizer import RecognizeOptions, Recognizer

log = logging.getLogger(__name__)

# The three models the rapidocr wheel ships; nothing is ever downloaded.
MODEL_FILES = {
    "Det.model_path": "PP-OCRv6_det_small.onnx",
    "Rec.model_path": "PP-OCRv6_rec_small.onnx",
    "Cls.model_path": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
}


def model_dir() -> Path:
    """Where the rapidocr wheel keeps its models (also inside a PyInstaller bundle)."""
    try:
        import rapidocr
    except ImportError as exc:  # pragma: no cover - the package depends on it
        raise EngineUnavailable("the rapidocr package is not installed") from exc
    return Path(rapidocr.__file__).resolve().parent / "models"


def model_paths() -> dict[str, str]:
    """Absolute model paths, or EngineUnavailable naming the missing files."""
    root = model_dir()
    paths = {key: root / name for key, name in MODEL_FILES.items()}
    missing = [p.name for p in paths.values() if not p.is_file()]
    if missing:
        raise EngineUnavailable(
            f"OCR model files missing from {root}: {', '.join(missing)}. "
            "Reinstall the rapidocr package; models are never downloaded at run time."
        )
    return {k: str(p) for k, p in paths.items()}


class LocalEngine(Recognizer):
    """Offline recognition. Models load lazily on first use (or in ``warm_up``)."""

    name = "local"

    def __init__(self) -> None:
        self._ocr = None
        self._lock = threading.Lock()

    def _load(self):
        if self._ocr is None:
            params = dict(model_paths())
            params["Global.log_level"] = "error"
            try:
                from rapidocr import RapidOCR

                self._ocr = RapidOCR(params=params)
            except Exception as exc:
                raise EngineUnavailable(f"the OCR engine failed to load: {exc}") from exc
        return self._ocr

    def warm_up(self) -> None:
        """Load the models and run one tiny recognition so the first real one is not slow."""
        with self._lock:
            ocr = self._load()
            blank = np.full((32, 64, 3), 255, np.uint8)
            ocr(blank)

    def run_raw(self, bgr: np.ndarray, options: RecognizeOptions) -> list[TextLine]:
        """One plain RapidOCR pass over a BGR array: lines in the array's own coordinates."""
        with self._lock:
            ocr = self._load()
            out = ocr(bgr, return_word_box=options.chars, text_score=options.min_score)
        if out.boxes is None or out.txts is None:
            return []
        lines: list[TextLine] = []
        words = out.word_results if options.chars and out.word_results else None
        for i, (box, txt, score) in enumerate(zip(out.boxes, out.txts, out.scores)):
            chars = None
            if words is not None and i < len(words):
                chars = [CharBox(text=w[0], score=float(w[1]), polygon=[tuple(p) for p in w[2]])
                         for w in words[i]]
            lines.append(TextLine(text=txt, polygon=[tuple(map(float, p)) for p in box],
                                  score=min(1.0, max(0.0, float(score))), chars=chars))
        return lines

    def recognize(self, image: LoadedImage, options: RecognizeOptions | None = None) -> OcrResult:
        options = options or RecognizeOptions()
        t0 = time.perf_counter()
        bgr = np.ascontiguousarray(image.pixels[:, :, ::-1])
        lines = self.run_raw(bgr, options)
        return OcrResult(width=image.width, height=image.height, lines=lines, engine=self.name,
                         source=image.source, elapsed=time.perf_counter() - t0)
