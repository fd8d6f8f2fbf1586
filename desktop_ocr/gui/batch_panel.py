"""The list of images in this session with their state, the current batch's progress and Cancel,
and what can be done to listed images: Retry (failed or cancelled ones), Cancel, Remove, Clear
(finished ones or all), as buttons under the list and in its context menu."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QProgressBar,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from . import error_text
from .workers import ACTIVE, CANCELLED, DONE, FAILED, QUEUED, RUNNING, BatchQueue, Job

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
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton(self)
        self.cancel_button.setEnabled(False)
        # what can be done to the selected images (the context menu has the same actions)
        self.act_retry = self._action(lambda: queue.retry(self.selected_jobs()))
        self.act_cancel_selected = self._action(lambda: queue.cancel_jobs(self.selected_jobs()))
        self.act_remove = self._action(lambda: queue.remove(self.selected_jobs()), QKeySequence.StandardKey.Delete)
        self.act_clear_finished = self._action(lambda: queue.clear(finished_only=True))
        self.act_clear_all = self._action(lambda: queue.clear(finished_only=False))
        # tool buttons: compact, so the list column stays as narrow as before
        self.retry_button = QToolButton(self)
        self.retry_button.clicked.connect(self.act_retry.trigger)
        self.remove_button = QToolButton(self)
        self.remove_button.clicked.connect(self.act_remove.trigger)
        self.clear_button = QToolButton(self)
        self.clear_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        clear_menu = QMenu(self.clear_button)
        clear_menu.addAction(self.act_clear_finished)
        clear_menu.addAction(self.act_clear_all)
        self.clear_button.setMenu(clear_menu)
        tools = QHBoxLayout()
        tools.addWidget(self.retry_button)
        tools.addWidget(self.remove_button)
        tools.addWidget(self.clear_button)
        tools.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)
        layout.addLayout(tools)
        layout.addLayout(row)
        self._items: dict[int, QListWidgetItem] = {}
        self._progress: tuple[int, int] | None = None  # (finished, total) not shown yet
        queue.job_changed.connect(self._on_job_changed)
        queue.jobs_removed.connect(self._on_jobs_removed)
        queue.progress.connect(self._on_progress)
        self.cancel_button.clicked.connect(queue.cancel)
        self.list.currentItemChanged.connect(self._on_current)
        self.list.itemSelectionChanged.connect(self._update_actions)
        self.list.customContextMenuRequested.connect(self._show_context_menu)
        self.retranslate()
        self._update_actions()

    def _action(self, slot, shortcut=None) -> QAction:
        act = QAction(self)
        act.triggered.connect(slot)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.list.addAction(act)
        return act

    def retranslate(self) -> None:
        self._update_title()
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Cancel every image still to recognise, and the one being recognised"))
        self.act_retry.setText(self.tr("Retry"))
        self.act_retry.setToolTip(self.tr("Recognise the selected failed or cancelled images again"))
        self.act_cancel_selected.setText(self.tr("Cancel Selected"))
        self.act_remove.setText(self.tr("Remove"))
        self.act_remove.setToolTip(self.tr("Remove the selected images from the list"))
        self.act_clear_finished.setText(self.tr("Clear Finished"))
        self.act_clear_finished.setToolTip(self.tr("Remove every finished image (done, failed or cancelled)"))
        self.act_clear_all.setText(self.tr("Clear All"))
        self.retry_button.setText(self.act_retry.text())
        self.retry_button.setToolTip(self.act_retry.toolTip())
        self.remove_button.setText(self.act_remove.text())
        self.remove_button.setToolTip(self.act_remove.toolTip())
        self.clear_button.setText(self.tr("Clear"))
        self.clear_button.setToolTip(self.tr("Remove finished images, or all of them"))
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
            return self.tr("failed: %1").replace("%1", error_text.reason_text(job.exception or job.error)[0])
        if job.state == CANCELLED:
            return self.tr("cancelled")
        return job.state

    def _render(self, job: Job) -> None:
        item = self._items.get(job.id)
        if item is None:
            item = QListWidgetItem()
            item.setData(JOB_ROLE, job.id)
            # two lines, tall enough for a Chinese name: the fallback CJK font's lines are taller than
            # the list font says, and a row too short would show only its first line, elided
            item.setSizeHint(QSize(1, round(QFontMetrics(self.list.font()).lineSpacing() * 2.6) + 4))
            self._items[job.id] = item
            self.list.addItem(item)
        if job.document is not None and job.page is not None:  # report.pdf — p. 3/12
            label = self.tr("%1 — p. %2/%3").replace("%1", _short(job.name)).replace(
                "%2", str(job.page)).replace("%3", str(job.document.count))
        else:
            label = job.stem if job.page is not None else _short(job.name)
        item.setText(f"{label}\n    {self.state_text(job)}")
        tip = f"{job.name}\n{self.state_text(job)}"
        if job.state == FAILED and job.exception is not None:  # the English details, for a bug report
            tip += "\n" + error_text.details(job.exception)
        item.setToolTip(tip)
        colours = {FAILED: QColor(200, 40, 40), CANCELLED: QColor(130, 130, 130)}
        if job.state in colours:
            item.setForeground(colours[job.state])
        else:
            item.setData(Qt.ItemDataRole.ForegroundRole, None)

    def _on_job_changed(self, job_id: int) -> None:
        job = self.queue.job(job_id)
        if job is not None:
            self._render(job)
            self._update_actions()

    def _on_jobs_removed(self, job_ids: list[int]) -> None:
        if not self.queue.jobs:
            self.list.clear()  # at once, not item by item
            self._items.clear()
        for job_id in job_ids:
            item = self._items.pop(job_id, None)
            if item is not None:
                self.list.takeItem(self.list.row(item))  # the next item becomes current: it is shown
        self._update_actions()

    # actions -----------------------------------------------------------------------------
    def selected_jobs(self) -> list[Job]:
        """The selected images, else the current one."""
        items = self.list.selectedItems() or ([self.list.currentItem()] if self.list.currentItem() else [])
        jobs = (self.queue.job(int(item.data(JOB_ROLE))) for item in items)
        return [job for job in jobs if job is not None]

    def _update_actions(self) -> None:
        selected = self.selected_jobs()
        self.act_retry.setEnabled(any(j.state in (FAILED, CANCELLED) for j in selected))
        self.act_cancel_selected.setEnabled(any(j.state in ACTIVE for j in selected))
        self.act_remove.setEnabled(bool(selected))
        self.act_clear_finished.setEnabled(len(self.queue.jobs) > self.queue.count(QUEUED) + self.queue.count(RUNNING))
        self.act_clear_all.setEnabled(bool(self.queue.jobs) or self.queue.busy())
        self.retry_button.setEnabled(self.act_retry.isEnabled())
        self.remove_button.setEnabled(self.act_remove.isEnabled())
        self.clear_button.setEnabled(self.act_clear_finished.isEnabled() or self.act_clear_all.isEnabled())
        self.cancel_button.setEnabled(self.queue.busy())
        self._update_title()

    def _update_title(self) -> None:
        if self.queue.walking():
            self.title.setText(self.tr("Images (finding files…)"))
        else:
            self.title.setText(self.tr("Images"))

    def context_menu(self) -> QMenu:
        """The list's context menu, for the selected images."""
        self._update_actions()
        menu = QMenu(self)
        menu.addAction(self.act_retry)
        menu.addAction(self.act_cancel_selected)
        menu.addAction(self.act_remove)
        menu.addSeparator()
        menu.addAction(self.act_clear_finished)
        menu.addAction(self.act_clear_all)
        return menu

    def _show_context_menu(self, pos: QPoint) -> None:
        menu = self.context_menu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.list.viewport().mapToGlobal(pos))

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
        self._update_actions()

    def select_job(self, job_id: int) -> None:
        item = self._items.get(job_id)
        if item is not None and self.list.currentItem() is not item:
            self.list.blockSignals(True)
            self.list.setCurrentItem(item, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.list.blockSignals(False)
            self._update_actions()

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
