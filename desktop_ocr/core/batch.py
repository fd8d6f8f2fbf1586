"""Recognising a list of images with every core busy: the next image is decoded while one is
recognised, and several recognisers may work on different images at once. Results come back in the
order of the list, whatever order they finish in.

    for done in recognize_in_order(sources, load, [engine], options):
        done.index, done.item, done.outcome  # outcome: the OcrResult, or the exception of that item

* ``load(item) -> LoadedImage`` runs on one loader thread, in list order. It decodes at most
  ``lookahead`` images beyond those the recognisers hold (one each), so memory stays bounded
  however long the list is: with one recogniser and ``lookahead=1`` at most two decoded images
  exist at any time, the one being recognised and the next.
* each recogniser runs on its own thread and takes the next decoded image in list order; give
  several only when each is an independent instance (e.g. ``LocalEngine(threads=1)`` each: one
  core per recogniser instead of one recogniser spread over the cores).
* an exception raised by ``load`` or ``recognize`` for one item (``Exception``, not a
  ``BaseException`` such as KeyboardInterrupt) is that item's outcome; the others go on. Anything
  else stops the batch and is raised where the results are consumed.
* results wait to be yielded in order; the loader stays at most ``4 x recognisers + lookahead``
  items ahead of the one the caller is waiting for, so a slow image only delays the yielding of the
  quicker ones after it, within that bound.

Closing the generator (``contextlib.closing``, or an exception such as KeyboardInterrupt raised
while it waits) stops the loader and the recognisers: each finishes the image it holds, is joined,
and nothing further is started. The loader thread is not joined (it may be blocked reading stdin or
a URL); it is a daemon thread and starts nothing after the stop.

This module knows no Qt and no command line: the CLI's ``recognize --out`` uses it, the benchmark
``benchmarks/bench_batch.py`` measures it.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Generic, TypeVar

from .image import LoadedImage
from .model import OcrResult
from .recognizer import RecognizeOptions, Recognizer

T = TypeVar("T")

#: how far (in items) the loader may run ahead of the result the caller waits for, per recogniser
AHEAD_PER_RECOGNIZER = 4


@dataclass(frozen=True)
class BatchItem(Generic[T]):
    """One item of the list and what became of it."""

    index: int  # position in the list, from 0
    item: T  # the item as given
    outcome: OcrResult | Exception  # the result, or the exception load/recognize raised for this item
    load_seconds: float  # time spent decoding it (on the loader thread)
    recognize_seconds: float  # time spent recognising it (0 when loading failed)

    @property
    def seconds(self) -> float:
        """This item's own work: decoding plus recognition (not the wall time between two results)."""
        return self.load_seconds + self.recognize_seconds


class _Pipeline(Generic[T]):
    def __init__(self, items: list[T], load: Callable[[T], LoadedImage], recognizers: list[Recognizer],
                 options: RecognizeOptions | None, lookahead: int) -> None:
        self.items = items
        self.load = load
        self.recognizers = recognizers
        self.options = options
        self.max_images = len(recognizers) + lookahead  # decoded (or being decoded) images alive at once
        self.max_ahead = AHEAD_PER_RECOGNIZER * len(recognizers) + lookahead
        self.cond = threading.Condition()
        self.queue: deque[tuple[int, LoadedImage, float]] = deque()  # decoded, waiting for a recogniser
        self.done: dict[int, BatchItem[T]] = {}
        self.images = 0  # decoded images alive: being decoded, queued or being recognised
        self.next_out = 0  # the index the caller waits for
        self.loader_done = False
        self.stop = False
        self.fatal: BaseException | None = None

    # -- threads ---------------------------------------------------------------------------------
    def _fail(self, exc: BaseException) -> None:
        with self.cond:
            self.fatal = exc
            self.stop = True
            self.cond.notify_all()

    def _may_load(self, index: int) -> bool:
        return self.stop or (self.images < self.max_images and index - self.next_out < self.max_ahead)

    def _ready(self, index: int) -> bool:
        return index in self.done or self.fatal is not None

    def _loader(self) -> None:
        try:
            for i, item in enumerate(self.items):
                with self.cond:
                    self.cond.wait_for(partial(self._may_load, i))
                    if self.stop:
                        return
                    self.images += 1  # the slot of the image about to be decoded
                t0 = time.perf_counter()
                try:
                    image: LoadedImage | Exception = self.load(item)
                except Exception as exc:
                    image = exc
                secs = time.perf_counter() - t0
                with self.cond:
                    if isinstance(image, Exception):  # nothing to recognise: the item is done
                        self.images -= 1
                        self.done[i] = BatchItem(i, item, image, secs, 0.0)
                    else:
                        self.queue.append((i, image, secs))
                    del image
                    self.cond.notify_all()
        except BaseException as exc:
            self._fail(exc)
        finally:
            with self.cond:
                self.loader_done = True
                self.cond.notify_all()

    def _worker(self, recognizer: Recognizer) -> None:
        try:
            while True:
                with self.cond:
                    self.cond.wait_for(lambda: self.stop or bool(self.queue) or self.loader_done)
                    if self.stop or not self.queue:  # stopped, or the loader has finished and the queue is empty
                        return
                    index, image, load_secs = self.queue.popleft()
                t0 = time.perf_counter()
                try:
                    outcome: OcrResult | Exception = recognizer.recognize(image, self.options)
                except Exception as exc:
                    outcome = exc
                secs = time.perf_counter() - t0
                del image  # the pixels go before the slot is given back
                with self.cond:
                    self.images -= 1
                    self.done[index] = BatchItem(index, self.items[index], outcome, load_secs, secs)
                    self.cond.notify_all()
        except BaseException as exc:
            self._fail(exc)

    # -- the caller's side ---------------------------------------------------------------------------
    def results(self) -> Generator[BatchItem[T], None, None]:
        loader = threading.Thread(target=self._loader, name="batch-load", daemon=True)
        workers = [threading.Thread(target=self._worker, args=(r,), name=f"batch-recognize-{n}", daemon=True)
                   for n, r in enumerate(self.recognizers, 1)]
        loader.start()
        for w in workers:
            w.start()
        try:
            for i in range(len(self.items)):
                with self.cond:
                    self.cond.wait_for(partial(self._ready, i))
                    if i not in self.done:
                        assert self.fatal is not None
                        raise self.fatal
                    out = self.done.pop(i)
                    self.next_out = i + 1
                    self.cond.notify_all()
                yield out
        finally:
            with self.cond:
                self.stop = True
                self.cond.notify_all()
            for w in workers:
                w.join()


def recognize_in_order(items: Sequence[T], load: Callable[[T], LoadedImage], recognizers: Sequence[Recognizer],
                       options: RecognizeOptions | None = None, *,
                       lookahead: int = 1) -> Generator[BatchItem[T], None, None]:
    """Load and recognise every item; yield a BatchItem per item, in the order of ``items``.

    ``recognizers``: one or more independent recognisers, each used by one thread (warm them up
    first: the first image of a cold one pays for its model loading). ``lookahead``: images decoded
    beyond those the recognisers hold (0: each image is decoded only when a recogniser is free).
    Close the generator when leaving early (``contextlib.closing``): that stops the threads.
    """
    if not recognizers:
        raise ValueError("recognize_in_order needs at least one recognizer")
    if lookahead < 0:
        raise ValueError(f"lookahead must be 0 or more, got {lookahead}")
    return _Pipeline(list(items), load, list(recognizers), options, lookahead).results()
