"""Our own versioned JSON (desktop_ocr.result): everything the model holds, nothing lost.

    dump(result) -> dict            OcrResult.to_dict()
    load(obj) -> OcrResult          OcrResult.from_dict (checks schema name and version)
    dump_error(err) -> {"error": {"code": err.code, "message": str(err)}}
                                    plus "vendor_code" / "status" / "request_id" for a cloud error
    load_error(obj, status=None) -> the OcrError subclass named by "code", with those fields
"""

from __future__ import annotations

from typing import Any

from ..core import errors as E
from ..core.errors import BackendError, OcrError
from ..core.model import OcrResult


def dump(result: OcrResult) -> dict[str, Any]:
    return result.to_dict()


def load(obj: Any, **_ignored: Any) -> OcrResult:
    return OcrResult.from_dict(obj)


def dump_error(err: OcrError) -> dict[str, Any]:
    body: dict[str, Any] = {"code": err.code, "message": str(err)}
    if isinstance(err, BackendError):
        for key in ("vendor_code", "status", "request_id"):
            if getattr(err, key, None) is not None:
                body[key] = getattr(err, key)
    return {"error": body}


def _error_classes() -> dict[str, type[OcrError]]:
    found: dict[str, type[OcrError]] = {}
    stack: list[type[OcrError]] = [OcrError]
    while stack:
        cls = stack.pop()
        found.setdefault(cls.code, cls)
        stack.extend(cls.__subclasses__())
    return found


def load_error(obj: Any, status: int | None = None) -> OcrError:
    body = obj["error"]
    cls = _error_classes().get(str(body.get("code")), OcrError)
    message = str(body.get("message") or body.get("code") or "error")
    if issubclass(cls, BackendError):
        head = f"[{body.get('vendor_code')}] "
        message = message[len(head):] if message.startswith(head) else message
        return cls(message, vendor_code=body.get("vendor_code"), status=body.get("status", status),
                   request_id=body.get("request_id"))
    if issubclass(cls, E.DownloadFailed):
        return cls(message, status=body.get("status", status))
    return cls(message)
