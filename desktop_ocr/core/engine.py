"""The local engine: RapidOCR (PP-OCR models on ONNX Runtime) from the models inside the rapidocr wheel.

We drive rapidocr's three models (detection, 0/180 line classifier, recognition) ourselves
instead of calling ``RapidOCR()(image)``, because the whole-image call shrinks every image to
2000 px, crops lines from that shrunken copy, knows no page rotation and returns lines in a
naive order. Our pipeline per image:

1. detect text boxes (one pass, or overlapping full-resolution tiles for large images: tiling.py);
2. estimate the page angle from those boxes (rotation.py) and, if the page is turned or skewed,
   turn it upright exactly (quarter turns are lossless array rotations); a turned page is turned
   by its quarter and detected again there, then its skew is taken out as on a page that came
   upright (``_quarter_first``), so it reads exactly as that page; a page skewed by REDETECT_SKEW
   or more is detected again deskewed, a slightly skewed one keeps its boxes, carried through the
   same transform; small print (the boxes' median height under
   FINE_TRIGGER detector pixels) is detected once more on the upright page enlarged (_finer), a
   sparse photo (a sign) once more at three quarters of the size, its doubtful boxes read too (_coarser);
   boxes the detector doubts (scored under its threshold) and a first pass's boxes that a later
   pass lost are spare: read, and kept where they read surely; a box the detector drew over two
   cells of a table, across the ruled line between them, is cut at the line (rules.py);
3. crop every line from the full-resolution upright image, recognise in batches; a line the
   0/180 classifier calls upside down is recognised both ways and the more confident reading wins;
   on a page of vertical writing (columns of upright Chinese characters, told from a page turned by
   90 degrees by reading a few columns both ways: ``_columns``) each tall box is cut into character
   cells laid side by side (vertical.py), the page stays upright (angle 0) and the line is marked
   ``vertical``; a number printed sideways down a margin, found a character or a few at a time,
   is read again as one line (``_join_sideways``);
4. order lines and number paragraphs on the upright page (layout.py);
5. map every polygon back through the exact inverse transform into ORIGINAL image pixels.

An upright page costs one detection pass; a page turned by 90/180/270 or skewed by 3 degrees or
more pays for a second, a page of small print for a second (or third) at up to twice the size,
a photo of COARSE_MAX_BOXES lines or fewer for a second at three quarters of the size.
The up/down check costs the 0/180 classifier on a few sample lines, or their recognition both
ways when the classifier is not sure.

Settings (RecognizeOptions): ``det_limit`` 0 = automatic (as rapidocr: longest side at most
2000 px, shortest at least 736, but a small image is grown at most MAX_GROW times on a margin of its
border colour; tiles above tiling.TILE_TRIGGER), N > 0 = one detection pass with
the longest side resized to N (no tiling); ``min_score`` drops lines whose recognition confidence
is lower (LOCAL_MIN_SCORE, 0.64, where not given: recognizer.py says why); ``chars`` adds
CharBoxes: one per Chinese character, one per Latin/digit word (rapidocr's word grouping), each
with its own score and a 4-point box inside the line. ``single_line`` runs
step 3 alone on the whole image as one line (no detection, no rotation search; ``_read_whole``).

Polygons are given in reading order of the text: top-left, top-right, bottom-right, bottom-left
of the line as read upright, so on a page turned by 90 degrees the first point is at the
image's top-right. A detected line's polygon fits its printed text (the detector's box at
REPORT_UNCLIP, ``lineframe.tighten``) while its crop, and the reading order, use the detector's
own box, which has the margin the recogniser reads best with. A column of vertical writing
(``TextLine.vertical``) is given as it stands: its top-left, top-right, bottom-right, bottom-left,
its CharBoxes one per character cell.

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

import dataclasses
import logging
import math
import os
import sys
import threading
import time
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import cv2
import numpy as np

from . import bridge, combs, layout, lineframe, rapid, rotation, rowsplit, rules, tiling, vertical
from .boxes import bounds, intersections, shared
from .codes import add_codes
from .errors import EngineUnavailable, ImageTooLarge
from .image import LoadedImage
from .model import CharBox, OcrResult, TextLine, normalize_angle, unspaced
from .recognizer import LOCAL_MIN_SCORE, RecognizeOptions, Recognizer

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
#: a box at least 1.5 times as tall as wide, which rapid.crop_line reads turned on its side, and
#: under lineframe.GLYPH_TALL times, is read as it stands too, the more confident reading kept
#: (lineframe.glyph_tall), where its longest run of rows of ink covers this share of the height
#: its ink spans at least (vertical.longest_band): two short rows boxed as one (``6%`` over
#: ``0%``), squeezed into one row as they stand, read as nonsense (``68``)
GLYPH_BAND = 0.6
#: a small image is grown at most this much for detection (see _detect_single)
MAX_GROW = 3.0
#: a single line is padded above and below to at least this many times its own height for
#: detection (see _detect_single), so that the detector, which grows the short side to
#: DET_MIN_SIDE, draws it at most DET_MIN_SIDE / LINE_CANVAS (184) px tall
LINE_CANVAS = 4
#: a line crop longer than this many times its height is recognised in pieces of at most
#: lineframe.PIECE_RATIO heights (lineframe.split_long); the longest line on the evaluation
#: pages is 47 heights
MAX_LINE_RATIO = 60
#: an image so elongated that tiled detection would shrink its short side below this many
#: pixels is refused with a clear error (no text that small can be found)
MIN_DETECT_SIDE = 8
#: most threads the recogniser is spread over (``LocalEngine.parallel``)
MAX_PARALLEL = 4
#: never upscale a detection input beyond this side (thin strips would explode otherwise)
DET_HARD_MAX = 4096
#: small text: when the median short edge of at least FINE_MIN_BOXES boxes is under FINE_TRIGGER
#: pixels of the detector's input, the page is detected again enlarged so that it becomes
#: FINE_TARGET (at most FINE_MAX_SCALE times, the input's long side at most FINE_MAX_SIDE).
#: Measured on the evaluation set: only the FUNSD forms (median 17-20 px) trigger it, their
#: detection F1 0.733 -> 0.824, e2e F1 0.577 -> 0.641; receipts, Chinese forms, photos have 24+ px.
FINE_TRIGGER = 22.0
FINE_TARGET = 28.0
FINE_MIN_BOXES = 10
FINE_MAX_SCALE = 2.0
FINE_MAX_SIDE = 3072
#: the finer pass can lose part of a line the first pass found whole (a deskewed form's underlined
#: title, 'OLD GOLD MENTHOL LIGHTS & ULTRA LIGHTS 100'S - PROGRESS REPORT': found finer as its first
#: three words and its last two). A first-pass line that the finer boxes of the same line leave
#: uncovered over FINE_GAP of its heights is read, and kept instead of the finer boxes inside it
#: when it reads surely and says FINE_LOST_CHARS characters more than they do (_fine_losses).
#: A first-pass line the finer pass does not find at all is spare (_read_page: a FUNSD table's
#: headings STORES and VOLUME on a halftone band, found at the page's own size only)
FINE_GAP = 1.5
FINE_LOST_CHARS = 3
#: a sparse image (a sign, a street photo: at most COARSE_MAX_BOXES boxes on the upright page) is
#: detected once more at COARSE_SCALE of the automatic size (_coarser): a word the detector scores
#: near its threshold is found at one scale and not at another. Measured on the evaluation set's
#: photos: icdar2015 img_2's EXIT sign (also once turned by 90/180/270, where the page was then
#: read sideways), two characters at the edge of rects 000002's sign; documents have more boxes.
#: At 3/4 rather than 2/3: skewed by -10 (resampled, deskewed), img_1's signs (Genexis Theatre,
#: Retail, Carpark) are found at 3/4 and not at 2/3 (rotation pairs: img_1 -10 and -15 read better,
#: img_2 +15 loses its EXIT again; the upright set unchanged)
COARSE_MAX_BOXES = 8
COARSE_SCALE = 3 / 4
#: on an image's first detection pass, when it is sparse (COARSE_MAX_BOXES boxes or fewer), a box
#: the detector scores from DOUBT_BOX_THRESH up to its own threshold (0.5) is read, and kept where
#: it reads with OTHER_WAY_SCORE and says DOUBT_MIN_CHARS characters or more, so its skew and
#: up/down are measured on it too: skewed by -5, a street photo's small signs score 0.3-0.5, and
#: from its two sure boxes (a lamp's '10', a '[06]') no skew was found (icdar2015 img_1, whose
#: signs are found at every scale upright). Not on a second pass (once deskewed): there the
#: doubtful boxes were pieces of lines ('Genexis' of 'Genexis Theatre') that hid the first
#: pass's whole boxes (_missed). The coarser pass's doubtful boxes are read too, and kept where
#: they read so and no line kept stands: skewed by 10 either way (resampled), img_2's EXIT sign
#: scores 0.3-0.5 at every scale, and the box over the whole photo that pass finds reads nothing
DOUBT_BOX_THRESH = 0.3
DOUBT_MIN_CHARS = 2
#: on a sparse page (COARSE_MAX_BOXES boxes or fewer on its first pass: a sign, a plate, a street
#: photo), each line read over the floor is read again from its box grown by AGAIN_GROW of its
#: height on every side. Beside a line whose two readings' mean confidence is at the floor or
#: over it, a line whose mean is under it is let go. A photo's short line read from a box cut by
#: the edge of the image or of a sign (ccpd 00's shop sign, cut by the top of the photo: '州外花艺'
#: at 0.87, 'MRC' at 0.34 grown) reads either side of the floor as the page moves by a pixel, and
#: whether it is kept, and which way up the page is, rest on that confidence. A page none of whose
#: lines reads so keeps them (a plate photo turned in an editor reads its plate only so: '低A9935'
#: at 0.68, 'HA9915' at 0.55 grown). A line kept keeps its first reading's text and confidence:
#: the grown crop takes in what is next to the line (a label cut out of a form, 'Area:' at 1.00,
#: read 'Area: 5' grown), so it is only asked whether the line reads steadily. Lines the 0/180
#: classifier doubts, and columns, are read two ways already (measured: docs/measured.md)
AGAIN_GROW = 0.1
#: a page skewed by at least this many degrees is detected again once deskewed (below it, its
#: boxes are carried through the transform): lines detected at a slant are cut less cleanly
REDETECT_SKEW = 3.0
#: a box of the first pass is kept beside the second's when the second's boxes of the same line
#: (SAME_LINE) cover under this share of it
MISSED_OVERLAP = 0.2
#: a second-pass box is of a first-pass box's line when it spans this share of that box's height
#: (its width, for a tall box): the lines above and below, whose boxes reach into a line's box by
#: a fifth to a quarter of its height on a deskewed form, did not find it (xfund val_6 at +5)
SAME_LINE = 0.5
#: on a page of more than COARSE_MAX_BOXES boxes, a first-pass box not found again is kept where it
#: reads surely and says this many characters or more: a line the second pass lost says many; a
#: receipt's specks read '5' or '*一' with 0.8-0.9
SPARE_MIN_CHARS = 3
#: two spare lines are one line found twice when their boxes overlap by this share of the smaller
#: one's area or more (_distinct): a box carried from the skewed page and the doubtful one of the
#: page deskewed, over the same word (VOLUME on funsd 0069 skewed by +15, read twice)
SPARE_AGAIN = 0.5
#: a spare line saying fewer characters is kept where they are Chinese characters only, read
#: with SPARE_CJK_SCORE, its box about as tall as the page's lines (SPARE_CJK_HEIGHT of their
#: median height up to its inverse), overlapping no line kept (_short_spares): a form's label
#: (学位) the detector scored doubtful beside the row above it, set close
SPARE_CJK_SCORE = 0.95
SPARE_CJK_HEIGHT = 0.75
#: a line's box holding two rows of text (rowsplit.row_bands) is read row by row (_split_rows)
#: when it was read as SPLIT_MIN_CHARS characters or more, and the rows are kept where none of
#: them runs on over SPLIT_WIDE of its band's heights per type size of its text (_ems): a row of
#: spaced characters (学  历, a type size apart) about 1.8, the flattened lower half of one
#: character read as one (吕's 口) 2.5
SPLIT_MIN_CHARS = 2
SPLIT_WIDE = 2.2
#: a box more than this many times as tall as a first-pass line it covers, and not this many times
#: as long as it is wide or tall, is a patch over it (a textured wall the detector took for text on
#: a deskewed street photo), not that line found again (_not_found)
PATCH_HEIGHT = 3.0
#: a detected line is cropped for recognition with the detector's own margin (its unclip ratio,
#: 1.6: the recogniser reads best with room around the glyphs) but reported as the box the
#: detector gives at this ratio, which fits the printed text (lineframe.tighten), then fitted to its
#: ink (lineframe.ink_box). Measured on the evaluation set: det F1 0.837 -> 0.860, e2e F1 0.723 ->
#: 0.744, the same text read; 1.5 gives 0.849, 1.3 0.869
REPORT_UNCLIP = 1.4
#: an image on which the detector finds nothing is detected again turned by a quarter when it
#: has edges on this share of a thumbnail of at most MARKS_SIDE px (_has_marks)
MARKS_SIDE = 640
MARKS_SHARE = 0.001
#: a column of vertical writing is read stacked only when that beats its turned reading by this
COLUMN_TURNED_MARGIN = 0.05
#: on an image of FEW_BOXES boxes or fewer, the 0/180 classifier is asked of a line CLS_WHOLE
#: times as long as tall or less (its 48 x 192 input sees such a line whole, squeezed by a fifth
#: at most) and of the line turned by 180 too; when the two agree and the surer says so with
#: CLS_SURE or more, the line is read the way they say unless that reads CLS_TRUST less
#: confidently than the other, and a page of such lines surely upright is not read upside down
#: too. A short label's few characters can read surely the wrong way up ('x 2' upside down as
#: '乙X' at 0.89; the right way up, 'X 2' at 0.67), which the classifier, trained on the
#: question, tells at 0.99996. Over part 3's 516 lines of bench_accuracy, each asked so, it was
#: never wrong at CLS_SURE (305 of them, of all lengths); '[06]', the same turned by 180 as
#: '[90]', it called upside down at 0.995. Where the two agree that it is upside down, the surer
#: at CLS_BOTH or more, the line is read both ways (the more confident reading kept), as where
#: the first verdict alone is over the classifier's threshold (0.9): '6.60 *' upside down, read
#: '* 09.9' at 0.89, the classifier saying upside down of it at 0.89 and upright of it turned
#: back at 0.994. At the threshold, two agreeing at 0.90 and 0.97 had a street sign's '[06]'
#: read '[90]', and a reflected word on a photo read turned, each more confidently by a little
CLS_SURE = 0.999
CLS_BOTH = 0.99
CLS_WHOLE = 5.0
CLS_TRUST = 0.3
#: a page whose lines, read each way up (_read), come out turned by 180 degrees in more than this
#: share of their confidence-weighted characters is taken for a page the other way up (_upside_down)
FLIP_MAJORITY = 0.5
#: a page on which no line reads with this confidence is read the other way up too, and taken
#: that way only when a line reads there with at least this (a stray mark reads as some character
#: either way, at 0.5-0.7)
OTHER_WAY_SCORE = 0.8
#: pieces of a line printed sideways (vertical.sideways_runs) are one line when the run, read again
#: as one line, reads with this (a receipt's % over its 6 reads 0.69 so; a table's column of
#: one-digit values can read 0.99, and is told by its shape and rows: vertical.sideways_runs)
SIDEWAYS_SCORE = 0.9
#: ... and a line standing this much inside the run's box, across and along, is part of it
SIDEWAYS_INSIDE = 0.8
#: a page on which the detector finds this many boxes or fewer (a sign, a plate, a captured word)
#: is read the other way up too, however surely it reads: its up/down was decided on one or two
#: crops, and a line can read confidently upside down (a plate's 999 as '666' at 0.92)
FEW_BOXES = 3
#: a sparse page's angle is measured on the rows of ink of its lines (_rows_angle) of at least
#: this many Latin letters and digits whose reported box is at least this many times as long as
#: tall: a plate photo's two boxes (the plate, a car badge beside it) lean 5 degrees apart and the
#: plate's, 1.6 times as long as tall, leans differently at each size, so its skewed copies were
#: reported up to 11 degrees off; its characters' rows agree within 0.3 (ccpd 04, measured on
#: bench_accuracy's rotation part: pairs off 35 -> 30, none went off)
ROWS_MIN_CHARS = 2
ROWS_MIN_RATIO = 1.5
#: ... and when its lines read with ROWS_MIN_SCORE or more lean by their rows over ROWS_REREAD
#: degrees otherwise than its boxes, it is read again deskewed by its rows (see recognize)
ROWS_MIN_SCORE = 0.5
ROWS_REREAD = 2.0
#: ... and taken that way only when it reads nearly as surely: its characters' mean confidence at
#: most this much below the first reading's (_sureness)
FEW_MARGIN = 0.05
#: characters a box's edge reads as, last in a line (a check box's left edge, its top and bottom
#: starting off to the right) and first in one (_edges_off)
EDGE_LAST = "[|"
EDGE_FIRST = "]|"
#: characters that read as a character turned by 180 degrees (themselves, or their pair: 6 and 9,
#: d and p, n and u): a page read either way up in these alone says nothing of which way is up,
#: and it is turned the other way up only when it reads there in more of the others (_telling)
TURNABLE = frozenset("01689" + "()[]{}<>-_=+~·.,:;'\"|/\\*#%" + "HINOSXZlosxzdpbqnuMW")
#: a box whose shorter side is this share of the image's or more is not taken for a line of text
#: when deciding to read a large page other ways (_has_lines)
LINE_SHARE = 0.25
#: a line the image's edge cuts through its height (a neighbour's edge in a region taken from a
#: screen or a page): its box reaches the top or bottom edge within FRAME_TOUCH px and stands under
#: CUT_HEIGHT of the height of the lines clear of those edges; it is let go (_cut_by_frame). The
#: cut neighbours of lines cut out of real pages stood at 0.26-0.73 of them, most under 0.6
CUT_HEIGHT = 0.65
FRAME_TOUCH = 1.0
#: ... and only when its height is under CUT_EM of its type size as its own text gives it (its
#: length over its characters' widths, _ems): whole lines stood at 0.73 or more of theirs (19 in 20
#: on the benchmark's cut-out lines), while a whole caption in a small type under a large heading,
#: or an English line over Chinese ones, stands under CUT_HEIGHT of them; the halved neighbours
#: stood at 0.30-0.87
CUT_EM = 0.8
#: ... on a page read within this many degrees of a quarter turn (its edges run along its lines)
CUT_SKEW = 3.0


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
            "Reinstall the rapidocr package; models are never downloaded at run time.",
            reason="models_missing", params={"folder": str(root), "files": missing},
        )
    return {k: str(p) for k, p in paths.items()}


class LocalEngine(Recognizer):
    """Offline recognition. Models load lazily on first use (or in ``warm_up``). ``threads``:
    inference threads per model (None: the runtime's choice; ``serve --threads``). ``runtime``: what
    runs the detector, "auto" (OpenVINO when the ``[fast]`` extra is installed, else ONNX Runtime),
    "onnxruntime" or "openvino"; ``runtime_used`` says which once loaded."""

    name = "local"
    default_min_score = LOCAL_MIN_SCORE

    def __init__(self, threads: int | None = None, runtime: str = "auto") -> None:
        self.threads = threads
        self.runtime = runtime
        #: line crops are classified and recognised on this many threads at once (one core
        #: each); a caller that sets ``threads`` (a server worker) keeps to those
        self.parallel = 1 if threads is not None else max(1, min(os.cpu_count() or 1, MAX_PARALLEL))
        self.runtime_used: str | None = None
        self._models: rapid.Models | None = None
        self._lock = threading.Lock()
        #: while a straightened picture is read (under the lock): (it, as read; the canvas it was
        #: cut from, RGB; the matrix from the canvas to it), so that it is deskewed from the
        #: canvas in one resampling (_warp)
        self._cut_from: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        #: the floor of the page being read (under the lock) when it is sparse: its lines are
        #: read twice (AGAIN_GROW); None otherwise
        self._twice: float | None = None
        #: lines read on such a page whose two readings' mean is under the floor, with that mean
        #: (_read_page lets them go, or not); held, so that no other line takes one's id
        self._unsteady: list[tuple[TextLine, float]] = []
        #: while a page is read (under the lock): its lines read the way up the 0/180 classifier
        #: surely says they stand, asked of them both ways (_read: CLS_SURE), by id; held, so that
        #: no other line takes one's id. None otherwise (a single line, the warm-up): none is kept
        self._upright: dict[int, TextLine] | None = None

    # ---------------------------------------------------------------------------------------
    # model loading
    # ---------------------------------------------------------------------------------------
    def _load(self) -> rapid.Models:
        if self._models is None:
            paths = model_paths()
            runtime = rapid.resolve_runtime(self.runtime)
            try:
                self._models = rapid.load_models(paths, self.threads, runtime, self.parallel)
                self.runtime_used = runtime
            except EngineUnavailable:  # rapidocr changed its internals: the message says which
                raise
            except Exception as exc:
                raise EngineUnavailable(f"the OCR engine failed to load: {exc}", reason="load_failed") from exc
        return self._models

    def _loaded(self) -> rapid.Models:
        """The models of an earlier ``_load()`` (every recognition path loads them first)."""
        assert self._models is not None, "_load() runs before any detection or recognition"
        return self._models

    def det_knobs(self, **values: float) -> dict[str, float]:
        """The detector's post-processing settings (rapid.DET_KNOBS), after setting ``values``
        for every recognition from now on (rapid.Models.det_knobs); the models are loaded first."""
        with self._lock:
            return self._load().det_knobs(**values)

    def trim(self) -> None:
        """Give back the working memory the models keep between recognitions (call when idle)."""
        with self._lock:
            if self._models is not None:
                self._models.trim()
        _release_heap()

    def warm_up(self) -> None:
        """Load the models and run one tiny recognition so the first real one is not slow."""
        # square, so the detector's input stays 736 x 736 (a flat image would be grown to a
        # large canvas, and OpenVINO keeps buffers sized for the largest input it has seen)
        blank = np.full((160, 160, 3), 255, np.uint8)
        cv2.putText(blank, "OK 12", (8, 90), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2)
        with self._lock:
            self._load()
            quads, _ = self._detect_single(blank, 0)
            self._read(blank, quads, chars=False)
            self._loaded().trim()  # the sessions are ready; their buffers come with real inputs

    # ---------------------------------------------------------------------------------------
    # detection
    # ---------------------------------------------------------------------------------------
    def _detect_single(self, bgr: np.ndarray, limit: int, tile: bool = False,
                       box_thresh: float | None = None) -> tuple[list[np.ndarray], list[float]]:
        """One detection pass; boxes (4x2 float32) in ``bgr``'s own pixel coordinates. ``tile``: a
        tile of a large image, whose text is at its native size: a flat tile (a piece of a long
        thin image) is padded but not grown to the detector's usual 736 px."""
        h, w = bgr.shape[:2]
        pad_top = pad_left = 0
        img = bgr
        # very flat images (a single line): pad above and below like rapidocr, the detector
        # was trained on page-like inputs; and, but for a tile, by the line's height left and
        # right, all in the image's own border colour: a line cut out tightly (a selection on
        # screen) has its first and last characters at the image's edges, where the detector
        # lost them (a street photo's `[06]` cut out 3 px around was found nowhere, the `*` of
        # a receipt's `6.60 *` was dropped); rapidocr's black pad above and below grew the box
        # into it. The canvas is at least LINE_CANVAS times the line's height: rapidocr's 60 px
        # canvas grew a line of 24 px type twelvefold, to characters near 300 px tall, and the
        # detector split it at a space into boxes overlapping by half a character, read twice
        # (`合计：128.50`, `GST` + `TID:000750673920`)
        pre = 1.0  # a very long flat image is shrunk before it is padded (a 100000 x 16 line
        # padded first would be a 100000 x 25000 canvas)
        if _is_flat(h, w):
            if limit > 0 and w > limit:
                pre = limit / w
                img = cv2.resize(bgr, (limit, max(1, int(round(h * pre)))), interpolation=cv2.INTER_AREA)
            fh, fw = img.shape[:2]
            # (a tile is not grown: a taller canvas would only be more blank to detect)
            new_h = max(int(fw / 8) * 2, 60, 0 if tile else LINE_CANVAS * fh)
            pad_top = max(0, (new_h - fh) // 2)
            pad_left = 0 if tile else fh
            img = cv2.copyMakeBorder(img, pad_top, pad_top, pad_left, pad_left, cv2.BORDER_CONSTANT,
                                     value=rotation.border_colour(img))
        ih, iw = img.shape[:2]
        canvas = None if pad_top or tile or limit > 0 else _small_canvas(ih, iw)
        if canvas is not None:  # bottom and right, so no coordinate moves
            img = cv2.copyMakeBorder(img, 0, canvas[0] - ih, 0, canvas[1] - iw, cv2.BORDER_CONSTANT,
                                     value=rotation.border_colour(img))
            ih, iw = canvas
        shrink, grow = _auto_size(ih, iw)
        if tile and pad_top:
            grow = 1.0
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
        found, found_scores = self._loaded().detect(resized, limit_type, limit_side, fixed=tile, box_thresh=box_thresh)
        if found is None or len(found) == 0:
            return [], []
        boxes = np.asarray(found, dtype=np.float64).copy()
        boxes[:, :, 0] *= iw / rw
        boxes[:, :, 1] *= ih / rh
        boxes[:, :, 1] -= pad_top
        boxes[:, :, 0] -= pad_left
        boxes /= pre
        boxes[:, :, 0] = np.clip(boxes[:, :, 0], 0, w)
        boxes[:, :, 1] = np.clip(boxes[:, :, 1], 0, h)
        quads, scores = [], []
        for b, s in zip(boxes, found_scores):
            if np.ptp(b[:, 0]) < 2 or np.ptp(b[:, 1]) < 2:  # collapsed into the padding
                continue
            quads.append(b.astype(np.float32))
            scores.append(float(s))
        return quads, scores

    def _finer(self, bgr: np.ndarray, quads: list[np.ndarray]) -> list[np.ndarray] | None:
        """Small text (see FINE_TRIGGER): the boxes of a second detection pass on the image
        enlarged, or None when the first pass's boxes stand (text big enough, few boxes, an
        image tiled or too flat for the automatic sizing)."""
        h, w = bgr.shape[:2]
        if len(quads) < FINE_MIN_BOXES or tiling.needs_tiling(w, h) or _is_flat(h, w):
            return None
        shrink, grow = _auto_size(*(_small_canvas(h, w) or (h, w)))  # as _detect_single sizes it
        scale = shrink * grow
        edges = [min(np.linalg.norm(q[0] - q[1]), np.linalg.norm(q[1] - q[2])) for q in quads]
        med = float(np.median(edges)) * scale
        if med >= FINE_TRIGGER:
            return None
        factor = min(FINE_MAX_SCALE, FINE_TARGET / max(med, 1.0), FINE_MAX_SIDE / (max(h, w) * scale))
        if factor < 1.2:
            return None
        fine = self._detect_single(bgr, int(max(h, w) * scale * factor))[0]
        return self._fine_losses(bgr, quads, fine) if fine else fine

    def _fine_losses(self, bgr: np.ndarray, first: list[np.ndarray], fine: list[np.ndarray]) -> list[np.ndarray]:
        """The finer pass's boxes ``fine``, where they lost part of a line of the ``first`` pass's
        that line's box instead of theirs inside it (see FINE_GAP)."""
        holes = _gapped(first, fine, FINE_GAP)
        if not holes:
            return fine
        fb = bounds(fine)
        cx, cy = (fb[:, 0] + fb[:, 2]) / 2, (fb[:, 1] + fb[:, 3]) / 2
        inside = [np.flatnonzero((cx > b[0]) & (cx < b[2]) & (cy > b[1]) & (cy < b[3])).tolist()
                  for b in bounds(holes)]
        pieces = sorted({i for idx in inside for i in idx})
        out = self._loaded().recognize([rapid.crop_line(bgr, q.copy()) for q in holes]
                                       + [rapid.crop_line(bgr, fine[i].copy()) for i in pieces], word_boxes=False)
        says = [len(unspaced(t)) for t in out.txts]
        said = dict(zip(pieces, says[len(holes):]))
        drop: set[int] = set()
        kept = []
        for k, (q, idx) in enumerate(zip(holes, inside)):
            if out.scores[k] >= OTHER_WAY_SCORE and says[k] >= sum(said[i] for i in idx) + FINE_LOST_CHARS \
                    and not drop & set(idx):
                drop.update(idx)
                kept.append(q)
        log.debug("finer pass: %d lines with gaps, %d kept whole", len(holes), len(kept))
        return [q for i, q in enumerate(fine) if i not in drop] + kept

    def _coarser(self, bgr: np.ndarray, quads: list[np.ndarray]) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """A sparse image (see COARSE_MAX_BOXES): the boxes of a pass at COARSE_SCALE of the
        automatic size: (those the detector scores at its threshold or more that stand apart from
        every box of the first (``_uncovered``), those it scores from DOUBT_BOX_THRESH up to it).
        Their lines are kept only when they read surely; the doubtful ones only where they also
        stand apart from every line kept and say DOUBT_MIN_CHARS characters (``_read_page``). Not
        for an image tiled, very flat or small (on a margin: a captured word or line)."""
        h, w = bgr.shape[:2]
        if len(quads) > COARSE_MAX_BOXES or tiling.needs_tiling(w, h) or _is_flat(h, w) \
                or _small_canvas(h, w) is not None:
            return [], []
        shrink, grow = _auto_size(h, w)
        coarse, scores = self._detect_single(bgr, int(max(h, w) * shrink * grow * COARSE_SCALE),
                                             box_thresh=DOUBT_BOX_THRESH)
        usual = self._loaded().box_thresh
        sure = _uncovered([q for q, s in zip(coarse, scores) if s >= usual], quads)
        doubt = [q for q, s in zip(coarse, scores) if s < usual]
        log.debug("coarser pass on %dx%d: %d boxes, %d found, %d + %d apart", w, h, len(quads), len(coarse),
                  len(sure), len(doubt))
        return sure, doubt

    def _detect_doubtful(self, bgr: np.ndarray, limit: int,
                         read: bool = True) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """One detection pass: (its boxes, its doubtful boxes not among them), the doubtful ones
        those the detector scores from DOUBT_BOX_THRESH up to its own threshold. On a sparse image
        (COARSE_MAX_BOXES boxes or fewer) they are read, and kept among the boxes where they read
        surely (see DOUBT_BOX_THRESH; ``read`` False: let go, as on a sparse page's second pass);
        on a page of more boxes they are given apart, to be read as spare boxes (_read_page: a
        table's heading printed on a halftone band, scored 0.3-0.5 on a FUNSD form, is found at
        no other scale)."""
        quads, scores = self._detect_single(bgr, limit, box_thresh=DOUBT_BOX_THRESH)
        usual = self._loaded().box_thresh
        sure = [i for i, s in enumerate(scores) if s >= usual]
        doubt = [i for i, s in enumerate(scores) if s < usual]
        if doubt and len(sure) <= COARSE_MAX_BOXES:  # a sparse image: read here, or let go
            if read:
                out = self._loaded().recognize([rapid.crop_line(bgr, quads[i]) for i in doubt], word_boxes=False)
                sure += [i for i, t, s in zip(doubt, out.txts, out.scores)
                         if s >= OTHER_WAY_SCORE and len(unspaced(t)) >= DOUBT_MIN_CHARS]
                sure.sort()
            doubt = []
        return [quads[i] for i in sure], [quads[i] for i in doubt]

    def _detect_first(self, bgr: np.ndarray, limit: int,
                      read: bool = True) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """A detection of a whole image: (its boxes, doubtful boxes of a page of many to read as
        spare ones: _detect_doubtful, ``read`` as there); a large image tiled has none of the
        latter."""
        h, w = bgr.shape[:2]
        if limit > 0 or not tiling.needs_tiling(w, h):
            return self._detect_doubtful(bgr, limit, read)
        return self._detect(bgr, limit)[0], []

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
            quads, scores = self._detect_single(img[t.y0:t.y1, t.x0:t.x1], 0, tile=True)
            for q, s in zip(quads, scores):
                pieces.append((q + np.array([t.x0, t.y0], dtype=np.float32), s, t))
        # multi-scale: one whole-image pass at up to 2000 px finds text too big for a tile
        # (a headline taller than the overlap is cut in every tile)
        # (none fits in an image thinner than that: a long strip skips the pass)
        if min(sw, sh) >= tiling.BIG_TEXT:
            whole = tiling.Tile(0, 0, sw, sh)
            tile_quads = [p[0] for p in pieces]
            cut_flags = tiling.cut_flags(pieces, sw, sh)
            # at most DET_MAX_SIDE on the long side, never grown (text this big needs no growing:
            # a 1000 x 12000 strip grown to 736 px across would cost more than all its tiles)
            big_q, big_s = self._detect_single(img, DET_MAX_SIDE)
            for q, s, keep in zip(big_q, big_s, tiling.big_text(big_q, tile_quads, cut_flags)):
                if keep:
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

    def _columns(self, bgr: np.ndarray, quads: list[np.ndarray]) -> bool:
        """Whether the page's tall boxes are columns of vertical writing rather than lines of a page
        turned by 90 degrees: a few of them read stacked, turned and turned the other way
        (vertical.looks_vertical). Free on a page with fewer than vertical.MIN_COLUMNS tall boxes;
        a page whose stacked readings are not confident Chinese stops after one small batch."""
        sample = vertical.sample(quads)
        stacked = [s[0] for s in (vertical.stacked_line(bgr, q, vertical.SAMPLE_CELLS) for q in sample)
                   if s is not None]
        if not stacked:
            return False
        models = self._loaded()
        rec = models.recognize(stacked)
        if not vertical.plausible(rec.txts, rec.scores):
            return False
        turned = []
        for q in sample:
            crop = rapid.crop_line(bgr, np.asarray(q, dtype=np.float32).copy())
            if crop.size and min(crop.shape[:2]) >= 2:
                turned.append(np.ascontiguousarray(crop[:, : vertical.SAMPLE_CELLS * crop.shape[0]]))
        other = [np.ascontiguousarray(np.rot90(c, 2)) for c in turned]
        both = self._score_crops(turned + other)
        stacked_scores = [float(s) if t.strip() else 0.0 for t, s in zip(rec.txts, rec.scores)]
        return vertical.looks_vertical(stacked_scores, both[:len(turned)], both[len(turned):])

    def _columns_deskewed(self, bgr: np.ndarray, quads: list[np.ndarray], skew: float) -> bool:
        """``_columns`` of the page with its skew taken out (boxes carried, not detected again). A
        column's stacked reading cuts it into cells across the image, and on a column leaning by
        8 degrees or more they cut its characters in two: a page of vertical writing skewed by
        -8 was taken for a page turned by 82, and its columns read as sideways lines. Only for a
        visible skew on a page with tall boxes (``vertical.sample``)."""
        if abs(skew) < rotation.MIN_DESKEW:
            return False
        h, w = bgr.shape[:2]
        matrix, nw, nh = rotation.rotation_matrix(w, h, skew)
        carried = [rotation.upright_quad(q, matrix) for q in quads]
        if not vertical.sample(carried):
            return False
        return self._columns(self._warp(bgr, matrix, (nw, nh)), carried)

    def _read(self, bgr: np.ndarray, quads: list[np.ndarray], chars: bool, columns: bool = False,
              source: _Source | None = None) -> list[TextLine]:
        """Crop, classify 0/180 and recognise each box; polygons in ``bgr``'s coordinates.
        ``columns``: tall boxes are columns of vertical writing, read through vertical.stacked_line.
        ``source``: the pixels ``bgr`` was resampled from (_crop_source); a line is cropped
        from them, through the box mapped back, in one resampling instead of two."""
        if not quads:
            return []
        crops: list[np.ndarray] = []
        frames: list[list] = []
        boxes_of: list[np.ndarray] = []
        cols: dict[int, tuple[vertical.CellMap, np.ndarray]] = {}  # crop index -> its column
        turned: dict[int, tuple[np.ndarray, list]] = {}  # a column's crop turned as a turned line's
        standing: dict[int, tuple[np.ndarray, list]] = {}  # a tall box's crop as it stands (lineframe.glyph_tall)
        for q in quads:
            pts = np.asarray(q, dtype=np.float32)
            if columns and vertical.is_tall(pts):
                cut = vertical.stacked_line(bgr, pts)
                if cut is None:
                    continue
                line, cmap, corners = cut
                lh, lw = line.shape[:2]
                cols[len(crops)] = (cmap, corners)
                p0, p1, p2, p3 = pts.astype(np.float64)
                turned[len(crops)] = (rapid.crop_line(bgr, pts.copy()), [p1, p2, p3, p0])
                boxes_of.append(pts)
                crops.append(line)  # its frame: the line image's own pixels, mapped back at the end
                frames.append([np.array(p, dtype=np.float64) for p in ((0, 0), (lw, 0), (lw, lh), (0, lh))])
                continue
            crop = _cut(bgr, pts, source)
            if crop.size == 0 or min(crop.shape[:2]) < 2:
                continue
            p0, p1, p2, p3 = pts.astype(np.float64)
            # the crop's own corners as (top-left, top-right, bottom-right, bottom-left)
            frame = [p0, p1, p2, p3]
            if lineframe.cut_turned(pts):
                frame = [p1, p2, p3, p0]  # rapid.crop_line turned a tall crop by np.rot90
                if lineframe.glyph_tall(pts):  # ... which may be a character standing, upright: one band
                    # of ink down it, not two rows one over the other, is read so too
                    upright = np.ascontiguousarray(np.rot90(crop, -1))
                    if vertical.longest_band(upright) >= GLYPH_BAND:
                        standing[len(crops)] = (upright, [p0, p1, p2, p3])
            crops.append(crop)
            frames.append(frame)
            boxes_of.append(pts)
        if not crops:
            return []
        # a line longer than MAX_LINE_RATIO times its height is read in pieces cut at gaps (the
        # recogniser's memory grows with the square of a line's length)
        pieces: list[tuple[int, float, float, str]] = []  # (line, u0, u1, separator before it)
        for k, crop in enumerate(crops):
            if crop.shape[1] > MAX_LINE_RATIO * crop.shape[0]:
                pieces += [(k, u0, u1, sep) for u0, u1, sep in lineframe.split_long(crop)]
        long_lines = {k for k, *_ in pieces}
        short = [k for k in range(len(crops)) if k not in long_lines]
        txts: list[str] = [""] * len(crops)
        scores: list[float] = [0.0] * len(crops)
        char_lists: list[list[CharBox] | None] = [None] * len(crops)
        # the 0/180 line classifier proposes flips; recognition confirms them: both readings of a
        # flagged line are recognised and the more confident one is kept. (The classifier squeezes
        # a line into 192 px, so on very long lines it is sometimes confidently wrong.)
        models = self._loaded()
        asked = [k for k in short if k not in cols and crops[k].shape[1] <= CLS_WHOLE * crops[k].shape[0]] \
            if len(quads) <= FEW_BOXES else []
        verdicts = models.classify([crops[k] for k in short] + [np.ascontiguousarray(np.rot90(crops[k], 2))
                                                                for k in asked])
        flagged = [k for k, (flipped, score) in zip(short, verdicts)
                   if flipped and score > models.cls_thresh and k not in cols]
        verdict_of = dict(zip(short, verdicts))
        sure: dict[int, bool] = {}  # line -> upside down, as the classifier says surely both ways
        for k, (turned_flipped, turned_score) in zip(asked, verdicts[len(short):]):
            flipped, score = verdict_of[k]
            surer = max(float(score), float(turned_score))
            if flipped == turned_flipped:
                continue  # the two disagree: the first verdict stands alone
            if surer >= CLS_SURE:
                sure[k] = flipped
            if flipped and surer >= CLS_BOTH and k not in flagged:
                flagged.append(k)  # upside down, the two agreeing: read both ways
        piece_crops = [np.ascontiguousarray(crops[k][:, int(u0 * crops[k].shape[1]):int(u1 * crops[k].shape[1])])
                       for k, u0, u1, _ in pieces]
        # a second reading per line: a flagged line upside down; a column turned counter-clockwise
        # like a turned line (the recogniser reads characters lying on their left side well, and
        # the vertical forms of brackets better than stacked): the more confident reading wins
        alts: dict[int, tuple[np.ndarray, list | None]] = {k: (np.ascontiguousarray(np.rot90(crops[k], 2)), None)
                                                           for k in flagged}
        alts.update({k: turned[k] for k in short if k in turned and min(turned[k][0].shape[:2]) >= 2})
        alts.update({k: standing[k] for k in short if k in standing and k not in alts})
        batch = [crops[k] for k in short] + [a[0] for a in alts.values()] + piece_crops
        rec = models.recognize(batch, word_boxes=chars) if batch else None
        unsteady: dict[int, float] = {}  # crop index -> its two readings' mean, under the floor
        read_turned: set[int] = set()  # columns whose turned reading won
        kept_turned: set[int] = set()  # tall boxes read turned, as rapid.crop_line turns them
        if rec is not None:
            alt_of = {k: len(short) + i for i, k in enumerate(alts)}
            for j, k in enumerate(short):
                txts[k], scores[k] = rec.txts[j], rec.scores[j]
                words_k = rec.words[j]
                alt = alt_of.get(k)
                # a column's turned reading is preferred unless stacking reads clearly better (the
                # recogniser misreads the vertical forms of brackets stacked: xfund_zh val_7)
                margin = COLUMN_TURNED_MARGIN if k in cols else CLS_TRUST if sure.get(k) else 0.0
                if alt is not None and alts[k] is standing.get(k) \
                        and len(unspaced(rec.txts[alt])) < len(unspaced(txts[k])):
                    alt = None  # a column of characters read as it stands says fewer, squeezed
                if alt is not None and rec.scores[alt] > scores[k] - margin:
                    txts[k], scores[k], words_k = rec.txts[alt], rec.scores[alt], rec.words[alt]
                    f = frames[k]
                    frames[k] = alts[k][1] or [f[2], f[3], f[0], f[1]]
                    if k in cols:
                        read_turned.add(k)
                elif k in standing and alts.get(k) is standing[k]:
                    kept_turned.add(k)  # checked as a line read once (_unsteady_lines)
                if chars:
                    char_lists[k] = lineframe.char_boxes(txts[k], words_k, frames[k], _clamp(scores[k]))
            base = len(short) + len(alts)
            if self._twice is not None:
                once = [k for k in short if (k not in alts or k in kept_turned) and k not in cols]
                unsteady = self._unsteady_lines(bgr, source, {k: boxes_of[k] for k in once if scores[k] >= self._twice},
                                                scores)
            by_line: dict[int, list[tuple[int, float, float, str]]] = {}
            for i, (k, u0, u1, sep) in enumerate(pieces):
                by_line.setdefault(k, []).append((base + i, u0, u1, sep))
            for k, parts in by_line.items():
                texts = [rec.txts[i] for i, *_ in parts]
                txts[k] = "".join(sep + t if t else "" for (_, _, _, sep), t in zip(parts, texts)).strip()
                weights = [max(1, len(t)) for t in texts]
                scores[k] = float(np.average([rec.scores[i] for i, *_ in parts], weights=weights))
                if chars:
                    boxes: list[CharBox] = []
                    for (i, u0, u1, _), t in zip(parts, texts):
                        if t.strip():
                            boxes += lineframe.char_boxes(t, rec.words[i], lineframe.sub_frame(frames[k], u0, u1),
                                                 _clamp(rec.scores[i])) or []
                    char_lists[k] = boxes or None
        lines = []
        for k, (txt, score) in enumerate(zip(txts, scores)):
            if not txt.strip():
                continue
            if k in cols:  # from the stacked line back to the column as it stands
                cmap, corners = cols[k]
                for c in char_lists[k] or []:
                    if c.polygon is None:
                        continue
                    if k in read_turned:  # already in image pixels, corners ordered as it stands
                        c.polygon = [c.polygon[i] for i in rotation.order_quad(np.asarray(c.polygon))]
                    else:
                        xs = [p[0] for p in c.polygon]
                        c.polygon = cmap.column_quad(min(xs), max(xs))
                lines.append(TextLine(text=txt, polygon=[(float(x), float(y)) for x, y in corners],
                                      score=_clamp(score),
                                      chars=char_lists[k] if chars else None, vertical=True))
                continue
            lines.append(TextLine(text=txt, polygon=[tuple(p) for p in frames[k]], score=_clamp(score),
                                  chars=char_lists[k] if chars else None))
            if sure.get(k) is False and self._upright is not None:  # surely upright, and so read
                self._upright[id(lines[-1])] = lines[-1]
            if k in unsteady:
                self._unsteady.append((lines[-1], _clamp(unsteady[k])))
        return lines

    def _unsteady_lines(self, bgr: np.ndarray, source: _Source | None, boxes: dict[int, np.ndarray],
                        scores: list[float]) -> dict[int, float]:
        """A sparse page's lines read over the floor (``boxes``: crop index -> box in ``bgr``;
        ``scores``: their first readings'), read again from their boxes grown (AGAIN_GROW): those
        whose two readings' mean is under the floor, with that mean (_read_page lets them go, or
        not). The grown crops are read in a call of their own: a crop is padded to the widest of
        its group, so sharing the call would change the first readings themselves."""
        wider: dict[int, np.ndarray] = {}
        for k, box in boxes.items():
            q = lineframe.grow(box, AGAIN_GROW)
            crop = _cut(bgr, q, source)
            turns = int(lineframe.cut_turned(box)) - int(lineframe.cut_turned(q))
            if turns:  # a tall box grown less tall: its crop turned as the line's own was
                crop = np.ascontiguousarray(np.rot90(crop, turns))
            if crop.size and min(crop.shape[:2]) >= 2:
                wider[k] = crop
        if not wider or self._twice is None:
            return {}
        read = self._loaded().recognize(list(wider.values()))
        means = {k: (scores[k] + float(score)) / 2.0 for k, score in zip(wider, read.scores)}
        return {k: mean for k, mean in means.items() if mean < self._twice}

    # ---------------------------------------------------------------------------------------
    # the whole pipeline
    # ---------------------------------------------------------------------------------------
    def recognize(self, image: LoadedImage, options: RecognizeOptions | None = None) -> OcrResult:
        options = options or RecognizeOptions()
        t0 = time.perf_counter()
        # a picture turned on a flat canvas (an image editor's turn, a screenshot of a turned
        # photo) whose first pass finds a sparse page (a street photo's signs, a plate) or boxes
        # over much of it is read cut out and turned upright by its own edges, which give its
        # turn exactly where its few lines may not, and its lines are put back where they stand
        # on the canvas; its angle is its turn and whatever its own lines then show. A page of
        # many lines tells its turn by them, and is read as it stands (one resampling fewer)
        picture = rotation.turned_picture(image.pixels) \
            if options.detect_rotation and not options.single_line else None
        result = self._recognize(image, options, t0, picture=picture)
        if result is not None:
            return result
        straight = rotation.straighten(image.pixels, picture)
        if straight is None:  # too thin a picture to cut out: read as it stands
            result = self._recognize(image, options, t0)
            assert result is not None  # (None only where a picture is given)
            return result
        turn, matrix, pixels = straight
        inner = self._recognize(LoadedImage(pixels, source=image.source, format=image.format, page=image.page),
                                dataclasses.replace(options, codes=False), t0, cut_from=(image.pixels, matrix))
        assert inner is not None
        inv = np.linalg.inv(matrix)
        for ln in inner.lines:
            ln.polygon = _map(ln.polygon, inv, image.width, image.height)
            for c in ln.chars or []:
                if c.polygon is not None:
                    c.polygon = _map(c.polygon, inv, image.width, image.height)
        return self._result(image, inner.lines, normalize_angle(turn + inner.angle), True, t0, codes=options.codes)

    def _recognize(self, image: LoadedImage, options: RecognizeOptions, t0: float,
                   cut_from: tuple[np.ndarray, np.ndarray] | None = None,
                   picture: tuple[float, np.ndarray] | None = None) -> OcrResult | None:
        """The page read. ``cut_from``: the canvas (RGB) ``image`` was cut from, straightened
        (rotation.straighten), and the matrix from the canvas to it. ``picture``: the turned
        picture on a flat canvas that ``image`` is (rotation.turned_picture); None is returned
        where it is to be read straightened (see recognize)."""
        floor = self.min_score_for(options)
        bgr = np.ascontiguousarray(image.pixels[:, :, ::-1])
        h, w = bgr.shape[:2]
        if options.single_line:
            lines, angle = self._read_whole(bgr, options.chars)
            lines = _kept(lines, floor)
            # only a reading the other way round is a finding (a tall line's 90 is its shape)
            return self._result(image, lines, angle, angle in (180.0, -90.0), t0)
        if options.det_limit <= 0 and tiling.needs_tiling(w, h) \
                and min(w, h) * tiling.tiling_scale(w, h) < MIN_DETECT_SIDE:
            raise ImageTooLarge(f"the image is too elongated to read ({w}x{h} px): detection would shrink it to "
                                f"under {MIN_DETECT_SIDE} px across; cut it into shorter pieces",
                                source=image.source or None)
        with self._lock:
            self._cut_from = (bgr, *cut_from) if cut_from is not None else None
            self._upright = {}
            try:
                return self._read_locked(image, bgr, options, floor, t0, picture)
            finally:
                self._cut_from = None
                self._twice = None
                self._unsteady = []
                self._upright = None

    def _read_locked(self, image: LoadedImage, bgr: np.ndarray, options: RecognizeOptions, floor: float,
                     t0: float, picture: tuple[float, np.ndarray] | None = None) -> OcrResult | None:
        """_recognize's reading of ``bgr`` (``image``'s pixels), the engine's lock held."""
        h, w = bgr.shape[:2]
        self._load()
        quads, unsure = self._detect_first(bgr, options.det_limit)
        self._twice = floor if floor > 0.0 and len(quads) <= COARSE_MAX_BOXES else None
        blobs = [_blob(q, h, w) for q in quads]
        if picture is not None and (len(quads) <= COARSE_MAX_BOXES or any(blobs)):
            return None  # a sparse turned picture: read straightened
        # a turned picture on a flat canvas (rotation.content_quad) is taken for a block of
        # text: boxes over much of the picture where it has none. One not straightened (see
        # recognize: turned under MIN_DESKEW, or seen in perspective) is read, where nothing else
        # is found, with its wedges filled by its own edges (rotation.fill_wedges: its pixels and
        # coordinates unchanged); beside lines, such boxes are let go
        frame = rotation.content_quad(bgr) if not quads or any(blobs) else None
        if frame is not None and all(blobs):
            bgr = rotation.fill_wedges(bgr, frame)
            quads, unsure = self._detect_first(bgr, options.det_limit)
        elif frame is not None:
            quads = [q for q, blob in zip(quads, blobs) if not blob]
        if not quads and options.detect_rotation and _has_marks(bgr):
            quads = self._detect_across(bgr, options.det_limit)
        found = quads
        angle, matrix, work = 0.0, np.eye(3), bgr
        residual = 0.0  # skew left in the working image (not resampled, below MIN_DESKEW)
        columns = False  # vertical writing: the tall boxes are read as columns (vertical.py)
        spare: list[np.ndarray] = []  # boxes read and kept only where they read surely (_missed)
        if options.detect_rotation and quads:
            orient = rotation.estimate_orientation(bgr, quads, self._score_crops,
                                                   classify=self._classify_crops)
            columns = orient.quarter in (0, 90) and (self._columns(bgr, quads)
                                                      or self._columns_deskewed(bgr, quads, orient.skew))
            if columns:  # upright characters in columns, not a page turned by 90: only its skew
                orient = rotation.Orientation(orient.skew)
            quads, angle, matrix, work, residual, spare = self._turn_upright(bgr, found, orient,
                                                                             options.det_limit, unsure)
            if orient.quarter:  # turned upright: its columns are found there, as on the page upright
                columns = self._columns(work, quads)
        elif quads:
            columns = self._columns(bgr, quads)
            spare = list(unsure)
        lines = self._read_page(work, quads, options, columns, spare, self._crop_source(bgr, matrix))
        fits = self._ink_fits(lines, work)
        size = work.shape[:2]  # (h, w) of the image the lines are in
        rows = None
        if options.detect_rotation and found and not columns and len(found) <= COARSE_MAX_BOXES:
            rows = _rows_lean(work, [ln for ln in lines if (ln.score or 0.0) >= ROWS_MIN_SCORE], residual)
        if rows is not None and abs(normalize_angle(rows - residual)) > ROWS_REREAD:
            # a sparse page whose lines' rows of ink lean otherwise than its boxes said (a
            # plate's box, leaning with its frame and its surroundings, 5 degrees off its
            # characters, which read under the floor so): read again deskewed by its rows,
            # and kept so when that says more, nearly as surely
            way = self._read_turned(bgr, found, normalize_angle(angle - residual + rows), options, unsure)
            if _mass(way.lines, floor) > _mass(lines, floor) \
                    and _sureness(way.lines, floor) >= _sureness(lines, floor) - FEW_MARGIN:
                quads, angle, matrix, size, residual, columns, lines, fits = way
                work = bgr  # the working image is let go (the lines are in way's, of ``size``)
        doubt = options.detect_rotation and bool(found) and not columns
        flipped = doubt and _upside_down(lines, floor)
        sure = max(floor, OTHER_WAY_SCORE)
        few = len(found) <= FEW_BOXES
        if flipped or (doubt and (few or not _reads(lines, sure)) and _has_lines(found, h, w)):
            # the page's up/down was decided on a few sampled crops. When its lines, each read
            # both ways where the line classifier doubted it (_read), mostly read upside down,
            # it is turned by 180 more and read again as it would be upright. When no line on
            # it reads with OTHER_WAY_SCORE (and a box found could be a line), it is read the
            # other way up too, then (when that reads no better) turned by a quarter either
            # way. A page of FEW_BOXES or fewer is read the other way up however surely it
            # reads (a plate turned by 90 read '666' at 0.92 at -98; at 82, '假A999J3' at
            # 0.89). A way is taken only when a line of two characters or more reads there with
            # OTHER_WAY_SCORE and its lines say more (_mass), not read mostly upside down
            # there: a plate read upside down as '1666' at 0.54 reads 'A·999J3' at 0.86 the
            # other way up
            work = bgr  # the working image is let go: a large page is held twice at most
            quarter = rotation.Orientation(angle).quarter
            turns = [normalize_angle(angle + 180.0)]
            if not flipped:  # exact quarter turns, their skew measured there (_quarter_first)
                turns += [normalize_angle(quarter + 90.0), normalize_angle(quarter - 90.0)]
            said = _mass(lines, floor)
            # a page that reads surely already is turned only for a reading as sure (a street
            # photo skewed by -5 read '10' and '[06]' at 0.92-1.0; upside down, the detector
            # found five boxes there, read at 0.51-0.80, saying more)
            # Only lines read across the page count as reading so: a sparse photo turned by 90
            # whose word was boxed tall and read turned (a sign's 'EXIT' at 0.98, stray marks
            # besides) reads down the page, and is tried a quarter turn either way; so a way
            # reads only by its lines across it (a plate photo turned by -90 on purpose, its
            # box standing there, was read turned, '皖A·ON718' at 0.90 saying one character
            # more than upright's 'A·ON718' at 0.88, and reported at -90). And only a line of two
            # characters or more, as for a way: a single one is no such reading (a sideways
            # 'EXIT' on a photo turned by 90 read as '图' at 0.90, and no quarter turn was tried)
            bar = _sureness(lines, floor) - FEW_MARGIN if _reads(_across(lines), sure, chars=2) else 0.0
            # nor is it read upside down when the line classifier, asked of each of its lines
            # both ways, surely says they stand upright (_read: CLS_SURE): a label's few characters
            # can say more upside down ('NO. 17' cut 1 px around, light on dark, read at 0.93;
            # upside down, boxed in two, '17' and '; ON' at 1.0 and 0.93)
            across = _kept(_across(lines), floor)
            held = self._upright or {}
            upright = not flipped and bool(across) and all(id(ln) in held for ln in across)
            for k, turn in enumerate(turns):
                if k == 0 and upright:
                    continue
                if k == 1 and _reads(_across(lines), sure, chars=2):
                    break  # the other way up reads: no quarter turn is tried
                way = self._read_turned(bgr, found, turn, options, unsure)
                if flipped or (_reads(_across(way.lines), sure, chars=2)
                               and _mass(_across(way.lines), floor) > said
                               and _sureness(way.lines, floor) >= bar
                               and not _upside_down(way.lines, floor)
                               and (k > 0 or _telling(way.lines, floor) > _telling(lines, floor))):
                    quads, angle, matrix, size, residual, columns, lines, fits = way
                    said = _mass(lines, floor)
        lines = _kept(lines, floor)
        grown = self._loaded().unclip_ratio
        lines = _join_stacks(lines, grown)
        lines = _order(lines, residual, size[1], size[0])
        for ln in lines:  # ordered on the detector's boxes (the layout's measure), reported tight
            if not ln.vertical:
                lineframe.tighten(ln, grown, REPORT_UNCLIP)
                if id(ln) in fits:
                    lineframe.fit_to(ln, fits[id(ln)])
        if not np.allclose(matrix, np.eye(3)):
            inv = np.linalg.inv(matrix)
            for ln in lines:
                ln.polygon = _map(ln.polygon, inv, w, h)
                for c in ln.chars or []:
                    if c.polygon is not None:
                        c.polygon = _map(c.polygon, inv, w, h)
        if floor > 0.0:
            lines = _cut_by_frame(lines, angle, w, h)
        if options.detect_rotation and len(found) <= COARSE_MAX_BOXES:
            angle = _rows_angle(bgr, lines, angle)
        _release_heap()  # the page's temporaries go back to the system, so RSS stays flat
        return self._result(image, lines, angle, options.detect_rotation, t0, codes=options.codes)

    def _warp(self, bgr: np.ndarray, matrix: np.ndarray, size: tuple[int, int]) -> np.ndarray:
        """``bgr`` resampled through ``matrix`` (rotation.warp_image); a straightened picture
        (``_cut_from``) from the canvas it was cut from, through both matrices: one resampling
        less, so its deskewed copy is as sharp as the canvas's would be."""
        if self._cut_from is None or bgr is not self._cut_from[0]:
            return rotation.warp_image(bgr, matrix, size)
        _, canvas, to_cut = self._cut_from
        fill = tuple(float(v) for v in canvas[0, 0])  # beyond the canvas, its own flat colour (RGB)
        return np.ascontiguousarray(rotation.warp_image(canvas, matrix @ to_cut, size, fill=fill)[:, :, ::-1])

    def _crop_source(self, bgr: np.ndarray, matrix: np.ndarray) -> _Source | None:
        """Where the lines of ``bgr`` resampled through ``matrix`` are cropped from (_Source):
        ``bgr`` itself, or the canvas a straightened picture was cut from (``_cut_from``); None
        where the working image is ``bgr`` or exactly turned by quarters (its own crops are
        exact)."""
        if rotation.whole_pixels(matrix):
            return None
        if self._cut_from is None or bgr is not self._cut_from[0]:
            return _Source.resampled(bgr, matrix)
        _, canvas, to_cut = self._cut_from
        return _Source.resampled(canvas, matrix @ to_cut, rgb=True)

    def _turn_upright(self, bgr: np.ndarray, quads: list[np.ndarray], orient: rotation.Orientation, limit: int,
                      unsure: Sequence[np.ndarray] = ()):
        """The page turned upright by ``orient``: (boxes in the working image, angle, the matrix from
        ``bgr`` to the working image, the working image, the skew left in it, spare boxes to read
        and keep only where they read surely: a first pass's lost by the second (_missed), and
        the doubtful ones of the detection whose boxes are read (_detect_doubtful), so that a page
        turned by a quarter has those of the same page upright). ``quads``: the boxes found on
        ``bgr``; ``unsure``: the doubtful ones, carried where they are."""
        h, w = bgr.shape[:2]
        spare: list[np.ndarray] = []
        angle = orient.angle
        turn = angle if abs(orient.skew) >= rotation.MIN_DESKEW else float(orient.quarter)
        residual = normalize_angle(angle - turn)
        matrix, work = np.eye(3), bgr
        if orient.quarter and abs(orient.skew) < REDETECT_SKEW:
            # a turned page is turned by its quarter exactly (lossless), detected there and
            # deskewed like the same page upright: the same pixels, boxes and skew
            quads, angle, turn, matrix, work, spare = self._quarter_first(bgr, orient.quarter, limit)
            residual = normalize_angle(angle - turn)
            if turn != float(orient.quarter):
                angle, residual = _refine(quads, turn, angle, residual)
        elif turn != 0.0:
            matrix, nw, nh = rotation.rotation_matrix(w, h, turn)
            work = self._warp(bgr, matrix, (nw, nh))
            if orient.quarter or abs(orient.skew) >= REDETECT_SKEW:
                # a turned page: the detector finds its lines better upright (measured on
                # the evaluation set's turned pages, 180 included); so a clearly skewed one
                carried = [rotation.upright_quad(q, matrix) for q in quads]
                quads, doubt = self._detect_first(work, limit, read=False)
                kept, spare = _missed(carried, quads)
                quads += kept
                spare += doubt
            else:
                # a skewed upright page: the boxes move rigidly, so they are carried
                # through the exact transform instead of a second detection pass
                quads = [rotation.upright_quad(q, matrix) for q in quads]
                spare = [rotation.upright_quad(q, matrix) for q in unsure]
            angle, residual = _refine(quads, turn, angle, residual)
        else:
            spare = list(unsure)
        return quads, angle, matrix, work, residual, spare

    def _read_turned(self, bgr: np.ndarray, found: list[np.ndarray], turn: float,
                     options: RecognizeOptions, unsure: Sequence[np.ndarray] = ()) -> _Way:
        """The page read turned upright by ``turn`` (see _turn_upright); ``found``: the boxes of
        the first detection on ``bgr``, ``unsure`` its doubtful ones."""
        orient = rotation.Orientation(turn)
        quads, angle, matrix, work, residual, spare = self._turn_upright(bgr, found, orient, options.det_limit,
                                                                         unsure)
        columns = self._columns(work, quads) if orient.quarter else False
        lines = self._read_page(work, quads, options, columns, spare, self._crop_source(bgr, matrix))
        return _Way(quads, angle, matrix, work.shape[:2], residual, columns, lines, self._ink_fits(lines, work))

    def _ink_fits(self, lines: list[TextLine], work: np.ndarray) -> dict[int, tuple[float, float, float, float]]:
        """Where each horizontal line's ink lies in its reported box (lineframe.ink_box), by ``id`` of the
        line, measured in the working image ``work`` while it is held; applied once the page's
        lines are ordered and reported tight (lineframe.fit_to)."""
        grown = self._loaded().unclip_ratio
        fits = {}
        for ln in lines:
            if not ln.vertical:
                delta = lineframe.tight_inset(ln.polygon, grown, REPORT_UNCLIP)
                box = lineframe.ink_box(lineframe.inset(ln.polygon, delta, delta) if delta > 0 else ln.polygon, work)
                if box is not None:
                    fits[id(ln)] = box
        return fits

    def _read_page(self, work: np.ndarray, quads: list[np.ndarray], options: RecognizeOptions,
                   columns: bool, spare: Sequence[np.ndarray] = (), source: _Source | None = None) -> list[TextLine]:
        """The lines of the page turned upright (``work``), small text detected again finer, a
        sparse page coarser. ``spare``: boxes of a first pass that the page's own detection did not
        find again, and the doubtful boxes of a page of many (_turn_upright), read and kept as the
        coarser pass's are; so are the first pass's lines that the finer pass did not find. ``source``:
        the pixels ``work`` was resampled from, which lines are cropped from (_Source)."""
        if options.det_limit <= 0:
            fine = self._finer(work, quads)
            if fine:  # the first pass's lines the finer one lost are spare (a table's header on halftone)
                spare, quads = [*spare, *quads], fine
            extra, doubt = self._coarser(work, quads)
        else:
            extra, doubt = [], []
        # not found again by a finer pass, nor by the coarser one
        spare = _uncovered(_not_found(list(spare), quads), extra) if spare else []
        quads = rules.split_at_rules(work, quads)  # a form's cells joined across a ruled line
        # the detector's working memory (OpenVINO keeps it) is given back before the
        # recogniser needs its own: the peak is the larger of the two, not their sum
        self._loaded().trim()
        lines = self._split_rows(work, self._read(work, quads, options.chars, columns, source), options.chars, source)
        lines = self._grid_rows(work, lines, options.chars, source)
        lines = self._bridge(work, lines, options.chars, source)
        # a second pass's own lines (and a first pass's spare ones) are kept when they read surely
        # (a stray mark reads as some character at 0.5-0.7); on a page of many boxes, a spare
        # one also says SPARE_MIN_CHARS characters
        least = SPARE_MIN_CHARS if len(quads) > COARSE_MAX_BOXES else 1
        more = [ln for ln in self._read(work, extra, options.chars, columns, source)
                if (ln.score or 0.0) >= OTHER_WAY_SCORE]
        spares = self._read(work, spare, options.chars, columns, source)
        more += _distinct([ln for ln in spares
                           if (ln.score or 0.0) >= OTHER_WAY_SCORE and len(unspaced(ln.text)) >= least])
        if least > 1:
            more += _short_spares(spares, lines + more, least)
        if doubt:  # the coarser pass's doubtful boxes, where no line kept stands (a box over the
            # whole photo, scored near the threshold and read as nothing, hides none of them)
            floor = self.min_score_for(options)
            doubt = _uncovered(doubt, [np.asarray(ln.polygon, dtype=np.float32) for ln in lines + more
                                       if (ln.score or 0.0) >= floor])
            more += [ln for ln in self._read(work, doubt, options.chars, columns, source)
                     if (ln.score or 0.0) >= OTHER_WAY_SCORE and len(unspaced(ln.text)) >= DOUBT_MIN_CHARS]
        lines += more
        if self._twice is not None:  # a sparse page: its lines read twice (AGAIN_GROW)
            floor, unsteady = self._twice, {id(ln): mean for ln, mean in self._unsteady}
            self._unsteady = []
            # beside a line that reads over the floor both ways, one whose two readings' mean is
            # under it is let go; a page none of whose lines reads so keeps them all (its plate,
            # read in part, is more than nothing)
            if any((ln.score or 0.0) >= floor and id(ln) not in unsteady for ln in lines):
                for ln in lines:
                    if id(ln) in unsteady:
                        ln.score = min(ln.score or 0.0, unsteady[id(ln)])
        return _join_combs(work, self._join_sideways(work, _edges_off(work, lines), options.chars))

    def _split_rows(self, work: np.ndarray, lines: list[TextLine], chars: bool,
                    source: _Source | None = None) -> list[TextLine]:
        """A page's lines whose box holds two rows of text or more (rowsplit.row_bands: a form's label
        in two rows of spaced characters, boxed as one line and read as one of its rows), read
        row by row. Only on a page of more than COARSE_MAX_BOXES lines across, in a box
        rowsplit.SPLIT_TALL times as tall as their median, read as SPLIT_MIN_CHARS characters or more
        (吕 alone is two bands of ink). The rows are kept instead where each reads with
        OTHER_WAY_SCORE, none runs on over SPLIT_WIDE type sizes per type size of its text (a
        character's flattened half read as one), and they say more characters than the line
        did. The rows keep the line's own way up (its frame's corners). A line across found on
        the same line inside a row (_not_found) and reading as part of it goes."""
        across = [ln for ln in lines if not ln.vertical and len(ln.polygon) == 4]
        if len(across) <= COARSE_MAX_BOXES:
            return lines
        height = float(np.median([lineframe.size(ln.polygon)[1] for ln in across]))
        jobs: list[tuple[int, list[np.ndarray], list[tuple[int, int]], np.ndarray]] = []
        for i, ln in enumerate(lines):
            if (ln.vertical or len(ln.polygon) != 4 or len(unspaced(ln.text)) < SPLIT_MIN_CHARS
                    or lineframe.size(ln.polygon)[1] < rowsplit.SPLIT_TALL * height):
                continue
            frame = np.asarray(ln.polygon, dtype=np.float32)
            if lineframe.cut_turned(frame):
                continue
            crop, bands, frames = _row_frames(work, frame, source)
            if len(bands) >= 2:
                jobs.append((i, frames, bands, crop))
        if not jobs:
            return lines
        read = iter(self._read_frames(work, [f for _, fs, _, _ in jobs for f in fs], chars, source))
        replace: dict[int, list[TextLine]] = {}
        for i, fs, bands, crop in jobs:
            parts = [next(read) for _ in fs]
            if (_rows_read(parts, bands, crop)
                    and sum(len(unspaced(p.text)) for p in parts) > len(unspaced(lines[i].text))):
                replace[i] = parts
        if not replace:
            return lines
        # a line the detector also boxed inside one of the rows (学 历's 历 apart, over the box of
        # both rows) and read as part of it is that row found again
        rows = [p for parts in replace.values() for p in parts]
        again = {i for i, ln in enumerate(lines) if i not in replace and not ln.vertical and len(ln.polygon) == 4
                 and any(unspaced(ln.text) in unspaced(p.text)
                         and not _not_found([np.asarray(ln.polygon, dtype=np.float32)],
                                            [np.asarray(p.polygon, dtype=np.float32)], patches=False)
                         for p in rows)}
        return [p for i, ln in enumerate(lines) if i not in again for p in replace.get(i, [ln])]

    def _read_frames(self, work: np.ndarray, frames: list[np.ndarray], chars: bool,
                     source: _Source | None = None) -> list[TextLine]:
        """Each frame (top-left, top-right, bottom-right, bottom-left in ``work``) read as one line, in
        one batch, as it stands: the frames' own corners are the lines' polygons."""
        if not frames:
            return []
        crops = [_cut(work, f, source) for f in frames]
        rec = self._loaded().recognize(crops, word_boxes=chars)
        out = []
        for frame, txt, score, words in zip(frames, rec.txts, rec.scores, rec.words):
            corners = [np.asarray(p, dtype=np.float64) for p in frame]
            out.append(TextLine(text=txt, polygon=[(float(x), float(y)) for x, y in corners], score=_clamp(score),
                                chars=lineframe.char_boxes(txt, words, corners, _clamp(score)) if chars else None))
        return out

    def _grid_rows(self, work: np.ndarray, lines: list[TextLine], chars: bool,
                   source: _Source | None = None) -> list[TextLine]:
        """A label of two or three rows of spaced characters that the detector boxed by columns
        (rowsplit.grid_groups: 学 历 over 学 位 on a skewed form, found as a column 学学 and the
        characters 历 and 位 beside it, joined later into a column 历位), read row by row: the
        group's box is cut between the rows of its ink and each row read. Only on a page of more
        than COARSE_MAX_BOXES lines across; the rows are kept instead of the group where there
        are as many of them as the column piece has characters, each reads as two Chinese
        characters or more with OTHER_WAY_SCORE, none runs on over SPLIT_WIDE type sizes per
        type size of its text, and together they say the characters the group did."""
        flags = [not ln.vertical and len(ln.polygon) == 4 for ln in lines]
        if sum(flags) <= COARSE_MAX_BOXES:
            return lines
        boxes = [ln.bbox() for ln in lines]
        groups = rowsplit.grid_groups(boxes, [ln.text for ln in lines], flags)
        jobs: list[tuple[list[int], list[np.ndarray], list[tuple[int, int]], np.ndarray]] = []
        for group, rows in groups:
            x0, y0 = min(boxes[j][0] for j in group), min(boxes[j][1] for j in group)
            x1, y1 = max(boxes[j][2] for j in group), max(boxes[j][3] for j in group)
            frame = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32)
            if lineframe.cut_turned(frame):
                continue
            crop, bands, frames = _row_frames(work, frame, source)
            if len(bands) == rows:
                jobs.append((group, frames, bands, crop))
        if not jobs:
            return lines
        read = iter(self._read_frames(work, [f for _, fs, _, _ in jobs for f in fs], chars, source))
        replace: dict[int, list[TextLine]] = {}
        gone: set[int] = set()
        for group, fs, bands, crop in jobs:
            parts = [next(read) for _ in fs]
            said = sorted("".join(unspaced(lines[j].text) for j in group))
            if (_rows_read(parts, bands, crop)
                    and all(vertical.ideographs(p.text, 2) for p in parts)
                    and sorted("".join(unspaced(p.text) for p in parts)) == said):
                replace[min(group)] = parts
                gone.update(group)
        return [p for i, ln in enumerate(lines) if i not in gone or i in replace for p in replace.get(i, [ln])]

    def _bridge(self, work: np.ndarray, lines: list[TextLine], chars: bool,
                source: _Source | None = None) -> list[TextLine]:
        """Two pieces of a line the detector broke apart with letters left between them
        (bridge.gap_ink: ink in the gap between two boxes on one row, bridge.row_pairs), read
        together as one. Only on a page of more than COARSE_MAX_BOXES lines across, and for
        lines read left to right as boxed; the reading is kept instead of the pieces where it
        reads with OTHER_WAY_SCORE and nearly as surely as the less sure piece (FEW_MARGIN), says
        bridge.BRIDGE_MORE characters more than they did, and begins and ends as they did."""
        idx = [i for i, ln in enumerate(lines)
               if not ln.vertical and len(ln.polygon) == 4 and ln.polygon[0][0] < ln.polygon[1][0]
               and not lineframe.cut_turned(np.asarray(ln.polygon, dtype=np.float32))]
        if len(idx) <= COARSE_MAX_BOXES:
            return lines
        boxes = [lines[i].bbox() for i in idx]
        pairs = [(idx[a], idx[b]) for a, b in bridge.row_pairs(boxes)
                 if bridge.gap_ink(work, boxes[a], boxes[b]) >= bridge.BRIDGE_INK]
        if not pairs:
            return lines
        frames = [np.asarray([lines[i].polygon[0], lines[j].polygon[1], lines[j].polygon[2], lines[i].polygon[3]],
                             dtype=np.float32) for i, j in pairs]
        whole_of: dict[int, TextLine] = {}
        gone: set[int] = set()
        for (i, j), whole in zip(pairs, self._read_frames(work, frames, chars, source)):
            left, right, said = unspaced(lines[i].text), unspaced(lines[j].text), unspaced(whole.text)
            least = min(lines[i].score or 0.0, lines[j].score or 0.0) - FEW_MARGIN
            if ((whole.score or 0.0) >= max(OTHER_WAY_SCORE, least)
                    and len(said) >= len(left) + len(right) + bridge.BRIDGE_MORE
                    and said.startswith(left[:2]) and said.endswith(right[-2:])):
                whole_of[i] = whole
                gone.add(j)
                if self._upright is not None and id(lines[i]) in self._upright and id(lines[j]) in self._upright:
                    self._upright[id(whole)] = whole  # its pieces were surely upright (_read: CLS_SURE)
        return [whole_of.get(i, ln) for i, ln in enumerate(lines) if i not in gone]

    def _join_sideways(self, work: np.ndarray, lines: list[TextLine], chars: bool) -> list[TextLine]:
        """Pieces of a line printed sideways (vertical.sideways_runs: a Bates number down a scanned
        page's margin, found a character at a time) as one line: the run's box read again, turned
        as a tall box is, and kept where it reads with SIDEWAYS_SCORE and says at least as many
        characters as the run has pieces, and better than stacked (upright characters one above
        the other read so); a line standing inside that box (a piece the run's
        shape rules left out) goes with it. ``lines``: read in ``work``."""
        boxes = [ln.bbox() for ln in lines]
        runs = vertical.sideways_runs(boxes, [ln.text for ln in lines]) if len(lines) > 1 else []
        joined: dict[int, TextLine] = {}  # a run's pieces -> the run read as one line
        tops: set[int] = set()  # where each such line stands in the list: its top piece's place
        for run in runs:
            x0, y0 = min(boxes[i][0] for i in run), min(boxes[i][1] for i in run)
            x1, y1 = max(boxes[i][2] for i in run), max(boxes[i][3] for i in run)
            quad = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32)
            read = self._read(work, [quad], chars)
            if read and (read[0].score or 0.0) >= SIDEWAYS_SCORE \
                    and len(unspaced(read[0].text)) >= len(run) \
                    and (read[0].score or 0.0) >= self._stacked_score(work, quad):
                inside = [i for i, b in enumerate(boxes)
                          if min(b[2], x1) - max(b[0], x0) >= SIDEWAYS_INSIDE * (b[2] - b[0])
                          and min(b[3], y1) - max(b[1], y0) >= SIDEWAYS_INSIDE * (b[3] - b[1])]
                joined.update({i: read[0] for i in set(run) | set(inside)})
                tops.add(run[0])
        return [joined.get(i, ln) for i, ln in enumerate(lines) if i not in joined or i in tops]

    def _stacked_score(self, work: np.ndarray, quad: np.ndarray) -> float:
        """The confidence of a tall box read as a column of upright characters (vertical.stacked_line):
        upright characters one above the other read better so than turned, characters lying on
        their side worse (a Bates number's 0.48-0.53 against 1.0 turned)."""
        cut = vertical.stacked_line(work, quad)
        if cut is None:
            return 0.0
        return self._score_crops([cut[0]])[0]

    def _detect_across(self, bgr: np.ndarray, limit: int) -> list[np.ndarray]:
        """Boxes found on the image turned by a quarter, in ``bgr``'s coordinates: called when the
        detector found nothing. It can miss a short line running down the image that it finds
        running across (a number plate in a photo taken sideways: ccpd__00 turned by 270 and
        rects__000002 by 90 of the evaluation set, found once turned by 90 either way). Only
        for an image with something drawn on it (_has_marks): a blank page costs no second
        pass."""
        h, w = bgr.shape[:2]
        m, nw, nh = rotation.rotation_matrix(w, h, 90.0)
        quads, _ = self._detect(rotation.warp_image(bgr, m, (nw, nh)), limit)
        inv = np.linalg.inv(m)
        return [rotation.apply_matrix(q, inv).astype(np.float32) for q in quads]

    def _quarter_first(self, bgr: np.ndarray, quarter: int, limit: int):
        """A page turned by ``quarter`` (90/180/270) and skewed by less than REDETECT_SKEW: turned
        upright exactly, detected, and its skew measured and taken out as on a page that came
        upright (boxes carried through the deskew, a second pass only from REDETECT_SKEW). Returns
        (boxes in the working image, angle, the turn applied, its matrix, the working image, the
        doubtful boxes of the detection its boxes come from: _detect_doubtful)."""
        h, w = bgr.shape[:2]
        qm, qw, qh = rotation.rotation_matrix(w, h, float(quarter))
        upright = rotation.warp_image(bgr, qm, (qw, qh))
        quads, doubt = self._detect_first(upright, limit, read=False)
        skew, evidence = rotation.line_direction(quads)
        if evidence <= 0 or abs(skew) >= 45.0:
            skew = 0.0
        angle = normalize_angle(quarter + skew)
        turn = angle if abs(skew) >= rotation.MIN_DESKEW else float(quarter)
        matrix, nw, nh = rotation.rotation_matrix(w, h, turn)
        if turn == float(quarter):
            return quads, angle, turn, matrix, upright, doubt
        del upright  # a large page is held twice at most (the caller's and the deskewed one)
        work = self._warp(bgr, matrix, (nw, nh))
        if abs(skew) >= REDETECT_SKEW:
            again, doubt = self._detect_first(work, limit, read=False)
            return again, angle, turn, matrix, work, doubt
        to_work = matrix @ np.linalg.inv(qm)
        return ([rotation.upright_quad(q, to_work) for q in quads], angle, turn, matrix, work,
                [rotation.upright_quad(q, to_work) for q in doubt])

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
                t0: float, codes: bool = False) -> OcrResult:
        result = OcrResult(width=image.width, height=image.height, lines=lines, angle=angle,
                           angle_detected=detected, engine=self.name, source=image.source, page=image.page)
        if codes:
            add_codes(result, image.pixels)
        result.angle = round(result.angle, 2)  # after normalising, so no float noise is added back
        result.elapsed = time.perf_counter() - t0
        return result


class _Way(NamedTuple):
    """A page read in one orientation: its boxes and lines in the working image (of ``size``, h x
    w), the angle found, the matrix from the image given to the working one, the skew left."""
    quads: list[np.ndarray]
    angle: float
    matrix: np.ndarray
    size: tuple[int, int]
    residual: float
    columns: bool
    lines: list[TextLine]
    fits: dict[int, tuple[float, float, float, float]]  # _ink_fits


class _Source(NamedTuple):
    """Pixels a working image was resampled from (a skewed page, before it was deskewed), and the
    matrix from the working image back to them. A line's crop is taken from them through its box
    mapped back: one resampling, as rapidocr crops a tilted box, instead of the deskew's and the
    crop's."""
    pixels: np.ndarray
    back: np.ndarray
    rgb: bool = False  # the pixels are RGB (a straightened picture's canvas), the crop BGR

    @classmethod
    def resampled(cls, pixels: np.ndarray, matrix: np.ndarray, rgb: bool = False) -> _Source:
        """The source of a working image made from ``pixels`` through ``matrix`` (inverted once
        here, not for every crop)."""
        return cls(pixels, np.linalg.inv(matrix), rgb)

    def crop(self, quad: np.ndarray) -> np.ndarray:
        """The crop of ``quad`` (a box in the working image) out of the pixels; mapped between
        pixel centres, as ``rotation.warp_image`` maps them, so it is the box's own crop there."""
        back = rotation.apply_matrix(np.asarray(quad, dtype=np.float64) + 0.5, self.back) - 0.5
        crop = rapid.crop_line(self.pixels, back.astype(np.float32))
        return np.ascontiguousarray(crop[:, :, ::-1]) if self.rgb else crop


def _rows_angle(bgr: np.ndarray, lines: list[TextLine], angle: float) -> float:
    """A sparse page's angle (COARSE_MAX_BOXES boxes or fewer: a plate, a sign) measured on the
    rows of ink of its lines (_rows_lean) where the boxes' directions gave ``angle``, snapped to
    the quarter turn within MIN_DESKEW of it as a few boxes' directions are
    (rotation.line_direction); ``angle`` itself when no line can say. ``lines``: their polygons
    in ``bgr``."""
    measured = _rows_lean(bgr, lines, angle)
    if measured is None:
        return angle
    quarter = rotation.Orientation(measured).quarter
    if abs(normalize_angle(measured - quarter)) < rotation.MIN_DESKEW:
        measured = normalize_angle(float(quarter))
    return measured


def _rows_lean(img: np.ndarray, lines: list[TextLine], angle: float) -> float | None:
    """The angle of ``lines``' rows of ink in ``img`` (their polygons are in it), measured within
    rotation.BASELINE_SPAN of ``angle``: the length-weighted median of rotation.baseline_angle over
    those of ROWS_MIN_CHARS Latin letters and digits or more, half their characters at least (their
    baselines and x-height make the rows; square Chinese characters leave them flat, a drawn `入口`
    measured 4 degrees off), whose box is ROWS_MIN_RATIO times as long as tall or more; None when
    none of them says."""
    angles, weights = [], []
    for ln in lines:
        said = unspaced(ln.text)
        latin = sum(ch.isascii() and ch.isalnum() for ch in said)
        if ln.vertical or latin < ROWS_MIN_CHARS or 2 * latin < len(said):
            continue
        quad = np.asarray(ln.polygon, dtype=np.float32)
        _, (bw, bh), _ = cv2.minAreaRect(quad)
        if min(bw, bh) < 1.0 or max(bw, bh) < ROWS_MIN_RATIO * min(bw, bh):
            continue
        found = rotation.baseline_angle(img, quad, angle)
        if found is not None:
            angles.append(normalize_angle(found - angle))  # relative: no wrap at 180
            weights.append(max(bw, bh))
    return normalize_angle(angle + rotation.weighted_median(angles, weights)) if angles else None


def _kept(lines: list[TextLine], min_score: float) -> list[TextLine]:
    """The lines read with at least ``min_score`` (a line with no score is not)."""
    return [ln for ln in lines if ln.score is not None and ln.score >= min_score]


def _cut_by_frame(lines: list[TextLine], angle: float, w: int, h: int) -> list[TextLine]:
    """``lines`` (in a ``w`` x ``h`` image whose text reads at ``angle``) but those the image's
    edge cuts through their height: a line across the page (not a column) reaching the edge above
    or below it within FRAME_TOUCH px, under CUT_HEIGHT of the median height of the lines clear
    of those edges, and under CUT_EM of its own type size as its text gives it (a whole caption
    under a heading is not). With no line clear of those edges, or on a page turned more than
    CUT_SKEW off a quarter turn, all are kept. The edge there is where a region was cut from a
    screen or a page, and a neighbouring line it halves reads as a few wrong characters or as
    part of a line (its lower half, 'JIAIIOILI' at 0.67, above '(001451637-M)' read whole)."""
    quarter = round(normalize_angle(angle) / 90.0) % 4
    if abs(normalize_angle(angle - 90.0 * quarter)) > CUT_SKEW:
        return lines
    axis, extent = (1, h) if quarter in (0, 2) else (0, w)

    def height(ln: TextLine) -> float:
        return lineframe.size(ln.polygon)[1]

    def at_edge(ln: TextLine) -> bool:
        at = [pt[axis] for pt in ln.polygon]
        return min(at) <= FRAME_TOUCH or max(at) >= extent - FRAME_TOUCH

    def halved(ln: TextLine) -> bool:
        length, tall = lineframe.size(ln.polygon)
        return tall < CUT_EM * length / max(_ems(ln.text), 1.0)

    across = [ln for ln in lines if not ln.vertical and len(ln.polygon) == 4]
    edged = {id(ln) for ln in across if at_edge(ln)}
    if not edged:
        return lines
    clear = [height(ln) for ln in across if id(ln) not in edged]
    if not clear:
        return lines
    bar = CUT_HEIGHT * float(np.median(clear))
    return [ln for ln in lines if id(ln) not in edged or height(ln) >= bar or not halved(ln)]


def _ems(text: str) -> float:
    """How many type sizes long ``text`` is printed, about: a Chinese (wide) character 1, a space
    0.3, any other character 0.55."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.3 if ch.isspace() else 0.55 for ch in text)


def _upside_down(lines: list[TextLine], min_score: float) -> bool:
    """Whether the page's lines say it is upside down in the image they were read in: those read
    turned by 180 degrees (their first corner right of their second) carry more than FLIP_MAJORITY
    of the characters of its lines across, each weighted by its confidence."""
    flipped = total = 0.0
    for ln in _kept(_across(lines), min_score):
        weight = _said(ln)
        total += weight
        if ln.polygon[1][0] < ln.polygon[0][0]:
            flipped += weight
    return flipped > FLIP_MAJORITY * total


def _across(lines: list[TextLine]) -> list[TextLine]:
    """The lines read across the page they were read in, either way up: not columns, and not
    read down or up it (a tall box's crop is turned to be read: its first edge stands upright)."""
    return [ln for ln in lines if not ln.vertical
            and abs(ln.polygon[1][0] - ln.polygon[0][0]) > abs(ln.polygon[1][1] - ln.polygon[0][1])]


def _reads(lines: list[TextLine], min_score: float, chars: int = 1) -> bool:
    """Whether any line of at least ``chars`` characters reads with at least ``min_score`` (a stray
    mark reads as one character, sometimes confidently: a textured photo's ':' at 0.98)."""
    return any(len(ln.text.strip()) >= chars for ln in _kept(lines, min_score))


def _has_lines(quads: list[np.ndarray], h: int, w: int) -> bool:
    """Whether reading the page other ways is worth its cost: some box could be a line of text
    (_only_blobs), or the image is no larger than the detector's own size, so another reading
    costs little. On a large photo without text the detector can find one box over all of it; a
    tight capture of one line is such a box too, but small."""
    return max(h, w) <= DET_MAX_SIDE or not _only_blobs(quads, h, w)


def _blob(quad: np.ndarray, h: int, w: int) -> bool:
    """Whether a box is no line of text: its shorter side is LINE_SHARE of the image's or more."""
    return bool(min(np.linalg.norm(quad[0] - quad[1]), np.linalg.norm(quad[1] - quad[2])) >= LINE_SHARE * min(h, w))


def _only_blobs(quads: list[np.ndarray], h: int, w: int) -> bool:
    """Whether no box could be a line of text (_blob; true of no boxes at all)."""
    return all(_blob(q, h, w) for q in quads)


def _said(line: TextLine) -> float:
    """What a line says: its characters, weighted by its confidence."""
    return len(line.text.strip()) * (line.score or 0.0)


def _sureness(lines: list[TextLine], min_score: float) -> float:
    """How surely a page's lines read: their characters' mean confidence (those read with at least
    ``min_score``; 0 when none is)."""
    chars = sum(len(ln.text.strip()) for ln in _kept(lines, min_score))
    return _mass(lines, min_score) / chars if chars else 0.0


def _telling(lines: list[TextLine], min_score: float) -> float:
    """What a page's lines say of its up and down: their characters that turned by 180 degrees
    read as no character (TURNABLE), weighted by confidence, those read with at least
    ``min_score``. A street sign's '[06]' read upside down is '(90)', at 0.96 against 0.88."""
    return sum(sum(1 for ch in ln.text if not ch.isspace() and ch not in TURNABLE) * (ln.score or 0.0)
               for ln in _kept(lines, min_score))


def _mass(lines: list[TextLine], min_score: float) -> float:
    """What a page's lines say (_said), those read with at least ``min_score``."""
    return sum(_said(ln) for ln in _kept(lines, min_score))


def _join_stacks(lines: list[TextLine], grown: float) -> list[TextLine]:
    """Columns of separate characters (vertical.char_stacks: a label written vertically, one box
    per character) joined into one vertical line each, read top to bottom, its characters' own
    (fitted) boxes as its CharBoxes when they were asked for."""
    boxes = []
    for ln in lines:
        xs, ys = [p[0] for p in ln.polygon], [p[1] for p in ln.polygon]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    stacks = vertical.char_stacks(boxes, [ln.text for ln in lines]) if len(lines) > 1 else []
    if not stacks:
        return lines
    joined: dict[int, TextLine] = {}
    for chain in stacks:
        members = [lines[i] for i in chain]
        for m in members:
            if not m.vertical:  # a column's piece read stacked keeps its box (vertical lines are not tightened)
                lineframe.tighten(m, grown, REPORT_UNCLIP)
        xs = [p[0] for m in members for p in m.polygon]
        ys = [p[1] for m in members for p in m.polygon]
        x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
        texts = [unspaced(m.text) for m in members]
        chars = [c for m, t in zip(members, texts)
                 for c in (m.chars if m.vertical and m.chars is not None else [CharBox(t, m.score, list(m.polygon))])] \
            if any(m.chars is not None for m in members) else None
        # confidence per character: a piece of several counts for each of them
        score = sum((m.score or 0.0) * len(t) for m, t in zip(members, texts)) / max(1, sum(len(t) for t in texts))
        joined[chain[0]] = TextLine(text="".join(texts), polygon=[(x0, y0), (x1, y0), (x1, y1), (x0, y1)],
                                    score=_clamp(score), chars=chars, vertical=True)
    gone = {i for chain in stacks for i in chain[1:]}
    out = [joined.get(i, ln) for i, ln in enumerate(lines) if i not in gone]
    return _continue_columns(out, {id(ln) for ln in joined.values()})


def _edges_off(work: np.ndarray, lines: list[TextLine]) -> list[TextLine]:
    """``lines`` (in ``work``), each read left to right as boxed, without a last character
    ``[`` or ``|`` (a first ``]`` or ``|``) that is the edge of a shape its box cut into: a check
    box beside a label, a cell's border (rules.runs_past: its ink runs on past the box by
    rules.EDGE_BEYOND heights or more, where a letter's stays inside). Changed in place (the
    page's bookkeeping keeps them by identity); a line of that one character is left as read."""
    for ln in lines:
        if ln.vertical or len(ln.polygon) != 4 or ln.polygon[0][0] >= ln.polygon[1][0]:
            continue
        text = ln.text.strip()
        if len(text) < 2:
            continue
        box = ln.bbox()
        if text[-1] in EDGE_LAST and rules.runs_past(work, box, "right") >= rules.EDGE_BEYOND:
            ln.text = text = text[:-1].rstrip()
            if ln.chars:
                _chars_cut(ln.chars, -1)
        if len(text) > 1 and text[0] in EDGE_FIRST and rules.runs_past(work, box, "left") >= rules.EDGE_BEYOND:
            ln.text = text[1:].lstrip()
            if ln.chars:
                _chars_cut(ln.chars, 0)
    return lines


def _chars_cut(chars: list[CharBox], at: int) -> None:
    """The first (``at`` 0) or last (-1) character taken off a line's character boxes (a word's
    box keeps the rest of its word; one left with nothing goes)."""
    word = chars[at]
    rest = (word.text[1:] if at == 0 else word.text[:-1]).strip()
    if rest:
        word.text = rest
    else:
        chars.pop(at)


def _join_combs(work: np.ndarray, lines: list[TextLine]) -> list[TextLine]:
    """The pieces of a comb field (combs.comb_runs: a number one character per cell, split by the
    cells' borders) as one line each, where its first piece stood: its text the pieces' without
    spaces, its box around them all along their own slant (a page's skew left in ``work``: the
    cells' borders stand upright in its crop), its confidence theirs per character, its characters
    theirs. ``lines``: read in ``work``."""
    flat = [ln for ln in lines if not ln.vertical]
    if len(flat) < combs.MIN_PIECES:
        return lines
    gray = cv2.cvtColor(work, cv2.COLOR_BGR2GRAY) if work.ndim == 3 else work
    runs = combs.comb_runs([ln.bbox() for ln in flat], [ln.text for ln in flat], gray)
    joined: dict[int, TextLine] = {}
    gone: set[int] = set()
    for run in runs:
        members = [flat[i] for i in run]
        texts = [unspaced(m.text) for m in members]
        chars = None
        if any(m.chars is not None for m in members):
            chars = [c for m, t in zip(members, texts)
                     for c in (m.chars if m.chars is not None else [CharBox(t, m.score, list(m.polygon))])]
        score = sum((m.score or 0.0) * len(t) for m, t in zip(members, texts)) / sum(len(t) for t in texts)
        joined[id(members[0])] = TextLine(text="".join(texts), polygon=_around([m.polygon for m in members]),
                                          score=_clamp(score), chars=chars)
        gone.update(id(m) for m in members[1:])
    return [joined.get(id(ln), ln) for ln in lines if id(ln) not in gone]


def _around(quads: list) -> list[tuple[float, float]]:
    """The rectangle around ``quads`` (each top-left, top-right, bottom-right, bottom-left) along
    their top edges' mean direction."""
    q = np.asarray(quads, dtype=np.float64)
    top = (q[:, 1] - q[:, 0]).sum(axis=0)
    u = top / max(float(np.hypot(*top)), 1e-9)
    v = np.array([-u[1], u[0]])
    pts = q.reshape(-1, 2)
    a, b = pts @ u, pts @ v
    return [lineframe.point(u * x + v * y) for x, y in ((a.min(), b.min()), (a.max(), b.min()),
                                                (a.max(), b.max()), (a.min(), b.max()))]


def _continue_columns(lines: list[TextLine], stacks: set[int]) -> list[TextLine]:
    """A column of separate characters (``stacks``: ids of the lines _join_stacks made) that goes
    on from a vertical line just above it, or runs on into one just below, on the same axis and
    of the same width, is one line with it: the detector found part of a label set down a cell as
    one tall box and the rest one box per character ((从高中填起)本人 over 简历)."""
    vert = [ln for ln in lines if ln.vertical]
    if len(vert) < 2:
        return lines
    merged: dict[int, TextLine] = {}  # id of the upper line -> the joined line
    gone: set[int] = set()
    for low in sorted(vert, key=lambda ln: ln.bbox()[1]):
        lx0, ly0, lx1, _ = low.bbox()
        for up in vert:
            if up is low or id(up) in gone or (id(up) not in stacks and id(low) not in stacks):
                continue
            top = merged.get(id(up), up)
            ux0, _, ux1, uy1 = top.bbox()
            width = max(ux1 - ux0, lx1 - lx0)
            if (width <= vertical.STACK_SIZE * min(ux1 - ux0, lx1 - lx0)
                    and abs((ux0 + ux1) - (lx0 + lx1)) / 2.0 <= vertical.STACK_AXIS * width
                    and -0.5 * width <= ly0 - uy1 <= vertical.STACK_GAP * width):
                merged[id(up)] = _stacked_pair(top, low)
                gone.add(id(low))
                break
    return [merged.get(id(ln), ln) for ln in lines if id(ln) not in gone]


def _stacked_pair(up: TextLine, low: TextLine) -> TextLine:
    """Two vertical lines, one under the other, as one read top to bottom."""
    ax0, ay0, ax1, _ = up.bbox()
    bx0, _, bx1, by1 = low.bbox()
    x0, x1 = min(ax0, bx0), max(ax1, bx1)
    n_up, n_low = max(1, len(up.text.strip())), max(1, len(low.text.strip()))
    score = ((up.score or 0.0) * n_up + (low.score or 0.0) * n_low) / (n_up + n_low)
    chars = up.chars + low.chars if up.chars is not None and low.chars is not None else None
    return TextLine(text=up.text.strip() + low.text.strip(), polygon=[(x0, ay0), (x1, ay0), (x1, by1), (x0, by1)],
                    score=_clamp(score), chars=chars, vertical=True)


def _missed(carried: list[np.ndarray], found: list[np.ndarray]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Boxes of the first detection pass (``carried`` into the working image) that stand where the
    second pass, on the page deskewed, found nothing: under MISSED_OVERLAP of their area covered by
    any box of ``found``. A photo's marginal text (boxes scored near the detector's threshold) can
    be lost by the deskew's resampling. Returns (boxes kept as lines, spare boxes kept only where
    they read surely). They are kept as lines when the second pass found under half as many boxes
    as the first. Where it found about as many, the first's extra boxes measured as clutter (a
    shop sign at the edge of a plate photo), but a street photo's one word can be among them,
    the second pass's boxes being textured patches (a wall, a window), or a form's line lost
    between two found: they are spare, kept where they read surely (on a page of more boxes than
    COARSE_MAX_BOXES, saying SPARE_MIN_CHARS characters: a receipt's specks read '5' or '*一'
    with 0.8-0.9)."""
    if len(found) < 0.5 * len(carried):
        return _not_found(carried, found, patches=False), []
    return [], _not_found(carried, found)


def _not_found(carried: list[np.ndarray], found: list[np.ndarray], patches: bool = True) -> list[np.ndarray]:
    """The boxes of ``carried`` of which the boxes of ``found`` on the same line (SAME_LINE: not
    the lines above and below reaching into it) cover under MISSED_OVERLAP of the area. A box more
    than PATCH_HEIGHT times as tall as one, and not that many times as long as it is wide or tall,
    is a patch over it (a textured wall the detector took for text, over a street photo's word),
    not that line found again; a line of text, or a column of a form's characters found one by one
    on the skewed page, is elongated. ``patches`` False: any such box counts."""
    if not found:
        return list(carried)
    fb = bounds(found)
    bw, bh = fb[:, 2] - fb[:, 0], fb[:, 3] - fb[:, 1]
    out = []
    for q in carried:
        inter, area = intersections(q, fb)
        x0, y0 = q.min(axis=0)
        x1, y1 = q.max(axis=0)
        if x1 - x0 >= y1 - y0:  # a line across: the boxes spanning its height
            span = (np.minimum(fb[:, 3], y1) - np.maximum(fb[:, 1], y0)) / max(1e-6, float(y1 - y0))
        else:  # a column: the boxes spanning its width
            span = (np.minimum(fb[:, 2], x1) - np.maximum(fb[:, 0], x0)) / max(1e-6, float(x1 - x0))
        inter = inter * (span >= SAME_LINE)
        if patches:
            inter = inter * ~((bh > PATCH_HEIGHT * float(np.ptp(q[:, 1])))
                              & (np.maximum(bw, bh) < PATCH_HEIGHT * np.minimum(bw, bh)))
        if float(inter.sum()) < MISSED_OVERLAP * area:
            out.append(q)
    return out


def _distinct(lines: list[TextLine]) -> list[TextLine]:
    """``lines`` (spare ones, _read_page) in their order, less those found twice: of two whose
    boxes overlap by SPARE_AGAIN of the smaller one's area, the one saying more characters is
    kept (the surer of two saying as many); a piece of a line read whole goes with it."""
    taken: list[np.ndarray] = []
    keep: set[int] = set()
    for ln in sorted(lines, key=lambda ln: (-len(unspaced(ln.text)), -(ln.score or 0.0))):
        box = np.asarray(ln.polygon, dtype=np.float32)
        if taken and float(shared(box, bounds(taken)).max()) >= SPARE_AGAIN:
            continue
        taken.append(box)
        keep.add(id(ln))
    return [ln for ln in lines if id(ln) in keep]


def _short_spares(spares: list[TextLine], kept: list[TextLine], least: int) -> list[TextLine]:
    """Of a page's spare lines (_read_page) saying fewer than ``least`` characters, those of
    Chinese characters only, read with SPARE_CJK_SCORE, their box as tall as the page's lines
    across are (SPARE_CJK_HEIGHT of their median height up to 1/SPARE_CJK_HEIGHT of it), and
    found on the same line as no line ``kept`` nor one taken before them (the surest first;
    _not_found: a row close above reaching into the box is another line): a form's label
    whose box the detector scored doubtful (学位 under 学历, their rows close). A speck or a
    stroke reads as a digit, a letter or a mark (5, *一), or is thinner than a line."""
    across = [ln for ln in kept if not ln.vertical and len(ln.polygon) == 4]
    if not across:
        return []
    height = float(np.median([lineframe.size(ln.polygon)[1] for ln in across]))
    taken: list[TextLine] = []
    boxes = [np.asarray(ln.polygon, dtype=np.float32) for ln in kept]
    for ln in sorted(spares, key=lambda ln: -(ln.score or 0.0)):
        text = unspaced(ln.text)
        if (len(text) >= least or not vertical.ideographs(text)
                or (ln.score or 0.0) < SPARE_CJK_SCORE or ln.vertical or len(ln.polygon) != 4):
            continue
        tall = lineframe.size(ln.polygon)[1]
        if not SPARE_CJK_HEIGHT * height <= tall <= height / SPARE_CJK_HEIGHT:
            continue
        box = np.asarray(ln.polygon, dtype=np.float32)
        if _not_found([box], boxes, patches=False):
            taken.append(ln)
            boxes.append(box)
    return taken


def _gapped(lines: list[np.ndarray], boxes: list[np.ndarray], gap: float) -> list[np.ndarray]:
    """The boxes of ``lines`` running across (twice as long as tall or more) that the ``boxes``
    of the same line (spanning SAME_LINE of its height) leave uncovered along it, at one end or
    between two, over ``gap`` of its heights; a line none of them touches is not one (_missed's
    concern)."""
    if not boxes:
        return []
    fb = bounds(boxes)
    out = []
    for q in lines:
        x0, y0 = q.min(axis=0)
        x1, y1 = q.max(axis=0)
        h = float(y1 - y0)
        if h <= 0 or x1 - x0 < 2 * h:
            continue
        span = (np.minimum(fb[:, 3], y1) - np.maximum(fb[:, 1], y0)) / h
        on = fb[(span >= SAME_LINE) & (fb[:, 2] > x0) & (fb[:, 0] < x1)]
        if not len(on):
            continue
        widest, reached = 0.0, float(x0)
        for a, b in sorted(zip(on[:, 0].tolist(), on[:, 2].tolist())):
            widest = max(widest, a - reached)
            reached = max(reached, b)
        if max(widest, float(x1) - reached) >= gap * h:
            out.append(q)
    return out


def _uncovered(new: list[np.ndarray], old: list[np.ndarray]) -> list[np.ndarray]:
    """The boxes of ``new`` that overlap no box of ``old`` by MISSED_OVERLAP of the smaller one's
    area: neither a line already found (found again) nor a box over one (at a coarse scale, a
    sign's large lettering taken together with the line under it: one crop of two lines, misread
    on rects 000002), nor a piece of one."""
    if not old:
        return list(new)
    fb = bounds(old)
    return [q for q in new if float(shared(q, fb).max()) < MISSED_OVERLAP]


def _refine(quads: list[np.ndarray], turn: float, angle: float, residual: float) -> tuple[float, float]:
    """(angle, residual) of a page turned by ``turn``, refined by the line direction of its boxes
    in the turned image when they show one within 5 degrees; else as given."""
    resid, evidence = rotation.line_direction(quads)
    if evidence > 0 and abs(resid) < 5.0:
        return normalize_angle(turn + resid), resid
    return angle, residual


def _has_marks(bgr: np.ndarray) -> bool:
    """Whether the image has edges on at least MARKS_SHARE of a thumbnail of it (a few ms): a
    blank page, scanned or made, has next to none. The detector's own map cannot tell: on a
    uniformly white image of some sizes it sees text everywhere at 0.5."""
    h, w = bgr.shape[:2]
    scale = min(1.0, MARKS_SIDE / max(h, w))
    small = cv2.resize(bgr, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
    edges = cv2.Canny(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY), 50, 150)
    return bool(np.count_nonzero(edges) >= MARKS_SHARE * edges.size)


def _is_flat(h: int, w: int) -> bool:
    """A single line, very flat: padded above and below for detection, as rapidocr does."""
    return h <= 30 or w / h > 8


def _small_canvas(h: int, w: int) -> tuple[int, int] | None:
    """(height, width) of the margin a small image gets for automatic detection, or None when
    it is not small. The detector would grow its short side to 736 px, making its characters many
    times larger than any it was trained on (it then splits lines into overlapping pieces, read
    twice at the seams); on a margin of its own border colour it grows at most MAX_GROW."""
    if DET_MIN_SIDE / min(h, w) <= MAX_GROW:
        return None
    side = int(math.ceil(DET_MIN_SIDE / MAX_GROW))
    return max(h, side), max(w, side)


def _auto_size(h: int, w: int) -> tuple[float, float]:
    """(shrink, grow) of the automatic detection sizing of an h x w input, as rapidocr's:
    the long side shrunk to at most DET_MAX_SIDE, then the short side grown to DET_MIN_SIDE."""
    shrink = min(1.0, DET_MAX_SIDE / max(h, w))
    return shrink, max(1.0, DET_MIN_SIDE / (min(h, w) * shrink))


def _libc_trim():
    """glibc's malloc_trim, or None elsewhere (other C libraries and systems return memory themselves)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # musl and others: nothing to call
        return None


_MALLOC_TRIM = _libc_trim()


def _release_heap() -> None:
    """Hand the heap memory a recognition freed back to the system (glibc keeps it otherwise: RSS
    swung by 100 MB between recognitions of the same pages). A few milliseconds."""
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


def _cut(img: np.ndarray, frame: np.ndarray, source: _Source | None) -> np.ndarray:
    """A box's crop (BGR, turned upright as rapidocr turns a tall one): from ``img`` itself, or
    through ``source`` from the pixels ``img`` was resampled from."""
    return rapid.crop_line(img, frame.copy()) if source is None else source.crop(frame)


def _row_frames(work: np.ndarray, frame: np.ndarray,
                source: _Source | None) -> tuple[np.ndarray, list[tuple[int, int]], list[np.ndarray]]:
    """A box's crop, the bands of ink across it that are rows of text (rowsplit.row_bands), and
    its frame cut between them: one frame per row."""
    crop = _cut(work, frame, source)
    bands = rowsplit.row_bands(rowsplit.ink_runs(crop))
    return crop, bands, rowsplit.sub_frames(frame, rowsplit.row_cuts(bands, crop.shape[0]))


def _rows_read(parts: list[TextLine], bands: list[tuple[int, int]], crop: np.ndarray) -> bool:
    """Whether the rows of a box cut between its bands of ink (rowsplit.row_bands) read as rows
    of text: each with OTHER_WAY_SCORE, and none running on over SPLIT_WIDE of its band's heights
    per type size of its text (_ems: a character's flattened half read as one character)."""
    return (all((p.score or 0.0) >= OTHER_WAY_SCORE for p in parts)
            and all(rowsplit.band_aspect(crop, b) <= SPLIT_WIDE * max(1.0, _ems(p.text)) for p, b in zip(parts, bands)))


def _clamp(score) -> float:
    return min(1.0, max(0.0, float(score)))


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
    order, para = layout.reading_order(boxes, [ln.vertical for ln in lines])
    out = []
    for i in order:
        lines[i].paragraph = para[i]
        out.append(lines[i])
    return out


