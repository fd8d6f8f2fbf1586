"""The list of images in this session with their state, the overall progress bar and Cancel."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .workers import CANCELLED, DONE, FAILED, QUEUED, RUNNING, BatchQueue, Job

JOB_ROLE = Qt.ItemDataRole.UserRole + 1


class BatchPanel(QWidget):
    job_activated = Signal(int)  # the user picked an image in the list

    def __init__(self, queue: BatchQueue, parent=None):
        super().__init__(parent)
        self.queue = queue
        self.title = QLabel(self)
        self.list = QListWidget(self)
        self.list.setUniformItemSizes(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton(self)
        self.cancel_button.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        self._items: dict[int, QListWidgetItem] = {}
        self._progress: tuple[int, int] | None = None  # (finished, total) not shown yet
        queue.job_changed.connect(self._on_job_changed)
        queue.progress.connect(self._on_progress)
        self.cancel_button.clicked.connect(queue.cancel)
        self.list.currentItemChanged.connect(self._on_current)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Images"))
        self.cancel_button.setText(self.tr("Cancel"))
        for job_id in self._items:
            job = self.queue.job(job_id)
            if job:
                self._render(job)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def state_text(self, job: Job) -> str:
        if job.state == QUEUED:
            return self.tr("queued")
        if job.state == RUNNING:
            return self.tr("running…")
        if job.state == DONE:
            n = len(job.result.lines) if job.result else 0
            return self.tr("done, %n line(s)", "", n)
        if job.state == FAILED:
            return self.tr("failed: %1").replace("%1", job.error)
        if job.state == CANCELLED:
            return self.tr("cancelled")
        return job.state

    def _render(self, job: Job) -> None:
        item = self._items.get(job.id)
        if item is None:
            item = QListWidgetItem()
            item.setData(JOB_ROLE, job.id)
            self._items[job.id] = item
            self.list.addItem(item)
        label = job.stem if job.page is not None else _short(job.name)
        item.setText(f"{label}\n    {self.state_text(job)}")
        item.setToolTip(f"{job.name}\n{self.state_text(job)}")
        colours = {FAILED: QColor(200, 40, 40), CANCELLED: QColor(130, 130, 130)}
        if job.state in colours:
            item.setForeground(colours[job.state])
        else:
            item.setData(Qt.ItemDataRole.ForegroundRole, None)

    def _on_job_changed(self, job_id: int) -> None:
        job = self.queue.job(job_id)
        if job is not None:
            self._render(job)

    def _on_progress(self, finished: int, total: int) -> None:
        # QProgressBar.setValue repaints at once, and a repaint paints every dirty part of the window
        # (the page with its new boxes): done from the event loop, not inside the handler that
        # delivered a result, so the two never add up into one long stall. Coalesced to the latest.
        pending = self._progress is not None
        self._progress = (finished, total)
        if not pending:
            QTimer.singleShot(0, self._show_progress)

    def _show_progress(self) -> None:
        if self._progress is None:
            return
        finished, total = self._progress
        self._progress = None
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(finished)
        self.progress.setFormat(f"{finished} / {total}")
        self.cancel_button.setEnabled(self.queue.busy())

    def select_job(self, job_id: int) -> None:
        item = self._items.get(job_id)
        if item is not None and self.list.currentItem() is not item:
            self.list.blockSignals(True)
            self.list.setCurrentItem(item)
            self.list.blockSignals(False)

    def _on_current(self, current: QListWidgetItem | None, _previous) -> None:
        if current is not None:
            self.job_activated.emit(int(current.data(JOB_ROLE)))

    def item_for(self, job_id: int) -> QListWidgetItem | None:
        return self._items.get(job_id)


def _short(name: str) -> str:
    """The file name of a path or URL (full name in the tooltip)."""
    if name.startswith(("http://", "https://")):
        return name
    return name.replace("\\", "/").rsplit("/", 1)[-1] or name
