"""A made-up fifth cloud OCR vendor, "Acme OCR", for tests/test_registry.py: its recogniser and its
answer format in one module, as a real vendor would bring them (here the "service" is the local
engine, so no network is needed). Its registry entry is ``SPEC``, registered by the test."""

from __future__ import annotations

import threading
from typing import Any

from desktop_ocr.backends._base import SettingsError
from desktop_ocr.backends.credentials import Secret
from desktop_ocr.core import errors as E
from desktop_ocr.core.image import LoadedImage
from desktop_ocr.core.model import OcrResult, TextLine
from desktop_ocr.core.recognizer import RecognizeOptions, Recognizer
from desktop_ocr.vendors import Field, VendorSpec

SPEC = VendorSpec(
    name="acme",
    title="Acme OCR",
    recognizer="tests.acme_vendor:AcmeRecognizer",
    format="tests.acme_vendor",
    format_title="Acme OCR JSON",
    fields=(
        Field("zone", "Zone", flag="--acme-zone", help="service zone", default="z1"),
        Field("api_key", "API key", secret=True, env="ACME_API_KEY"),
    ),
    auth_codes=("Acme.Auth",),
    rate_codes=("Acme.Slow",),
)

_engine = None
_engine_lock = threading.Lock()


def _local_engine():
    global _engine
    with _engine_lock:
        if _engine is None:
            from desktop_ocr.core.engine import LocalEngine

            _engine = LocalEngine()
        return _engine


class AcmeRecognizer(Recognizer):
    name = "acme"

    def __init__(self, *, zone: str = "z1", api_key: Any = None, timeout: float = 30.0):
        if not api_key:
            raise SettingsError("Acme OCR needs an API key", fields=("api_key",))
        self.zone = zone
        self.api_key = api_key if isinstance(api_key, Secret) else Secret(api_key)

    def recognize(self, image: LoadedImage, options: RecognizeOptions | None = None) -> OcrResult:
        result = _local_engine().recognize(image, options)
        result.engine = "acme"
        result.meta = {**(result.meta or {}), "zone": self.zone}
        return result


# -- the format: {"acme": {"zone": str, "lines": [{"text", "box": [[x, y] * 4], "p"}]}} ------------

def dump(result: OcrResult) -> dict:
    return {"acme": {"zone": (result.meta or {}).get("zone", ""),
                     "lines": [{"text": ln.text, "box": [list(p) for p in ln.polygon], "p": ln.score}
                               for ln in result.lines]}}


def load(obj: Any, *, width: int | None = None, height: int | None = None) -> OcrResult:
    if "error" in obj:
        raise load_error(obj)
    lines = [TextLine(text=d["text"], polygon=[tuple(p) for p in d["box"]], score=d["p"])
             for d in obj["acme"]["lines"]]
    return OcrResult(width=width or 0, height=height or 0, lines=lines, engine="acme",
                     meta={"zone": obj["acme"]["zone"]})


def dump_error(err: E.OcrError) -> dict:
    code = err.vendor_code if isinstance(err, E.BackendError) and err.vendor_code else "Acme.Failed"
    return {"error": {"code": code, "message": getattr(err, "message", str(err))}}


def load_error(obj: Any, status: int | None = None) -> E.BackendError:
    from desktop_ocr.formats._common import vendor_error

    return vendor_error("acme", obj["error"]["code"], obj["error"]["message"], status)
