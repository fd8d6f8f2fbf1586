"""Background work: loading images, building/warming recognisers, and a batch queue with states.

Everything slow runs on background threads (start_thread); results come back through queued
signals, so the GUI thread only ever converts a finished QImage to a pixmap and draws polygons. That
includes opening what the user drops: folders are walked and PDFs' pages counted on a worker
(discover), and the images found are queued as they arrive.

The queue runs one recognition at a time: the local engine serialises on a lock anyway (and ONNX
Runtime already uses every core per image), so parallel jobs would only add memory and make
progress order erratic. Cancelling the image being recognised does not wait for the engine (it
cannot be interrupted): the job is marked cancelled at once, its run is abandoned and its answer
dropped when it comes; the next image starts as soon as the engine is free. The threads are daemon
threads that nothing waits for: neither the window when it closes nor the process when it exits
(gui.app leaves at once while one still runs, see background_running).
"""

from __future__ import annotations

import functools
import logging
import os
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import numpy as np
from PySide6.QtCore import QBuffer, QIODevice, QObject, QRunnable, Qt, Signal
from PySide6.QtGui import QImage, QPixmap

from .. import backends
from ..core import document, pdf, sources
from ..core.errors import OcrError, user_message
from ..core.image import LoadedImage
from ..core.model import OcrResult
from ..core.naming import output_stem
from ..core.recognizer import RecognizeOptions, Recognizer
from .resume import ResumeStore

log = logging.getLogger(__name__)

TIFF_EXTENSIONS = frozenset({".tif", ".tiff"})


class JobState(str, Enum):
    """Where a job is. (A str, so a state compares equal to its name.)"""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


QUEUED, RUNNING, DONE, FAILED, CANCELLED = (JobState.QUEUED, JobState.RUNNING, JobState.DONE,
                                            JobState.FAILED, JobState.CANCELLED)
FINISHED = frozenset({DONE, FAILED, CANCELLED})
ACTIVE = frozenset({QUEUED, RUNNING})


BACKGROUND_NICE = 10  # how much lower than the GUI thread background work runs (Linux nice levels)


def lower_thread_priority(nice: int = BACKGROUND_NICE) -> None:
    """Run the calling thread (and the threads it starts later, which inherit it: ONNX Runtime's
    pool is created by the thread that loads the models) below the GUI thread, so that on a busy
    machine the window is served first. Linux only (per-thread nice); elsewhere nothing happens."""
    if not sys.platform.startswith("linux"):
        return
    tid = threading.get_native_id()
    try:
        if os.getpriority(os.PRIO_PROCESS, tid) < nice:
            os.setpriority(os.PRIO_PROCESS, tid, nice)
    except OSError:  # not allowed here (a sandbox): the work still runs, at normal priority
        pass


_threads_lock = threading.Lock()
_threads: set[threading.Thread] = set()


def start_thread(fn: Callable[..., object], *args: object, name: str = "desktop_ocr-worker") -> threading.Thread:
    """``fn(*args)`` on a new daemon thread below the GUI thread's priority, for work the window may
    abandon (a recognition, loading models, decoding a page, walking a folder): nobody waits for it,
    neither the window when it closes nor the process when it exits."""

    def body() -> None:
        try:
            lower_thread_priority()
            fn(*args)
        except Exception:  # a fault of ours: logged, never a traceback on stderr
            log.exception("background task %s failed", name)
        finally:
            with _threads_lock:
                _threads.discard(threading.current_thread())

    thread = threading.Thread(target=body, name=name, daemon=True)
    with _threads_lock:
        _threads.add(thread)
    try:
        thread.start()
    except BaseException:
        with _threads_lock:
            _threads.discard(thread)
        raise
    return thread


def background_running() -> bool:
    """True while a thread from start_thread still runs (e.g. a recognition the user abandoned)."""
    with _threads_lock:
        return any(t.is_alive() for t in _threads)


def _quietly(emit: Callable[[], object]) -> None:
    """Emit a signal from a worker whose QObject may be gone (its window closed meanwhile)."""
    try:
        emit()
    except RuntimeError:  # "Internal C++ object already deleted": nobody is listening any more
        pass


class Task(QRunnable):
    """``fn(*args)`` on a QThreadPool thread (the one runnable wrapper of the window), below the GUI
    thread's priority."""

    def __init__(self, fn: Callable[..., object], *args: object):
        super().__init__()
        self._fn, self._args = fn, args

    def run(self) -> None:
        lower_thread_priority()
        self._fn(*self._args)


def load_source(source: str | bytes | QImage, page: int | None = None) -> LoadedImage:
    """core.sources.load_image (files, URLs, bytes, PDF pages; typed errors); a pasted QImage is
    encoded as PNG first (call from a worker: a big image takes a while)."""
    if isinstance(source, QImage):
        source = qimage_png(source)
    return sources.load_image(source, pdf_page=page or 1)


def qimage_png(image: QImage) -> bytes:
    """A QImage as PNG bytes (QImage is reentrant: fine on a worker thread)."""
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")  # type: ignore[call-overload]  # PySide6 stub says bytes; only a str works
    return bytes(buf.data().data())


def to_qimage(pixels: np.ndarray) -> QImage:
    """RGB uint8 HxWx3 -> an independent QImage in the screen's own pixel format (RGB32), built here
    off the GUI thread so that turning it into a QPixmap there costs a copy, not a conversion."""
    arr = np.ascontiguousarray(pixels)
    h, w = arr.shape[:2]
    return QImage(arr.data, w, h, arr.strides[0], QImage.Format.Format_RGB888).convertToFormat(
        QImage.Format.Format_RGB32)


def to_pixmap(image: QImage) -> QPixmap:
    """A QPixmap of an image from to_qimage (GUI thread): no format conversion."""
    return QPixmap.fromImage(image, Qt.ImageConversionFlag.NoFormatConversion)


@dataclass(eq=False)
class Document:
    """A multi-page source (a PDF or a multi-page TIFF) queued as one job per page: ``count`` pages
    in all, ``job_ids`` the pages queued (every page, or those the user picked), in page order.
    A queued page holds no decoded image (Job.image is kept only while it may be on screen), so a
    long document costs a list entry per page, not its pixels."""

    id: int
    source: str
    count: int
    kind: str = "pdf"  # "pdf" or "tiff"
    job_ids: list[int] = field(default_factory=list, repr=False)


@dataclass(eq=False)
class Job:
    """One image to recognise. ``source`` is a path, a URL, encoded image bytes or a pasted QImage
    (encoded as PNG by the worker that first loads it); a page of a document has ``page`` and
    ``document``."""

    id: int
    source: str | bytes | QImage
    name: str
    page: int | None = None
    state: JobState = QUEUED
    error: str = ""
    exception: BaseException | None = None  # the failure itself: gui.error_text words it (error: English)
    result: OcrResult | None = None
    image: QImage | None = None  # decoded page, kept only while it may be on screen (see BatchQueue)
    data: bytes | None = None  # a downloaded URL's bytes, so showing it again needs no new download
    decoded: bool = False  # its page was decoded once (so it can be shown again)
    backend: str = ""  # the recogniser chosen when it was queued (or retried)
    attempt: int = 0  # one more per run: an answer from an abandoned run is recognised and dropped
    cancel: threading.Event = field(default_factory=threading.Event)  # the current run's
    document: Document | None = field(default=None, repr=False)  # the PDF or TIFF this page belongs to

    @property
    def stem(self) -> str:
        """The export file name's stem (core.naming, as the command line names its outputs)."""
        return output_stem(self.name, self.page)


class RecognizerHost(QObject):
    """Builds recognisers by backend name (backends.create) and warms them up in the background.

    ``settings_for(name)`` supplies a cloud backend's endpoint and credentials (the window passes
    its CloudSettings.settings_for).
    """

    ready = Signal(str)  # backend name
    failed = Signal(str, object)  # backend name, the exception (gui.error_text words it)

    def __init__(self, settings_for: Callable[[str], dict] | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._lock = threading.Lock()
        self._cache: dict[str, Recognizer] = {}
        self.settings_for: Callable[[str], dict] = settings_for or (lambda name: {})
        self.name = backends.LOCAL

    def get(self, name: str | None = None) -> Recognizer:
        """The recogniser for ``name`` (built on first use; call from a worker, building can be slow)."""
        name = name or self.name
        with self._lock:
            rec = self._cache.get(name)
            if rec is None:
                rec = backends.create(name, **self.settings_for(name))
                self._cache[name] = rec
            return rec

    def adopt(self, name: str, recognizer: Recognizer) -> None:
        """Use an already built recogniser for ``name`` (e.g. one warmed up elsewhere)."""
        with self._lock:
            self._cache[name] = recognizer

    def forget(self, name: str) -> None:
        """Drop a cached recogniser (e.g. after its credentials changed)."""
        with self._lock:
            self._cache.pop(name, None)

    def warm_up(self, name: str | None = None) -> None:
        """Build and warm up ``name`` on a worker (loading models takes seconds: quitting meanwhile
        does not wait for it)."""
        start_thread(self._warm, name or self.name, name="desktop_ocr-warm-up")

    def _warm(self, name: str) -> None:
        try:
            t0 = time.perf_counter()
            self.get(name).warm_up()
            log.info("backend %s ready in %.2fs", name, time.perf_counter() - t0)
            _quietly(lambda: self.ready.emit(name))
        except Exception as exc:  # shown in the window, never raised into Qt
            log.exception("backend %s failed to start", name)
            _quietly(functools.partial(self._report_failure, name, exc))

    def _report_failure(self, name: str, exc: BaseException) -> None:
        self.failed.emit(name, exc)


@dataclass(frozen=True)
class Found:
    """One thing an open request found (discover), in order.

    ``kind``: "file" (an image, a URL or other data to queue: ``source``), "pdf" (a PDF file of
    ``pages`` pages, or ``error`` when it cannot be read), "tiff" (a TIFF of ``pages`` > 1 pages:
    a document like a PDF), "error" (an entry that cannot be opened:
    ``error``), "opened" (``source`` is what the user opened and exists: remember it; ``in_folder``
    when it is a folder). ``in_folder``: found by walking a folder. ``root``: the local file or
    folder opened that it was found in (the unit a batch is resumed by, gui.resume); "" for a URL.
    """

    kind: str
    source: str = ""
    pages: int = 0
    in_folder: bool = False
    error: OcrError | None = None
    root: str = ""


def discover(items: list[str], stop: threading.Event | None = None) -> Iterator[Found]:
    """What ``items`` (dropped or opened: files, folders, PDFs, URLs, ``file:`` URIs) hold, as the
    command line expands them (core.sources.expand_sources): folders walked, each PDF's pages
    counted (a damaged one reported once, here). Slow on big folders and PDFs: call from a worker.
    Stops early when ``stop`` is set."""
    for raw in items:
        if stop is not None and stop.is_set():
            return
        item = sources.local_path(str(raw).strip())
        if not item:
            continue
        if sources.is_url(item):
            yield Found("file", item)  # the loader judges the scheme and the answer
            yield Found("opened", item)
            continue
        try:
            is_dir = os.path.isdir(item)
        except ValueError:  # a NUL byte: not a path (expand_sources says so)
            is_dir = False
        for entry in sources.expand_sources([item]):
            if stop is not None and stop.is_set():
                return
            if isinstance(entry, OcrError):
                yield Found("error", error=entry)
            elif os.path.splitext(entry)[1].lower() in sources.PDF_EXTENSIONS and os.path.isfile(entry):
                try:
                    pages = pdf.page_count(entry, entry, max_bytes=sources.MAX_FILE_BYTES)
                except OcrError as exc:
                    yield Found("pdf", entry, in_folder=is_dir, error=exc, root=item)
                except OSError:  # cannot be opened: the loader says why, in the list
                    yield Found("pdf", entry, pages=1, in_folder=is_dir, root=item)
                else:
                    yield Found("pdf", entry, pages=pages, in_folder=is_dir, root=item)
            elif os.path.splitext(entry)[1].lower() in TIFF_EXTENSIONS and os.path.isfile(entry):
                # a multi-page TIFF is a document too (its frames counted, never decoded, here)
                pages = document.count_pages(entry, max_bytes=sources.MAX_FILE_BYTES)
                yield Found("tiff", entry, pages=pages, in_folder=is_dir, root=item) if pages > 1 \
                    else Found("file", entry, in_folder=is_dir, root=item)
            else:
                yield Found("file", entry, in_folder=is_dir, root=item)
        try:
            exists = os.path.exists(item)
        except ValueError:
            exists = False
        if exists:
            yield Found("opened", item, in_folder=is_dir, root=item)


class _JobSignals(QObject):
    """Worker -> GUI thread. It has no parent: a worker the window abandoned may still emit after
    the window is gone (nobody receives it then)."""

    loaded = Signal(int, int, object)  # job id, attempt, QImage
    done = Signal(int, int, object)  # job id, attempt, OcrResult
    failed = Signal(int, int, object)  # job id, attempt, the exception
    reload_failed = Signal(int, object)  # job id, the exception
    found = Signal(int, object)  # open request id, list[Found]
    walked = Signal(int)  # open request id: nothing more will be found


class BatchQueue(QObject):
    """Jobs in order, their state, progress of the current batch, Cancel / Retry / Remove / Clear,
    and opening what the user drops (open: walked on a worker). Finished results are kept until the
    user removes them."""

    KEEP_IMAGES = 4
    FOUND_CHUNK = 64  # found entries handed to the GUI thread at a time (a huge folder: many turns)
    RELOADS = 2  # pages decoded again for display at once

    job_changed = Signal(int)  # job id: state or result changed
    job_loaded = Signal(int)  # job id: its image is decoded (show it before the boxes arrive)
    jobs_removed = Signal(object)  # list of job ids no longer in the queue
    progress = Signal(int, int)  # finished (done + failed + cancelled), total: of the current batch
    reload_failed = Signal(int, object)  # job id, exception: a page could not be decoded again for display
    found = Signal(int, object)  # open request id, list[Found]: what a walk found (GUI thread)
    walked = Signal(int)  # open request id: its walk ended (or was cancelled)
    idle = Signal()  # nothing queued, running or being opened

    def __init__(self, host: RecognizerHost, parent: QObject | None = None):
        super().__init__(parent)
        self.host = host
        self.options = RecognizeOptions(codes=True)  # QR codes and barcodes too, as every capture tool
        self.jobs: list[Job] = []
        self._by_id: dict[int, Job] = {}
        self._next_id = 1
        self._next_doc = 1
        self._waiting: deque[Job] = deque()  # queued jobs in the order they run (stale entries skipped)
        self._running: Job | None = None  # the job whose run the queue waits for
        self._states: Counter[JobState] = Counter()  # jobs per state (no pass over every job per change)
        self._batch: dict[int, None] = {}  # the current batch's job ids, in order
        self._batch_finished = 0
        self._walks: dict[int, threading.Event] = {}  # open requests being walked: their stop flags
        self._next_walk = 1
        self._closed = False
        self._gate = threading.Condition()  # one recognition at a time, abandoned ones included
        self._in_engine = 0
        self._reload_slots = threading.Semaphore(self.RELOADS)
        self._reloading: set[int] = set()
        self.pinned: int | None = None  # the job on screen: its image is never evicted
        self._recent_images: list[int] = []
        #: the records of finished pages of opened folders and documents (off until the window
        #: sets its folder): a page recorded by an earlier session is done at once (gui.resume)
        self.resume = ResumeStore(self)
        self._signals = _JobSignals()
        self._signals.loaded.connect(self._on_loaded)
        self._signals.done.connect(self._on_done)
        self._signals.failed.connect(self._on_failed)
        self._signals.reload_failed.connect(self._on_reload_failed)
        self._signals.found.connect(self._on_found)
        self._signals.walked.connect(self._on_walked)

    # queue -------------------------------------------------------------------------------
    def add(self, source: str | bytes | QImage, name: str | None = None, page: int | None = None,
            error: BaseException | None = None, document: Document | None = None, root: str = "") -> Job:
        """Queue one image. With ``error`` it is listed as failed at once (e.g. a damaged PDF found
        while opening a folder): it shows its reason and can be retried. ``root``: the folder or
        document opened that it was found in (Found.root): a page its record holds from an earlier
        session is done at once with the recorded result, never recognised (gui.resume)."""
        if name is None:
            name = source if isinstance(source, str) else "image"
        self._new_batch_if_idle()
        job = Job(id=self._next_id, source=source, name=name, page=page, backend=self.host.name, document=document)
        self._next_id += 1
        self.jobs.append(job)
        self._by_id[job.id] = job
        self._states[job.state] += 1
        self._batch[job.id] = None
        recorded = self.resume.attach(job, root, self.options) if root else None
        if error is not None:
            self._fail(job, error)
            self._finish(job)
            return job
        if recorded is not None:
            job.result = recorded
            self._set_state(job, DONE)
            self._finish(job)
            return job
        self._waiting.append(job)
        self.job_changed.emit(job.id)
        self._emit_progress()
        self._dispatch()
        return job

    def add_document(self, source: str, count: int, kind: str = "pdf", pages: list[int] | None = None,
                     root: str = "") -> list[Job]:
        """Queue the pages of a document (``pages``, default every page), in order: one job each,
        recognised in that order in the background. ``root`` as for add (the document itself
        when it was opened on its own)."""
        doc = Document(id=self._next_doc, source=source, count=count, kind=kind)
        self._next_doc += 1
        jobs = []
        for page in pages or range(1, count + 1):
            job = self.add(source, source, page=page, document=doc, root=root)
            doc.job_ids.append(job.id)
            jobs.append(job)
        if root and root == source:  # a document opened on its own: all of it is queued
            self.resume.complete(root)
        return jobs

    def document_jobs(self, doc: Document) -> list[Job]:
        """The pages of ``doc`` still in the list, in page order."""
        return [job for job in map(self._by_id.get, doc.job_ids) if job is not None]

    def job(self, job_id: int) -> Job | None:
        return self._by_id.get(job_id)

    def open(self, items: list[str]) -> int:
        """Open ``items`` (files, folders, PDFs, URLs) on a worker (discover); what it finds arrives,
        in order and in chunks, through ``found``; ``walked`` follows. Returns the request's id."""
        self._new_batch_if_idle()
        walk = self._next_walk
        self._next_walk += 1
        stop = threading.Event()
        self._walks[walk] = stop
        start_thread(self._walk, walk, list(items), stop, self.host.name, self.options, name="desktop_ocr-open")
        self._emit_progress()
        return walk

    def walking(self) -> bool:
        """An open request is still being walked."""
        return bool(self._walks)

    def cancel(self) -> int:
        """Cancel every queued job, the one being recognised (its answer is dropped) and the walks
        still finding files. Returns how many jobs were cancelled."""
        for stop in self._walks.values():
            stop.set()
        n = self.cancel_jobs([j for j in self.jobs if j.state in ACTIVE])
        if not self.busy():
            self.idle.emit()
        return n

    def cancel_jobs(self, jobs: list[Job]) -> int:
        """Cancel these jobs if queued or running, at once: a running one's engine call is abandoned
        (it finishes in the background; nothing waits for it)."""
        cancelled = [j for j in jobs if j.state in ACTIVE]
        for job in cancelled:
            self._cancel_run(job)
            self._set_state(job, CANCELLED)
            self.job_changed.emit(job.id)
        if cancelled:
            self._emit_progress()
            self._dispatch()
            if not self.busy():
                self.idle.emit()
        return len(cancelled)

    def retry(self, jobs: list[Job]) -> int:
        """Queue failed or cancelled jobs again (a new run, on the recogniser chosen now)."""
        again = [j for j in jobs if j.state in (FAILED, CANCELLED) and j.id in self._by_id]
        for job in again:
            self._new_batch_if_idle()
            if job.id not in self._batch:
                self._batch[job.id] = None
                self._batch_finished += 1  # it counts as finished until its state changes below
            job.error, job.exception, job.result, job.backend = "", None, None, self.host.name
            self._set_state(job, QUEUED)
            self._waiting.append(job)
            self.job_changed.emit(job.id)
        if again:
            self._emit_progress()
            self._dispatch()
        return len(again)

    def remove(self, jobs: list[Job]) -> int:
        """Take jobs out of the queue and the list (a queued or running one is cancelled first)."""
        gone = {j.id for j in jobs if j.id in self._by_id}
        if not gone:
            return 0
        for job_id in gone:
            job = self._by_id.pop(job_id)
            if job.state in ACTIVE:
                self._cancel_run(job)
                self._set_state(job, CANCELLED)
            self._states[job.state] -= 1
            if job_id in self._batch:
                del self._batch[job_id]
                self._batch_finished -= job.state in FINISHED
            job.image = None
            if self.pinned == job_id:
                self.pinned = None
        self.jobs = [j for j in self.jobs if j.id not in gone]
        self._recent_images = [i for i in self._recent_images if i not in gone]
        self.jobs_removed.emit(sorted(gone))
        self._emit_progress()
        self._dispatch()
        if not self.busy():
            self.idle.emit()
        return len(gone)

    def clear(self, finished_only: bool = True) -> int:
        """Remove the finished jobs (done, failed, cancelled), or every job and stop the walks."""
        if not finished_only:
            for stop in self._walks.values():
                stop.set()
        return self.remove([j for j in self.jobs if not finished_only or j.state in FINISHED])

    def busy(self) -> bool:
        """Something is queued, being recognised or being opened."""
        return self._active() > 0 or bool(self._walks)

    def count(self, state: JobState) -> int:
        """How many jobs are in ``state``."""
        return self._states[state]

    def _active(self) -> int:
        return self._states[QUEUED] + self._states[RUNNING]

    def counts(self) -> tuple[int, int]:
        """(finished, total) of the current batch: the jobs queued since the queue was last idle."""
        return self._batch_finished, len(self._batch)

    def shutdown(self) -> None:
        """The window closes: stop everything at once. Nothing is waited for (a recognition under
        way is abandoned; its thread ends in the background or with the process)."""
        self._closed = True
        for stop in self._walks.values():
            stop.set()
        for job in self.jobs:
            if job.state in ACTIVE:
                self._cancel_run(job)
                self._set_state(job, CANCELLED)
        self._waiting.clear()
        self.resume.close()  # what is recorded stays: the next window resumes from it

    # state (GUI thread) --------------------------------------------------------------------
    def _set_state(self, job: Job, state: JobState) -> None:
        self._states[job.state] -= 1
        self._states[state] += 1
        if job.id in self._batch:
            self._batch_finished += (state in FINISHED) - (job.state in FINISHED)
        job.state = state

    def _fail(self, job: Job, exc: BaseException) -> None:
        job.exception, job.error = exc, user_message(exc)
        self._set_state(job, FAILED)

    def _new_batch_if_idle(self) -> None:
        if not self.busy():
            self._batch, self._batch_finished = {}, 0

    def _cancel_run(self, job: Job) -> None:
        job.cancel.set()
        if self._running is job:
            self._running = None
        with self._gate:
            self._gate.notify_all()  # a run waiting for the engine gives up at once

    def _dispatch(self) -> None:
        """Start the next queued job unless one runs (an abandoned run does not count: the new one
        waits for the engine in its own thread, not here)."""
        if self._closed or self._running is not None:
            return
        while self._waiting:
            job = self._waiting.popleft()
            if job.state == QUEUED and job.id in self._by_id:
                break
        else:
            return
        job.attempt += 1
        job.cancel = threading.Event()
        self._set_state(job, RUNNING)
        self._running = job
        self.job_changed.emit(job.id)
        start_thread(self._run, job, job.attempt, job.cancel, job.backend or self.host.name,
                     name=f"desktop_ocr-job-{job.id}")

    # worker threads ------------------------------------------------------------------------
    def _emit(self, signal_name: str, *args: object) -> None:
        if not self._closed:
            getattr(self._signals, signal_name).emit(*args)

    def _run(self, job: Job, attempt: int, cancel: threading.Event, backend: str) -> None:
        recognizer: Recognizer | None = None
        if cancel.is_set() and (self._closed or job.id not in self._by_id):
            return  # cleared or the window closed before it began: not even its page is wanted
        try:
            source = job.data if job.data is not None else job.source
            if isinstance(source, QImage):  # a pasted image: encoded here, not on the GUI thread
                source = job.source = qimage_png(source)
            image = load_source(source, job.page)
            if isinstance(job.source, str) and sources.is_url(job.source):
                job.data = image.data
            # shown even when cancelled meanwhile: a cancelled image shows its page
            self._emit("loaded", job.id, attempt, to_qimage(image.pixels))
            with self._gate:  # an abandoned run still in the engine finishes first
                while self._in_engine and not cancel.is_set():
                    self._gate.wait(0.5)
                if cancel.is_set():
                    return
                self._in_engine += 1
            options = self.options
            try:
                recognizer = self.host.get(backend)
                result = recognizer.recognize(image, options)
            finally:
                with self._gate:
                    self._in_engine -= 1
                    self._gate.notify_all()
            if cancel.is_set():
                log.info("job %s (%s): cancelled while recognising; its result is dropped", job.id, job.name)
            else:
                self.resume.record(job, backend, options, result)  # on disk before anyone hears of it
                self._emit("done", job.id, attempt, result)
        except Exception as exc:  # every failure becomes a visible state, never an unhandled crash
            if cancel.is_set():
                return
            log.warning("job %s (%s) failed: %s", job.id, job.name, exc, exc_info=not isinstance(exc, OcrError))
            self._emit("failed", job.id, attempt, exc)
        finally:
            # nothing else to do: the local engine gives back the working memory it keeps between
            # recognitions (hundreds of MB with OpenVINO) while the window sits idle
            trim = getattr(recognizer, "trim", None)
            others = self._active() - (job.state == RUNNING and not cancel.is_set())
            if callable(trim) and others <= 0 and not self._in_engine:
                trim()

    def _walk(self, walk: int, items: list[str], stop: threading.Event, backend: str,
              options: RecognizeOptions) -> None:
        chunk: list[Found] = []
        sent, last = False, time.monotonic()
        try:
            for item in items:  # the records of folders and documents read here, not on the GUI thread
                if stop.is_set():
                    break
                self.resume.prepare(sources.local_path(str(item).strip()), backend, options)
            for found in discover(items, stop):
                chunk.append(found)
                # the first find at once, then in chunks: a huge folder never floods the GUI thread
                if not sent or len(chunk) >= self.FOUND_CHUNK or time.monotonic() - last > 0.1:
                    self._emit("found", walk, chunk)
                    chunk, sent, last = [], True, time.monotonic()
            if chunk:
                self._emit("found", walk, chunk)
        finally:
            self._emit("walked", walk)

    def _reload(self, job: Job, attempt: int) -> None:
        try:
            with self._reload_slots:
                if self._closed or job.id != self.pinned or job.image is not None:
                    return  # the user has moved on, or it is decoded already
                source = job.data if job.data is not None else job.source
                image = load_source(source, job.page)
                if isinstance(job.source, str) and sources.is_url(job.source):
                    job.data = image.data
                self._emit("loaded", job.id, attempt, to_qimage(image.pixels))
        except Exception as exc:  # the file may have gone since: the list and the banner say so
            self._emit("reload_failed", job.id, exc)
        finally:
            self._reloading.discard(job.id)

    # GUI thread --------------------------------------------------------------------------
    def _on_loaded(self, job_id: int, attempt: int, image: QImage) -> None:
        job = self._by_id.get(job_id)
        if job is not None and job.attempt == attempt:
            job.image, job.decoded = image, True
            self._keep_image(job_id)
            self.job_loaded.emit(job_id)

    def _keep_image(self, job_id: int) -> None:
        """Decoded pages are big (a 4000x3000 scan is 36 MB): keep the one on screen and the last
        few loaded; the rest are decoded again from their source when the user picks them."""
        if job_id in self._recent_images:
            self._recent_images.remove(job_id)
        self._recent_images.append(job_id)
        while len(self._recent_images) > self.KEEP_IMAGES:
            old = self._recent_images.pop(0)
            job = self._by_id.get(old)
            if job is not None and old != self.pinned:
                job.image = None

    def ensure_image(self, job: Job) -> bool:
        """True if the page is decoded; otherwise start decoding it again (job_loaded follows, or
        reload_failed) unless that is under way already."""
        if job.image is not None:
            return True
        if job.id not in self._reloading:
            self._reloading.add(job.id)
            start_thread(self._reload, job, job.attempt, name=f"desktop_ocr-show-{job.id}")
        return False

    def _on_reload_failed(self, job_id: int, exc: BaseException) -> None:
        if job_id in self._by_id:
            self.reload_failed.emit(job_id, exc)

    def _current_run(self, job_id: int, attempt: int) -> Job | None:
        """The job of an answer, if the answer is still wanted (not cancelled, removed or retried)."""
        job = self._by_id.get(job_id)
        if job is None or job.attempt != attempt or job.state != RUNNING:
            return None
        return job

    def _on_done(self, job_id: int, attempt: int, result: OcrResult) -> None:
        job = self._current_run(job_id, attempt)
        if job is not None:
            job.result, job.error, job.exception = result, "", None
            self._set_state(job, DONE)
            self._finish(job)

    def _on_failed(self, job_id: int, attempt: int, exc: BaseException) -> None:
        job = self._current_run(job_id, attempt)
        if job is not None:
            self._fail(job, exc)
            self._finish(job)

    def _finish(self, job: Job) -> None:
        if self._running is job:
            self._running = None
        if job.state == DONE:
            self.resume.settled(job)
        self.job_changed.emit(job.id)
        self._emit_progress()
        self._dispatch()
        if not self.busy():
            self.idle.emit()

    def _on_found(self, walk: int, found: list[Found]) -> None:
        stop = self._walks.get(walk)
        if stop is not None and not stop.is_set():  # a cancelled walk's last finds are dropped
            self.found.emit(walk, found)
            for f in found:
                if f.kind == "opened":  # everything found in it is queued now
                    self.resume.complete(f.root)

    def _on_walked(self, walk: int) -> None:
        self._walks.pop(walk, None)
        self.walked.emit(walk)
        self._emit_progress()
        if not self.busy():
            self.idle.emit()

    def _emit_progress(self) -> None:
        self.progress.emit(*self.counts())


class Background(QObject):
    """Runs a function on a worker thread (start_thread) and hands its value, or the exception it
    raised, to a callback on the GUI thread. Callbacks of a window that has closed are not called."""

    _done = Signal(int, object)
    _failed = Signal(int, object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._next = 1
        self._callbacks: dict[int, tuple[Callable[[Any], object], Callable[[BaseException], object]]] = {}
        self._done.connect(self._on_done)
        self._failed.connect(self._on_failed)

    def run(self, fn: Callable[[], object], on_done: Callable[[Any], object],
            on_failed: Callable[[BaseException], object], name: str = "desktop_ocr-background") -> None:
        request = self._next
        self._next += 1
        self._callbacks[request] = (on_done, on_failed)
        start_thread(self._work, request, fn, name=name)

    def _work(self, request: int, fn: Callable[[], object]) -> None:
        try:
            value = fn()
        except Exception as exc:  # handed to on_failed, never raised into Qt
            _quietly(functools.partial(self._hand_over, False, request, exc))
        else:
            _quietly(functools.partial(self._hand_over, True, request, value))

    def _hand_over(self, ok: bool, request: int, value: object) -> None:  # on the worker
        (self._done if ok else self._failed).emit(request, value)

    def _on_done(self, request: int, value: object) -> None:
        callbacks = self._callbacks.pop(request, None)
        if callbacks is not None:
            callbacks[0](value)

    def _on_failed(self, request: int, exc: BaseException) -> None:
        callbacks = self._callbacks.pop(request, None)
        if callbacks is not None:
            callbacks[1](exc)
