"""Our own versioned JSON (desktop_ocr.result): everything the model holds, nothing lost.

    dump(result) -> dict            OcrResult.to_dict()
    load(obj) -> OcrResult          OcrResult.from_dict (checks schema name and version)
    dump_error(err) -> {"error": {"code": err.code, "message": str(err)}}
                                    plus "vendor_code" / "status" / "request_id" for a cloud error
"""

from __future__ import annotations

from typing import Any

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
