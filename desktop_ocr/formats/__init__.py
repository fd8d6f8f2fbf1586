"""Output formats: our own JSON, plain text, and each cloud vendor's exact JSON.

Every format module satisfies ``FormatModule`` (both directions):
    dump(result: OcrResult) -> JSON-able object (or str for text)
    load(obj, *, width=None, height=None) -> OcrResult     (the format -> our model)
    dump_error(err: OcrError) -> the error body the service would answer (JSON-able, or str)
    load_error(obj, status) -> OcrError                    (an error body -> our typed error)

The vendor modules also expose, for the cloud backends and the server: error_status(err) -> the
HTTP status the vendor answers that error with, is_error(obj), and NO_TEXT_IS_ERROR (True where the
vendor answers a page without text with an error: Tencent API 3.0's FailedOperation.ImageNoText).
Their load() takes width=/height= (the answers do not state the image size; default: the boxes'
extent) and raises load_error's exception when handed an error body. Each module's docstring gives
its shape. Which module serves which vendor is the vendor's registry entry (desktop_ocr.vendors);
``json`` and ``text`` are ours.
"""

from __future__ import annotations

import importlib
import json
from typing import Any, Protocol, runtime_checkable

from .. import vendors
from ..core.errors import OcrError
from ..core.model import OcrResult


@runtime_checkable
class FormatModule(Protocol):
    def dump(self, result: OcrResult) -> Any: ...

    def load(self, obj: Any, **size: Any) -> OcrResult: ...

    def dump_error(self, err: OcrError) -> Any: ...

    def load_error(self, obj: Any, status: int | None = ...) -> OcrError: ...


# Our own formats; the vendors' come from the registry. (name -> module, export menu label)
_OWN = {
    "json": ("desktop_ocr.formats.ourjson", vendors.QT_TRANSLATE_NOOP("Formats", "desktop_ocr JSON")),
    "text": ("desktop_ocr.formats.text", vendors.QT_TRANSLATE_NOOP("Formats", "Plain text")),
}
TR_CONTEXT = "Formats"  # translation context of our own labels; vendor labels use vendors.TR_CONTEXT


def names() -> tuple[str, ...]:
    """Every format: ours first (json), the vendors' in registry order, plain text last."""
    return ("json", *vendors.names(), "text")


def get(name: str) -> FormatModule:
    if name in _OWN:
        return importlib.import_module(_OWN[name][0])
    try:
        return vendors.get(name).format_module()
    except ValueError:
        raise ValueError(f"unknown format {name!r}; choose from {', '.join(names())}") from None


def label(name: str) -> tuple[str, str]:
    """(translation context, English label) of a format, for menus and file dialogs."""
    if name in _OWN:
        return TR_CONTEXT, _OWN[name][1]
    return vendors.TR_CONTEXT, vendors.get(name).format_title


def file_extension(name: str) -> str:
    return ".txt" if name == "text" else ".json"


def file_suffix(name: str) -> str:
    """How the window ends an exported file's name: the extension, after the vendor's name for a
    vendor format (receipt.tencent.json, receipt.aws.json), so that exports of one image in several
    JSON formats never propose the same name; ours stay receipt.json and receipt.txt."""
    if name in _OWN:
        return file_extension(name)
    return f".{vendors.get(name).name}{file_extension(name)}"


def serialize(obj: Any) -> str:
    """A format's dump as the text of a file: JSON indented, text ending with a newline."""
    if isinstance(obj, str):
        return obj if obj.endswith("\n") or not obj else obj + "\n"
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"


def export_text(result: OcrResult, name: str) -> str:
    """The result as the text of a file in format ``name``."""
    return serialize(get(name).dump(result))


def export_error_text(err: OcrError, name: str) -> str:
    """An error as the body the vendor would have answered (our own shape for json/text)."""
    return serialize(get(name).dump_error(err))
