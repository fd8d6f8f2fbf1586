"""The region-selection overlay of screen capture: every screen's frozen picture, drag a rectangle.

One frameless, always-on-top, full-screen window per screen (``RegionOverlay``) shows that screen's
picture (a capture.Shot) at its native pixels, dimmed outside the selection, with a crosshair. A drag
selects a rectangle (its size is shown while dragging); releasing the button selects it. Esc
cancels; Enter or Space selects the last region at once (when there is one); a click without a drag
selects nothing (the overlay stays, ready for a drag). ``RegionSelector`` owns the windows and says
what was chosen (``finished``); ``select_region`` waits for it (the command line's
``desktop-ocr capture``); the main window uses the selector without waiting.

Rectangles are logical (device-independent) pixels of the virtual desktop, as QScreen.geometry();
the maths is in the small pure functions below and in desktop_ocr.capture.geometry.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QEventLoop, QObject, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QGuiApplication, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QWidget

from ..capture.geometry import Rect
from ..capture.models import Shot

#: a drag shorter than this (logical pixels, in either direction) is a click: it selects nothing
MIN_DRAG = 3

#: (x, y, width, height) in whole logical pixels of the virtual desktop
Region = tuple[int, int, int, int]

DIM = QColor(0, 0, 0, 110)
EDGE = QColor(0, 170, 255)


# pure maths ---------------------------------------------------------------------------------------
def drag_rect(x0: float, y0: float, x1: float, y1: float) -> Rect:
    """The rectangle between two corners of a drag made in any direction (logical pixels)."""
    return Rect(min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0))


def clamp_rect(rect: Rect, screen: Rect) -> Rect | None:
    """``rect`` cut to ``screen`` (a drag that left its screen); None when nothing of it is left."""
    return rect.intersect(screen)


def whole(rect: Rect) -> Region:
    """The whole logical pixels ``rect`` touches: the start rounded down, the end rounded up."""
    x0, y0 = math.floor(round(rect.x, 6)), math.floor(round(rect.y, 6))
    x1, y1 = math.ceil(round(rect.right, 6)), math.ceil(round(rect.bottom, 6))
    return x0, y0, x1 - x0, y1 - y0


def is_drag(rect: Rect) -> bool:
    """Whether a drag's rectangle is a selection (a click, or a drag along one line, is not)."""
    return rect.width >= MIN_DRAG and rect.height >= MIN_DRAG


def native_size(rect: Rect, ratio: float) -> tuple[int, int]:
    """How many native pixels a logical ``rect`` covers on a screen of ``ratio`` (what is recognised)."""
    return math.ceil(round(rect.width * ratio, 6)), math.ceil(round(rect.height * ratio, 6))


# the windows --------------------------------------------------------------------------------------
class RegionOverlay(QWidget):
    """One screen's frozen picture, covering that screen, where a rectangle is dragged."""

    def __init__(self, shot: Shot, selector: RegionSelector):
        super().__init__(None, Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
                         | Qt.WindowType.Tool)
        self.shot = shot
        self.selector = selector
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)  # closing it never ends the program
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        # native pixels, drawn at the screen's ratio: one picture pixel per device pixel (sharp)
        self.pixmap = QPixmap.fromImage(shot.image)
        self.pixmap.setDevicePixelRatio(shot.ratio)
        self.start: QPointF | None = None  # logical desktop point where the drag began
        self.selection: Rect | None = None  # logical desktop rectangle being dragged
        self.setGeometry(QRect(shot.x, shot.y, shot.width, shot.height))

    @property
    def screen_rect(self) -> Rect:
        return Rect(self.shot.x, self.shot.y, self.shot.width, self.shot.height)

    def to_desktop(self, pos: QPointF) -> QPointF:
        """A point of this window as logical virtual-desktop coordinates (the window covers its
        screen; should the window system have sized it otherwise, the picture is stretched to it)."""
        sx = self.shot.width / self.width() if self.width() else 1.0
        sy = self.shot.height / self.height() if self.height() else 1.0
        return QPointF(self.shot.x + pos.x() * sx, self.shot.y + pos.y() * sy)

    def to_local(self, rect: Rect) -> QRectF:
        sx = self.width() / self.shot.width if self.shot.width else 1.0
        sy = self.height() / self.shot.height if self.shot.height else 1.0
        return QRectF((rect.x - self.shot.x) * sx, (rect.y - self.shot.y) * sy, rect.width * sx, rect.height * sy)

    def show_on_screen(self) -> None:
        """Full screen on the screen the shot is of (matched by its geometry), else at its geometry."""
        for screen in QGuiApplication.screens():
            g = screen.geometry()
            if (g.x(), g.y(), g.width(), g.height()) == (self.shot.x, self.shot.y, self.shot.width, self.shot.height):
                self.setScreen(screen)
                self.setGeometry(g)
                self.showFullScreen()
                return
        self.show()

    # drawing
    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.drawPixmap(QRectF(self.rect()), self.pixmap, QRectF(self.pixmap.rect()))
        whole_area = QRectF(self.rect())
        if self.selection is None:
            painter.fillRect(whole_area, DIM)
            return
        sel = self.to_local(self.selection)
        # dim the four bands around the selection
        painter.fillRect(QRectF(0, 0, whole_area.width(), sel.top()), DIM)
        painter.fillRect(QRectF(0, sel.bottom(), whole_area.width(), whole_area.height() - sel.bottom()), DIM)
        painter.fillRect(QRectF(0, sel.top(), sel.left(), sel.height()), DIM)
        painter.fillRect(QRectF(sel.right(), sel.top(), whole_area.width() - sel.right(), sel.height()), DIM)
        painter.setPen(QPen(EDGE, 1))
        painter.drawRect(sel)
        w, h = native_size(self.selection, self.shot.ratio)
        label = f"{w} × {h}"
        metrics = painter.fontMetrics()
        box = QRectF(metrics.boundingRect(label)).adjusted(-4, -2, 4, 2)
        box.moveTopLeft(QPointF(sel.left(), sel.top() - box.height() - 2 if sel.top() > box.height() + 2
                                else sel.bottom() + 2))
        painter.fillRect(box, QColor(0, 0, 0, 180))
        painter.setPen(QColor("white"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, label)

    # input
    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.start = self.to_desktop(event.position())
            self.selection = None
            self.update()
        elif event.button() == Qt.MouseButton.RightButton:
            self.selector.cancel()

    def mouseMoveEvent(self, event) -> None:
        if self.start is None:
            return
        self.selection = self._dragged(event.position())
        self.update()

    def mouseReleaseEvent(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self.start is None:
            return
        rect = self._dragged(event.position())
        self.start, self.selection = None, None
        self.update()
        if rect is not None and is_drag(rect):
            self.selector.choose(whole(rect))

    def _dragged(self, pos: QPointF) -> Rect | None:
        assert self.start is not None, "a drag has its start"
        end = self.to_desktop(pos)
        return clamp_rect(drag_rect(self.start.x(), self.start.y(), end.x(), end.y()), self.screen_rect)

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.selector.cancel()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.selector.repeat()
        else:
            super().keyPressEvent(event)


class RegionSelector(QObject):
    """The overlays of one selection; ``finished`` carries the chosen Region or None (cancelled)."""

    finished = Signal(object)

    def __init__(self, shots: Sequence[Shot], last: Region | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.last = last
        self.result: Region | None = None
        self.done = False
        self.overlays = [RegionOverlay(shot, self) for shot in shots]

    def start(self) -> None:
        """Show every screen's overlay; the one under the mouse gets the keyboard."""
        if not self.overlays:
            self._finish(None)
            return
        for overlay in self.overlays:
            overlay.show_on_screen()
        pos = QCursor.pos()
        focus = next((o for o in self.overlays if o.geometry().contains(pos)), self.overlays[0])
        focus.raise_()
        focus.activateWindow()
        focus.setFocus()
        focus.grabKeyboard()  # a frameless window may not be given the focus: Esc must still work

    def choose(self, region: Region) -> None:
        self._finish(region)

    def repeat(self) -> None:
        """Enter/Space: the last region at once (nothing happens when there is none)."""
        if self.last is not None:
            x, y, width, height = self.last
            self._finish((x, y, width, height))

    def cancel(self) -> None:
        self._finish(None)

    def _finish(self, region: Region | None) -> None:
        if self.done:
            return
        self.done = True
        self.result = region
        for overlay in self.overlays:
            overlay.close()
        self.overlays = []
        self.finished.emit(region)


def select_region(shots: Sequence[Shot], last: Region | None = None) -> Region | None:
    """Let the user drag a rectangle over the screens' frozen pictures; waits until it is chosen.

    Returns (x, y, width, height) in logical virtual-desktop pixels, or None when cancelled (Esc,
    right button, or no shots at all). Enter or Space returns ``last`` when given. Needs a
    QApplication (capture.ensure_app makes one)."""
    selector = RegionSelector(shots, last)
    loop = QEventLoop()
    selector.finished.connect(loop.quit)
    selector.start()
    if not selector.done:
        loop.exec()
    return selector.result
