"""Plain text: the lines in reading order, paragraphs separated by a blank line.

    dump(result) -> str             result.text
    dump_error(err) -> str          the error's sentence (it names the source when known)
    load_error(text) -> OcrError    that sentence back as an error
    load(text)                      refused with ValueError: plain text has no geometry to read back
"""

from __future__ import annotations

from typing import Any

from ..core.errors import OcrError
from ..core.model import OcrResult


def dump(result: OcrResult) -> str:
    return result.text


def dump_error(err: OcrError) -> str:
    return str(err)


def load(obj: Any, **_size: Any) -> OcrResult:
    raise ValueError("plain text has no line positions: it cannot be read back as a result; "
                     "use the json format for that")


def load_error(obj: Any, status: int | None = None) -> OcrError:
    return OcrError(str(obj).strip() or "error")
