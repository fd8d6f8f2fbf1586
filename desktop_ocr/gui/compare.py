"""Compare mode: the local engine and one cloud backend on the same image, side by side.

Both recognitions run on the thread pool; each side shows its own overlay as soon as it arrives.
Lines are paired by box overlap; a line without a partner on the other side, or whose partner reads
differently, is outlined in magenta on both canvases and listed below with both readings.
A failing side (a wrong key, a timeout) shows the vendor's message in its place; the other side and
the dialog keep working.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QPointF, Qt, QThreadPool, Signal
from PySide6.QtGui import QBrush, QColor, QPen, QPolygonF
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGraphicsPolygonItem,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from .. import backends, vendors
from ..core.image import LoadedImage
from ..core.model import OcrResult, TextLine
from . import error_text
from .canvas import OcrCanvas
from .workers import Task, to_pixmap, to_qimage

DIFF_COLOUR = QColor(200, 0, 200)
MIN_IOU = 0.3


# -- pairing (no Qt) ------------------------------------------------------------------------


def _norm(text: str) -> str:
    """Text compared as a reader would: NFKC (full-width = half-width), no whitespace."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _iou(a: TextLine, b: TextLine) -> float:
    al, at, ar, ab = a.bbox()
    bl, bt, br, bb = b.bbox()
    iw, ih = max(0.0, min(ar, br) - max(al, bl)), max(0.0, min(ab, bb) - max(at, bt))
    inter = iw * ih
    union = (ar - al) * (ab - at) + (br - bl) * (bb - bt) - inter
    return inter / union if union > 0 else 0.0


def pair_lines(a: OcrResult, b: OcrResult, min_iou: float = MIN_IOU) -> list[tuple[int | None, int | None]]:
    """Greedy one-to-one pairing by box overlap: (index in a, index in b), None where unmatched."""
    cands = sorted(((_iou(la, lb), i, j) for i, la in enumerate(a.lines) for j, lb in enumerate(b.lines)),
                   reverse=True)
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs: list[tuple[int | None, int | None]] = []
    for iou, i, j in cands:
        if iou < min_iou:
            break
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        pairs.append((i, j))
    pairs += [(i, None) for i in range(len(a.lines)) if i not in used_a]
    pairs += [(None, j) for j in range(len(b.lines)) if j not in used_b]

    def top(pair: tuple[int | None, int | None]) -> float:
        i, j = pair
        if i is not None:
            return a.lines[i].bbox()[1]
        assert j is not None, "every pair has a line on at least one side"
        return b.lines[j].bbox()[1]

    pairs.sort(key=top)
    return pairs


def differences(a: OcrResult, b: OcrResult) -> tuple[set[int], set[int], list[tuple[str, str]]]:
    """Indices of differing lines in a and in b, and the (a text, b text) of each difference."""
    da: set[int] = set()
    db: set[int] = set()
    rows: list[tuple[str, str]] = []
    for i, j in pair_lines(a, b):
        ta = a.lines[i].text if i is not None else ""
        tb = b.lines[j].text if j is not None else ""
        if i is not None and j is not None and _norm(ta) == _norm(tb):
            continue
        if i is not None:
            da.add(i)
        if j is not None:
            db.add(j)
        rows.append((ta, tb))
    return da, db, rows


# -- workers ----------------------------------------------------------------------------------


class _Signals(QObject):
    done = Signal(str, object)  # side, OcrResult
    failed = Signal(str, object)  # side, the exception (gui.error_text words it)
    loaded = Signal(object)  # LoadedImage


# -- dialog -----------------------------------------------------------------------------------


class ComparePane(QWidget):
    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.title = QLabel(title, self)
        self.title.setStyleSheet("font-weight: bold")
        self.state = QLabel(self)
        self.state.setWordWrap(True)
        self.canvas = OcrCanvas(self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.title)
        lay.addWidget(self.state)
        lay.addWidget(self.canvas, 1)
        self.result: OcrResult | None = None
        self.marks: list[QGraphicsPolygonItem] = []

    def mark(self, indices: set[int]) -> None:
        scene = self.canvas.scene()
        for item in self.marks:
            scene.removeItem(item)
        self.marks = []
        if self.result is None:
            return
        pen = QPen(DIFF_COLOUR, 3, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        for i in sorted(indices):
            poly = QPolygonF([QPointF(x, y) for x, y in self.result.lines[i].polygon])
            item = QGraphicsPolygonItem(poly)
            item.setPen(pen)
            item.setBrush(QBrush(QColor(200, 0, 200, 40)))
            item.setZValue(5)
            item.setToolTip(self.result.lines[i].text)
            scene.addItem(item)
            self.marks.append(item)


class CompareDialog(QDialog):
    """Local engine vs one cloud backend on one image. ``compared`` fires when both sides are in."""

    compared = Signal(int)  # number of differing rows
    side_failed = Signal(str, str)

    def __init__(self, host, parent=None, cloud: str | None = None):
        super().__init__(parent)
        self.host = host
        self.setWindowTitle(self.tr("Compare: local engine and a cloud service"))
        self.resize(1400, 800)
        self.pool = QThreadPool.globalInstance()
        self.cloud_combo = QComboBox(self)
        for name in backends.cloud_names():
            self.cloud_combo.addItem(backend_title(name), name)
        if cloud in backends.cloud_names():
            self.cloud_combo.setCurrentIndex(self.cloud_combo.findData(cloud))
        self.run_button = QPushButton(self.tr("Compare"), self)
        self.summary = QLabel(self)
        self.local = ComparePane(backend_title(backends.LOCAL), self)
        self.cloud = ComparePane(self.cloud_combo.currentText(), self)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.local)
        split.addWidget(self.cloud)
        self.diff_list = QListWidget(self)
        self.diff_list.setMaximumHeight(160)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Cloud service:"), self))
        top.addWidget(self.cloud_combo)
        top.addWidget(self.run_button)
        top.addWidget(self.summary, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(split, 1)
        lay.addWidget(self.diff_list)
        self.image: LoadedImage | None = None
        self._pending = 0
        self._sig = _Signals(self)
        self._sig.done.connect(self._on_done)
        self._sig.failed.connect(self._on_failed)
        self.run_button.clicked.connect(self.run)
        self.cloud_combo.currentIndexChanged.connect(
            lambda: self.cloud.title.setText(self.cloud_combo.currentText()))

    def set_image(self, image: LoadedImage) -> None:
        self.image = image
        pix = to_pixmap(to_qimage(image.pixels))
        for pane in (self.local, self.cloud):
            pane.canvas.set_image(pix)
            pane.result = None
            pane.mark(set())

    def run(self) -> None:
        if self.image is None or self._pending:
            return
        name = self.cloud_combo.currentData()
        self.diff_list.clear()
        self.summary.setText(self.tr("recognising…"))
        self._pending = 2
        for side, backend, pane in (("local", "local", self.local), ("cloud", name, self.cloud)):
            pane.result = None
            pane.canvas.set_result(None)
            pane.mark(set())
            pane.state.setText(self.tr("recognising with %1…").replace("%1", backend_title(backend)))
            pane.state.setStyleSheet("")
            pane.state.setToolTip("")
            self.pool.start(Task(self._work, side, backend))
        self.run_button.setEnabled(False)

    def _work(self, side: str, backend: str) -> None:  # on a pool thread
        try:
            result = self.host.get(backend).recognize(self.image)
        except Exception as exc:  # shown in the pane, never raised into Qt
            self._sig.failed.emit(side, exc)
            return
        self._sig.done.emit(side, result)

    def _pane(self, side: str) -> ComparePane:
        return self.local if side == "local" else self.cloud

    def _on_done(self, side: str, result: OcrResult) -> None:
        pane = self._pane(side)
        pane.result = result
        pane.canvas.set_result(result)
        secs = f", {result.elapsed:.2f} s" if result.elapsed is not None else ""
        pane.state.setText(self.tr("%1 lines").replace("%1", str(len(result.lines))) + secs)
        self._finish_one()

    def _on_failed(self, side: str, exc: object) -> None:
        pane = self._pane(side)
        backend = backends.LOCAL if side == "local" else self.cloud_combo.currentData()
        message, details = error_text.reason_text(exc, vendor=backend)
        pane.state.setText(error_text.fill(self.tr("failed: %1"), message))
        pane.state.setToolTip(details)  # the English technical text, for a bug report
        pane.state.setStyleSheet("color: #b00020")
        self.side_failed.emit(side, message)
        self._finish_one()

    def _finish_one(self) -> None:
        self._pending -= 1
        if self._pending > 0:
            return
        self.run_button.setEnabled(True)
        a, b = self.local.result, self.cloud.result
        if a is None or b is None:
            self.summary.setText(self.tr("one side failed: nothing to compare"))
            self.compared.emit(-1)
            return
        da, db, rows = differences(a, b)
        self.local.mark(da)
        self.cloud.mark(db)
        total = max(len(a.lines), len(b.lines))
        self.summary.setText(self.tr("%1 of %2 lines differ").replace("%1", str(len(rows))).replace("%2", str(total)))
        for ta, tb in rows:
            self.diff_list.addItem(error_text.fill(self.tr("%1: %2    |    %3: %4"), backend_title(backends.LOCAL),
                                                   ta or "—", self.cloud_combo.currentText(), tb or "—"))
        self.compared.emit(len(rows))

    def wait(self, msecs: int = 60000) -> bool:
        return self.pool.waitForDone(msecs)


def backend_title(name: str) -> str:
    """A backend as the user knows it, in the user's language: the local engine, or the vendor's
    service name from the registry (never the command line's machine name)."""
    if name == backends.LOCAL:
        return QCoreApplication.translate("Backends", "Local engine")
    try:
        return QCoreApplication.translate(vendors.TR_CONTEXT, vendors.get(name).title)
    except ValueError:
        return name


def default_cloud(current: str, configured: Callable[[str], bool]) -> str:
    """The cloud service to compare with: the one in use, else the first configured, else the first."""
    names = backends.cloud_names()
    if current in names:
        return current
    return next((n for n in names if configured(n)), names[0])
