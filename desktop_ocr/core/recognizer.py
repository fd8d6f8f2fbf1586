"""The one interface every recogniser implements: the local engine and each cloud backend alike."""

from __future__ import annotations

import abc
from dataclasses import dataclass

from .image import LoadedImage
from .model import OcrResult

#: the lines a cloud service returns are kept from this confidence, as plain rapidocr keeps its own
CLOUD_MIN_SCORE = 0.5
#: the local engine's lines are kept from this confidence. The evaluation set's upright pages read
#: none of their lines at 0.6-0.64, and none right under 0.6; on the same pages turned and skewed
#: (nine ways each) 17 of the 19 lines read at 0.6-0.64 are wrong or scraps (another paper's print,
#: upside down, beside a receipt; a sign's texture; a menu's small print), against 25 of 33 right
#: at 0.65-0.7 (docs/measured.md)
LOCAL_MIN_SCORE = 0.64


@dataclass(frozen=True)
class RecognizeOptions:
    """What the caller may tune. Backends ignore what their service cannot do."""

    chars: bool = False  # per-character text/score/box
    detect_rotation: bool = True  # find 0/90/180/270 rotation and skew
    #: drop lines scored below this; None: the recogniser's own ``default_min_score``
    min_score: float | None = None
    det_limit: int = 0  # detection side length; 0 = automatic
    #: the whole image is one line of text (a line cropped out of a page, a field, a plate): it is
    #: recognised as it is, with no text detection and no rotation search (only a 0/180 check), as
    #: Tencent's EnableDetectText=false or Huawei's quick_mode; detect_rotation and det_limit do not apply
    single_line: bool = False
    #: also decode QR codes and barcodes, listed as lines of their own after the text (core.codes);
    #: not with single_line
    codes: bool = False


class Recognizer(abc.ABC):
    """Turns one loaded image into an OcrResult (coordinates in the original image)."""

    #: short stable name shown in the status bar and stored in OcrResult.engine
    name: str = "recognizer"
    #: RecognizeOptions.min_score where the caller gives none
    default_min_score: float = CLOUD_MIN_SCORE

    @abc.abstractmethod
    def recognize(self, image: LoadedImage, options: RecognizeOptions | None = None) -> OcrResult:
        """Recognise ``image``. Raises desktop_ocr.core.errors.OcrError subclasses on failure."""

    def min_score_for(self, options: RecognizeOptions) -> float:
        """The confidence below which this recogniser drops a line: the caller's ``min_score``,
        else its own ``default_min_score``."""
        return self.default_min_score if options.min_score is None else options.min_score

    def warm_up(self) -> None:  # noqa: B027 - an optional hook: the default is a deliberate no-op
        """Load whatever is slow to load (models, sessions). Optional."""
