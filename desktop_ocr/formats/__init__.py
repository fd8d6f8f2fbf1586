"""Output formats: our own JSON, plain text, and each cloud vendor's exact JSON.

Every format module exposes:
    dump(result: OcrResult) -> JSON-able object (or str for text)
    load(obj) -> OcrResult          (vendor JSON -> our model; not for text)
    dump_error(err: OcrError) -> the vendor's error body (JSON-able)

The vendor modules (aws, tencent, tencent_legacy, huawei) also expose, for the cloud backends and
fake servers: load_error(obj, status) -> BackendError (AuthFailed / RateLimited where the vendor's
code says so; vendor code and message verbatim), error_status(err) -> the HTTP status the vendor
answers that error with, is_error(obj), and NO_TEXT_IS_ERROR (True where the vendor answers a page
without text with an error: Tencent API 3.0's FailedOperation.ImageNoText). Their load() accepts
width=/height= keywords (the answers do not state the image size; default: the boxes' extent) and
raises load_error's exception when handed an error body. Each module's docstring gives its shape.
"""

from __future__ import annotations

import importlib
import json
from types import ModuleType

from ..core.errors import OcrError
from ..core.model import OcrResult

# name on the command line / in menus -> module in this package
_MODULES = {
    "json": "ourjson",
    "aws": "aws",
    "tencent": "tencent",
    "tencent-legacy": "tencent_legacy",
    "huawei": "huawei",
    "text": "text",
}
FORMAT_NAMES = tuple(_MODULES)


def get(name: str) -> ModuleType:
    try:
        return importlib.import_module(f".{_MODULES[name]}", __name__)
    except KeyError:
        raise ValueError(f"unknown format {name!r}; choose from {', '.join(FORMAT_NAMES)}") from None


def file_extension(name: str) -> str:
    return ".txt" if name == "text" else ".json"


def _serialize(obj) -> str:
    if isinstance(obj, str):
        return obj if obj.endswith("\n") or not obj else obj + "\n"
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"


def export_text(result: OcrResult, name: str) -> str:
    """The result as the text of a file in format ``name``."""
    return _serialize(get(name).dump(result))


def export_error_text(err: OcrError, name: str) -> str:
    """An error as the body the vendor would have answered (our own shape for json/text)."""
    return _serialize(get(name).dump_error(err))
