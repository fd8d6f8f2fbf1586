"""Shared helpers for the GUI tests: real drops, drawn pages, waiting for a result (the ``window``
fixture, on the real warmed engine, is in conftest.py)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from tests.drawing import render_lines

RESULT_TIMEOUT_MS = 180_000  # the machine is shared: recognition can be slow, never hang forever

PAGE_LINES = ["发票号码 INV-2024-0815", "Total 合计 ¥128.50", "Thank you 谢谢惠顾"]


def drawn_page(tmp_path: Path, lines=PAGE_LINES, name: str = "page.png") -> Path:
    path = tmp_path / name
    render_lines(list(lines), font_size=40).save(path)
    return path


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
