"""Plain text: the lines in reading order, paragraphs separated by a blank line.

    dump(result) -> str             result.text
    dump_error(err) -> str          the error's sentence (it names the source when known)
There is no load(): plain text has no geometry to read back.
"""

from __future__ import annotations

from ..core.errors import OcrError
from ..core.model import OcrResult


def dump(result: OcrResult) -> str:
    return result.text


def dump_error(err: OcrError) -> str:
    return str(err)
