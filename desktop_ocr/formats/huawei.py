"""Huawei Cloud OCR ``RecognizeGeneralText`` (POST /v2/{project_id}/ocr/general-text).

Answer (vendor-docs/004)::

    {"result": {"direction": int, "words_block_count": int,
                "words_block_list": [{"words": str, "location": [[x, y] x4] (ints),
                                      "confidence": float 0..1 (only when the line has a score)}]}}

Errors (HTTP 400 in the doc; the gateway answers 401 / 429 for its own codes)::

    {"error_code": "AIS.0103", "error_msg": "The image size does not meet the requirements."}

Functions:
    dump(result) -> dict
    load(obj, *, width=None, height=None) -> OcrResult   (an error body raises load_error's exception)
    dump_error(err) -> dict
    load_error(obj, status=400) -> BackendError   AuthFailed for APIG.0301/APIG.0303 and the token
                                                  codes ModelArts.0203/4101-4103 (or HTTP 401);
                                                  RateLimited for APIG.0308 (or HTTP 429)
    error_status(err) -> int
    is_error(obj) -> bool

Conventions:
- ``direction`` is -1 unless rotation was looked for (result.angle_detected), as the doc says for
  detect_direction=false. Otherwise it is "the counterclockwise rotation of the image, 0..359":
  an image turned counterclockwise by d degrees shows its text turned counterclockwise by d, i.e.
  our clockwise-positive ``angle`` = -d, so direction = round(-angle) mod 360 (and load: angle = -d).
- ``confidence`` is not in the doc's table or example (the SDK's model has it, float 0..1); it is
  written only when the line has a score, so the doc's example re-exports unchanged.
- Only the codes AIS.0103 and ModelArts.4204 are named on the API page; the others used here come
  from Huawei's OCR error-code page (api-ocr/ocr_03_0028): AIS.0101 invalid input parameter,
  AIS.0102 unsupported image format, AIS.0103 image size, AIS.0104 unsupported or poor image,
  AIS.0105 recognition (algorithm) failed, ModelArts.4603 downloading the URL failed,
  APIG.0301 / APIG.0303 bad IAM / app authentication, APIG.0308 throttled.
"""

from __future__ import annotations

from typing import Any

from ..core import errors as E
from ..core.model import OcrResult, TextLine
from ._common import clamp01, error_code_for, extent, int_points, message, quad, vendor_error

NO_TEXT_IS_ERROR = False

MESSAGES = {
    "AIS.0101": "The input parameter is invalid.",
    "AIS.0102": "The image format is not supported.",
    "AIS.0103": "The image size does not meet the requirements.",
    "AIS.0104": "The image is not supported or the image quality is poor.",
    "AIS.0105": "Recognition failed.",
    "ModelArts.4603": "Failed to download the file from the URL.",
    "APIG.0301": "Incorrect IAM authentication information.",
    "APIG.0303": "Incorrect app authentication information.",
    "APIG.0308": "The throttling threshold has been reached.",
}

_ERROR_CODES: dict[type, str] = {
    E.EmptyInput: "AIS.0101",
    E.UnsupportedSource: "AIS.0101",
    E.UndecodableImage: "AIS.0102",
    E.ImageTooSmall: "AIS.0103",
    E.ImageTooLarge: "AIS.0103",
    E.DownloadFailed: "ModelArts.4603",
    E.NoTextFound: "AIS.0104",
    E.EngineUnavailable: "AIS.0105",
    E.AuthFailed: "APIG.0301",
    E.RateLimited: "APIG.0308",
    E.BackendError: "AIS.0105",
}
_FALLBACK_CODE = "AIS.0105"
_CODE_FAMILIES = ("AIS", "APIG", "APIGW", "ModelArts")
_STATUS = {"APIG.0301": 401, "APIG.0303": 401, "APIG.0308": 429}


def _is_huawei_code(code: Any) -> bool:
    return isinstance(code, str) and code.split(".", 1)[0] in _CODE_FAMILIES


def direction(result: OcrResult) -> int:
    """Huawei's ``direction`` for our result (see the module doc)."""
    if not result.angle_detected:
        return -1
    return int(round(-result.angle)) % 360


def _block(line: TextLine) -> dict[str, Any]:
    block: dict[str, Any] = {"words": line.text,
                             "location": [[x, y] for x, y in int_points(quad(line.polygon))]}
    if line.score is not None:
        block["confidence"] = float(line.score)
    return block


def dump(result: OcrResult) -> dict[str, Any]:
    blocks = [_block(ln) for ln in result.lines]
    return {"result": {"direction": direction(result), "words_block_count": len(blocks),
                       "words_block_list": blocks}}


def is_error(obj: Any) -> bool:
    return isinstance(obj, dict) and "error_code" in obj and "result" not in obj


def load(obj: Any, *, width: int | None = None, height: int | None = None) -> OcrResult:
    if is_error(obj):
        raise load_error(obj)
    res = obj["result"]
    lines = []
    for b in res.get("words_block_list") or []:
        conf = b.get("confidence")
        lines.append(TextLine(text=b.get("words", ""), polygon=[(float(x), float(y)) for x, y in b["location"]],
                              score=clamp01(conf) if conf is not None else None))
    d = res.get("direction", -1)
    detected = d is not None and d != -1
    w, h = extent(lines)
    return OcrResult(width=width or w, height=height or h, lines=lines,
                     angle=-float(d) if detected else 0.0, angle_detected=detected, engine="huawei")


def error_code(err: E.OcrError) -> str:
    """The documented code for our error (a Huawei vendor_code is kept as it is)."""
    return error_code_for(err, _ERROR_CODES, _FALLBACK_CODE, lambda c: c if _is_huawei_code(c) else None)


def dump_error(err: E.OcrError) -> dict[str, Any]:
    return {"error_code": error_code(err), "error_msg": message(err)}


def error_status(err: E.OcrError) -> int:
    if isinstance(err, E.BackendError) and err.status and err.status >= 400 and \
            _is_huawei_code(err.vendor_code):
        return err.status
    return _STATUS.get(error_code(err), 400)


def load_error(obj: Any, status: int | None = 400) -> E.BackendError:
    code = str(obj.get("error_code") or "")
    msg = str(obj.get("error_msg") or MESSAGES.get(code) or code)
    return vendor_error("huawei", code, msg, status, auth_status=(401,), rate_status=(429,))
