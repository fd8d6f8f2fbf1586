"""A batch planned: each source's pages and the files its results go to, before anything is read.

An image is one page (``page`` None); a PDF, and a TIFF with several pages, is a document: the
pages the selection (``--pages``) picks, read one at a time. What a source's outputs are:

    json      one file: our result (an image) or our document (every page read, desktop_ocr.document)
    text      one file: the text; a document's pages separated by a form feed (as pdftotext does)
    pdf       one file: a searchable PDF (formats.pdf)
    a vendor  one file per page, as each vendor answers one page per request: report-p1.json,
              report-p2.json... (an image: report.json)

A PDF page that already carries text (a text layer) is, unless ``redo_text``, taken as it is: its
text is read from the PDF (formats.pdf.read_text_layer) instead of recognised, and a searchable PDF
keeps that page unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..core.atomic import refusal
from ..core.document import Pages, count_pages
from ..core.errors import EmptyInput, OcrError
from ..core.naming import output_stem, printable, source_keys, unique_paths
from ..formats import file_extension
from . import journal

PDF_FORMAT = "pdf"


@dataclass
class Doc:
    """One source of the batch."""

    index: int
    source: str  # as given: a path, a URL, '-' (stdin), data: or base64 text
    error: OcrError | None = None  # planning found it cannot be done (missing, output in the way)
    kind: str = "image"  # "image", "pdf" or "tiff"
    count: int = 1  # pages the document has
    pages: list[int | None] = field(default_factory=lambda: [None])  # to read, in order; None: the image
    text_pages: set[int] = field(default_factory=set)  # PDF pages read from their text layer
    data: bytes | None = None  # the bytes of a source that cannot be read twice (stdin)
    key: str = ""  # journal.source_key
    out: Path | None = None  # the output file (json, text, pdf; a vendor format for an image)
    page_outs: dict[int, Path] = field(default_factory=dict)  # a vendor format: one file per page
    #: read as a document (a PDF or TIFF, every selected page, our document JSON); False for an image
    #: and for the one page ``--pdf-page N`` asks for
    document: bool = False
    #: output names a killed run of this batch had started writing (the record's "start"): replaced
    replace: set[str] = field(default_factory=set)

    @property
    def outputs(self) -> list[Path]:
        return [self.out] if self.out is not None else [self.page_outs[p] for p in self.pages if p is not None]

    @property
    def label(self) -> str:
        if self.source == "-":
            return "<stdin>"
        if self.source[:5].lower() == "data:":
            return "<data URI>"
        text = printable(self.source)
        return text if len(text) <= 200 else text[:60] + "…"


def _kind(source: str, data: bytes | None) -> tuple[str, int]:
    from ..core import pdf as pdfmod

    probe: bytes | str = data if data is not None else source
    count = count_pages(probe)
    if data is not None:
        head = data[:1024]
    else:
        try:
            with open(source, "rb") as fh:  # noqa: PTH123 - count_pages checked it is a regular file
                head = fh.read(1024)
        except OSError:
            return "image", 1
    if pdfmod.is_pdf(head):
        return "pdf", count
    if head[:4] in (b"II*\x00", b"MM\x00*") and count > 1:
        return "tiff", count
    return "image", 1


def _text_pages(doc: Doc) -> set[int]:
    from ..formats import pdf as pdfformat

    source: bytes | str = doc.data if doc.data is not None else doc.source
    found = set()
    for page in doc.pages:
        if page is not None and pdfformat.has_text_layer(source, page - 1):
            found.add(page)
    return found


def plan(entries: list[str | OcrError], *, out_dir: Path | None, fmt: str, pages: Pages,
         single_page: int | None = None, overwrite: bool = False, redo_text: bool = False,
         fetch: Callable[[str], bytes | None] | None = None, done: dict[str, list[str]] | None = None,
         started: dict[str, list[str]] | None = None) -> list[Doc]:
    """Every entry's Doc, outputs in ``out_dir`` (None: stdout). ``single_page`` (the legacy
    ``--pdf-page N``): that page of each PDF/TIFF, as an image result. ``fetch`` gets the bytes of a
    source that is not a local file (stdin, a URL) so its pages can be counted and read; without it
    such a source is read as one page. ``done`` and ``started``: the resume record's finished
    sources and those whose outputs were being written (their outputs are not "in the way")."""
    docs: list[Doc] = []
    for i, entry in enumerate(entries):
        if isinstance(entry, OcrError):
            docs.append(Doc(i, entry.source or str(entry), error=entry))
            continue
        doc = Doc(i, entry, key=journal.source_key(entry))
        local = entry != "-" and "://" not in entry and entry[:5].lower() != "data:"
        try:
            if not local and fetch is not None:
                doc.data = fetch(entry)
            if local or doc.data is not None:
                doc.kind, doc.count = _kind(entry, doc.data)
        except OcrError as exc:
            doc.error = exc
            docs.append(doc)
            continue
        if single_page is not None:
            doc.pages = [single_page] if doc.kind != "image" else [None]
        elif doc.kind != "image":
            doc.document = True
            selected: list[int | None] = list(pages.select(doc.count))
            if not selected:
                doc.error = EmptyInput(
                    f"none of the pages {pages} is in it: it has {doc.count} page{'s' if doc.count != 1 else ''}",
                    source=doc.label, reason="no_pages_selected", params={"pages": str(pages), "count": doc.count})
            else:
                doc.pages = selected
            if doc.kind == "pdf" and not redo_text and doc.error is None:
                try:
                    doc.text_pages = _text_pages(doc)
                except OcrError as exc:  # damaged, password-protected: the source fails alone
                    doc.error = exc
        docs.append(doc)
    if out_dir is not None:
        _name_outputs(docs, out_dir, fmt, overwrite=overwrite, done=done or {}, started=started or {})
    return docs


def _name_outputs(docs: list[Doc], out_dir: Path, fmt: str, *, overwrite: bool, done: dict[str, list[str]],
                  started: dict[str, list[str]]) -> None:
    """Unique, safe names (core.naming) for every output; one already there is in the way (unless
    ``overwrite``, or the resume record says this source wrote it)."""
    per_page = fmt not in ("json", "text", PDF_FORMAT)
    ext = ".pdf" if fmt == PDF_FORMAT else file_extension(fmt)
    stems: list[str] = []
    owners: list[tuple[Doc, int | None]] = []
    for doc in docs:
        if doc.error is not None:
            continue
        if per_page and doc.document:
            for p in doc.pages:
                stems.append(output_stem(doc.source, p))
                owners.append((doc, p))
        else:
            stems.append(output_stem(doc.source))
            owners.append((doc, None))
    sources = [d.source for d in docs if d.error is None]
    for (doc, page), path in zip(owners, unique_paths(stems, out_dir, ext, avoid=source_keys(sources)), strict=True):
        if page is None:
            doc.out = path
        else:
            doc.page_outs[page] = path
    for doc in docs:
        if doc.error is not None:
            continue
        finished = set(done.get(doc.key, ()))
        doc.replace = set(started.get(doc.key, ())) - finished
        for path in doc.outputs:
            if path.name in finished or path.name in doc.replace:
                continue
            refused = refusal(path, overwrite=overwrite)
            if refused is not None:
                doc.error = refused
                break
