"""Exports: one image to a file, or every finished image of the batch into a folder (one file each).

The text comes from desktop_ocr.formats (exact vendor JSON); files are written atomically by
core.atomic.write_atomic, so an export is either whole or absent. Overwriting asks first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from .. import formats
from ..core.atomic import write_atomic
from ..core.naming import unique_paths
from .workers import DONE, Job


def format_label(name: str) -> str:
    """A format's name in menus and file dialogs (formats.label, translated)."""
    context, text = formats.label(name)
    return QCoreApplication.translate(context, text)


def export_name(job: Job, fmt: str) -> str:
    return job.stem + formats.file_extension(fmt)


def batch_targets(jobs: Iterable[Job], folder: Path, fmt: str) -> list[tuple[Job, Path]]:
    """Target path per finished job (core.naming, as the command line's --out): same-named images
    get -2, -3... so none overwrites another."""
    done = [job for job in jobs if job.state == DONE and job.result is not None]
    paths = unique_paths([job.stem for job in done], folder, formats.file_extension(fmt))
    return list(zip(done, paths))


def write_result(job: Job, path: Path, fmt: str) -> Path:
    assert job.result is not None, "only a finished job is exported"
    return write_atomic(path, formats.export_text(job.result, fmt))


def export_batch(jobs: Iterable[Job], folder: Path, fmt: str,
                 confirm_overwrite: Callable[[list[Path]], bool]) -> list[Path]:
    """Write every finished job into ``folder``. Existing files are replaced only if confirmed."""
    targets = batch_targets(jobs, Path(folder), fmt)
    existing = [p for _, p in targets if p.exists()]
    if existing and not confirm_overwrite(existing):
        targets = [(j, p) for j, p in targets if not p.exists()]
    return [write_result(job, path, fmt) for job, path in targets]


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


def ask_save_path(parent: QWidget, job: Job, fmt: str, folder: str) -> Path | None:
    """Save dialog; Qt's dialog itself asks before replacing an existing file."""
    ext = formats.file_extension(fmt)
    suggested = str(Path(folder or Path.home()) / export_name(job, fmt))
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
