"""Output file names, for the command line's ``--out`` folder and the window's exports alike.

A name comes from its source (a file's stem, a URL's last path segment, 'stdin', 'data'...), made
safe on every file system (no separators, control or reserved characters, no DOS device names,
at most 150 characters), with ``-pN`` for a PDF page chosen explicitly. Names are then made unique
within one folder: same stems get -2, -3... in order, compared case-insensitively (Windows and
macOS folders are), and never landing on one of the paths in ``avoid`` (the sources themselves).

File names that are not valid UTF-8 (e.g. GBK names from a Chinese Windows archive) reach Python as
strings with lone surrogates (PEP 383), which no UTF-8 text can carry. ``printable`` shows each such
byte as ``\\xNN`` (for messages and the ``source`` field of results); ``output_stem`` writes it as
``%NN`` (file-safe everywhere): every byte stays visible, nothing is replaced by '?'.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*]+')
_SURROGATES = re.compile("[\ud800-\udfff]")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
MAX_STEM = 150


def _escape_surrogates(text: str, byte_form: str) -> str:
    def one(m: re.Match[str]) -> str:
        code = ord(m.group())
        return byte_form % (code - 0xDC00) if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"

    return _SURROGATES.sub(one, text)


def printable(text: str) -> str:
    """``text`` with every undecodable file-name byte (a lone surrogate, PEP 383) as ``\\xNN``:
    always encodable as UTF-8, so it can go into JSON, files and terminals; other text unchanged."""
    return _escape_surrogates(text, "\\x%02x") if _SURROGATES.search(text) else text


def output_stem(source: str, page: int | None = None) -> str:
    """A safe file-name stem for a source (a path, URL, '-' for stdin, data: URI, base64 text)."""
    if source == "-":
        stem = "stdin"
    elif source[:5].lower() == "data:":
        stem = "data"
    elif "://" in source:
        parts = urlsplit(source)
        last = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1])
        stem = Path(last).stem if last else (parts.hostname or "download")
    elif len(source) > 255 and not os.path.exists(source):  # base64 text
        stem = "base64"
    else:
        stem = Path(source).stem
    stem = _escape_surrogates(stem, "%%%02X")  # undecodable bytes (GBK names...) as %NN
    stem = _UNSAFE.sub("_", stem).strip(" .")[:MAX_STEM] or "image"
    if stem.lower() in _RESERVED:
        stem += "_"
    return f"{stem}-p{page}" if page is not None else stem


def _key(path: Path) -> str:
    # os.path.realpath, not Path.resolve: a symlink loop must not stop anything (resolve raises
    # RuntimeError on one before Python 3.13); the loop is reported when its entry is read.
    try:
        return os.path.realpath(path).casefold()
    except (OSError, ValueError, RuntimeError):
        return str(path).casefold()


def source_keys(sources: Iterable[str]) -> set[str]:
    """Keys of the local files among ``sources``, for ``unique_paths(avoid=...)``."""
    keys: set[str] = set()
    for s in sources:
        if s != "-" and "://" not in s and s[:5].lower() != "data:":
            with contextlib.suppress(OSError, ValueError):
                keys.add(_key(Path(s)))
    return keys


def unique_paths(stems: Iterable[str], folder: Path, ext: str, avoid: set[str] | None = None) -> list[Path]:
    """One path in ``folder`` per stem, in order, no two alike and none in ``avoid``."""
    taken = set(avoid or ())
    out: list[Path] = []
    for stem in stems:
        n = 1
        while True:
            path = folder / (f"{stem}{ext}" if n == 1 else f"{stem}-{n}{ext}")
            key = _key(path)
            if key not in taken:
                taken.add(key)
                break
            n += 1
        out.append(path)
    return out
