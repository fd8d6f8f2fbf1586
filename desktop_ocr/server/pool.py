"""The engine behind the server: N worker processes, each with one warmed LocalEngine, behind a
bounded queue.

Why processes: recognition is CPU-bound Python + ONNX Runtime, and one LocalEngine serialises its
calls (core.engine); a worker per process runs truly in parallel and a crash takes one worker, not
the server. The 'spawn' start method gives every worker a clean interpreter (no forked locks or
ONNX threads). The server sends the request's encoded bytes, not decoded pixels (a few hundred KB
instead of tens of MB through the pipe), and the worker decodes them with core.sources.decode_bytes.

Admission: at most ``workers`` requests run and at most ``queue`` more wait; a request beyond that
is refused at once (the vendor's rate-limit error), so a burst never piles up memory or latency.
Admission happens on the event loop thread, so the counters need no lock. ``draining`` (set when
shutdown begins) refuses new requests while admitted ones finish.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import signal
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from ..core.errors import EngineUnavailable, UndecodableImage
from ..core.model import OcrResult
from ..core.recognizer import RecognizeOptions, Recognizer

_engine: Recognizer | None = None  # in a worker process: its engine


def _start_worker(threads: int | None = None) -> None:
    """Runs first in every worker: load and warm the engine. Ctrl-C reaches the whole process
    group; the workers leave it to the server, which finishes their work before stopping them."""
    global _engine
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from ..core.engine import LocalEngine

    engine = LocalEngine(threads)
    engine.warm_up()
    _engine = engine


def _ready() -> bool:
    return _engine is not None


def _recognize(data: bytes, options: RecognizeOptions, pdf: bool, pdf_page: int, origin: str) -> OcrResult:
    """In a worker: decode the bytes the client sent (or the server downloaded) and read them."""
    from ..core.sources import decode_bytes, sniff

    if not pdf and sniff(data) == "pdf":
        raise UndecodableImage("the data is a PDF; this API takes images (JPEG, PNG, BMP...)")
    image = decode_bytes(data, "", pdf_page=pdf_page, origin=origin)
    assert _engine is not None, "the initializer builds the engine"
    return _engine.recognize(image, options)


class Busy(Exception):
    """The queue is full."""


class Draining(Exception):
    """The server is shutting down."""


class EnginePool:
    def __init__(self, workers: int = 1, queue: int = 2, threads: int | None = None):
        if workers < 1 or queue < 0 or (threads is not None and threads < 1):
            raise ValueError("workers and threads must be 1 or more and queue 0 or more")
        self.workers = workers
        self.queue = queue
        self.threads = threads  # ONNX Runtime intra-op threads per worker; None: the engine's default
        self.admitted = 0  # requests holding a slot: running or waiting (downloads included)
        self.ready = 0  # workers up with a warmed engine
        self.draining = False
        self.restarts = 0
        self._executor: ProcessPoolExecutor | None = None

    @property
    def waiting(self) -> int:
        return max(0, self.admitted - self.workers)

    @property
    def running(self) -> int:
        return min(self.admitted, self.workers)

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_start_worker, initargs=(self.threads,))

    async def start(self) -> None:
        """Start the workers and wait until each has loaded and warmed its engine."""
        self._executor = self._new_executor()
        loop = asyncio.get_running_loop()
        try:  # one call per worker: a process pool spawns a worker per call while none is idle
            await asyncio.gather(*(loop.run_in_executor(self._executor, _ready) for _ in range(self.workers)))
        except BrokenProcessPool:
            self._executor.shutdown(wait=False, cancel_futures=True)
            raise EngineUnavailable("the engine could not start in its worker process (see the messages "
                                    "above)") from None
        self.ready = self.workers

    @contextlib.contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one of the ``workers + queue`` places for the request; Busy or Draining if none."""
        if self.draining:
            raise Draining
        if self.admitted >= self.workers + self.queue:
            raise Busy
        self.admitted += 1
        try:
            yield
        finally:
            self.admitted -= 1

    async def recognize(self, data: bytes, options: RecognizeOptions, *, pdf: bool = False, pdf_page: int = 1,
                        origin: str = "data") -> OcrResult:
        """Read ``data`` in a worker (OcrErrors come back as they were raised there)."""
        if self._executor is None:
            raise EngineUnavailable("the engine has not been started")
        loop = asyncio.get_running_loop()
        executor = self._executor
        try:
            return await loop.run_in_executor(executor, _recognize, data, options, pdf, pdf_page, origin)
        except BrokenProcessPool:  # a worker died (killed, out of memory): a fresh pool for the next ones
            if executor is self._executor and not self.draining:  # once, by the first to notice
                executor.shutdown(wait=False, cancel_futures=True)
                self._executor = self._new_executor()
                self.restarts += 1
            raise EngineUnavailable("the engine process stopped while reading this image; it has been "
                                    "restarted") from None

    async def stop(self) -> None:
        """Refuse new requests; let the workers finish what they hold, then end them."""
        self.draining = True
        if self._executor is not None:
            await asyncio.to_thread(self._executor.shutdown, True)
            self._executor = None
        self.ready = 0
