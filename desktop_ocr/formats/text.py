"""Plain text: the lines in reading order, paragraphs separated by a blank line.

    dump(result) -> str             result.text
    dump_error(err) -> str          the error's sentence (it names the source when known)
    load_error(text) -> OcrError    that sentence back as an error
    load(text)                      refused with ValueError: plain text has no geometry to read back
    joined(result, mode) -> str     the text as a capture copies it: "lines" (as dump), "paragraphs"
                                    (each paragraph's lines joined into one line) or "one_line"
"""

from __future__ import annotations

import itertools
import unicodedata
from typing import Any

from ..core.errors import OcrError
from ..core.model import OcrResult


def dump(result: OcrResult) -> str:
    return result.text


#: how a capture's text is copied (gui "After a capture"); "lines" is dump's text
JOIN_MODES = ("lines", "paragraphs", "one_line")


def _wide(ch: str) -> bool:
    """CJK and other full-width characters: written without spaces between lines' pieces."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def join_lines(texts: list[str]) -> str:
    """Lines as one line: a space between two pieces, none where either side is CJK/full-width."""
    out = ""
    for text in (t.strip() for t in texts):
        if not text:
            continue
        if out and not (_wide(out[-1]) or _wide(text[0])):
            out += " "
        out += text
    return out


def joined(result: OcrResult, mode: str) -> str:
    """``result``'s text for ``mode`` (JOIN_MODES): "lines" is dump's text (paragraphs separated by a
    blank line); "paragraphs" joins each paragraph's lines into one line (same paragraphs as dump);
    "one_line" joins every line."""
    if mode == "lines":
        return dump(result)
    if mode == "paragraphs":
        groups = itertools.groupby(result.lines, key=lambda line: line.paragraph)
        return "\n\n".join(join_lines([line.text for line in lines]) for _, lines in groups)
    if mode == "one_line":
        return join_lines([line.text for line in result.lines])
    raise ValueError(f"unknown join mode {mode!r}; expected one of {', '.join(JOIN_MODES)}")


def dump_error(err: OcrError) -> str:
    return str(err)


def load(obj: Any, **_size: Any) -> OcrResult:
    raise ValueError("plain text has no line positions: it cannot be read back as a result; "
                     "use the json format for that")


def load_error(obj: Any, status: int | None = None) -> OcrError:
    return OcrError(str(obj).strip() or "error")
