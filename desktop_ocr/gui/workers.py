"""Background work: loading images, building/warming recognisers, and a batch queue with states.

Everything slow runs on a QThreadPool; results come back through queued signals, so the GUI thread
only ever converts a finished QImage to a pixmap and draws polygons. The queue runs one job at a time:
the local engine serialises on a lock anyway (and ONNX Runtime already uses every core per image),
so parallel jobs would only add memory and make progress order erratic.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

import numpy as np
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtGui import QImage, QPixmap

from .. import backends
from ..core import sources
from ..core.errors import OcrError, user_message
from ..core.image import LoadedImage
from ..core.model import OcrResult
from ..core.naming import output_stem
from ..core.recognizer import RecognizeOptions, Recognizer

log = logging.getLogger(__name__)

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


class Task(QRunnable):
    """``fn(*args)`` on a QThreadPool thread (the one runnable wrapper of the window), below the GUI
    thread's priority."""

    def __init__(self, fn: Callable[..., object], *args: object):
        super().__init__()
        self._fn, self._args = fn, args

    def run(self) -> None:
        lower_thread_priority()
        self._fn(*self._args)


def load_source(source: str | bytes, page: int | None = None) -> LoadedImage:
    """core.sources.load_image (files, URLs, bytes, PDF pages; typed errors)."""
    return sources.load_image(source, pdf_page=page or 1)


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
class Job:
    """One image to recognise. ``source`` is a path, a URL or encoded image bytes."""

    id: int
    source: str | bytes
    name: str
    page: int | None = None
    state: JobState = QUEUED
    error: str = ""
    result: OcrResult | None = None
    image: QImage | None = None  # decoded page, kept only while it may be on screen (see BatchQueue)
    data: bytes | None = None  # a downloaded URL's bytes, so showing it again needs no new download
    cancel: threading.Event = field(default_factory=threading.Event)

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
    failed = Signal(str, str)  # backend name, reason

    def __init__(self, pool: QThreadPool, settings_for: Callable[[str], dict] | None = None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self._pool = pool
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
        name = name or self.name
        self._pool.start(Task(self._warm, name))

    def _warm(self, name: str) -> None:
        try:
            t0 = time.perf_counter()
            self.get(name).warm_up()
            log.info("backend %s ready in %.2fs", name, time.perf_counter() - t0)
            self.ready.emit(name)
        except Exception as exc:  # shown in the window, never raised into Qt
            log.exception("backend %s failed to start", name)
            self.failed.emit(name, user_message(exc))


class _JobSignals(QObject):
    started = Signal(int)
    loaded = Signal(int, object)  # job id, QImage
    done = Signal(int, object)  # job id, OcrResult
    failed = Signal(int, str)
    reload_failed = Signal(int, str)


class BatchQueue(QObject):
    """Jobs in order, their state, overall progress and Cancel. Finished results are never dropped."""

    KEEP_IMAGES = 4

    job_changed = Signal(int)  # job id: state or result changed
    job_loaded = Signal(int)  # job id: its image is decoded (show it before the boxes arrive)
    progress = Signal(int, int)  # finished (done + failed + cancelled), total
    reload_failed = Signal(int, str)  # job id, reason: a page could not be decoded again for display
    idle = Signal()  # nothing queued or running

    def __init__(self, host: RecognizerHost, parent: QObject | None = None):
        super().__init__(parent)
        self.host = host
        self.options = RecognizeOptions()
        self.jobs: list[Job] = []
        self._by_id: dict[int, Job] = {}
        self._next_id = 1
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._io_pool = QThreadPool(self)  # re-decoding a page to show it again never waits for the batch
        self._io_pool.setMaxThreadCount(2)
        self.pinned: int | None = None  # the job on screen: its image is never evicted
        self._recent_images: list[int] = []
        self._signals = _JobSignals(self)
        self._signals.started.connect(self._on_started)
        self._signals.loaded.connect(self._on_loaded)
        self._signals.done.connect(self._on_done)
        self._signals.failed.connect(self._on_failed)
        self._signals.reload_failed.connect(self.reload_failed)

    # queue -------------------------------------------------------------------------------
    def add(self, source: str | bytes, name: str | None = None, page: int | None = None) -> Job:
        if name is None:
            name = source if isinstance(source, str) else "image"
        job = Job(id=self._next_id, source=source, name=name, page=page)
        self._next_id += 1
        self.jobs.append(job)
        self._by_id[job.id] = job
        backend = self.host.name  # the backend chosen when the job was queued
        self._pool.start(Task(self._run, job, backend))
        self.job_changed.emit(job.id)
        self._emit_progress()
        return job

    def job(self, job_id: int) -> Job | None:
        return self._by_id.get(job_id)

    def cancel(self) -> int:
        """Cancel every queued job; the running one finishes and keeps its result. Returns how many."""
        n = 0
        for job in self.jobs:
            if job.state == QUEUED:
                job.cancel.set()
                job.state = CANCELLED
                n += 1
                self.job_changed.emit(job.id)
        self._emit_progress()
        if not self.busy():
            self.idle.emit()
        return n

    def busy(self) -> bool:
        return any(j.state in (QUEUED, RUNNING) for j in self.jobs)

    def counts(self) -> tuple[int, int]:
        finished = sum(j.state in FINISHED for j in self.jobs)
        return finished, len(self.jobs)

    def shutdown(self) -> None:
        for job in self.jobs:
            job.cancel.set()
        self._pool.clear()
        self._pool.waitForDone(30000)
        self._io_pool.waitForDone(30000)

    # worker thread -----------------------------------------------------------------------
    def _run(self, job: Job, backend: str) -> None:
        if job.cancel.is_set():
            return
        sig = self._signals
        sig.started.emit(job.id)
        try:
            image = load_source(job.source, job.page)
            if isinstance(job.source, str) and sources.is_url(job.source):
                job.data = image.data
            sig.loaded.emit(job.id, to_qimage(image.pixels))
            if job.cancel.is_set():
                return
            recognizer = self.host.get(backend)
            result = recognizer.recognize(image, self.options)
            sig.done.emit(job.id, result)
        except Exception as exc:  # every failure becomes a visible state, never an unhandled crash
            log.warning("job %s (%s) failed: %s", job.id, job.name, exc, exc_info=not isinstance(exc, OcrError))
            sig.failed.emit(job.id, user_message(exc))
        else:
            # nothing else queued: the local engine gives back the working memory it keeps between
            # recognitions (hundreds of MB with OpenVINO) while the window sits idle
            trim = getattr(recognizer, "trim", None)
            if callable(trim) and not any(j.state == QUEUED for j in self.jobs if j is not job):
                trim()

    # GUI thread --------------------------------------------------------------------------
    def _on_started(self, job_id: int) -> None:
        job = self._by_id.get(job_id)
        if job and job.state == QUEUED:
            job.state = RUNNING
            self.job_changed.emit(job_id)

    def _on_loaded(self, job_id: int, image: QImage) -> None:
        job = self._by_id.get(job_id)
        if job:
            job.image = image
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
        """True if the page is decoded; otherwise start decoding it again (job_loaded follows)."""
        if job.image is not None:
            return True
        self._io_pool.start(Task(self._reload, job))
        return False

    def _reload(self, job: Job) -> None:
        try:
            image = load_source(job.data if job.data is not None else job.source, job.page)
            self._signals.loaded.emit(job.id, to_qimage(image.pixels))
        except Exception as exc:  # the file may have gone since: the list and the banner say so
            self._signals.reload_failed.emit(job.id, user_message(exc))

    def _on_done(self, job_id: int, result: OcrResult) -> None:
        job = self._by_id.get(job_id)
        if job:
            job.result, job.state, job.error = result, DONE, ""
            self._finish(job_id)

    def _on_failed(self, job_id: int, reason: str) -> None:
        job = self._by_id.get(job_id)
        if job:
            job.state, job.error = FAILED, reason
            self._finish(job_id)

    def _finish(self, job_id: int) -> None:
        self.job_changed.emit(job_id)
        self._emit_progress()
        if not self.busy():
            self.idle.emit()

    def _emit_progress(self) -> None:
        self.progress.emit(*self.counts())
