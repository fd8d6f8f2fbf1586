"""Exports: one image to a file, every finished image of the batch into a folder (one file each),
a whole document (every page of a PDF or TIFF: our document JSON, the text with pages separated by a
form feed, a vendor's format one file per page), and searchable PDFs (formats.pdf, through
jobs.run.write_searchable as the command line writes them).

The text comes from desktop_ocr.formats (exact vendor JSON); files are written atomically by
core.atomic.write_atomic, so an export is either whole or absent. Overwriting asks first.

What is exported (and copied) is what the window shows: with *Hide low* on, the lines hidden below
the threshold are left out (``View``), and the window says how many. A file is named after its
image with the format's suffix from the format registry (formats.file_suffix: receipt.tencent.json,
receipt.aws.json, receipt.json, receipt.txt), and the save dialog opens in the image's own folder
when the image is a local file.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from .. import formats
from ..core import sources
from ..core.atomic import write_atomic
from ..core.model import OcrDocument, OcrResult
from ..core.naming import output_stem, printable, source_keys, unique_paths
from .canvas import below
from .workers import DONE, BatchQueue, Job, qimage_png

PDF = "pdf"  # the searchable PDF export (formats.pdf): not a text format of formats.names()


@dataclasses.dataclass(frozen=True)
class View:
    """What the window shows of a result: every line, or (``hide_low``) those scored at or above
    ``threshold`` (the canvas and the line list hide the same ones: canvas.below)."""

    threshold: float = 0.0
    hide_low: bool = False

    def hidden(self, result: OcrResult) -> int:
        return sum(below(ln.score, self.threshold) for ln in result.lines) if self.hide_low else 0

    def apply(self, result: OcrResult) -> OcrResult:
        """``result`` as shown: the same result when nothing is hidden, else a copy without the
        hidden lines (the line objects are shared, so edits made in the list are in it)."""
        if not self.hidden(result):
            return result
        return dataclasses.replace(result, lines=[ln for ln in result.lines if not below(ln.score, self.threshold)])


ALL = View()


def is_json(fmt: str) -> bool:
    return formats.file_extension(fmt) == ".json"


def format_label(name: str) -> str:
    """A format's name in menus and file dialogs (formats.label, translated)."""
    context, text = formats.label(name)
    return QCoreApplication.translate(context, text)


def export_name(job: Job, fmt: str) -> str:
    return job.stem + formats.file_suffix(fmt)


def local_folder(job: Job) -> str:
    """The folder of the job's image when it is a local file, else ""."""
    source = job.source
    if not isinstance(source, str) or sources.is_url(source) or source.startswith("data:"):
        return ""
    folder = Path(source).expanduser().parent
    return str(folder.resolve()) if folder.is_dir() else ""


def default_folder(jobs: Iterable[Job], fallback: str) -> str:
    """Where a save dialog opens: the images' folder when they are local files in one folder, else
    ``fallback`` (the last folder exported to), else the home folder."""
    folders = {local_folder(job) for job in jobs}
    if len(folders) == 1 and "" not in folders:
        return folders.pop()
    return fallback if fallback and Path(fallback).is_dir() else str(Path.home())


def batch_targets(jobs: Iterable[Job], folder: Path, fmt: str) -> list[tuple[Job, Path]]:
    """Target path per finished job (core.naming, as the command line's --out): same-named images
    get -2, -3... so none overwrites another."""
    done = [job for job in jobs if job.state == DONE and job.result is not None]
    paths = unique_paths([job.stem for job in done], folder, formats.file_suffix(fmt))
    return list(zip(done, paths))


def write_result(job: Job, path: Path, fmt: str, view: View = ALL) -> Path:
    assert job.result is not None, "only a finished job is exported"
    return write_atomic(path, formats.export_text(view.apply(job.result), fmt))


def export_batch(jobs: Iterable[Job], folder: Path, fmt: str,
                 confirm_overwrite: Callable[[list[Path]], bool], view: View = ALL) -> list[Path]:
    """Write every finished job into ``folder`` (as ``view`` shows it). Existing files are replaced
    only if confirmed."""
    targets = batch_targets(jobs, Path(folder), fmt)
    existing = [p for _, p in targets if p.exists()]
    if existing and not confirm_overwrite(existing):
        targets = [(j, p) for j, p in targets if not p.exists()]
    return [write_result(job, path, fmt, view) for job, path in targets]


# documents ------------------------------------------------------------------------------------
def document_jobs(queue: BatchQueue, job: Job) -> list[Job]:
    """The pages of ``job``'s document still listed, in page order; ``[job]`` for a single image."""
    return queue.document_jobs(job.document) if job.document is not None else [job]


def document_stem(job: Job) -> str:
    """The file-name stem of a whole document (report for report.pdf), else the image's."""
    return output_stem(job.document.source) if job.document is not None else job.stem


def _page(job: Job, view: View) -> OcrResult:
    assert job.result is not None, "only a finished page is exported"
    result = view.apply(job.result)
    if job.page is not None and result.page != job.page:
        result = dataclasses.replace(result, page=job.page)
    return result


def page_targets(jobs: Iterable[Job], path: Path, fmt: str) -> list[tuple[Job, Path]]:
    """A vendor format answers one page per request: one file per finished page beside ``path``,
    named as the command line names them (report-p1.tencent.json, report-p2.tencent.json...)."""
    suffix = formats.file_suffix(fmt)
    stem = path.name[:-len(suffix)] if path.name.endswith(suffix) and len(path.name) > len(suffix) else path.stem
    return [(job, path.with_name(f"{stem}-p{job.page}{suffix}" if job.page is not None else path.name))
            for job in jobs if job.state == DONE and job.result is not None]


def write_document(jobs: list[Job], path: Path, fmt: str, confirm_overwrite: Callable[[list[Path]], bool],
                   view: View = ALL) -> list[Path]:
    """Every finished page of a document (``jobs``, in page order): our "json" as one document
    (core.model.OcrDocument, with the document's page count), "text" as one file (pages separated by
    a form feed), a vendor format as one file per page (page_targets; existing ones replaced only if
    confirmed). A single image is written as Export Image writes it. Raises WriteFailed."""
    done = [job for job in jobs if job.state == DONE and job.result is not None]
    assert done, "the caller checks there is a finished page"
    doc = done[0].document
    if doc is None:
        return [write_result(done[0], path, fmt, view)]
    if fmt == "json":
        document = OcrDocument(source=printable(doc.source), page_count=doc.count,
                               pages=[_page(job, view) for job in done])
        return [write_atomic(path, formats.serialize(document.to_dict()))]
    if fmt == "text":
        text = "\f".join(formats.export_text(_page(job, view), "text").rstrip("\n") for job in done)
        return [write_atomic(path, text + "\n")]
    targets = page_targets(done, path, fmt)
    existing = [p for _, p in targets if p.exists()]
    if existing and not confirm_overwrite(existing):
        targets = [(j, p) for j, p in targets if not p.exists()]
    return [write_atomic(p, formats.export_text(_page(job, view), fmt)) for job, p in targets]


@dataclasses.dataclass
class PdfPlan:
    """What a searchable PDF is made of, taken on the GUI thread (the jobs may change meanwhile):
    the source, its pages and their results (a page without one gets no text)."""

    name: str  # shown in messages
    source: str
    kind: str  # "pdf", "tiff" or "image"
    count: int
    pages: list[int | None]
    results: dict[int | None, OcrResult]
    data: bytes | QImage | None = None  # an image's bytes when it has no path (pasted, downloaded)

    @property
    def missing(self) -> int:
        """Pages written without text (not recognised, or failed)."""
        return sum(p not in self.results for p in self.pages)


def pdf_plan(jobs: list[Job], view: View = ALL) -> PdfPlan:
    """The searchable PDF of a document (``jobs``: its pages in order) or of one image."""
    first = jobs[0]
    doc = first.document
    results = {job.page if doc is not None else None: _page(job, view)
               for job in jobs if job.state == DONE and job.result is not None}
    if doc is not None:
        return PdfPlan(doc.source, doc.source, doc.kind, doc.count, [job.page for job in jobs], results)
    source = first.source
    data = first.data if first.data is not None else (source if not isinstance(source, str) else None)
    return PdfPlan(first.name, source if isinstance(source, str) else "", "image", 1, [None], results, data)


def write_pdf(plan: PdfPlan, dest: Path) -> Path:
    """Write ``plan`` as a searchable PDF at ``dest`` (replacing it: the caller asked), atomically;
    a PDF's pages kept as they are, an image embedded. Slow for a long document: call from a
    worker. Raises WriteFailed, or the error of a page that cannot be read."""
    from ..jobs.plan import Doc
    from ..jobs.run import write_searchable

    data = qimage_png(plan.data) if isinstance(plan.data, QImage) else plan.data
    doc = Doc(index=0, source=plan.source or plan.name, kind=plan.kind, count=plan.count, pages=list(plan.pages),
              data=data, document=plan.kind != "image")
    write_searchable(doc, plan.results, dest, overwrite=True)
    return dest


def batch_pdf_plans(queue: BatchQueue, folder: Path, view: View = ALL) -> list[tuple[PdfPlan, Path]]:
    """Export Batch as searchable PDFs: one PDF per document with a finished page (all its listed
    pages; the unfinished ones without text) and per finished image, named after the source
    (report.pdf), never onto a source file itself (report.pdf in its own folder becomes
    report-2.pdf)."""
    plans: list[PdfPlan] = []
    stems: list[str] = []
    seen: set[int] = set()
    for job in queue.jobs:
        if job.state != DONE or job.result is None:
            continue
        if job.document is not None:
            if job.document.id in seen:
                continue
            seen.add(job.document.id)
        plans.append(pdf_plan(document_jobs(queue, job), view))
        stems.append(document_stem(job))
    avoid = source_keys(j.source for j in queue.jobs if isinstance(j.source, str))
    return list(zip(plans, unique_paths(stems, Path(folder), ".pdf", avoid)))


# dialogs --------------------------------------------------------------------------------------
def ask_overwrite(parent: QWidget, existing: list[Path]) -> bool:
    names = "\n".join(p.name for p in existing[:8]) + ("\n…" if len(existing) > 8 else "")
    answer = QMessageBox.question(
        parent, QCoreApplication.translate("Export", "Replace files?"),
        QCoreApplication.translate("Export", "%1 file(s) already exist in the folder:").replace(
            "%1", str(len(existing))) + "\n\n" + names + "\n\n"
        + QCoreApplication.translate("Export", "Replace them? (No keeps them and writes only the new files.)"),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def ask_save_path(parent: QWidget, job: Job, fmt: str, fallback: str) -> Path | None:
    """Save dialog in the image's folder (else ``fallback``), proposing the image's name with the
    format's suffix; Qt's dialog itself asks before replacing an existing file."""
    ext = formats.file_extension(fmt)
    suggested = str(Path(default_folder([job], fallback)) / export_name(job, fmt))
    title = QCoreApplication.translate("Export", "Export as %1").replace("%1", format_label(fmt))
    filters = f"{format_label(fmt)} (*{ext});;" + QCoreApplication.translate("Export", "All files (*)")
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
    if not path:
        return None
    p = Path(path)
    return p if p.suffix else p.with_suffix(ext)


def ask_document_path(parent: QWidget, job: Job, fmt: str, fallback: str) -> tuple[Path, str] | None:
    """Export Document: a save dialog offering every format and Searchable PDF (``fmt`` chosen
    first), in the document's folder, proposing its name; returns the path and the chosen format.
    Qt's dialog itself asks before replacing an existing file."""
    names = [PDF, *formats.names()]
    labels = {name: pdf_label() if name == PDF else format_label(name) for name in names}
    exts = {name: ".pdf" if name == PDF else formats.file_extension(name) for name in names}
    fmt = fmt if fmt in names else "json"
    filters = {f"{labels[n]} (*{exts[n]})": n for n in names}
    chosen = next(f for f, n in filters.items() if n == fmt)
    name = pdf_name(job) if fmt == PDF else document_stem(job) + formats.file_suffix(fmt)
    suggested = str(Path(default_folder([job], fallback)) / name)
    title = QCoreApplication.translate("Export", "Export Document")
    path, selected = QFileDialog.getSaveFileName(parent, title, suggested, ";;".join(filters), chosen)
    if not path:
        return None
    fmt = filters.get(selected, fmt)
    p = Path(path)
    return (p if p.suffix else p.with_suffix(exts[fmt])), fmt


def ask_pdf_path(parent: QWidget, job: Job, fallback: str) -> Path | None:
    """Save dialog for a searchable PDF of the document (or image) on screen."""
    suggested = str(Path(default_folder([job], fallback)) / pdf_name(job))
    title = QCoreApplication.translate("Export", "Export as %1").replace("%1", pdf_label())
    filters = f"{pdf_label()} (*.pdf);;" + QCoreApplication.translate("Export", "All files (*)")
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
    if not path:
        return None
    p = Path(path)
    return p if p.suffix else p.with_suffix(".pdf")


def pdf_name(job: Job) -> str:
    """The searchable PDF's proposed name: report.pdf, or report-ocr.pdf for a PDF (never the
    source itself)."""
    return document_stem(job) + ("-ocr.pdf" if job.document is not None and job.document.kind == PDF else ".pdf")


def pdf_label() -> str:
    return QCoreApplication.translate("Export", "Searchable PDF")


def ask_folder(parent: QWidget, folder: str) -> Path | None:
    title = QCoreApplication.translate("Export", "Export the batch into folder")
    path = QFileDialog.getExistingDirectory(parent, title, folder or str(Path.home()))
    return Path(path) if path else None
