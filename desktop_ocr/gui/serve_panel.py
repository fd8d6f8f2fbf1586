"""Serve API: the window runs ``desktop-ocr serve`` in-process (server.run.start_in_thread) on
127.0.0.1, so code written against a vendor's OCR API can use this computer while the window is open.

ServePanel is the status-bar widget (port, state, requests answered, the last error answer) and
does the starting and stopping; MainWindow owns it and its checkable action. Starting (binding the
port) and stopping (letting requests in flight finish) run on the panel's own one-thread pool and
report back by queued signals, so the GUI thread never waits on the server; while it runs, a timer
reads ServerHandle.stats() (a few attribute reads). The server's engine workers are processes of
their own: the window's engine is not shared.
"""

from __future__ import annotations

import errno
import logging
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QWidget

from ..core.errors import user_message
from ..server.config import DEFAULT_HOST, ServerConfig
from .settings import Settings
from .workers import Task

if TYPE_CHECKING:
    from ..server.run import ServerHandle

log = logging.getLogger(__name__)

POLL_MS = 400
STOP_TIMEOUT = 8.0  # seconds for requests in flight when turned off
QUIT_TIMEOUT = 4.0  # ... when the window closes
ERROR_CHARS = 40  # of the last error's message in the status bar (all of it in the tooltip)


class _Signals(QObject):
    """Worker -> GUI thread (queued: emitted on a pool thread, received by the panel's thread)."""

    started = Signal(object)  # ServerHandle
    start_failed = Signal(str, str, int)  # kind ("in_use", "missing", "other"), detail, port
    stopped = Signal()


class ServePanel(QWidget):
    changed = Signal()  # on / busy changed: the window re-syncs its action
    failed = Signal(str, str)  # a translated sentence for the window's message bar, the English details

    def __init__(self, settings: Settings, parent: QWidget | None = None, workers: int = 1):
        super().__init__(parent)
        self.settings = settings
        self.workers = workers
        self.state = "stopped"  # stopped, starting, serving, stopping, error (server.run.STATES)
        self.requests = 0
        self.last_error = ""  # "CODE: message" of the last error answer
        self.error = ""  # why the server is in state "error"
        self.wanted = False  # the toggle: the user wants it on
        self.handle: ServerHandle | None = None
        self._live: list[ServerHandle] = []  # every handle a worker started and no worker stopped yet
        self._lock = threading.Lock()
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # start and stop in the order asked
        self._signals = _Signals(self)
        self._signals.started.connect(self._on_started)
        self._signals.start_failed.connect(self._on_start_failed)
        self._signals.stopped.connect(self._on_stopped)
        self._pending = 0  # tasks on the pool not yet reported back
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

        self.port_label = QLabel(self)
        self.port_spin = QSpinBox(self)
        self.port_spin.setRange(1, 65535)
        self.port_spin.setValue(settings.serve_port())
        self.port_spin.valueChanged.connect(settings.set_serve_port)
        self.state_label = QLabel(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.port_label)
        layout.addWidget(self.port_spin)
        layout.addWidget(self.state_label)
        self.retranslate()

    # the toggle --------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """Stopping: the toggle waits until it is done."""
        return self.state == "stopping"

    def set_serving(self, on: bool) -> None:
        if on:
            self.start()
        else:
            self.stop()

    def start(self) -> None:
        if self.wanted or self.busy:
            return
        self.wanted = True
        self.error = ""
        port = self.port_spin.value()
        self.settings.set_serve_port(port)
        self._set_state("starting")
        self._run(self._start_in_worker, ServerConfig(host=DEFAULT_HOST, port=port, workers=self.workers))

    def stop(self) -> None:
        """Turn off; a start still binding is stopped as soon as it reports back."""
        if not self.wanted:
            return
        self.wanted = False
        self._timer.stop()
        handle, self.handle = self.handle, None
        if handle is not None:
            self._set_state("stopping")
            self._run(self._stop_in_worker, handle)
        elif not self._pending:
            self._set_state("stopped")
        else:
            self._set_state("stopping")  # _on_started stops it

    def shutdown(self, timeout: float = QUIT_TIMEOUT) -> None:
        """The window closes: stop whatever runs or is starting, waiting at most about ``timeout`` s
        (requests in flight finish within it)."""
        self.wanted = False
        self._timer.stop()
        self.handle = None
        self._pool.waitForDone(int(timeout * 1000))  # a start or stop under way finishes first
        with self._lock:
            live = list(self._live)
        for handle in live:
            self._stop_in_worker(handle, timeout)

    # workers ----------------------------------------------------------------------------------
    def _run(self, fn, *args) -> None:
        self._pending += 1
        self._pool.start(Task(fn, *args))

    def _start_in_worker(self, config: ServerConfig) -> None:
        try:
            from ..server.run import start_in_thread
        except ModuleNotFoundError as exc:
            if (exc.name or "").split(".")[0] not in ("starlette", "uvicorn"):
                raise
            from ..server import SERVE_EXTRA_HINT

            self._signals.start_failed.emit("missing", SERVE_EXTRA_HINT, config.port)
            return
        try:
            handle = start_in_thread(config)
        except OSError as exc:
            kind = "in_use" if exc.errno == errno.EADDRINUSE else "other"
            self._signals.start_failed.emit(kind, exc.strerror or str(exc), config.port)
            return
        except Exception as exc:  # noqa: BLE001 - every failure is a message, never a crash
            log.exception("Serve API could not start")
            self._signals.start_failed.emit("other", user_message(exc), config.port)
            return
        with self._lock:
            self._live.append(handle)
        self._signals.started.emit(handle)

    def _stop_in_worker(self, handle: ServerHandle, timeout: float = STOP_TIMEOUT) -> None:
        if not handle.stop(timeout):
            log.warning("Serve API on %s did not stop within %gs", handle.address, timeout)
        with self._lock:
            if handle in self._live:
                self._live.remove(handle)
        self._signals.stopped.emit()

    # results (GUI thread) ----------------------------------------------------------------------
    def _on_started(self, handle: ServerHandle) -> None:
        self._pending -= 1
        if not self.wanted:  # turned off while it was binding
            self._set_state("stopping")
            self._run(self._stop_in_worker, handle)
            return
        self.handle = handle
        self._timer.start()
        self._poll()

    def _on_start_failed(self, kind: str, detail: str, port: int) -> None:
        self._pending -= 1
        if kind == "in_use":
            text = self.tr("Cannot serve the API: port %1 is already in use by another program. "
                           "Choose another port in the status bar and try again.")
        elif kind == "missing":
            text = self.tr("Serving the API needs Starlette and uvicorn, which are not installed: %2")
        else:  # the cause is an English system or library text: behind Details, not in the sentence
            text = self.tr("Cannot serve the API on port %1.")
        self._fail(text.replace("%1", str(port)).replace("%2", detail), "" if kind == "missing" else detail)

    def _on_stopped(self) -> None:
        self._pending -= 1
        if not self._pending and self.handle is None and self.state == "stopping":
            self._set_state("stopped")

    def _poll(self) -> None:
        handle = self.handle
        if handle is None:
            return
        stats = handle.stats()
        self.requests = stats.requests
        if stats.last_error_code:
            self.last_error = f"{stats.last_error_code}: {stats.last_error_message or ''}".rstrip(": ")
        if stats.state in ("error", "stopped"):  # could not start (the engine), or ended by itself
            self._timer.stop()
            self.handle = None
            self._run(self._stop_in_worker, handle)  # joins the finished thread, off the GUI thread
            self._fail(self.tr("The API server stopped."), stats.error or "")
            return
        self._set_state(stats.state)

    def _fail(self, text: str, details: str = "") -> None:
        self.wanted = False
        self.error = text + (f" ({details})" if details else "")
        self._set_state("error")
        self.failed.emit(text, details)

    def _set_state(self, state: str) -> None:
        self.state = state
        self.port_spin.setEnabled(state in ("stopped", "error"))
        self._update_text()
        self.changed.emit()

    # text -------------------------------------------------------------------------------------
    def address(self) -> str:
        handle = self.handle
        return handle.address if handle is not None else f"{DEFAULT_HOST}:{self.port_spin.value()}"

    def _update_text(self) -> None:
        states = {
            "stopped": self.tr("API: off"),
            "starting": self.tr("API: starting on %1…").replace("%1", self.address()),
            "serving": self.tr("API: serving on %1").replace("%1", self.address()),
            "stopping": self.tr("API: stopping…"),
            "error": self.tr("API: error"),
        }
        parts = [states.get(self.state, self.state)]
        if self.state in ("serving", "stopping") or self.requests:
            parts.append(self.tr("%n request(s)", "", self.requests))
        if self.last_error:
            short = self.last_error if len(self.last_error) <= ERROR_CHARS else self.last_error[:ERROR_CHARS - 1] + "…"
            parts.append(self.tr("last error: %1").replace("%1", short))
        self.state_label.setText(" · ".join(parts))
        tips = [self.tr("Serve API: the cloud vendors' OCR APIs (AWS, Tencent, Huawei) on this computer, "
                        "answered by the local engine. Point your clients at http://%1").replace("%1", self.address())]
        if self.last_error:
            tips.append(self.tr("Last error answer: %1").replace("%1", self.last_error))
        if self.state == "error" and self.error:
            tips.append(self.error)
        self.state_label.setToolTip("\n".join(tips))

    def retranslate(self) -> None:
        self.port_label.setText(self.tr("API port"))
        self.port_spin.setToolTip(self.tr("The port Serve API listens on (127.0.0.1 only)"))
        self._update_text()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
