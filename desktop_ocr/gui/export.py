"""Exports: one image to a file, or every finished image of the batch into a folder (one file each).

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
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from .. import formats
from ..core import sources
from ..core.atomic import write_atomic
from ..core.model import OcrResult
from ..core.naming import unique_paths
from .canvas import below
from .workers import DONE, Job


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


def ask_folder(parent: QWidget, folder: str) -> Path | None:
    title = QCoreApplication.translate("Export", "Export the batch into folder")
    path = QFileDialog.getExistingDirectory(parent, title, folder or str(Path.home()))
    return Path(path) if path else None
