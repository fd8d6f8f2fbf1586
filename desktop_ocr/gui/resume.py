"""Resumable batches in the window (issue #14): what a folder or a document opened in the window has
had recognised is recorded page by page, so a crash, a kill or a reboot loses at most the page in
progress; opened again, its recorded pages are done at once and only the rest is recognised.

The record is the command line's (desktop_ocr.jobs.journal, one JSON line per page, flushed to disk
as the page finishes), kept in the app's data folder (Settings.data_folder()/batches) rather than
beside the results: one file per opened root (a folder, or a PDF or multi-page TIFF opened on its
own) and recogniser, named by a hash of the root's real path, the backend and the recognition
options (RecognizeOptions), so other options never reuse it. A page is looked up by
journal.source_key (real path, size, modification time: a file changed since is read again) and
its page number (None for an image). Only local files are recorded: never pasted images, URLs or
captures, nor an image opened on its own (one page: nothing to resume).

A root whose every page is done removes its record (nothing is left to resume); one with a page
failed, cancelled or still queued when the window closed keeps it. A record that cannot be written
(a read-only data folder, a full disk) never stops recognition: ``failed`` is emitted once and
nothing more is attempted for that record (what it already held is still used). A damaged record
is read as far as it parses (journal.read); one that cannot be read at all is started afresh.

Threads: ``prepare`` (reading and opening a record) runs on the worker that walks an open request,
``record`` on the worker that recognised the page; everything else on the GUI thread. One lock
guards the records.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from ..core import sources
from ..core.errors import WriteFailed
from ..core.model import OcrResult
from ..core.naming import printable
from ..core.recognizer import RecognizeOptions
from ..jobs import journal
from ..jobs.journal import Journal, Recorded, source_key

if TYPE_CHECKING:
    from .workers import Job

log = logging.getLogger(__name__)

FOLDER = "batches"  # under the app's data folder
DOCUMENT_EXTENSIONS = frozenset({*sources.PDF_EXTENSIONS, ".tif", ".tiff"})


def identity(root: str, backend: str, options: RecognizeOptions) -> dict[str, Any]:
    """What a record is for (its first line): the root's real path and what changes the results."""
    return {"root": os.path.realpath(root), "backend": backend, "options": dataclasses.asdict(options)}


def record_name(ident: dict[str, Any]) -> str:
    """The record's file name: a hash of its identity (a path may hold anything, a name must not)."""
    digest = hashlib.sha256(json.dumps(ident, sort_keys=True, ensure_ascii=True).encode("ascii")).hexdigest()
    return f"batch-{digest[:24]}.jsonl"


def resumable_root(root: str) -> bool:
    """A local folder, or a document (PDF, TIFF) file: what gets a record."""
    try:
        if sources.is_url(root):
            return False
        if os.path.isdir(root):
            return True
        return os.path.splitext(root)[1].lower() in DOCUMENT_EXTENSIONS and os.path.isfile(root)
    except (OSError, ValueError):
        return False


@dataclass(eq=False)
class _Record:
    name: str  # file name
    root: str  # as opened
    ident: dict[str, Any]
    journal: Journal | None = None
    recorded: Recorded = field(default_factory=Recorded)
    earlier: set[tuple[str, int | None]] = field(default_factory=set)  # pages read in an earlier session
    broken: bool = False  # cannot be written: nothing more is attempted
    jobs: dict[int, Job] = field(default_factory=dict)  # the root's jobs (every state)
    resumed: int = 0  # jobs done at once from the earlier session's pages
    complete: bool = False  # every job of the root is queued (its walk went past it)
    announced: bool = False
    finished: bool = False


class ResumeStore(QObject):
    """The records of the roots opened in a window (its BatchQueue's ``resume``). Off until
    ``folder`` is set (the window sets it: Settings.data_folder()/batches)."""

    resumed = Signal(str, int, int)  # root as opened, its pages done from the record, its pages in all
    failed = Signal(str, object)  # root as opened, WriteFailed: it cannot be resumed (said once)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.folder: Path | None = None
        self._lock = threading.Lock()
        self._records: dict[str, _Record] = {}  # by file name (open, not finished)
        self._by_job: dict[int, tuple[_Record, str]] = {}  # job id -> (its record, its source key)
        self._closed = False

    # any thread ------------------------------------------------------------------------------
    def prepare(self, root: str, backend: str, options: RecognizeOptions) -> _Record | None:
        """The record of ``root`` for this backend and options, read and opened (once) if ``root`` is
        a folder or a document; None otherwise or when off. Slow for a long record: a worker calls
        it first (BatchQueue._walk), the GUI thread then finds it ready."""
        folder = self.folder
        if folder is None or self._closed or not root or not resumable_root(root):
            return None
        ident = identity(root, backend, options)
        name = record_name(ident)
        with self._lock:
            rec = self._records.get(name)
            if rec is None:
                rec = self._records[name] = _Record(name, root, ident)
                self._open(rec, folder)
            return rec

    def _open(self, rec: _Record, folder: Path) -> None:
        try:
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                shown = printable(str(folder))
                raise WriteFailed(f"cannot write into the folder {shown}: {exc.strerror or exc}", fatal=True,
                                  reason="folder", params={"folder": shown, "error": exc.strerror or str(exc)}) \
                    from None
            try:
                rec.journal = Journal.open(folder, rec.ident, resume=True, name=rec.name)
            except (journal.OptionsChanged, ValueError, TypeError):  # not ours, or not readable at all
                log.warning("batch record %s cannot be read; a new one is started", folder / rec.name)
                rec.journal = Journal.open(folder, rec.ident, resume=False, name=rec.name)
            except WriteFailed:
                raise
            except OSError as exc:  # the name is taken by something that is not a file
                shown = printable(str(folder / rec.name))
                raise WriteFailed(f"cannot write the batch record {shown}: {exc.strerror or exc}", fatal=True,
                                  reason="failed", params={"path": shown, "error": exc.strerror or str(exc)}) \
                    from None
            rec.recorded = rec.journal.recorded
        except WriteFailed as exc:
            rec.broken = True
            rec.recorded = self._read_quietly(folder / rec.name, rec.ident)  # what it holds still counts
            self._report(rec, exc)
        rec.earlier = {(key, page) for key, pages in rec.recorded.pages.items() for page in pages}

    @staticmethod
    def _read_quietly(path: Path, ident: dict[str, Any]) -> Recorded:
        try:
            options, recorded = journal.read(path)
        except (OSError, ValueError, TypeError):
            return Recorded()
        return recorded if options == ident else Recorded()

    def _report(self, rec: _Record, exc: WriteFailed) -> None:
        log.warning("batch of %s cannot be resumed: %s", rec.root, exc)
        if not self._closed:
            try:
                self.failed.emit(rec.root, exc)
            except RuntimeError:  # the window is gone
                pass

    def record(self, job: Job, backend: str, options: RecognizeOptions, result: OcrResult) -> None:
        """``job``'s page was recognised (the worker that did it, before the GUI hears of it): append
        it to its root's record, if it has one made with this backend and these options."""
        with self._lock:
            entry = self._by_job.get(job.id)
            if entry is None or self._closed:
                return
            rec, key = entry
            if rec.broken or rec.finished or rec.journal is None or rec.ident["backend"] != backend \
                    or rec.ident["options"] != dataclasses.asdict(options):
                return
            try:
                rec.journal.page(key, job.page, result)
            except WriteFailed as exc:
                rec.broken = True
                rec.journal.close()
                self._report(rec, exc)

    # GUI thread ------------------------------------------------------------------------------
    def attach(self, job: Job, root: str, options: RecognizeOptions) -> OcrResult | None:
        """``job`` (just queued, found under ``root``) belongs to root's record; its recorded result
        when the record has its page (the job is then done at once, never recognised)."""
        source = job.source
        if self.folder is None or not root or not isinstance(source, str) or sources.is_url(source):
            return None
        if job.document is None and os.path.normcase(os.path.abspath(root)) == os.path.normcase(
                os.path.abspath(source)):
            return None  # an image opened on its own
        rec = self.prepare(root, job.backend, options)
        if rec is None:
            return None
        key = source_key(source)
        with self._lock:
            rec.jobs[job.id] = job
            self._by_job[job.id] = (rec, key)
            data = rec.recorded.pages.get(key, {}).get(job.page) if (key, job.page) in rec.earlier else None
        if data is None:
            return None
        try:
            result = OcrResult.from_dict(data)
        except (KeyError, TypeError, ValueError):  # a damaged line: the page is recognised again
            return None
        rec.resumed += 1
        return result

    def complete(self, root: str) -> None:
        """Every job of ``root`` is queued: say how many came from the record (once), and remove the
        record if everything is done already (or nothing was ever recorded and nothing is queued)."""
        with self._lock:
            records = [r for r in self._records.values() if r.root == root and not r.finished]
        for rec in records:
            rec.complete = True
            if rec.resumed and not rec.announced:
                rec.announced = True
                self.resumed.emit(root, rec.resumed, len(rec.jobs))
            if rec.jobs:
                self._finish_if_done(rec)
            elif not rec.recorded.pages:  # e.g. a long document whose pages are still being picked
                self._finish(rec)

    def settled(self, job: Job) -> None:
        """``job`` is done: its root's record goes once all of the root's pages are."""
        entry = self._by_job.get(job.id)
        if entry is not None:
            self._finish_if_done(entry[0])

    def _finish_if_done(self, rec: _Record) -> None:
        from .workers import DONE

        if rec.complete and not rec.finished and all(j.state == DONE for j in rec.jobs.values()):
            self._finish(rec)

    def _finish(self, rec: _Record) -> None:
        with self._lock:
            rec.finished = True
            if self._records.get(rec.name) is rec:
                del self._records[rec.name]
            for job_id in rec.jobs:
                self._by_job.pop(job_id, None)
            if rec.journal is not None:
                rec.journal.finish()
            elif self.folder is not None:  # never opened for writing: remove what an earlier session left
                with contextlib.suppress(OSError):
                    (self.folder / rec.name).unlink(missing_ok=True)

    def close(self) -> None:
        """The window closes: the records stay as they are (each line is on disk already)."""
        with self._lock:
            self._closed = True
            for rec in self._records.values():
                if rec.journal is not None:
                    rec.journal.close()
