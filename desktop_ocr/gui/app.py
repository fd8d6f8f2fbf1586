"""Application start-up: QApplication, translations, logging, the crash dialog, the main window."""

from __future__ import annotations

import logging
import os
import sys
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QStandardPaths, Qt, QThreadPool, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from . import i18n
from .resources import resource_path

if TYPE_CHECKING:
    from .single_instance import Listener
    from .tray import Resident

log = logging.getLogger("desktop_ocr.gui")

SELF_TEST_TIMEOUT_S = 120


def log_file() -> Path:
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
                  or Path.home() / ".desktop_ocr")
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "desktop_ocr.log"


def setup_logging() -> Path:
    path = log_file()
    root = logging.getLogger()
    if not any(isinstance(h, logging.FileHandler) and Path(h.baseFilename) == path for h in root.handlers):
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    root.setLevel(min(root.level or logging.INFO, logging.INFO))
    return path


_open_dialogs: list[QMessageBox] = []


def report_exception(exc_type, exc, tb) -> QMessageBox | None:
    """Log an unhandled exception and show it in a (non-blocking) dialog. Never lets the app die silently.

    The dialog says in one translated sentence that the window keeps working; the exception's own text
    and the traceback (for a bug report) are behind "Show Details", with every known secret redacted."""
    from ..backends.credentials import redact

    text = redact("".join(traceback.format_exception(exc_type, exc, tb)))
    log.error("unhandled exception:\n%s", text)
    if QApplication.instance() is None:
        sys.stderr.write(text)
        return None
    said = QApplication.translate("App", "Something went wrong; the window keeps working. Please report it.")
    box = QMessageBox(QMessageBox.Icon.Critical, QApplication.translate("App", "Unexpected error"), said)
    box.setDetailedText(text + "\n" + QApplication.translate("App", "Log file: %1").replace("%1", str(log_file())))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.NonModal)
    _open_dialogs.append(box)
    box.finished.connect(lambda *_: _open_dialogs.remove(box) if box in _open_dialogs else None)
    box.show()
    return box


def install_excepthook() -> None:
    def hook(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        report_exception(exc_type, exc, tb)

    sys.excepthook = hook


def make_app() -> QApplication:
    # instance() is typed as the QCoreApplication base; the one this process creates is a QApplication
    app = cast("QApplication | None", QApplication.instance())
    if app is None:
        # Crisp boxes on fractional-scale screens: pass the real ratio through instead of rounding.
        QApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(sys.argv[:1])
    app.setOrganizationName("desktop_ocr")
    app.setApplicationName("desktop_ocr")
    app.setApplicationDisplayName("desktop_ocr")
    app.setWindowIcon(QIcon(str(resource_path("icon.png"))))
    return app


def leave(code: int) -> int:
    """The window has closed (its settings are saved). If work is still running in the background
    (a recognition the user quit during, models still loading, a cloud request of Compare), end the
    process now: Python and Qt would otherwise wait for those threads at exit, and nothing they
    could still produce is wanted."""
    from .workers import background_running

    if background_running() or QThreadPool.globalInstance().activeThreadCount():
        log.info("quitting with background work still running: not waiting for it")
        logging.shutdown()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # closed or on a full device: nothing more to say there
                pass
        os._exit(code)
    return code


def run(paths: list[str], self_test: bool = False, tray: bool = False) -> int:
    """Open the window (with ``paths`` queued). ``self_test``: also recognise the bundled sample image,
    then close; returns 0 only if the window showed and the engine drew boxes (packaged-app smoke test).
    ``tray``: start hidden in the tray (shown as usual when there is no tray). Except in the self-test,
    the window is resident (gui.tray) and takes the arguments of later launches (gui.single_instance)."""
    t0 = time.perf_counter()
    app = make_app()
    setup_logging()
    from ..backends.credentials import install_log_redaction

    install_log_redaction()  # a URL's password or a key never reaches the log file, whoever logs it
    install_excepthook()
    from .main_window import MainWindow  # after QApplication exists
    from .settings import Settings

    settings = Settings()
    i18n.install(settings.language())
    window = MainWindow(settings)
    resident: Resident | None = None
    listener: Listener | None = None
    if not self_test:
        from .single_instance import Listener
        from .tray import Resident

        resident = Resident(window)
        resident.finished.connect(app.quit)
        app.setQuitOnLastWindowClosed(False)  # the program ends by resident.finished (it may live in the tray)
        listener = Listener(parent=window)
        if listener.listen():
            listener.received.connect(resident.handle)
            log.info("listening for other launches on %s", listener.full_name())
        else:
            listener = None
    if tray and resident is not None and resident.available:
        log.info("started hidden in the tray after %.3fs", time.perf_counter() - t0)
    else:
        if tray:
            log.info("no system tray here: showing the window")
        window.show()
        log.info("window visible after %.3fs", time.perf_counter() - t0)
    QTimer.singleShot(0, window.start_engine)  # models load after the window is on screen
    if paths:
        QTimer.singleShot(0, lambda: window.open_paths(list(paths)))
    elif not self_test and not tray and settings.first_run():
        QTimer.singleShot(0, window.open_sample)  # something to look at on the very first start
    if not self_test:
        code = app.exec()
        if listener is not None:
            listener.close()  # its socket file goes now: leave() may end the process without clean-up
        return leave(code)

    outcome: dict[str, Any] = {"code": 1, "message": "timed out"}

    def shown(job_id: int) -> None:
        job = window.queue.job(job_id)
        n = len(job.result.lines) if job and job.result else 0
        outcome.update(code=0 if n and window.isVisible() else 1, message=f"{n} lines on the sample image")
        QTimer.singleShot(200, window.close)

    def failed(text: str) -> None:
        outcome.update(code=1, message=text)
        QTimer.singleShot(200, window.close)

    window.result_shown.connect(shown)
    window.error_shown.connect(failed)
    QTimer.singleShot(50, window.open_sample)
    QTimer.singleShot(SELF_TEST_TIMEOUT_S * 1000, window.close)
    app.exec() if window.isVisible() else None
    print(f"self-test: {'ok' if outcome['code'] == 0 else 'FAILED'} ({outcome['message']}, "
          f"{time.perf_counter() - t0:.1f}s, platform {os.environ.get('QT_QPA_PLATFORM') or app.platformName()})")
    return leave(outcome["code"])
