"""Shared helpers for the GUI tests: a window on the real warmed engine, real drops, drawn pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from tests.drawing import render_lines

RESULT_TIMEOUT_MS = 180_000  # the machine is shared: recognition can be slow, never hang forever

PAGE_LINES = ["发票号码 INV-2024-0815", "Total 合计 ¥128.50", "Thank you 谢谢惠顾"]


def drawn_page(tmp_path: Path, lines=PAGE_LINES, name: str = "page.png") -> Path:
    path = tmp_path / name
    render_lines(list(lines), font_size=40).save(path)
    return path


@pytest.fixture
def window(qtbot, tmp_path, engine):
    """A shown MainWindow using the session's warmed LocalEngine and throwaway settings."""
    from desktop_ocr.gui.main_window import MainWindow
    from desktop_ocr.gui.settings import Settings

    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    win = MainWindow(settings, interactive=False)
    win.host.adopt("local", engine)
    qtbot.addWidget(win)
    win.resize(1300, 850)
    win.show()
    qtbot.waitExposed(win)
    win.start_engine()
    yield win
    win.close()


def drop_mime(win, mime: QMimeData) -> None:
    """Deliver a real drag-enter + drop of ``mime`` at the window's centre."""
    centre = win.rect().center()
    enter = QDragEnterEvent(centre, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(win, enter)
    assert enter.isAccepted(), "the window refused the drag"
    drop = QDropEvent(QPointF(centre), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(win, drop)


def drop_files(win, paths) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    drop_mime(win, mime)


def wait_result(qtbot, win, action) -> int:
    """Run ``action`` and wait until the boxes of the job it showed are drawn; returns the job id."""
    with qtbot.waitSignal(win.result_shown, timeout=RESULT_TIMEOUT_MS) as blocker:
        action()
    return blocker.args[0]


def line_items(win):
    from desktop_ocr.gui.canvas import LineItem

    return [i for i in win.canvas.scene().items() if isinstance(i, LineItem)]


def to_global(widget, point: QPoint) -> QPoint:
    return widget.mapToGlobal(point)
