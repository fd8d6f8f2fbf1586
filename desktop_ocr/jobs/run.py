"""Running a planned batch: every page recognised (or taken from the resume record, or from a PDF's
own text layer), every source's outputs written whole as soon as its last page is in, the resume
record kept page by page. No printing here: what happens is told to a ``Reporter`` (the command line
prints it; a test collects it).

Pages are recognised by ``pages_in_order(jobs, load, options)``: core.batch.recognize_in_order on
this machine's recognisers, or jobs.cluster's Ray runner; both yield core.batch.BatchItem in the
order of the jobs.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..core.atomic import write_atomic
from ..core.batch import BatchItem
from ..core.errors import OcrError, WriteFailed
from ..core.model import OcrDocument, OcrResult
from .journal import Journal
from .plan import PDF_FORMAT, Doc


@dataclass(frozen=True)
class PageJob:
    """One page to recognise: the source's Doc and its page (None: the image)."""

    doc: Doc
    page: int | None


class Reporter(Protocol):
    def page(self, doc: Doc, page: int | None, result: OcrResult, seconds: float) -> None: ...

    def page_failed(self, doc: Doc, page: int | None, error: BaseException) -> None: ...

    def reused(self, doc: Doc, page: int | None, result: OcrResult, how: str) -> None:
        """A page not recognised in this run: ``how`` "record" (the resume record) or "text_layer"."""

    def written(self, doc: Doc, outputs: list[Path], pages: int) -> None: ...

    def failed(self, doc: Doc, error: BaseException) -> None: ...

    def skipped(self, doc: Doc) -> None: ...


@dataclass
class Totals:
    ok: int = 0  # sources whose outputs were written with every page
    failed: int = 0  # sources with a failure (their outputs are written with the pages that worked)
    skipped: int = 0  # sources done by an earlier run (--resume)
    pages: int = 0  # pages recognised in this run
    from_record: int = 0  # pages taken from the resume record (--resume)
    from_text_layer: int = 0  # PDF pages whose own text layer was taken
    #: what stopped the batch: a write that showed nothing more can be written (WriteFailed), or
    #: the pages' source itself failing (a cluster lost), after which no page can come
    stopped: Exception | None = None
    left: int = 0  # sources not started because of ``stopped``
    seconds: float = 0.0  # from the first page's start to the last page's end
    failures: list[tuple[Doc, BaseException]] = field(default_factory=list)


def is_done(doc: Doc, journal: Journal) -> bool:
    """The resume record says this source's outputs were written, and they are all still there."""
    names = journal.recorded.done.get(doc.key)
    return names is not None and sorted(names) == sorted(p.name for p in doc.outputs) \
        and all(p.is_file() for p in doc.outputs)


def page_jobs(docs: list[Doc], journal: Journal) -> list[PageJob]:
    """The pages still to recognise, in source and page order."""
    jobs: list[PageJob] = []
    for doc in docs:
        if doc.error is not None or is_done(doc, journal):
            continue
        recorded = journal.recorded.pages.get(doc.key, {})
        jobs.extend(PageJob(doc, p) for p in doc.pages if p not in recorded and p not in doc.text_pages)
    return jobs


def text_layer_result(doc: Doc, page: int) -> OcrResult:
    from ..formats import pdf as pdfformat

    source: bytes | str = doc.data if doc.data is not None else doc.source
    result = pdfformat.read_text_layer(source, page - 1)
    if result is None:  # it had text when planned; an empty page of it now
        raise OcrError("the page's text layer cannot be read", source=doc.label, reason="text_layer")
    result.page = page
    result.source = doc.label
    result.engine = "pdf-text"
    return result


def document_outputs(doc: Doc, results: dict[int | None, OcrResult], fmt: str, text_mode: str,
                     overwrite: bool) -> list[Path]:
    """Write ``doc``'s json / text / pdf output from its page results (vendor formats are written page
    by page, as they come). Raises WriteFailed."""
    from .. import formats
    from ..formats.text import joined

    assert doc.out is not None
    ordered = [results[p] for p in doc.pages if p in results]
    if fmt == PDF_FORMAT:
        write_searchable(doc, results, doc.out, overwrite=overwrite)
    elif doc.document and fmt == "json":
        document = OcrDocument(source=doc.label, page_count=doc.count, pages=ordered)
        write_atomic(doc.out, formats.serialize(document.to_dict()), overwrite=overwrite)
    elif fmt == "text":
        text = "\f".join(joined(r, text_mode) for r in ordered)
        write_atomic(doc.out, text + "\n" if text and not text.endswith("\n") else text, overwrite=overwrite)
    else:
        write_atomic(doc.out, formats.export_text(ordered[0], fmt), overwrite=overwrite)
    return [doc.out]


def write_searchable(doc: Doc, results: dict[int | None, OcrResult], dest: Path, *, overwrite: bool) -> None:
    """``doc`` as a searchable PDF: a PDF's pages kept as they are, an image embedded as it is."""
    from ..core.sources import load_image
    from ..formats import pdf as pdfformat

    def pages() -> Iterator[pdfformat.Page]:
        if doc.kind == "pdf":
            source: bytes | str = doc.data if doc.data is not None else doc.source
            for p in doc.pages:
                assert p is not None
                result = results.get(p)
                if result is None or p in doc.text_pages:  # failed, or already searchable: the page as it is
                    result = OcrResult(width=1, height=1)
                yield pdfformat.Page(result=result, pdf=source, index=p - 1)
        else:
            for p in doc.pages:
                image = load_image(doc.data if doc.data is not None else doc.source, pdf_page=p or 1)
                result = results.get(p) or OcrResult(width=image.width, height=image.height)
                if image.format == "jpeg" and image.data is not None:
                    yield pdfformat.Page(result=result, image=image.data)
                else:
                    yield pdfformat.Page(result=result, pixels=image.pixels)

    pdfformat.write_searchable_pdf(pages(), dest, overwrite=overwrite)


def _write_page(doc: Doc, page: int, result: OcrResult, journal: Journal, fmt: str, overwrite: bool) -> None:
    """One page's file of a document in a vendor format (the record says so before it is touched)."""
    from .. import formats

    path = doc.page_outs[page]
    journal.started(doc.key, [p.name for p in doc.outputs])
    write_atomic(path, formats.export_text(result, fmt), overwrite=overwrite or path.name in doc.replace)


class _Broken(Exception):
    """The pages' iterator raised ``error``: it is finished, so the batch stops there."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


def run(docs: list[Doc], journal: Journal, pages_in_order: Callable[[list[PageJob]], Iterator[BatchItem]],
        reporter: Reporter, *, fmt: str, text_mode: str = "lines", overwrite: bool = False) -> Totals:
    """Recognise and write the batch; see the module docstring. KeyboardInterrupt passes through
    (what is written is whole, the record holds every finished page)."""

    totals = Totals()
    per_page = fmt not in ("json", "text", PDF_FORMAT)
    jobs = page_jobs(docs, journal)
    items = pages_in_order(jobs)
    t0 = time.perf_counter()
    try:
        for n, doc in enumerate(docs):
            if totals.stopped is not None:
                totals.left = sum(1 for d in docs[n:] if d.error is None)
                break
            if doc.error is not None:
                totals.failed += 1
                totals.failures.append((doc, doc.error))
                reporter.failed(doc, doc.error)
                continue
            if is_done(doc, journal):
                totals.skipped += 1
                reporter.skipped(doc)
                continue
            results: dict[int | None, OcrResult] = {}
            page_errors: list[tuple[int | None, BaseException]] = []
            recorded = journal.recorded.pages.get(doc.key, {})
            per_page_doc = per_page and doc.document  # a vendor's answer per page, written as it comes

            try:
                for page in doc.pages:
                    if page in recorded:
                        results[page] = OcrResult.from_dict(recorded[page])
                        totals.from_record += 1
                        reporter.reused(doc, page, results[page], "record")
                        if per_page_doc and page is not None and not doc.page_outs[page].is_file():
                            # recorded, but the run was killed before its file was in place
                            _write_page(doc, page, results[page], journal, fmt, overwrite)
                        continue
                    if page is not None and page in doc.text_pages:
                        try:
                            results[page] = text_layer_result(doc, page)
                            totals.from_text_layer += 1
                            reporter.reused(doc, page, results[page], "text_layer")
                        except OcrError as exc:
                            page_errors.append((page, exc))
                            reporter.page_failed(doc, page, exc)
                        continue
                    try:
                        done = next(items)
                    except Exception as exc:  # noqa: BLE001 - the iterator is finished: no page comes
                        raise _Broken(exc) from exc
                    assert done.item.doc is doc and done.item.page == page
                    if isinstance(done.outcome, Exception):
                        page_errors.append((page, done.outcome))
                        reporter.page_failed(doc, page, done.outcome)
                        continue
                    result = done.outcome
                    if page is not None:
                        result.page = page
                    totals.pages += 1
                    try:
                        if per_page_doc:
                            assert page is not None
                            _write_page(doc, page, result, journal, fmt, overwrite)
                        journal.page(doc.key, page, result)
                    except WriteFailed as exc:
                        if exc.fatal:
                            raise
                        page_errors.append((page, exc))
                        reporter.page_failed(doc, page, exc)
                        continue
                    results[page] = result
                    reporter.page(doc, page, result, done.seconds)
                if not results:
                    raise page_errors[0][1]
                if per_page_doc:
                    outputs = [doc.page_outs[p] for p in doc.pages if p is not None and p in results]
                else:
                    assert doc.out is not None
                    journal.started(doc.key, [doc.out.name])
                    outputs = document_outputs(doc, results, fmt, text_mode, overwrite or doc.out.name in doc.replace)
            except Exception as caught:  # noqa: BLE001 - one source's failure; some stop the batch below
                why = caught.error if isinstance(caught, _Broken) else caught
                totals.failed += 1
                totals.failures.append((doc, why))
                reporter.failed(doc, why)
                if isinstance(caught, _Broken) or isinstance(why, WriteFailed) and why.fatal:
                    totals.stopped = why
                continue
            if not page_errors:
                journal.done(doc.key, [p.name for p in outputs])
                totals.ok += 1
            else:
                totals.failed += 1
                pages = ", ".join(str(p) for p, _ in page_errors)
                first = page_errors[0][1]
                err = OcrError(f"page{'s' if len(page_errors) > 1 else ''} {pages} failed "
                               f"({first}); written without {'them' if len(page_errors) > 1 else 'it'}",
                               source=doc.label, reason="pages_failed", params={"pages": pages})
                totals.failures.append((doc, err))
            reporter.written(doc, outputs, len(results))
    finally:
        close = getattr(items, "close", None)
        if close is not None:
            close()
        totals.seconds = time.perf_counter() - t0
    return totals
