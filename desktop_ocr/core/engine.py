"""The local engine: RapidOCR (PP-OCR models on ONNX Runtime) from the models inside the rapidocr wheel.

We drive rapidocr's three models (detection, 0/180 line classifier, recognition) ourselves
instead of calling ``RapidOCR()(image)``, because the whole-image call shrinks every image to
2000 px, crops lines from that shrunken copy, knows no page rotation and returns lines in a
naive order. Our pipeline per image:

1. detect text boxes (one pass, or overlapping full-resolution tiles for large images: tiling.py);
2. estimate the page angle from those boxes (rotation.py) and, if the page is turned or skewed,
   turn it upright exactly (quarter turns are lossless array rotations) and detect again;
3. crop every line from the full-resolution upright image, recognise in batches; a line the
   0/180 classifier calls upside down is recognised both ways and the more confident reading wins;
4. order lines and number paragraphs on the upright page (layout.py);
5. map every polygon back through the exact inverse transform into ORIGINAL image pixels.

An upright page costs one detection pass plus the recognition of a few sample lines twice
(the up/down check); only turned or skewed pages pay for a second detection.

Settings (RecognizeOptions): ``det_limit`` 0 = automatic (as rapidocr: longest side at most
2000 px, shortest at least 736, tiles above tiling.TILE_TRIGGER), N > 0 = one detection pass with
the longest side resized to N (no tiling); ``min_score`` drops lines whose recognition confidence
is lower; ``chars`` adds CharBoxes: one per Chinese character, one per Latin/digit word (rapidocr's
word grouping), each with its own score and a 4-point box inside the line. ``single_line`` runs
step 3 alone on the whole image as one line (no detection, no rotation search; ``_read_whole``).

Polygons are given in reading order of the text: top-left, top-right, bottom-right, bottom-left
of the line as read upright, so on a page turned by 90 degrees the first point is at the
image's top-right.

rapidocr's internals (private loaders, detector limits, recogniser dataclasses, the line crop) are
reached only through core/rapid.py, which checks them up front (``rapid.check_api``).

Thread safety: one RapidOCR instance per LocalEngine, guarded by a lock. RapidOCR keeps per-call
options as instance state (``update_params`` and the detector's resize limits, which we set per
call) and ONNX Runtime already spreads one inference over all cores, so running two recognitions
of one instance at once would race on that state and gain nothing in speed; a second instance per
thread would double the memory (~100 MB of sessions) for no throughput. Callers on several
threads simply queue on the lock.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import cv2
import numpy as np

from . import layout, rapid, rotation, tiling
from .errors import EngineUnavailable
from .image import LoadedImage
from .model import CharBox, OcrResult, TextLine, normalize_angle
from .recognizer import RecognizeOptions, Recognizer

log = logging.getLogger(__name__)

# The three models the rapidocr wheel ships; nothing is ever downloaded.
MODEL_FILES = {
    "Det.model_path": "PP-OCRv6_det_small.onnx",
    "Rec.model_path": "PP-OCRv6_rec_small.onnx",
    "Cls.model_path": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
}

#: automatic detection size, as rapidocr: longest side at most 2000, shortest at least 736
DET_MAX_SIDE = 2000
DET_MIN_SIDE = 736
#: never upscale a detection input beyond this side (thin strips would explode otherwise)
DET_HARD_MAX = 4096


def model_dir() -> Path:
    """Where the rapidocr wheel keeps its models (also inside a PyInstaller bundle)."""
    return rapid.package_dir() / "models"


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


def _is_cjk(ch: str) -> bool:
    return ("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\u3000" <= ch <= "\u303f"
            or "\uff00" <= ch <= "\uffef")


class LocalEngine(Recognizer):
    """Offline recognition. Models load lazily on first use (or in ``warm_up``). ``threads``: ONNX
    Runtime intra-op threads per model (None: the default, ORT's choice; ``serve --threads``)."""

    name = "local"

    def __init__(self, threads: int | None = None) -> None:
        self.threads = threads
        self._models: rapid.Models | None = None
        self._lock = threading.Lock()

    # ---------------------------------------------------------------------------------------
    # model loading
    # ---------------------------------------------------------------------------------------
    def _load(self) -> rapid.Models:
        if self._models is None:
            paths = model_paths()
            try:
                self._models = rapid.load_models(paths, self.threads)
            except EngineUnavailable:  # rapidocr changed its internals: the message says which
                raise
            except Exception as exc:
                raise EngineUnavailable(f"the OCR engine failed to load: {exc}") from exc
        return self._models

    def _loaded(self) -> rapid.Models:
        """The models of an earlier ``_load()`` (every recognition path loads them first)."""
        assert self._models is not None, "_load() runs before any detection or recognition"
        return self._models

    def warm_up(self) -> None:
        """Load the models and run one tiny recognition so the first real one is not slow."""
        blank = np.full((48, 160, 3), 255, np.uint8)
        cv2.putText(blank, "OK 12", (8, 34), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2)
        with self._lock:
            self._load()
            quads, _ = self._detect_single(blank, 0)
            self._read(blank, quads, chars=False)

    # ---------------------------------------------------------------------------------------
    # detection
    # ---------------------------------------------------------------------------------------
    def _detect_single(self, bgr: np.ndarray, limit: int) -> tuple[list[np.ndarray], list[float]]:
        """One detection pass; boxes (4x2 float32) in ``bgr``'s own pixel coordinates."""
        h, w = bgr.shape[:2]
        pad_top = 0
        img = bgr
        # very flat images (a single line): pad above and below like rapidocr, the detector
        # was trained on page-like inputs
        if h <= 30 or w / h > 8:
            new_h = max(int(w / 8), 30) * 2
            pad_top = max(0, (new_h - h) // 2)
            img = cv2.copyMakeBorder(bgr, pad_top, pad_top, 0, 0, cv2.BORDER_CONSTANT, value=(0, 0, 0))
        ih, iw = img.shape[:2]
        shrink = min(1.0, DET_MAX_SIDE / max(ih, iw))
        grow = max(1.0, DET_MIN_SIDE / (min(ih, iw) * shrink))
        if limit <= 0 and max(ih, iw) * shrink * grow <= DET_HARD_MAX:
            # exactly rapidocr's own sizing (shrink to 2000 in steps of 32, the detector grows
            # the short side to 736), so boxes and crops match plain RapidOCR pixel for pixel
            if shrink < 1.0:
                rw = max(32, int(round(int(iw * shrink) / 32)) * 32)
                rh = max(32, int(round(int(ih * shrink) / 32)) * 32)
                resized = cv2.resize(img, (rw, rh))
            else:
                rw, rh, resized = iw, ih, img
            limit_type, limit_side = "min", DET_MIN_SIDE
        else:
            scale = limit / max(ih, iw) if limit > 0 else min(DET_HARD_MAX / max(ih, iw), shrink * grow)
            rw = max(32, int(round(iw * scale / 32)) * 32)
            rh = max(32, int(round(ih * scale / 32)) * 32)
            resized = cv2.resize(img, (rw, rh), interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
            limit_type, limit_side = "max", max(rw, rh)  # already sized: no resize inside
        found, found_scores = self._loaded().detect(resized, limit_type, limit_side)
        if found is None or len(found) == 0:
            return [], []
        boxes = np.asarray(found, dtype=np.float64).copy()
        boxes[:, :, 0] *= iw / rw
        boxes[:, :, 1] *= ih / rh
        boxes[:, :, 1] -= pad_top
        boxes[:, :, 0] = np.clip(boxes[:, :, 0], 0, w)
        boxes[:, :, 1] = np.clip(boxes[:, :, 1], 0, h)
        quads, scores = [], []
        for b, s in zip(boxes, found_scores):
            if np.ptp(b[:, 0]) < 2 or np.ptp(b[:, 1]) < 2:  # collapsed into the padding
                continue
            quads.append(b.astype(np.float32))
            scores.append(float(s))
        return quads, scores

    def _detect(self, bgr: np.ndarray, limit: int) -> tuple[list[np.ndarray], list[float]]:
        """Detection of a whole image: one pass, or overlapping tiles when it is large."""
        h, w = bgr.shape[:2]
        if limit > 0 or not tiling.needs_tiling(w, h):
            return self._detect_single(bgr, limit)
        scale = tiling.tiling_scale(w, h)
        img = bgr if scale == 1.0 else cv2.resize(bgr, (int(w * scale), int(h * scale)),
                                                  interpolation=cv2.INTER_AREA)
        sh, sw = img.shape[:2]
        pieces = []
        for t in tiling.plan_tiles(sw, sh):
            quads, scores = self._detect_single(img[t.y0:t.y1, t.x0:t.x1], 0)
            for q, s in zip(quads, scores):
                pieces.append((q + np.array([t.x0, t.y0], dtype=np.float32), s, t))
        # multi-scale: one whole-image pass at the usual size finds text too big for a tile
        # (a headline taller than the overlap is cut in every tile)
        whole = tiling.Tile(0, 0, sw, sh)
        tile_quads = [p[0] for p in pieces]
        cut_flags = tiling.cut_flags(pieces, sw, sh)
        big_q, big_s = self._detect_single(img, 0)
        for q, s in zip(big_q, big_s):
            if tiling.is_big_text(q, tile_quads, cut_flags):
                pieces.append((q, s, whole))
        quads, scores = tiling.merge_tile_boxes(pieces, sw, sh)
        if scale != 1.0:
            quads = [q / np.float32(scale) for q in quads]
        return quads, scores

    # ---------------------------------------------------------------------------------------
    # recognition
    # ---------------------------------------------------------------------------------------
    def _score_crops(self, crops: list[np.ndarray]) -> list[float]:
        out = self._loaded().recognize(crops, word_boxes=False)
        return [float(s) if t.strip() else 0.0 for t, s in zip(out.txts, out.scores)]

    def _classify_crops(self, crops: list[np.ndarray]) -> list[tuple[bool, float]]:
        return [(flipped, float(score)) for flipped, score in self._loaded().classify(crops)]

    def _read(self, bgr: np.ndarray, quads: list[np.ndarray], chars: bool) -> list[TextLine]:
        """Crop, classify 0/180 and recognise each box; polygons in ``bgr``'s coordinates."""
        if not quads:
            return []
        crops, frames = [], []
        for q in quads:
            pts = np.asarray(q, dtype=np.float32)
            crop = rapid.crop_line(bgr, pts.copy())
            if crop.size == 0 or min(crop.shape[:2]) < 2:
                continue
            p0, p1, p2, p3 = pts.astype(np.float64)
            # the crop's own corners as (top-left, top-right, bottom-right, bottom-left)
            frame = [p0, p1, p2, p3]
            cw = int(max(np.linalg.norm(pts[0] - pts[1]), np.linalg.norm(pts[2] - pts[3])))
            ch = int(max(np.linalg.norm(pts[0] - pts[3]), np.linalg.norm(pts[1] - pts[2])))
            if cw > 0 and ch / cw >= 1.5:
                frame = [p1, p2, p3, p0]  # rapid.crop_line turned a tall crop by np.rot90
            crops.append(crop)
            frames.append(frame)
        if not crops:
            return []
        # the 0/180 line classifier proposes flips; recognition confirms them: both readings of a
        # flagged line are recognised and the more confident one is kept. (The classifier squeezes
        # a line into 192 px, so on very long lines it is sometimes confidently wrong.)
        models = self._loaded()
        flagged = [k for k, (flipped, score) in enumerate(models.classify(crops))
                   if flipped and score > models.cls_thresh]
        batch = list(crops) + [np.ascontiguousarray(np.rot90(crops[k], 2)) for k in flagged]
        rec = models.recognize(batch, word_boxes=chars)
        txts, scores = list(rec.txts[:len(crops)]), list(rec.scores[:len(crops)])
        words = list(rec.words[:len(crops)]) if chars else [None] * len(crops)
        for j, k in enumerate(flagged):
            alt = len(crops) + j
            if rec.scores[alt] > scores[k]:
                txts[k], scores[k] = rec.txts[alt], rec.scores[alt]
                if chars:
                    words[k] = rec.words[alt]
                f = frames[k]
                frames[k] = [f[2], f[3], f[0], f[1]]
        lines = []
        for k, (txt, score) in enumerate(zip(txts, scores)):
            if not txt.strip():
                continue
            score = min(1.0, max(0.0, float(score)))
            char_boxes = None
            if chars:
                char_boxes = _char_boxes(txt, words[k], frames[k], score)
            lines.append(TextLine(text=txt, polygon=[tuple(p) for p in frames[k]], score=score,
                                  chars=char_boxes))
        return lines

    # ---------------------------------------------------------------------------------------
    # the whole pipeline
    # ---------------------------------------------------------------------------------------
    def recognize(self, image: LoadedImage, options: RecognizeOptions | None = None) -> OcrResult:
        options = options or RecognizeOptions()
        t0 = time.perf_counter()
        bgr = np.ascontiguousarray(image.pixels[:, :, ::-1])
        h, w = bgr.shape[:2]
        if options.single_line:
            lines, angle = self._read_whole(bgr, options.chars)
            lines = [ln for ln in lines if ln.score is not None and ln.score >= options.min_score]
            # only a reading the other way round is a finding (a tall line's 90 is its shape)
            return self._result(image, lines, angle, angle in (180.0, -90.0), t0)
        with self._lock:
            self._load()
            quads, _ = self._detect(bgr, options.det_limit)
            angle = 0.0
            matrix = np.eye(3)
            work = bgr
            residual = 0.0  # skew left in the working image (not resampled, below MIN_DESKEW)
            if options.detect_rotation and quads:
                orient = rotation.estimate_orientation(bgr, quads, self._score_crops,
                                                       classify=self._classify_crops)
                angle = orient.angle
                turn = angle if abs(orient.skew) >= rotation.MIN_DESKEW else float(orient.quarter)
                residual = normalize_angle(angle - turn)
                if turn != 0.0:
                    matrix, nw, nh = rotation.rotation_matrix(w, h, turn)
                    work = rotation.warp_image(bgr, matrix, (nw, nh))
                    quads, _ = self._detect(work, options.det_limit)
                    # the upright image's own line direction refines the estimate
                    resid, evidence = rotation.line_direction(quads)
                    if evidence > 0 and abs(resid) < 5.0:
                        residual = resid
                        angle = normalize_angle(turn + resid)
            lines = self._read(work, quads, options.chars)
        lines = [ln for ln in lines if ln.score is not None and ln.score >= options.min_score]
        lines = _order(lines, residual, work.shape[1], work.shape[0])
        if not np.allclose(matrix, np.eye(3)):
            inv = np.linalg.inv(matrix)
            for ln in lines:
                ln.polygon = _map(ln.polygon, inv, w, h)
                for c in ln.chars or []:
                    if c.polygon is not None:
                        c.polygon = _map(c.polygon, inv, w, h)
        return self._result(image, lines, angle, options.detect_rotation, t0)

    def _read_whole(self, bgr: np.ndarray, chars: bool) -> tuple[list[TextLine], float]:
        """``single_line``: the whole image is one line crop; no detection, no rotation search.

        The image rectangle goes through ``_read`` like a detected box, so it gets the same 0/180
        check (a flagged line is read both ways, the more confident reading wins) and the same
        CharBoxes. An image at least 1.5 times as tall as wide is turned counter-clockwise first,
        as every tall crop of the page path (rapid.crop_line): it is taken for a line written
        top to bottom with its letters turned clockwise (angle 90, or -90 when read the other
        way round); a column of upright stacked Chinese characters does not read that way, as in
        the page path. Returns at most one line (polygon = the image rectangle in reading order,
        none when nothing is read) and the angle of the text, 0/90/180/-90 (0 when nothing is
        read). Not padded: padding with the border colour measured no better on drawn lines.
        """
        h, w = bgr.shape[:2]
        corners = [(0.0, 0.0), (float(w), 0.0), (float(w), float(h)), (0.0, float(h))]
        with self._lock:
            self._load()
            lines = self._read(bgr, [np.array(corners, dtype=np.float32)], chars)
        # the corner the reading starts at says how the text is turned
        angle = normalize_angle(90.0 * corners.index(lines[0].polygon[0])) if lines else 0.0
        return lines, angle

    def _result(self, image: LoadedImage, lines: list[TextLine], angle: float, detected: bool,
                t0: float) -> OcrResult:
        result = OcrResult(width=image.width, height=image.height, lines=lines, angle=angle,
                           angle_detected=detected, engine=self.name, source=image.source)
        result.angle = round(result.angle, 2)  # after normalising, so no float noise is added back
        result.elapsed = time.perf_counter() - t0
        return result


def _map(points, m: np.ndarray, w: int, h: int) -> list[tuple[float, float]]:
    pts = rotation.apply_matrix(np.asarray(points, dtype=np.float64), m)
    pts[:, 0] = np.clip(pts[:, 0], 0, w)
    pts[:, 1] = np.clip(pts[:, 1], 0, h)
    return [(round(float(x), 1), round(float(y), 1)) for x, y in pts]


def _order(lines: list[TextLine], residual: float, w: int, h: int) -> list[TextLine]:
    """Reading order and paragraphs, computed with any small residual skew taken out."""
    if not lines:
        return lines
    m = rotation.rotation_matrix(w, h, residual)[0] if abs(residual) > 0.05 else np.eye(3)
    boxes = []
    for ln in lines:
        pts = rotation.apply_matrix(np.asarray(ln.polygon, dtype=np.float64), m)
        boxes.append((pts[:, 0].min(), pts[:, 1].min(), pts[:, 0].max(), pts[:, 1].max()))
    order, para = layout.reading_order(boxes)
    out = []
    for i in order:
        lines[i].paragraph = para[i]
        out.append(lines[i])
    return out


def _char_boxes(text: str, info, frame, line_score: float) -> list[CharBox] | None:
    """Per-character boxes from the recogniser's CTC columns.

    Chinese characters get one box each; runs of Latin letters/digits (rapidocr's "words",
    split at spaces and script changes) get one box per word. Positions come from the CTC
    column of each character, widths from the neighbouring columns capped by the line height.
    """
    if info is None or not getattr(info, "words", None) or not info.line_txt_len:
        return None
    confs = list(info.confs) if len(info.confs) == len(text) else None
    nonspace_conf = [c for ch, c in zip(text, confs) if not ch.isspace()] if confs else None
    cols = [c for wc in info.word_cols for c in wc]
    flat = [ch for word in info.words for ch in word]
    if len(cols) != len(flat):
        return None
    tl, tr, br, bl = (np.asarray(p, dtype=np.float64) for p in frame)
    width = max(1.0, float(np.linalg.norm(tr - tl)))
    height = max(1.0, float(np.linalg.norm(bl - tl)))
    n = float(info.line_txt_len)
    centres = [(c + 0.5) / n for c in cols]
    spans = []
    for i, ch in enumerate(flat):
        half = (1.0 if _is_cjk(ch) else 0.6) * height / width * 0.5
        lo = centres[i] - half * 1.1
        hi = centres[i] + half * 1.1
        if i > 0:
            lo = max(lo, (centres[i - 1] + centres[i]) / 2.0)
        if i + 1 < len(flat):
            hi = min(hi, (centres[i] + centres[i + 1]) / 2.0)
        spans.append((max(0.0, lo), min(1.0, hi)))

    def quad(u0: float, u1: float) -> list[tuple[float, float]]:
        a = tl + (tr - tl) * u0
        b = tl + (tr - tl) * u1
        c = bl + (br - bl) * u1
        d = bl + (br - bl) * u0
        return [(float(p[0]), float(p[1])) for p in (a, b, c, d)]

    out: list[CharBox] = []
    k = 0
    for word, wtype in zip(info.words, info.word_types):
        idx = list(range(k, k + len(word)))
        k += len(word)
        scores = [nonspace_conf[i] for i in idx] if nonspace_conf else [line_score] * len(idx)
        if getattr(wtype, "value", "") == "cn":
            for i, s in zip(idx, scores):
                out.append(CharBox(text=flat[i], score=float(min(1.0, max(0.0, s))), polygon=quad(*spans[i])))
        else:
            s = float(np.mean(scores))
            out.append(CharBox(text="".join(flat[i] for i in idx), score=min(1.0, max(0.0, s)),
                               polygon=quad(spans[idx[0]][0], spans[idx[-1]][1])))
    return out
