"""AWS AI Solution Kit, General OCR (Simplified Chinese), endpoint ``general_ocr``.

Answer (vendor-docs/000 and 001)::

    [{"words": str, "location": {"top": int, "left": int, "width": int, "height": int},
      "score": float 0..1}, ...]

``location`` is computed the way the solution's own Lambda does it (source/containers/general-ocr,
``infer_ocr_app.handler``): the detector's four corners are put in image order (two left-most
points -> top-left / bottom-left by y, two right-most -> top-right / bottom-right), truncated to
whole pixels inside the image, then ``left, top`` = top-left corner and ``width, height`` =
bottom-right corner minus top-left corner. For upright text that is the box you expect; for a line
tilted counterclockwise the solution's ``height`` comes out negative, and so does ours.
If the request asked for ``duration``, the solution appends ``{"duration": seconds}``: load()
keeps it in meta["duration"] and dump() writes it back.

Errors: the Lambda function answers HTTP 400 with a plain-text body ('invalid param',
'`parameter `img` illegal', ...), API Gateway answers its own failures with JSON
``{"message": ...}``: 403 for a missing/bad IAM signature or key, 429 when throttled,
502 when the function failed. So:
    dump_error(err) -> str (400: bad input, the body is our sentence)
                     | {"message": str} (403 / 429 / 502)
                     | [] for NoTextFound (the solution answers a page without text with 200 [])
    error_status(err) -> that HTTP status
    load_error(obj, status, error_type=None) -> BackendError
        obj is the plain text or the parsed JSON; AuthFailed for 401/403, RateLimited for 429.
        error_type (API Gateway's x-amzn-ErrorType header) becomes vendor_code when given.
    load(obj, *, width=None, height=None) -> OcrResult   (a {"message"} body raises load_error's exception)

Lines keep result.lines order (the solution sorts by top; our lines are already in reading order).
A line without a score (the vendor that produced it gave none) exports score 1.0.
"""

from __future__ import annotations

from typing import Any

from ..core import errors as E
from ..core.model import OcrResult, TextLine
from ._common import UNKNOWN_SCORE, clamp01, extent, line_score, message, quad

NO_TEXT_IS_ERROR = False


def order_points(points) -> list[tuple[float, float]]:
    """The solution's corner order: top-left, top-right, bottom-right, bottom-left in the image."""
    by_x = sorted(points, key=lambda p: p[0])  # stable, like numpy's argsort on four points
    tl, bl = sorted(by_x[:2], key=lambda p: p[1])
    tr, br = sorted(by_x[2:], key=lambda p: p[1])
    return [tl, tr, br, bl]


def location(line: TextLine, width: int = 0, height: int = 0) -> dict[str, int]:
    """The ``location`` the solution would compute for this line in a width x height image."""
    pts = order_points(quad(line.polygon))

    def clip(p):  # the solution's clip_det_res: int(min(max(v, 0), side - 1))
        x, y = p
        if width > 0:
            x = min(max(x, 0), width - 1)
        if height > 0:
            y = min(max(y, 0), height - 1)
        return int(x), int(y)

    (left, top), (right, bottom) = clip(pts[0]), clip(pts[2])
    return {"top": top, "left": left, "width": right - left, "height": bottom - top}


def dump(result: OcrResult) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for ln in result.lines:
        s = line_score(ln)
        out.append({"words": ln.text, "location": location(ln, result.width, result.height),
                    "score": float(clamp01(UNKNOWN_SCORE if s is None else s))})
    if "duration" in result.meta:
        out.append({"duration": result.meta["duration"]})
    return out


def is_error(obj: Any) -> bool:
    return not isinstance(obj, list)


def load(obj: Any, *, width: int | None = None, height: int | None = None) -> OcrResult:
    if is_error(obj):
        raise load_error(obj, None)
    lines, meta = [], {}
    for item in obj:
        if "words" not in item:
            if "duration" in item:
                meta["duration"] = item["duration"]
            continue
        loc = item["location"]
        x, y = float(loc["left"]), float(loc["top"])
        r, b = x + float(loc["width"]), y + float(loc["height"])
        s = item.get("score")
        lines.append(TextLine(text=item["words"], polygon=[(x, y), (r, y), (r, b), (x, b)],
                              score=clamp01(s) if s is not None else None))
    w, h = extent(lines)
    return OcrResult(width=width or w, height=height or h, lines=lines, engine="aws", meta=meta)


def error_status(err: E.OcrError) -> int:
    if isinstance(err, E.NoTextFound):
        return 200
    if isinstance(err, E.AuthFailed):
        return 403
    if isinstance(err, E.RateLimited):
        return 429
    if isinstance(err, E.BackendError):
        return err.status if err.status and err.status >= 400 else 502
    if isinstance(err, (E.EngineUnavailable, E.Cancelled)):
        return 502  # the function itself failed: API Gateway answers 502 {"message"}
    return 400


def dump_error(err: E.OcrError) -> Any:
    status = error_status(err)
    if status == 200:
        return []
    if status == 400:
        return message(err)
    # API Gateway's own shape; our sentence rather than its bare "Internal server error" for 502
    return {"message": message(err)}


def load_error(obj: Any, status: int | None, error_type: str | None = None) -> E.BackendError:
    if isinstance(obj, dict):
        msg = obj.get("message") or obj.get("Message") or ""
    elif isinstance(obj, (bytes, bytearray)):
        msg = obj.decode("utf-8", "replace")
    else:
        msg = "" if obj is None else str(obj)
    msg = str(msg).strip() or (f"HTTP {status}" if status else "error")
    cls: type[E.BackendError]
    if status in (401, 403):
        cls = E.AuthFailed
    elif status == 429:
        cls = E.RateLimited
    else:
        cls = E.BackendError
    return cls(msg, vendor_code=error_type or None, status=status)
