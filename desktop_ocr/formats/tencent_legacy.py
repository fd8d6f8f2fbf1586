"""Tencent Cloud legacy image OCR ``ocr/general`` (recognition.image.myqcloud.com).

Answer (vendor-docs/002; keys in the order of the doc's response example)::

    {"data": {"items": [{"itemstring": str,
                         "itemcoord": {"x": int, "y": int, "width": int, "height": int},
                         "words": [{"character": str, "confidence": float 0..100}]}],
              "session_id": str},
     "code": 0, "message": "OK"}

Errors: the same envelope with the documented non-zero ``code`` and ``data`` empty.

Functions:
    dump(result) -> dict
    load(obj, *, width=None, height=None) -> OcrResult   (code != 0 raises load_error's exception)
    dump_error(err) -> dict
    load_error(obj, status=200) -> BackendError   AuthFailed for the signature / key family
                                                  (4 5 6 9 10 11 12 13 14 24), RateLimited for 15
    error_status(err) -> int                      200 (the doc shows errors only as ``code``)
    is_error(obj) -> bool

Conventions:
- itemcoord is the axis-aligned box of the line polygon, rounded to whole pixels:
  x/y the top-left corner, width/height = right - left, bottom - top (the doc gives no polygon to
  check an inclusive convention against, so load/dump use the same exclusive one and round-trip).
- words: the legacy service lists every character with its confidence. Lines that carry
  characters export them; lines without (characters not asked for) are split into their
  non-blank characters, each with the line's confidence. A missing score exports 100.
- session_id: result.meta["session_id"] when the result came from this service, else "" (the doc's
  example itself answers "").
- The brief's "signature family" 4/5/9/11/14 is widened to every code the table describes as a key,
  signature or permission problem (6 appid/bucket mismatch, 10 unknown appid, 12 appid/secretid
  mismatch, 13 replay, 24 no permission): all mean "check your credentials".
"""

from __future__ import annotations

from typing import Any

from ..core import errors as E
from ..core.model import CharBox, OcrResult, TextLine
from ._common import UNKNOWN_SCORE, char_score, clamp01, error_code_for, extent, line_score, message, vendor_error

NO_TEXT_IS_ERROR = False

# The documented error table (vendor-docs/002), code -> meaning.
CODES = {
    3: "错误的请求", 4: "签名为空", 5: "签名串错误", 6: "签名中的 appid/bucket 与操作目标不匹配",
    9: "签名过期", 10: "appid 不存在", 11: "secretid 不存在", 12: "appid 和 secretid 不匹配",
    13: "重放攻击", 14: "签名校验失败", 15: "操作太频繁，触发频控", 16: "Bucket不存在", 21: "无效参数",
    23: "请求包体过大", 24: "没有权限", 25: "您购买的资源已用完", 107: "鉴权服务内部错误",
    108: "鉴权服务不可用", 213: "内部错误", -1102: "图片解码失败", -1300: "图片为空", -1301: "参数为空",
    -1304: "参数过长", -1308: "图片下载失败", -9003: "OCR 识别失败",
}

_ERROR_CODES: dict[type, int] = {
    E.EmptyInput: -1300,
    E.UndecodableImage: -1102,
    E.ImageTooLarge: 23,  # the image (hence the request body) exceeds what the service takes
    E.ImageTooSmall: 21,  # nothing documented for "too small": an invalid parameter
    E.UnsupportedSource: 21,
    E.DownloadFailed: -1308,
    E.NoTextFound: -9003,
    E.EngineUnavailable: 213,
    E.AuthFailed: 14,
    E.RateLimited: 15,
    E.BackendError: -9003,
}
_FALLBACK_CODE = -9003


def _confidence(score: float | None) -> float:
    return round(100.0 * clamp01(UNKNOWN_SCORE if score is None else score), 3)


def _words(line: TextLine) -> list[dict[str, Any]]:
    if line.chars:
        return [{"character": c.text, "confidence": _confidence(char_score(line, i))}
                for i, c in enumerate(line.chars)]
    conf = _confidence(line_score(line))
    return [{"character": ch, "confidence": conf} for ch in line.text if not ch.isspace()]


def itemcoord(line: TextLine) -> dict[str, int]:
    left, top, right, bottom = (int(round(v)) for v in line.bbox())
    return {"x": left, "y": top, "width": right - left, "height": bottom - top}


def _item(line: TextLine) -> dict[str, Any]:
    return {"itemstring": line.text, "itemcoord": itemcoord(line), "words": _words(line)}


def dump(result: OcrResult) -> dict[str, Any]:
    return {"data": {"items": [_item(ln) for ln in result.lines],
                     "session_id": str(result.meta.get("session_id", ""))},
            "code": 0, "message": "OK"}


def is_error(obj: Any) -> bool:
    return isinstance(obj, dict) and obj.get("code", 0) != 0


def load(obj: Any, *, width: int | None = None, height: int | None = None) -> OcrResult:
    if is_error(obj):
        raise load_error(obj)
    data = obj.get("data") or {}
    lines = []
    for it in data.get("items") or []:
        c = it["itemcoord"]
        x, y, w, h = (float(c[k]) for k in ("x", "y", "width", "height"))
        words = it.get("words") or []
        chars = [CharBox(text=wd.get("character", ""),
                         score=clamp01(wd["confidence"] / 100) if wd.get("confidence") is not None else None)
                 for wd in words] or None
        # the service gives no line confidence (score None), only the characters'
        lines.append(TextLine(text=it.get("itemstring", ""),
                              polygon=[(x, y), (x + w, y), (x + w, y + h), (x, y + h)], chars=chars))
    ew, eh = extent(lines)
    meta = {"session_id": data["session_id"]} if "session_id" in data else {}
    return OcrResult(width=width or ew, height=height or eh, lines=lines, engine="tencent-legacy", meta=meta)


def _own_code(code) -> int | None:
    try:
        return int(code) if int(code) in CODES else None
    except (TypeError, ValueError):
        return None


def error_code(err: E.OcrError) -> int:
    """The documented code for our error (a legacy vendor_code is kept as it is)."""
    return error_code_for(err, _ERROR_CODES, _FALLBACK_CODE, _own_code)


def dump_error(err: E.OcrError) -> dict[str, Any]:
    return {"data": {}, "code": error_code(err), "message": message(err)}


def error_status(err: E.OcrError) -> int:
    return 200


def load_error(obj: Any, status: int | None = 200) -> E.BackendError:
    raw = obj.get("code")
    try:
        code = int(raw)
    except (TypeError, ValueError):
        code = None
    msg = str(obj.get("message") or (CODES.get(code) if code is not None else None) or raw)
    unknown = code is None  # no code to go by: the HTTP status decides
    return vendor_error("tencent-legacy", raw, msg, status, auth_status=(401, 403) if unknown else (),
                        rate_status=(429,) if unknown else ())
