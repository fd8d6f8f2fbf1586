"""Tencent Cloud OCR API 3.0 ``GeneralAccurateOCR`` / ``GeneralBasicOCR`` (Version 2018-11-19).

Answer (vendor-docs/003, keys in the documented example's order)::

    {"Response": {"Angle": float, "RequestId": str,
                  "TextDetections": [{"AdvancedInfo": "{\\"Parag\\":{\\"ParagNo\\":1}}",
                                      "Confidence": int 0..100, "DetectedText": str,
                                      "ItemPolygon": {"Height", "Width", "X", "Y"},
                                      "Polygon": [{"X", "Y"} x4],
                                      "WordCoordPoint": [{"WordCoordinate": [{"X", "Y"} x4]}],
                                      "Words": [{"Character": str, "Confidence": int 0..100}]}]}}

Errors (HTTP 200, like every API 3.0 error)::

    {"Response": {"Error": {"Code": str, "Message": str}, "RequestId": str}}

Functions:
    dump(result) -> dict                  our model -> the answer above
    load(obj, *, width=None, height=None) -> OcrResult
                                          an answer -> our model; an error answer raises load_error's
                                          exception. width/height default to the extent of the boxes.
    dump_error(err) -> dict               a typed OcrError -> the error answer (documented codes)
    load_error(obj, status=200) -> BackendError
                                          AuthFailed for AuthFailure.* / UnauthorizedOperation*,
                                          RateLimited for RequestLimitExceeded*, else BackendError;
                                          Code, Message and RequestId verbatim.
    error_status(err) -> int              HTTP status of the error answer (always 200)
    is_error(obj) -> bool

Conventions, checked against all 7 items of the documented example:
- ItemPolygon is the inclusive pixel bounding box of Polygon: X = min x, Width = max x - min x + 1.
- AdvancedInfo is a JSON *string*; ParagNo is 1-based (our TextLine.paragraph is 0-based).
- Angle: our model keeps (-180, 180]; Tencent answers [0, 360) (the example says 359.98999...).
- Words / WordCoordPoint are filled when the lines carry characters, else empty lists (as in the
  example). WordCoordPoint is left empty unless every character has a box, so that
  Words[i] and WordCoordPoint[i] always describe the same character.
- A line without a score (the vendor that produced it gave none) exports Confidence 100.
- RequestId: result.meta["RequestId"] when the result came from Tencent, else a new uuid4.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from ..core import errors as E
from ..core.model import CharBox, OcrResult, TextLine
from ._common import (
    UNKNOWN_SCORE,
    char_score,
    clamp01,
    error_code_for,
    extent,
    int_points,
    line_score,
    message,
    quad,
    vendor_error,
)

# Tencent answers an image without text with this error instead of an empty list.
NO_TEXT_CODE = "FailedOperation.ImageNoText"
NO_TEXT_IS_ERROR = True

# Business codes documented for GeneralAccurateOCR (vendor-docs/003).
DOCUMENTED_CODES = {
    "FailedOperation.DownLoadError": "File download failed.",
    "FailedOperation.EmptyImageError": "The image is empty.",
    "FailedOperation.EngineRecognizeTimeout": "Recognition by the engine timed out.",
    "FailedOperation.ImageBlur": "The image is blurry.",
    "FailedOperation.ImageDecodeFailed": "Image decoding failed.",
    "FailedOperation.ImageNoText": "No text is detected in the image.",
    "FailedOperation.ImageSizeTooLarge": "The image size is too large.",
    "FailedOperation.OcrFailed": "OCR failed.",
    "FailedOperation.UnKnowError": "Unknown error.",
    "FailedOperation.UnOpenError": "The service is not activated.",
    "InvalidParameter.EngineImageDecodeFailed": "Image decoding failed.",
    "InvalidParameterValue.InvalidParameterValueLimit": "Incorrect parameter value.",
    "LimitExceeded.TooLargeFileError": "The file is too large.",
    "ResourceUnavailable.InArrears": "The account is in arrears.",
    "ResourceUnavailable.ResourcePackageRunOut": "The account resource package is exhausted.",
    "ResourcesSoldOut.ChargeStatusException": "Exceptional billing status.",
}

# First segment of every API 3.0 code (business codes above plus the common error codes): a
# BackendError whose vendor_code starts with one of these came from Tencent and is re-exported as is.
_CODE_FAMILIES = {
    "AuthFailure", "FailedOperation", "InternalError", "InvalidAction", "InvalidParameter",
    "InvalidParameterValue", "InvalidRequest", "IpInBlacklist", "IpNotInWhitelist", "LimitExceeded",
    "MissingParameter", "NoSuchProduct", "NoSuchVersion", "RequestLimitExceeded",
    "RequestSizeLimitExceeded", "ResourceInUse", "ResourceInsufficient", "ResourceNotFound",
    "ResourceUnavailable", "ResourcesSoldOut", "ServiceUnavailable", "UnauthorizedOperation",
    "UnknownParameter", "UnsupportedOperation", "UnsupportedProtocol", "UnsupportedRegion",
}

# Our typed errors -> the closest documented code (first match along the class's MRO).
_ERROR_CODES: dict[type, str] = {
    E.EmptyInput: "FailedOperation.EmptyImageError",
    E.UndecodableImage: "FailedOperation.ImageDecodeFailed",
    E.ImageTooLarge: "FailedOperation.ImageSizeTooLarge",
    # nothing documented for "too small": the request's image parameter is out of range
    E.ImageTooSmall: "InvalidParameterValue.InvalidParameterValueLimit",
    E.UnsupportedSource: "InvalidParameterValue.InvalidParameterValueLimit",
    E.DownloadFailed: "FailedOperation.DownLoadError",
    E.NoTextFound: NO_TEXT_CODE,
    E.EngineUnavailable: "FailedOperation.OcrFailed",
    E.AuthFailed: "AuthFailure.SignatureFailure",
    E.RateLimited: "RequestLimitExceeded",
    E.BackendError: "FailedOperation.OcrFailed",
}
_FALLBACK_CODE = "FailedOperation.UnKnowError"


def _is_tencent_code(code: Any) -> bool:
    return isinstance(code, str) and code.split(".", 1)[0] in _CODE_FAMILIES


def _confidence(score: float | None) -> int:
    return int(round(100 * clamp01(UNKNOWN_SCORE if score is None else score)))


def _xy(points) -> list[dict[str, int]]:
    return [{"X": x, "Y": y} for x, y in int_points(points)]


def advanced_info(paragraph: int) -> str:
    """The AdvancedInfo string for our 0-based paragraph number (Tencent counts from 1)."""
    return json.dumps({"Parag": {"ParagNo": max(0, paragraph) + 1}}, separators=(",", ":"))


def _detection(line: TextLine) -> dict[str, Any]:
    poly = _xy(quad(line.polygon))
    xs = [p["X"] for p in poly]
    ys = [p["Y"] for p in poly]
    words: list[dict[str, Any]] = []
    coords: list[dict[str, Any]] = []
    if line.chars:
        words = [{"Character": c.text, "Confidence": _confidence(char_score(line, i))}
                 for i, c in enumerate(line.chars)]
        polygons = [c.polygon for c in line.chars if c.polygon]
        if len(polygons) == len(line.chars):  # every character has its box
            coords = [{"WordCoordinate": _xy(quad(p))} for p in polygons]
    return {
        "AdvancedInfo": advanced_info(line.paragraph),
        "Confidence": _confidence(line_score(line)),
        "DetectedText": line.text,
        "ItemPolygon": {"Height": max(ys) - min(ys) + 1, "Width": max(xs) - min(xs) + 1,
                        "X": min(xs), "Y": min(ys)},
        "Polygon": poly,
        "WordCoordPoint": coords,
        "Words": words,
    }


def export_angle(angle: float) -> float:
    """Our (-180, 180] -> Tencent's [0, 360)."""
    a = float(angle) % 360.0
    return 0.0 if a >= 360.0 else a  # -1e-17 % 360 rounds to 360.0


def dump(result: OcrResult) -> dict[str, Any]:
    return {"Response": {
        "Angle": export_angle(result.angle),
        "RequestId": str(result.meta.get("RequestId") or uuid.uuid4()),
        "TextDetections": [_detection(ln) for ln in result.lines],
    }}


def _paragraph(info: Any) -> int:
    try:
        return max(0, int(json.loads(info)["Parag"]["ParagNo"]) - 1)
    except (TypeError, ValueError, KeyError):
        return 0


def _points(coords: Any) -> list[tuple[float, float]]:
    return [(float(p["X"]), float(p["Y"])) for p in coords or []]


def _line(det: dict[str, Any]) -> TextLine:
    poly = _points(det.get("Polygon"))
    if len(poly) < 4:  # no usable polygon: the inclusive box, so ItemPolygon re-exports unchanged
        box = det["ItemPolygon"]
        x, y = float(box["X"]), float(box["Y"])
        r, b = x + float(box["Width"]) - 1, y + float(box["Height"]) - 1
        poly = [(x, y), (r, y), (r, b), (x, b)]
    chars = None
    words = det.get("Words") or []
    if words:
        boxes = det.get("WordCoordPoint") or []
        same = len(boxes) == len(words)
        chars = [CharBox(text=w.get("Character", ""),
                         score=clamp01(w["Confidence"] / 100) if w.get("Confidence") is not None else None,
                         polygon=_points(boxes[i].get("WordCoordinate")) or None if same else None)
                 for i, w in enumerate(words)]
    conf = det.get("Confidence")
    return TextLine(text=det.get("DetectedText", ""), polygon=poly,
                    score=clamp01(conf / 100) if conf is not None else None,
                    chars=chars, paragraph=_paragraph(det.get("AdvancedInfo")))


def is_error(obj: Any) -> bool:
    return isinstance(obj, dict) and isinstance(obj.get("Response"), dict) and "Error" in obj["Response"]


def load(obj: Any, *, width: int | None = None, height: int | None = None) -> OcrResult:
    if is_error(obj):
        raise load_error(obj)
    resp = obj["Response"]
    lines = [_line(d) for d in resp.get("TextDetections") or []]
    w, h = extent(lines)
    meta = {"RequestId": resp["RequestId"]} if resp.get("RequestId") else {}
    angle = resp.get("Angle", resp.get("Angel"))  # "Angel": the field's old misspelt name, still sent
    return OcrResult(width=width or w, height=height or h, lines=lines,
                     angle=float(angle or 0.0), angle_detected=angle is not None,
                     engine="tencent", meta=meta)


def error_code(err: E.OcrError) -> str:
    """The documented code for our error (a Tencent vendor_code is kept as it is)."""
    return error_code_for(err, _ERROR_CODES, _FALLBACK_CODE, lambda c: c if _is_tencent_code(c) else None)


def dump_error(err: E.OcrError) -> dict[str, Any]:
    request_id = getattr(err, "request_id", None) or str(uuid.uuid4())
    return {"Response": {"Error": {"Code": error_code(err), "Message": message(err)},
                         "RequestId": request_id}}


def error_status(err: E.OcrError) -> int:
    return 200


def load_error(obj: Any, status: int | None = 200) -> E.BackendError:
    resp = obj["Response"]
    error = resp["Error"]
    code = str(error.get("Code") or "")
    msg = str(error.get("Message") or code)
    return vendor_error("tencent", code, msg, status, request_id=resp.get("RequestId"))
