"""The main window: inputs (drop, open, paste, URL, PDF pages), batch, canvas, line list, exports,
the cloud features it owns: Cloud Settings (gui.cloud_settings) and Compare with Cloud
(gui.compare), and Serve API (gui.serve_panel: the vendors' APIs served from this window)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from PySide6.QtCore import QBuffer, QEvent, QIODevice, QMimeData, Qt, QThreadPool, Signal
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QIcon, QImage, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSlider,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from .. import __version__, backends, formats
from ..core import sources
from ..core.errors import OcrError, user_message
from . import export, i18n
from .batch_panel import BatchPanel
from .canvas import AMBER, GREEN, RED, OcrCanvas
from .cloud_settings import CloudSettings, CloudSettingsDialog
from .compare import CompareDialog, default_cloud
from .dialogs import OpenUrlDialog, PdfPagePicker, is_web_url, pdf_page_count
from .message_bar import MessageBar
from .resources import resource_path, sample_image
from .results_panel import ResultsPanel
from .serve_panel import ServePanel
from .settings import Settings
from .workers import DONE, FAILED, BatchQueue, Job, RecognizerHost, load_source, to_pixmap

log = logging.getLogger(__name__)

MAX_PDF_PAGES_IN_FOLDER = 100


class MainWindow(QMainWindow):
    result_shown = Signal(int)  # job id whose boxes are now drawn
    error_shown = Signal(str)

    def __init__(self, settings: Settings | None = None, interactive: bool = True):
        super().__init__()
        self.settings = settings or Settings()
        self.interactive = interactive  # False in tests: no modal pickers (PDF: first page)
        self.setWindowIcon(QIcon(str(resource_path("icon.png"))))
        self.setAcceptDrops(True)
        self.pool = QThreadPool(self)
        self.cloud_settings = CloudSettings(self.settings.q)
        self.host = RecognizerHost(self.pool, self.cloud_settings.settings_for, self)
        self.host.name = self.settings.backend() if self.settings.backend() in backends.names() else backends.LOCAL
        self.cloud_dialog: CloudSettingsDialog | None = None
        self.compare_dialog: CompareDialog | None = None
        self.queue = BatchQueue(self.host, self)
        self.current_id: int | None = None
        self._select_guard = False

        # widgets --------------------------------------------------------------------------
        self.canvas = OcrCanvas(self)
        self.results = ResultsPanel(self)
        self.batch = BatchPanel(self.queue, self)
        self.message_bar = MessageBar(self)
        self.legend = QLabel(self)
        self.zoom_label = QLabel(self)
        self.threshold_label = QLabel(self)
        self.threshold_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.threshold_slider.setRange(0, 100)
        self.threshold_slider.setFixedWidth(140)
        self.threshold_value = QLabel(self)
        self.threshold_value.setMinimumWidth(34)
        self.hide_low_check = QCheckBox(self)
        self.backend_combo = QComboBox(self)
        for name in backends.names():
            self.backend_combo.addItem(name, name)
        self.backend_combo.setCurrentIndex(max(0, self.backend_combo.findData(self.host.name)))

        self.view_bar = QToolBar(self)
        self.view_bar.setMovable(False)
        canvas_box = QWidget(self)
        box_layout = QVBoxLayout(canvas_box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.setSpacing(0)
        box_layout.addWidget(self.view_bar)
        box_layout.addWidget(self.canvas, 1)
        legend_row = QHBoxLayout()
        legend_row.setContentsMargins(6, 3, 6, 3)
        legend_row.addWidget(self.legend)
        legend_row.addStretch(1)
        legend_row.addWidget(self.zoom_label)
        box_layout.addLayout(legend_row)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.batch)
        self.splitter.addWidget(canvas_box)
        self.splitter.addWidget(self.results)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 2)
        self.splitter.setSizes([220, 760, 420])
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.status_engine, self.status_time = QLabel(self), QLabel(self)
        self.status_lines, self.status_angle = QLabel(self), QLabel(self)
        for w in (self.status_engine, self.status_time, self.status_lines, self.status_angle):
            self.statusBar().addPermanentWidget(w)
        self.engine_state = "loading"
        self.engine_error = ""
        self.serve_panel = ServePanel(self.settings, self)
        self.statusBar().addPermanentWidget(self.serve_panel)

        self._make_actions()
        self._make_menus()
        self._make_toolbars()

        # wiring ---------------------------------------------------------------------------
        self.queue.job_loaded.connect(self._on_job_loaded)
        self.queue.job_changed.connect(self._on_job_changed)
        self.queue.reload_failed.connect(self._on_reload_failed)
        self.batch.job_activated.connect(self.show_job)
        self.canvas.selection_changed.connect(self._on_canvas_selection)
        self.results.selection_changed.connect(self._on_list_selection)
        self.results.line_edited.connect(self.canvas.refresh_line)
        self.threshold_slider.valueChanged.connect(self._on_threshold)
        self.hide_low_check.toggled.connect(self._on_threshold)
        self.backend_combo.currentIndexChanged.connect(self._on_backend_changed)
        self.canvas.zoom_changed.connect(lambda z: self.zoom_label.setText(f"{z * 100:.0f}%"))
        self.host.ready.connect(self._on_engine_ready)
        self.host.failed.connect(self._on_engine_failed)
        self.serve_panel.changed.connect(self._sync_serve_action)
        self.serve_panel.failed.connect(self.show_error)

        threshold, hide_low = self.settings.threshold(), self.settings.hide_low()  # read both before either saves
        for control in (self.threshold_slider, self.hide_low_check):
            control.blockSignals(True)
        self.threshold_slider.setValue(round(threshold * 100))
        self.hide_low_check.setChecked(hide_low)
        for control in (self.threshold_slider, self.hide_low_check):
            control.blockSignals(False)
        self._on_threshold()
        geometry = self.settings.geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1400, 860)
        self.retranslate()
        self._update_actions()

    # construction -------------------------------------------------------------------------
    def _action(self, slot, shortcut=None, checkable=False) -> QAction:
        act = QAction(self)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        act.setCheckable(checkable)
        act.triggered.connect(slot)
        self.addAction(act)  # shortcuts work even when menus are hidden
        return act

    def _make_actions(self) -> None:
        K = QKeySequence.StandardKey
        self.act_open = self._action(self.open_files_dialog, K.Open)
        self.act_open_folder = self._action(self.open_folder_dialog, "Ctrl+Shift+O")
        self.act_open_url = self._action(self.open_url_dialog, "Ctrl+L")
        self.act_sample = self._action(self.open_sample)
        self.act_paste = self._action(self.paste, K.Paste)
        self.act_copy = self._action(self.copy_selected, K.Copy)
        self.act_copy_all = self._action(self.copy_all, "Ctrl+Shift+C")
        self.act_copy_json = self._action(self.copy_json, "Ctrl+Alt+C")
        self.act_export = self._action(lambda: self.export_current(self.settings.export_format()), K.Save)
        self.act_export_batch = self._action(lambda: self.export_batch(self.settings.export_format()), "Ctrl+Shift+S")
        self.act_cancel = self._action(self.queue.cancel)
        self.act_quit = self._action(self.close, K.Quit)
        self.act_zoom_in = self._action(lambda: self.canvas.zoom_by(1.25), K.ZoomIn)
        self.act_zoom_out = self._action(lambda: self.canvas.zoom_by(0.8), K.ZoomOut)
        self.act_fit = self._action(self.canvas.fit, "Ctrl+0")
        self.act_actual = self._action(self.canvas.actual_size, "Ctrl+1")
        self.act_upright = self._action(self._apply_upright, "Ctrl+R", checkable=True)
        self.act_upright.setChecked(True)
        self.act_about = self._action(self.about)
        self.act_cloud_settings = self._action(lambda: self.open_cloud_settings())
        self.act_compare = self._action(lambda: self.open_compare())
        self.act_serve = self._action(self.serve_panel.set_serving, checkable=True)
        self.export_actions: dict[str, QAction] = {}
        self.export_batch_actions: dict[str, QAction] = {}
        for name in formats.names():
            self.export_actions[name] = self._action(lambda _=False, n=name: self.export_current(n))
            self.export_batch_actions[name] = self._action(lambda _=False, n=name: self.export_batch(n))
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code, label in (("system", None), ("en", "English"), ("zh_CN", "简体中文")):
            act = self._action(lambda _=False, c=code: self.set_language(c), checkable=True)
            if label:
                act.setText(label)
            self.language_group.addAction(act)
            self.language_actions[code] = act
        self.language_actions.get(self.settings.language(), self.language_actions["system"]).setChecked(True)

    def _make_menus(self) -> None:
        mb = self.menuBar()
        self.menu_file = mb.addMenu("")
        self.menu_recent = QMenu(self)
        self.menu_export = QMenu(self)
        self.menu_export_batch = QMenu(self)
        for a in (self.act_open, self.act_open_folder, self.act_open_url, self.act_sample):
            self.menu_file.addAction(a)
        self.menu_file.addMenu(self.menu_recent)
        self.menu_file.addSeparator()
        self.menu_file.addMenu(self.menu_export)
        self.menu_file.addMenu(self.menu_export_batch)
        self.menu_file.addAction(self.act_copy_json)
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.act_serve)
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.act_quit)
        for name in formats.names():
            self.menu_export.addAction(self.export_actions[name])
            self.menu_export_batch.addAction(self.export_batch_actions[name])
        self.menu_edit = mb.addMenu("")
        for a in (self.act_copy, self.act_copy_all, self.act_copy_json, self.act_paste):
            self.menu_edit.addAction(a)
        self.menu_edit.addSeparator()
        self.menu_edit.addAction(self.act_cancel)
        self.menu_view = mb.addMenu("")
        for a in (self.act_zoom_in, self.act_zoom_out, self.act_fit, self.act_actual, self.act_upright):
            self.menu_view.addAction(a)
        self.menu_view.addSeparator()
        self.menu_language = self.menu_view.addMenu("")
        for act in self.language_actions.values():
            self.menu_language.addAction(act)
        self.menu_help = mb.addMenu("")
        self.menu_help.addAction(self.act_about)
        self._rebuild_recent()

    def _make_toolbars(self) -> None:
        self.main_bar = self.addToolBar("main")
        self.main_bar.setObjectName("main_toolbar")
        self.main_bar.setMovable(False)
        self.main_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for a in (self.act_open, self.act_open_folder, self.act_open_url, self.act_paste):
            self.main_bar.addAction(a)
        self.main_bar.addSeparator()
        self.export_button_action = self.main_bar.addAction("", self.act_export.trigger)
        self.main_bar.addSeparator()
        self.engine_label = QLabel(self)
        self.main_bar.addWidget(self.engine_label)
        self.main_bar.addWidget(self.backend_combo)
        self.main_bar.addAction(self.act_cloud_settings)
        self.main_bar.addAction(self.act_compare)
        self.main_bar.addSeparator()
        self.main_bar.addAction(self.act_serve)

        vb = self.view_bar
        for a in (self.act_fit, self.act_actual, self.act_zoom_in, self.act_zoom_out):
            vb.addAction(a)
        vb.addSeparator()
        vb.addAction(self.act_upright)
        vb.addSeparator()
        vb.addWidget(self.threshold_label)
        vb.addWidget(self.threshold_slider)
        vb.addWidget(self.threshold_value)
        vb.addWidget(self.hide_low_check)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("desktop_ocr — offline OCR"))
        texts = {
            self.act_open: self.tr("&Open…"), self.act_open_folder: self.tr("Open &Folder…"),
            self.act_open_url: self.tr("Open &URL…"), self.act_sample: self.tr("Open &Sample Image"),
            self.act_paste: self.tr("&Paste Image or URL"), self.act_copy: self.tr("&Copy Selected Lines"),
            self.act_copy_all: self.tr("Copy &All Text"), self.act_copy_json: self.tr("Copy &JSON"),
            self.act_export: self.tr("Export…"), self.act_export_batch: self.tr("Export Batch…"),
            self.act_cancel: self.tr("Cancel &Batch"), self.act_quit: self.tr("&Quit"),
            self.act_zoom_in: self.tr("Zoom &In"), self.act_zoom_out: self.tr("Zoom &Out"),
            self.act_fit: self.tr("&Fit"), self.act_actual: self.tr("&100%"),
            self.act_upright: self.tr("Show Page &Upright"), self.act_about: self.tr("&About"),
            self.act_cloud_settings: self.tr("Cloud Settings…"), self.act_compare: self.tr("Compare with Cloud…"),
            self.act_serve: self.tr("Serve API"),
        }
        for act, text in texts.items():
            act.setText(text)
        self.act_open.setToolTip(self.tr("Open images or PDFs (Ctrl+O)"))
        self.act_upright.setToolTip(self.tr("Rotate the view by the detected page angle"))
        self.act_sample.setToolTip(self.tr("A receipt drawn for trying the app"))
        self.act_serve.setToolTip(self.tr("Serve the cloud vendors' OCR APIs on 127.0.0.1, answered by the local "
                                          "engine (the port is in the status bar)"))
        self.language_actions["system"].setText(self.tr("System Language"))
        self.menu_file.setTitle(self.tr("&File"))
        self.menu_edit.setTitle(self.tr("&Edit"))
        self.menu_view.setTitle(self.tr("&View"))
        self.menu_help.setTitle(self.tr("&Help"))
        self.menu_language.setTitle(self.tr("&Language"))
        self.menu_recent.setTitle(self.tr("Open &Recent"))
        self.menu_export.setTitle(self.tr("&Export Image As"))
        self.menu_export_batch.setTitle(self.tr("Export &Batch As"))
        for name in formats.names():
            self.export_actions[name].setText(export.format_label(name) + "…")
            self.export_batch_actions[name].setText(export.format_label(name) + "…")
        self.export_button_action.setText(self.tr("Export %1").replace(
            "%1", export.format_label(self.settings.export_format())))
        self.engine_label.setText(self.tr(" Engine: "))
        self.threshold_label.setText(self.tr("Threshold "))
        self.hide_low_check.setText(self.tr("Hide low"))
        self.hide_low_check.setToolTip(self.tr("Hide lines scored below the threshold (canvas and list)"))
        self.legend.setText(
            f"<span style='color:{GREEN.name()}'>■</span> ≥ 0.90 &nbsp;"
            f"<span style='color:{AMBER.name()}'>■</span> ≥ 0.70 &nbsp;"
            f"<span style='color:{RED.name()}'>■</span> &lt; 0.70 &nbsp;"
            f"<span style='color:#8c8c8c'>┅</span> " + self.tr("below threshold"))
        self.canvas.set_placeholder(self.tr(
            "Drop images, PDFs, folders or web links here\n\n"
            "Ctrl+O open · Ctrl+V paste · File > Open Sample Image"))
        self._rebuild_recent()
        self._update_status()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # engine -------------------------------------------------------------------------------
    def start_engine(self) -> None:
        """Load the models in the background; called once the window is visible."""
        self.engine_state = "loading"
        self._update_status()
        self.host.warm_up()

    def _on_engine_ready(self, name: str) -> None:
        if name == self.host.name:
            self.engine_state, self.engine_error = "ready", ""
            self._update_status()

    def _on_engine_failed(self, name: str, reason: str) -> None:
        if name == self.host.name:
            self.engine_state, self.engine_error = "failed", reason
            self._update_status()
            self.show_error(self.tr("The %1 engine is not available: %2").replace("%1", name).replace("%2", reason))

    def _on_backend_changed(self) -> None:
        name = self.backend_combo.currentData()
        if name and name != self.host.name:
            self.host.name = name
            self.settings.set_backend(name)
            self.start_engine()

    # cloud features -----------------------------------------------------------------------
    def open_cloud_settings(self) -> CloudSettingsDialog:
        """The Cloud Settings dialog, on the tab of the backend in use."""
        current = self.host.name if self.host.name in backends.cloud_names() else None
        dlg = CloudSettingsDialog(self.cloud_settings, self, current)
        dlg.saved.connect(self._on_cloud_settings_saved)
        self.cloud_dialog = dlg
        if self.interactive:
            dlg.open()
        return dlg

    def _on_cloud_settings_saved(self, names: list[str]) -> None:
        for name in names:
            self.host.forget(name)  # rebuilt with the new settings on next use
        if self.host.name in names:
            self.start_engine()

    def open_compare(self, cloud: str | None = None) -> CompareDialog | None:
        """Compare the image on screen: the local engine and one cloud service, side by side."""
        job = self.current_job()
        if job is None:
            self.show_error(self.tr("Open an image first, then compare it with a cloud service."))
            return None
        try:
            # a downloaded URL's bytes when the queue kept them: comparing needs no new download
            image = load_source(job.data or job.source, job.page)
        except Exception as exc:  # noqa: BLE001 - every failure is a message, never a crash
            self.show_error(user_message(exc))
            return None
        dlg = CompareDialog(self.host, self, cloud or default_cloud(self.host.name, self.cloud_settings.configured))
        dlg.set_image(image)
        self.compare_dialog = dlg
        if self.interactive:
            dlg.show()
        dlg.run()
        return dlg

    def _sync_serve_action(self) -> None:
        """The Serve API toggle follows the panel: off after a failure, disabled while stopping."""
        self.act_serve.blockSignals(True)
        self.act_serve.setChecked(self.serve_panel.wanted)
        self.act_serve.blockSignals(False)
        self.act_serve.setEnabled(not self.serve_panel.busy)

    # inputs -------------------------------------------------------------------------------
    def open_paths(self, paths: list[str]) -> list[Job]:
        """Queue files, folders, PDFs and URLs (core.sources.expand_sources, as the command line).
        The first new job becomes the one on screen; what cannot be opened is named in the banner."""
        jobs: list[Job] = []
        for raw in paths:
            item = sources.local_path(str(raw).strip())
            if not item:
                continue
            is_dir = not sources.is_url(item) and Path(item).is_dir()
            for entry in sources.expand_sources([item]):
                if isinstance(entry, OcrError):
                    self.show_error(user_message(entry, with_source=True))
                elif sources.is_url(entry):
                    jobs.append(self.queue.add(entry, entry))  # the loader judges the scheme and the answer
                else:
                    jobs.extend(self._add_file(Path(entry), in_folder=is_dir))
            if sources.is_url(item):
                self.settings.add_recent(item)
            elif Path(item).exists():
                self.settings.add_recent(item)
                self.settings.set_last_folder(item if is_dir else str(Path(item).parent))
        self._rebuild_recent()
        if jobs:
            self.show_job(jobs[0].id)
        return jobs

    def _add_file(self, path: Path, in_folder: bool = False) -> list[Job]:
        if path.suffix.lower() == ".pdf" and path.is_file():
            try:
                pages = pdf_page_count(str(path))
            except Exception:
                pages = 1  # a broken PDF: let the loader report why, in the list
            chosen = list(range(1, pages + 1))[:MAX_PDF_PAGES_IN_FOLDER] if in_folder else [1]
            if pages > 1 and not in_folder and self.interactive:
                self._pick_pdf_pages(path, pages)
                return []
            return [self.queue.add(str(path), str(path), page=p) for p in chosen]
        return [self.queue.add(str(path), str(path))]

    def _pick_pdf_pages(self, path: Path, pages: int) -> None:
        """Ask which pages to recognise, without blocking (this may run inside a drop handler)."""
        picker = PdfPagePicker(path.name, pages, self)
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def accepted() -> None:
            jobs = [self.queue.add(str(path), str(path), page=p) for p in picker.pages() or [1]]
            self.show_job(jobs[0].id)

        picker.accepted.connect(accepted)
        picker.open()

    def open_bytes(self, data: bytes, name: str) -> Job:
        job = self.queue.add(data, name)
        self.show_job(job.id)
        return job

    def open_mime(self, mime: QMimeData) -> list[Job]:
        """Files/folders, then image data (browser drags, screenshots), then web URLs, then URL text."""
        urls = mime.urls() if mime.hasUrls() else []
        local = [u.toLocalFile() for u in urls if u.isLocalFile()]
        if local:
            return self.open_paths(local)
        if mime.hasImage():
            image = mime.imageData()
            if isinstance(image, QImage) and not image.isNull():
                web = [u.toString() for u in urls if u.scheme() in ("http", "https")]
                name = web[0] if web else self.tr("pasted image")
                return [self.open_bytes(qimage_png(image), name)]
        web = [u.toString() for u in urls if u.scheme() in ("http", "https")]
        if web:
            return self.open_paths(web)
        if mime.hasText():
            candidates = [t.strip() for t in mime.text().splitlines() if t.strip()]
            usable = [t for t in candidates if is_web_url(t) or t.startswith("file:") or Path(t).exists()]
            if usable:
                return self.open_paths(usable)
        self.show_error(self.tr("Nothing to open: the clipboard or drop holds no image, file or URL."))
        return []

    def dragEnterEvent(self, event) -> None:
        mime = event.mimeData()
        if mime.hasUrls() or mime.hasImage() or mime.hasText():
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        event.acceptProposedAction()
        self.open_mime(event.mimeData())

    def paste(self) -> None:
        self.open_mime(QGuiApplication.clipboard().mimeData())

    def open_files_dialog(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Open images"), self.settings.last_folder(),
            self.tr("Images and PDFs") + " (" + " ".join(f"*{e}" for e in sorted(sources.SOURCE_EXTENSIONS)) + ");;"
            + self.tr("All files (*)"))
        if files:
            self.open_paths(files)

    def open_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Open folder"), self.settings.last_folder())
        if folder:
            self.open_paths([folder])

    def open_url_dialog(self) -> None:
        clip = QGuiApplication.clipboard().text().strip()
        dialog = OpenUrlDialog(self, clip if is_web_url(clip) else "")
        if dialog.exec():
            self.open_paths([dialog.url()])

    def open_sample(self) -> None:
        self.open_paths([str(sample_image())])

    def _rebuild_recent(self) -> None:
        if not hasattr(self, "menu_recent"):
            return
        self.menu_recent.clear()
        recent = self.settings.recent_files()
        for path in recent:
            self.menu_recent.addAction(path).triggered.connect(lambda _checked=False, p=path: self.open_paths([p]))
        if recent:
            self.menu_recent.addSeparator()
            self.menu_recent.addAction(self.tr("Clear"), self._clear_recent)
        self.menu_recent.setEnabled(bool(recent))

    def _clear_recent(self) -> None:
        self.settings.clear_recent()
        self._rebuild_recent()

    # showing results ----------------------------------------------------------------------
    def current_job(self) -> Job | None:
        return self.queue.job(self.current_id) if self.current_id is not None else None

    def show_job(self, job_id: int) -> None:
        job = self.queue.job(job_id)
        if job is None:
            return
        self.current_id = job_id
        self.queue.pinned = job_id
        self.batch.select_job(job_id)
        self.canvas.clear_page()
        self.results.set_result(None)
        if job.image is not None:
            self.canvas.set_image(to_pixmap(job.image))
            if job.state == DONE:
                self._show_result(job)
        elif job.state == DONE:
            self.results.set_result(job.result)  # the text now; the page and its boxes once decoded again
            self.queue.ensure_image(job)
        self._update_status()
        self._update_actions()

    def _on_reload_failed(self, job_id: int, reason: str) -> None:
        job = self.queue.job(job_id)
        assert job is not None, "the queue never drops a job"
        self.show_error(self.tr("Cannot show %1 again: %2").replace("%1", job.name).replace("%2", reason))

    def _on_job_loaded(self, job_id: int) -> None:
        job = self.queue.job(job_id)
        if job_id == self.current_id and job is not None and job.image is not None:
            self.canvas.set_image(to_pixmap(job.image))
            if job.state == DONE:  # a finished page decoded again for display
                self._show_result(job)

    def _on_job_changed(self, job_id: int) -> None:
        job = self.queue.job(job_id)
        if job is None:
            return
        if job.state == FAILED:
            self.show_error(self.tr("Could not recognise %1: %2").replace("%1", job.name).replace("%2", job.error))
        if job_id == self.current_id:
            if job.state == DONE:
                self._show_result(job)
            self._update_status()
        self._update_actions()

    def _show_result(self, job: Job) -> None:
        self.canvas.set_result(job.result)
        self.results.set_result(job.result)
        self._apply_upright()
        self._update_status()
        self.result_shown.emit(job.id)

    def _apply_upright(self) -> None:
        job = self.current_job()
        angle = job.result.angle if job and job.result else 0.0
        self.canvas.set_rotation(-angle if self.act_upright.isChecked() else 0.0)

    def _on_threshold(self, *_):
        value = self.threshold_slider.value() / 100.0
        hide = self.hide_low_check.isChecked()
        self.threshold_value.setText(f"{value:.2f}")
        self.canvas.set_threshold(value, hide)
        self.results.set_filter(value, hide)
        self.settings.set_threshold(value)
        self.settings.set_hide_low(hide)

    # selection sync -----------------------------------------------------------------------
    def _on_canvas_selection(self, indices: list) -> None:
        if not self._select_guard:
            self._select_guard = True
            self.results.select_rows(indices)
            self._select_guard = False

    def _on_list_selection(self, rows: list) -> None:
        if not self._select_guard:
            self._select_guard = True
            self.canvas.select_lines(rows)
            self._select_guard = False

    # status -------------------------------------------------------------------------------
    def _update_status(self) -> None:
        name = self.host.name
        state = {"loading": self.tr("loading models…"), "ready": self.tr("ready"),
                 "failed": self.tr("unavailable")}.get(self.engine_state, "")
        self.status_engine.setText(self.tr("Engine: %1 (%2)").replace("%1", name).replace("%2", state))
        job = self.current_job()
        res = job.result if job is not None and job.state == DONE else None
        if res is None:
            busy = job is not None and job.state not in (DONE, FAILED)
            self.status_time.setText(self.tr("recognising…") if busy else "")
            self.status_lines.setText("")
            self.status_angle.setText("")
            return
        if res.elapsed is not None:
            self.status_time.setText(self.tr("%1 s").replace("%1", f"{res.elapsed:.2f}"))
        else:
            self.status_time.setText("")
        self.status_lines.setText(self.tr("%n line(s)", "", len(res.lines)))
        angle = f"{res.angle:+.1f}°" if res.angle_detected or res.angle else "0°"
        self.status_angle.setText(self.tr("Angle: %1").replace("%1", angle))

    def _update_actions(self) -> None:
        job = self.current_job()
        has_result = job is not None and job.state == DONE
        for act in (self.act_export, self.act_copy_json, self.act_copy, self.act_copy_all,
                    *self.export_actions.values()):
            act.setEnabled(has_result)
        any_done = any(j.state == DONE for j in self.queue.jobs)
        for act in (self.act_export_batch, *self.export_batch_actions.values()):
            act.setEnabled(any_done)

    def show_error(self, text: str) -> None:
        log.warning("%s", text)
        self.message_bar.show_message(text, "error")
        self.error_shown.emit(text)

    def show_info(self, text: str) -> None:
        self.message_bar.show_message(text, "info")

    # copy / export ------------------------------------------------------------------------
    def copy_selected(self) -> None:
        job = self.current_job()
        if not job or not job.result:
            return
        rows = self.results.selected_rows() or self.canvas.selected_indices()
        text = "\n".join(job.result.lines[i].text for i in rows) if rows else job.result.text
        QGuiApplication.clipboard().setText(text)

    def copy_all(self) -> None:
        job = self.current_job()
        if job and job.result:
            QGuiApplication.clipboard().setText(job.result.text)

    def copy_json(self) -> None:
        job = self.current_job()
        if job and job.result:
            QGuiApplication.clipboard().setText(formats.export_text(job.result, self.settings.export_format()))
            self.show_info(self.tr("Copied the result as %1.").replace(
                "%1", export.format_label(self.settings.export_format())))

    def export_current(self, fmt: str, path: str | os.PathLike | None = None) -> Path | None:
        """Export the image on screen; ``path`` skips the dialog (its caller already confirmed)."""
        job = self.current_job()
        if not job or job.state != DONE:
            self.show_error(self.tr("Nothing to export yet: no recognised image is shown."))
            return None
        self._remember_format(fmt)
        target = Path(path) if path else export.ask_save_path(self, job, fmt, self.settings.last_folder())
        if target is None:
            return None
        try:
            written = export.write_result(job, target, fmt)
        except Exception as exc:
            self._export_failed(target, exc)
            return None
        self.show_info(self.tr("Exported %1").replace("%1", str(written)))
        return written

    def export_batch(self, fmt: str, folder: str | os.PathLike | None = None, confirm=None) -> list[Path]:
        """Every finished image into one folder, one file each. ``confirm(existing)`` decides overwrites."""
        self._remember_format(fmt)
        target = Path(folder) if folder else export.ask_folder(self, self.settings.last_folder())
        if target is None:
            return []
        try:
            written = export.export_batch(self.queue.jobs, target, fmt,
                                          confirm or (lambda existing: export.ask_overwrite(self, existing)))
        except Exception as exc:
            self._export_failed(target, exc)
            return []
        self.show_info(self.tr("Exported %n file(s) to %1", "", len(written)).replace("%1", str(target)))
        return written

    def _remember_format(self, fmt: str) -> None:
        if fmt != self.settings.export_format():
            self.settings.set_export_format(fmt)
            self.retranslate()

    def _export_failed(self, target: Path, exc: Exception) -> None:
        self.show_error(self.tr("Export failed for %1: %2").replace("%1", str(target)).replace("%2", user_message(exc)))

    # misc ---------------------------------------------------------------------------------
    def set_language(self, code: str) -> None:
        self.settings.set_language(code)
        i18n.install(code)  # LanguageChange reaches every widget, which re-sets its texts

    def about(self) -> None:
        QMessageBox.about(self, self.tr("About desktop_ocr"), self.tr(
            "<b>desktop_ocr %1</b><br>Offline OCR for Simplified Chinese and English.<br>"
            "Recognition: RapidOCR (PP-OCR models on ONNX Runtime), all on this computer.").replace("%1", __version__))

    def closeEvent(self, event) -> None:
        self.settings.set_geometry(self.saveGeometry())
        self.settings.sync()
        self.serve_panel.shutdown()  # requests in flight finish, then its engine workers end
        self.queue.shutdown()
        self.pool.waitForDone(30000)
        super().closeEvent(event)


def qimage_png(image: QImage) -> bytes:
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")  # type: ignore[call-overload]  # PySide6 stub says bytes; only a str works
    return bytes(buf.data().data())
