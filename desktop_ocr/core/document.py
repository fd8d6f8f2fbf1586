"""Documents: which pages of a PDF or a multi-page TIFF to read, and how many pages a source has.

A document is read one page at a time (``sources.load_image(source, pdf_page=n)`` renders a PDF
page or decodes one TIFF frame), so memory stays bounded whatever the page count. Counting pages
reads only what is needed: a PDF's cross-reference table (core.pdf.page_count), a TIFF's chain of
image directories; never a page's pixels. No Qt here.

    parse_pages("1-5,9")  -> Pages; .select(count) -> [1, 2, 3, 4, 5, 9] (pages past the end left out)
    count_pages(path)     -> 1 for a plain image, the page count of a PDF or TIFF
"""

from __future__ import annotations

import io
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from . import pdf as pdfmod

_SPAN = re.compile(r"^\s*(\d+)\s*(?:(-)\s*(\d*)\s*)?$")


@dataclass(frozen=True)
class Pages:
    """A page selection: 1-based inclusive spans, an open end reaching the last page; ``spans`` None:
    every page."""

    spans: tuple[tuple[int, int | None], ...] | None = None

    def select(self, count: int) -> list[int]:
        """The selected pages of a document of ``count`` pages, in the order given, each once; pages
        past the end are left out (``--pages 1-5`` on a 3-page PDF reads 1-3)."""
        if self.spans is None:
            return list(range(1, count + 1))
        out: dict[int, None] = {}
        for first, last in self.spans:
            for n in range(first, min(count, last if last is not None else count) + 1):
                out[n] = None
        return list(out)

    def __str__(self) -> str:
        if self.spans is None:
            return "all"
        return ",".join(str(a) if b == a else f"{a}-{'' if b is None else b}" for a, b in self.spans)


ALL = Pages()


def parse_pages(text: str) -> Pages:
    """"all", "N", "A-B", "A-" (to the end), comma-separated: "1-5,9". Raises ValueError."""
    text = text.strip().lower()
    if text in ("all", "*", ""):
        if not text:
            raise ValueError("no pages given (use all, N, A-B or a list such as 1-5,9)")
        return ALL
    spans: list[tuple[int, int | None]] = []
    for part in text.split(","):
        m = _SPAN.match(part)
        if m is None:
            raise ValueError(f"{part.strip()!r} is not a page or a range (use N, A-B or A-)")
        first = int(m.group(1))
        last: int | None = first if m.group(2) is None else (int(m.group(3)) if m.group(3) else None)
        if first < 1:
            raise ValueError("pages are numbered from 1")
        if last is not None and last < first:
            raise ValueError(f"{first}-{last}: the range ends before it starts")
        spans.append((first, last))
    return Pages(tuple(spans))


def _tiff_frames(fh) -> int:
    with Image.open(fh, formats=("TIFF",)) as im:
        return max(1, int(getattr(im, "n_frames", 1)))


def count_pages(source: str | os.PathLike | bytes, *, max_bytes: int | None = None) -> int:
    """Pages of a PDF or TIFF file (or of its bytes); 1 for anything else, and for anything that
    cannot be read or counted: loading page 1 then reports what is wrong with it."""
    try:
        if isinstance(source, (bytes, bytearray, memoryview)):
            data = bytes(source)
            if pdfmod.is_pdf(data):
                return pdfmod.page_count(data)
            if data[:4] in (b"II*\x00", b"MM\x00*"):
                return _tiff_frames(io.BytesIO(data))
            return 1
        path = Path(source)
        if not stat.S_ISREG(os.stat(path).st_mode):  # never open a pipe or a device (it could block)
            return 1
        with open(path, "rb") as fh:  # noqa: PTH123
            head = fh.read(1024)
        if pdfmod.is_pdf(head):
            return pdfmod.page_count(path, max_bytes=max_bytes)
        if head[:4] in (b"II*\x00", b"MM\x00*"):
            with open(path, "rb") as fh:  # noqa: PTH123
                return _tiff_frames(fh)
    except Exception:  # noqa: BLE001 - counting never fails a source: its first page's load says why
        return 1
    return 1
