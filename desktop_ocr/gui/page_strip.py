"""The page strip: the pages of the document on screen (a PDF or a multi-page TIFF), as small
thumbnails with their page number and state, under the page. Clicking one shows it; PageDown /
PageUp (also with Ctrl) go to the next / previous page and Home / End to the first / last, while
the page or the strip has the keyboard focus.

Thumbnails are made lazily: only for the pages in view (and a few either side), one at a time on a
worker thread (a PDF page rendered at a few dots per inch, a TIFF frame shrunk by PIL), never on the
GUI thread; they are kept in a bounded cache (least recently used dropped), so a 1000-page document
costs the thumbnails looked at, not a thousand renders.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque

import numpy as np
from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QImage, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView, QListWidget, QListWidgetItem, QWidget

from ..core import pdf
from .workers import CANCELLED, DONE, FAILED, QUEUED, RUNNING, BatchQueue, Document, Job, start_thread, to_qimage

JOB_ROLE = Qt.ItemDataRole.UserRole + 1
THUMB = QSize(60, 80)  # the icon's box; a page keeps its proportions inside it
THUMB_DPI = pdf.MIN_RENDER_DPI  # the least core.pdf renders: an A4 page is 300 x 420 px, then shrunk
NAV_KEYS: dict[Qt.Key, int | str] = {Qt.Key.Key_PageDown: 1, Qt.Key.Key_PageUp: -1,
                                     Qt.Key.Key_Home: "first", Qt.Key.Key_End: "last"}


def render_thumbnail(source: str, kind: str, page: int, box: QSize = THUMB) -> QImage:
    """A small picture of ``page`` (1-based) of a PDF or TIFF file, at most twice ``box`` (a worker
    calls this: a PDF page is rendered at a few dots per inch, never at full size)."""
    if kind == "pdf":
        pixels = pdf.render_page(source, page, source=source, dpi=THUMB_DPI)
    else:
        from PIL import Image

        with Image.open(source) as im:
            im.seek(page - 1)
            frame = im if im.mode in ("RGB", "L") else im.convert("RGBA" if "A" in im.mode else "RGB")
            frame.thumbnail((box.width() * 2, box.height() * 2))
            if frame.mode == "RGBA":
                flat = Image.new("RGB", frame.size, "white")
                flat.paste(frame, mask=frame.getchannel("A"))
                frame = flat
            pixels = np.asarray(frame.convert("RGB"))
    page_image = to_qimage(pixels).scaled((box - QSize(2, 2)) * 2, Qt.AspectRatioMode.KeepAspectRatio,
                                          Qt.TransformationMode.SmoothTransformation)
    # every thumbnail the same size (the labels line up): the page centred, with a grey edge
    image = QImage(box * 2, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    x, y = (image.width() - page_image.width()) // 2, (image.height() - page_image.height()) // 2
    painter.drawImage(x, y, page_image)
    painter.setPen(QColor(160, 160, 160))
    painter.drawRect(x - 1, y - 1, page_image.width() + 1, page_image.height() + 1)
    painter.end()
    return image


class _ThumbSignals(QObject):
    """Worker -> GUI thread (no parent: a worker may outlive the strip)."""

    made = Signal(object, object)  # key (document id, page), QImage or None (it could not be made)


class PageStrip(QListWidget):
    """The pages of the document of the job on screen; hidden for a single image."""

    page_activated = Signal(int)  # job id: the user picked a page (click or key)

    CACHE = 240  # thumbnails kept (a small QPixmap each: about 40 KB)
    AHEAD = 3  # pages either side of the visible ones made in advance

    def __init__(self, queue: BatchQueue, parent: QWidget | None = None):
        super().__init__(parent)
        self.queue = queue
        self.document: Document | None = None
        self.rendered = 0  # thumbnails made so far (how lazy the strip is, for tests)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(True)
        self.setIconSize(THUMB)
        self.setGridSize(QSize(THUMB.width() + 26, THUMB.height() + 44))
        self.setSpacing(0)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setFixedHeight(self.gridSize().height() + self.horizontalScrollBar().sizeHint().height() + 6)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.hide()
        self._items: dict[int, QListWidgetItem] = {}  # job id -> item
        self._by_page: dict[int, QListWidgetItem] = {}  # page -> item
        self._cache: OrderedDict[tuple[int, int], QPixmap] = OrderedDict()
        self._failed: set[tuple[int, int]] = set()
        self._lock = threading.Lock()
        self._requests: deque[tuple[tuple[int, int], str, str, int]] = deque()
        self._wanted: set[tuple[int, int]] = set()  # what the worker may still make (GUI thread sets it)
        self._working = False
        self._signals = _ThumbSignals()
        self._signals.made.connect(self._on_made)
        self._blank = self._placeholder()
        self._look = QTimer(self)
        self._look.setSingleShot(True)
        self._look.setInterval(40)
        self._look.timeout.connect(self._request_visible)
        self.horizontalScrollBar().valueChanged.connect(lambda _v: self._look.start())
        self.currentItemChanged.connect(self._on_current)
        queue.job_changed.connect(self._on_job_changed)
        queue.jobs_removed.connect(self._on_jobs_removed)

    # what is shown ---------------------------------------------------------------------------
    def show_job(self, job: Job | None) -> None:
        """The strip for the job now on screen: its document's pages (that page current), or hidden."""
        doc = job.document if job is not None else None
        if doc is None or len(doc.job_ids) < 2:
            self._set_document(None)
            return
        if doc is not self.document:
            self._set_document(doc)
        item = self._items.get(job.id) if job is not None else None
        if item is not None and self.currentItem() is not item:
            self.blockSignals(True)
            self.setCurrentItem(item)
            self.blockSignals(False)
        if item is not None:
            self.scrollToItem(item, QAbstractItemView.ScrollHint.EnsureVisible)
        self._look.start()

    def _set_document(self, doc: Document | None) -> None:
        self.document = doc
        with self._lock:
            self._requests.clear()
            self._wanted.clear()
        self.blockSignals(True)
        self.clear()
        self._items.clear()
        self._by_page.clear()
        if doc is not None:
            for job in self.queue.document_jobs(doc):
                item = QListWidgetItem()
                item.setData(JOB_ROLE, job.id)
                item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
                self._items[job.id] = item
                self._by_page[job.page or 0] = item
                self._render(job, item)
                self.addItem(item)
        self.blockSignals(False)
        self.setVisible(doc is not None)

    def state_text(self, job: Job) -> str:
        return {QUEUED: self.tr("queued"), RUNNING: self.tr("reading…"), DONE: self.tr("done"),
                FAILED: self.tr("failed"), CANCELLED: self.tr("cancelled")}.get(job.state, str(job.state))

    def _render(self, job: Job, item: QListWidgetItem) -> None:
        assert job.document is not None and job.page is not None
        state = self.state_text(job)
        item.setText(f"{job.page}\n{state}")
        item.setToolTip(self.tr("Page %1 of %2: %3").replace("%1", str(job.page)).replace(
            "%2", str(job.document.count)).replace("%3", state))
        colours = {FAILED: QColor(200, 40, 40), CANCELLED: QColor(130, 130, 130), QUEUED: QColor(110, 110, 110)}
        if job.state in colours:
            item.setForeground(colours[job.state])
        else:
            item.setData(Qt.ItemDataRole.ForegroundRole, None)
        pixmap = self._cache.get((job.document.id, job.page))
        item.setIcon(QIcon(pixmap if pixmap is not None else self._blank))

    def _on_job_changed(self, job_id: int) -> None:
        item = self._items.get(job_id)
        job = self.queue.job(job_id)
        if item is not None and job is not None:
            self._render(job, item)

    def _on_jobs_removed(self, job_ids: list[int]) -> None:
        if self.document is None:
            return
        if not any(i in self._items for i in job_ids):
            return
        left = self.queue.document_jobs(self.document)
        if len(left) < 2:
            self._set_document(None)
            return
        self.blockSignals(True)
        for job_id in job_ids:
            item = self._items.pop(job_id, None)
            if item is not None:
                self.takeItem(self.row(item))
        kept = set(map(id, self._items.values()))
        self._by_page = {p: i for p, i in self._by_page.items() if id(i) in kept}
        self.blockSignals(False)
        self._look.start()

    def retranslate(self) -> None:
        for job_id, item in self._items.items():
            job = self.queue.job(job_id)
            if job is not None:
                self._render(job, item)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # navigation ------------------------------------------------------------------------------
    def _on_current(self, current: QListWidgetItem | None, _previous) -> None:
        if current is not None:
            self.page_activated.emit(int(current.data(JOB_ROLE)))

    def target(self, job_id: int | None, move: int | str) -> int | None:
        """The job id ``move`` leads to from ``job_id`` (1 / -1: next / previous page, "first",
        "last"), or None at either end or without a document."""
        if self.document is None or not self.count():
            return None
        row = self.row(self._items[job_id]) if job_id in self._items else -1
        if move == "first":
            new = 0
        elif move == "last":
            new = self.count() - 1
        else:
            assert isinstance(move, int)
            new = row + move if row >= 0 else 0
        if not 0 <= new < self.count() or new == row:
            return None
        return int(self.item(new).data(JOB_ROLE))

    def navigate(self, move: int | str) -> bool:
        """Go to another page of the document (see target); True if the key was one of ours."""
        if self.document is None:
            return False
        item = self.currentItem()
        target = self.target(int(item.data(JOB_ROLE)) if item is not None else None, move)
        if target is not None:
            self.page_activated.emit(target)
        return True

    def handle_key(self, event: QKeyEvent) -> bool:
        """PageDown / PageUp (with or without Ctrl), Home / End: True if it moved (or tried to)."""
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if mods not in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ControlModifier):
            return False
        move = NAV_KEYS.get(Qt.Key(event.key()))
        return move is not None and self.navigate(move)

    def watch(self, widget: QWidget) -> None:
        """Let the page keys work while ``widget`` (the page) has the focus."""
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and self.handle_key(event):
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.handle_key(event):
            super().keyPressEvent(event)

    # thumbnails ------------------------------------------------------------------------------
    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._look.start()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._look.start()

    def visible_rows(self) -> range:
        """The rows in view: computed from the fixed grid and the scroll position (never by asking
        every item where it is)."""
        if not self.count():
            return range(0)
        width = max(1, self.gridSize().width())
        first_x = self.visualItemRect(self.item(0)).left()  # where the strip starts, scrolled
        left = -first_x
        first = max(0, left // width)
        last = min(self.count() - 1, (left + self.viewport().width()) // width)
        return range(first, last + 1)

    def stop(self) -> None:
        """No more thumbnails (the window closes): what is asked for is dropped."""
        with self._lock:
            self._requests.clear()
            self._wanted.clear()

    def _request_visible(self) -> None:
        doc = self.document
        if doc is None or not self.isVisible():
            return
        rows = self.visible_rows()
        lo, hi = max(0, rows.start - self.AHEAD), min(self.count(), rows.stop + self.AHEAD)
        wanted: list[tuple[tuple[int, int], str, str, int]] = []
        for row in range(lo, hi):
            job = self.queue.job(int(self.item(row).data(JOB_ROLE)))
            if job is None or job.page is None:
                continue
            key = (doc.id, job.page)
            if key in self._cache:
                self._cache.move_to_end(key)
            elif key not in self._failed:
                wanted.append((key, doc.source, doc.kind, job.page))
        with self._lock:
            self._wanted = {w[0] for w in wanted}
            self._requests = deque(wanted)
            start = bool(wanted) and not self._working
            if start:
                self._working = True
        if start:
            start_thread(self._work, name="desktop_ocr-thumbnails")

    def _work(self) -> None:  # worker thread: one thumbnail at a time, newest wishes first
        while True:
            with self._lock:
                if not self._requests:
                    self._working = False
                    return
                key, source, kind, page = self._requests.popleft()
                if key not in self._wanted:
                    continue
            try:
                image: QImage | None = render_thumbnail(source, kind, page)
            except Exception:  # noqa: BLE001 - a page that cannot be drawn keeps its blank picture
                image = None
            try:
                self._signals.made.emit(key, image)
            except RuntimeError:  # the window is gone
                return

    def _on_made(self, key: tuple[int, int], image: QImage | None) -> None:
        with self._lock:
            self._wanted.discard(key)
        if image is None:
            self._failed.add(key)
            return
        self.rendered += 1
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(2.0)
        self._cache[key] = pixmap
        while len(self._cache) > self.CACHE:
            self._cache.popitem(last=False)
        item = self._by_page.get(key[1]) if self.document is not None and key[0] == self.document.id else None
        if item is not None:
            item.setIcon(QIcon(pixmap))

    def _placeholder(self) -> QPixmap:
        """A blank page with a grey edge, until its thumbnail is made."""
        pixmap = QPixmap(THUMB.width() * 2, THUMB.height() * 2)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.fillRect(pixmap.rect().adjusted(8, 2, -8, -2), QColor(250, 250, 250))
        painter.setPen(QColor(190, 190, 190))
        painter.drawRect(pixmap.rect().adjusted(8, 2, -9, -3))
        painter.end()
        pixmap.setDevicePixelRatio(2.0)
        return pixmap

