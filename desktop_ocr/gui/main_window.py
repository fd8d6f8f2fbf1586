"""The main window: inputs (drop, open, paste, URL, PDF pages), batch, canvas, line list, exports,
the cloud features it owns: Cloud Settings (gui.cloud_settings) and Compare with Cloud
(gui.compare), and Serve API (gui.serve_panel: the vendors' APIs served from this window)."""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, Qt, QTimer, Signal
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
from ..capture.models import Shot
from ..core import sources
from ..core.errors import BackendError, CaptureFailed
from ..formats import text as text_format
from . import error_text, export, i18n
from .batch_panel import BatchPanel
from .canvas import AMBER, GREEN, RED, OcrCanvas
from .capture_overlay import Region, RegionSelector
from .clipboard_watch import ClipboardWatch
from .cloud_settings import CloudSettings, CloudSettingsDialog
from .compare import CompareDialog, backend_title, default_cloud
from .dialogs import OpenUrlDialog, PdfPagePicker, is_web_url
from .message_bar import MessageBar
from .page_strip import PageStrip
from .resources import resource_path, sample_image
from .results_panel import ResultsPanel
from .resume import FOLDER as RESUME_FOLDER
from .serve_panel import ServePanel
from .settings import CAPTURE_AFTER, Settings
from .workers import (
    ACTIVE,
    CANCELLED,
    DONE,
    FAILED,
    Background,
    BatchQueue,
    Found,
    Job,
    RecognizerHost,
    load_source,
    to_pixmap,
)

log = logging.getLogger(__name__)

#: a document opened on its own with more pages than this asks which to recognise (all by default);
#: a folder's documents are queued whole (a queued page holds no pixels: workers.Document)
ASK_PAGES_ABOVE = 200
#: Capture Region waits this long after hiding the window, so it is gone from the screenshot
#: (window managers and compositors animate the hiding)
CAPTURE_HIDE_MS = 350


def grab_screens() -> list[Shot]:
    """Every screen's picture, through the best handler of this session (desktop_ocr.capture)."""
    from .. import capture

    return capture.grab()


class MainWindow(QMainWindow):
    result_shown = Signal(int)  # job id whose boxes are now drawn
    error_shown = Signal(str)
    exported = Signal(object)  # list[Path]: a searchable PDF export (written on a worker) is done

    def __init__(self, settings: Settings | None = None, interactive: bool = True,
                 grab: Callable[[], list[Shot]] | None = None):
        super().__init__()
        self.settings = settings or Settings()
        self.interactive = interactive  # False in tests: no modal pickers (PDF: first page)
        #: where Capture Region's screenshots come from: every screen's picture (capture.grab)
        self.grab_screens: Callable[[], list[Shot]] = grab or grab_screens
        self.capture_selector: RegionSelector | None = None  # the overlays while a region is chosen
        self._capturing = False
        self._shown_before_capture = True
        self._copy_when_done: dict[int, str] = {}  # capture job id -> how its text is copied
        self.setWindowIcon(QIcon(str(resource_path("icon.png"))))
        self.setAcceptDrops(True)
        self.background = Background(self)  # one-off work off the GUI thread (Compare's page)
        self.cloud_settings = CloudSettings(self.settings.q)
        self.host = RecognizerHost(self.cloud_settings.settings_for, self)
        self.host.name = self.settings.backend() if self.settings.backend() in backends.names() else backends.LOCAL
        self.cloud_dialog: CloudSettingsDialog | None = None
        self.compare_dialog: CompareDialog | None = None
        self.queue = BatchQueue(self.host, self)
        # the finished pages of opened folders and documents are recorded there (gui.resume)
        self.queue.resume.folder = self.settings.data_folder() / RESUME_FOLDER
        self.current_id: int | None = None
        self._show_first: set[int] = set()  # open requests whose first image is not on screen yet
        self._select_guard = False

        # widgets --------------------------------------------------------------------------
        self.canvas = OcrCanvas(self)
        self.results = ResultsPanel(self)
        self.batch = BatchPanel(self.queue, self)
        self.page_strip = PageStrip(self.queue, self)  # the pages of the document on screen
        self.page_strip.watch(self.canvas)
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
            self.backend_combo.addItem(backend_title(name), name)
        self.backend_combo.setCurrentIndex(max(0, self.backend_combo.findData(self.host.name)))

        self.view_bar = QToolBar(self)
        self.view_bar.setMovable(False)
        canvas_box = QWidget(self)
        box_layout = QVBoxLayout(canvas_box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.setSpacing(0)
        box_layout.addWidget(self.view_bar)
        box_layout.addWidget(self.canvas, 1)
        box_layout.addWidget(self.page_strip)
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
        #: what is known of a cloud backend's connection: "ok" (a call went through), "failed" (the
        #: last call failed on the way or was refused); absent = not checked since its settings changed
        self.cloud_checked: dict[str, str] = {}
        self.serve_panel = ServePanel(self.settings, self)
        self.statusBar().addPermanentWidget(self.serve_panel)

        self._make_actions()
        self._make_menus()
        self._make_toolbars()

        # wiring ---------------------------------------------------------------------------
        self.queue.job_loaded.connect(self._on_job_loaded)
        self.queue.job_changed.connect(self._on_job_changed)
        self.queue.reload_failed.connect(self._on_reload_failed)
        self.queue.found.connect(self._on_found)
        self.queue.walked.connect(self._show_first.discard)
        self.queue.jobs_removed.connect(self._on_jobs_removed)
        self.queue.resume.resumed.connect(self._on_resumed)
        self.queue.resume.failed.connect(self._on_resume_failed)
        self.batch.job_activated.connect(self.show_job)
        self.page_strip.page_activated.connect(self.show_job)
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
        self.act_capture = self._action(self.capture_region, "Ctrl+Shift+A")  # Ctrl+Alt+C is Copy JSON
        self.capture_after_group = QActionGroup(self)
        self.capture_after_actions: dict[str, QAction] = {}
        for mode in CAPTURE_AFTER:
            act = self._action(lambda _=False, m=mode: self.settings.set_capture_after(m), checkable=True)
            self.capture_after_group.addAction(act)
            self.capture_after_actions[mode] = act
        self.capture_after_actions[self.settings.capture_after()].setChecked(True)
        self.act_copy = self._action(self.copy_selected, K.Copy)
        self.act_copy_all = self._action(self.copy_all, "Ctrl+Shift+C")
        self.act_copy_json = self._action(self.copy_json, "Ctrl+Alt+C")
        self.act_export = self._action(lambda: self.export_current(self.settings.export_format()), K.Save)
        self.act_export_batch = self._action(lambda: self.export_batch(self.settings.export_format()), "Ctrl+Shift+S")
        self.act_export_document = self._action(lambda: self.export_document(), "Ctrl+Alt+S")
        self.act_export_pdf = self._action(lambda: self.export_pdf())
        self.act_export_batch_pdf = self._action(lambda: self.export_batch_pdf())
        self.act_cancel = self._action(self.queue.cancel)
        self.act_quit = self._action(self.close, K.Quit)
        self.act_zoom_in = self._action(lambda: self.canvas.zoom_by(1.25), K.ZoomIn)
        self.act_zoom_out = self._action(lambda: self.canvas.zoom_by(0.8), K.ZoomOut)
        self.act_fit = self._action(self.canvas.fit, "Ctrl+0")
        self.act_actual = self._action(self.canvas.actual_size, "Ctrl+1")
        self.act_upright = self._action(self._apply_upright, "Ctrl+R", checkable=True)
        self.act_upright.setChecked(True)
        self.act_codes = self._action(self._apply_codes, checkable=True)
        self.act_codes.setChecked(self.settings.read_codes())
        self._apply_codes()
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
        for a in (self.act_open, self.act_open_folder, self.act_open_url, self.act_sample, self.act_capture):
            self.menu_file.addAction(a)
        self.menu_file.addMenu(self.menu_recent)
        self.menu_file.addSeparator()
        self.menu_file.addMenu(self.menu_export)
        self.menu_file.addMenu(self.menu_export_batch)
        self.menu_file.addAction(self.act_export_document)
        self.menu_file.addAction(self.act_copy_json)
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.act_serve)
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.act_quit)
        for name in formats.names():
            self.menu_export.addAction(self.export_actions[name])
            self.menu_export_batch.addAction(self.export_batch_actions[name])
        self.menu_export.addSeparator()
        self.menu_export.addAction(self.act_export_pdf)
        self.menu_export_batch.addSeparator()
        self.menu_export_batch.addAction(self.act_export_batch_pdf)
        self.menu_edit = mb.addMenu("")
        for a in (self.act_copy, self.act_copy_all, self.act_copy_json, self.act_paste):
            self.menu_edit.addAction(a)
        self.menu_edit.addSeparator()
        self.menu_edit.addAction(self.act_cancel)
        self.menu_view = mb.addMenu("")
        for a in (self.act_zoom_in, self.act_zoom_out, self.act_fit, self.act_actual, self.act_upright):
            self.menu_view.addAction(a)
        self.menu_view.addSeparator()
        self.menu_capture_after = self.menu_view.addMenu("")
        for act in self.capture_after_actions.values():
            self.menu_capture_after.addAction(act)
        self.menu_view.addAction(self.act_codes)
        self.clipboard_watch = ClipboardWatch(self, self.menu_view)  # Read Images Copied to the Clipboard
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
        for a in (self.act_open, self.act_open_folder, self.act_open_url, self.act_paste, self.act_capture):
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
            self.act_copy_all: self.tr("Copy &All Text"),
            self.act_copy_json: self.tr("Copy &JSON (%1)").replace("%1", export.format_label(self.copy_format())),
            self.act_export: self.tr("Export…"), self.act_export_batch: self.tr("Export Batch…"),
            self.act_export_document: self.tr("Export &Document…"),
            self.act_export_pdf: self.tr("Searchable PDF…"), self.act_export_batch_pdf: self.tr("Searchable PDFs…"),
            self.act_cancel: self.tr("Cancel &Batch"), self.act_quit: self.tr("&Quit"),
            self.act_zoom_in: self.tr("Zoom &In"), self.act_zoom_out: self.tr("Zoom &Out"),
            self.act_fit: self.tr("&Fit"), self.act_actual: self.tr("&100%"),
            self.act_upright: self.tr("Show Page &Upright"), self.act_about: self.tr("&About"),
            self.act_codes: self.tr("Read &QR Codes and Barcodes"),
            self.act_cloud_settings: self.tr("Cloud Settings…"), self.act_compare: self.tr("Compare with Cloud…"),
            self.act_serve: self.tr("Serve API"),
            self.act_capture: self.tr("Capture &Region"),
            self.capture_after_actions["show"]: self.tr("&Show It in the Window"),
            self.capture_after_actions["lines"]: self.tr("Copy the Text: &Lines as They Are"),
            self.capture_after_actions["paragraphs"]: self.tr("Copy the Text: Joined into &Paragraphs"),
            self.capture_after_actions["one_line"]: self.tr("Copy the Text: &One Line"),
            self.capture_after_actions["layout"]: self.tr("Copy the Text: Keeping the &Layout (Table Rows)"),
        }
        for act, text in texts.items():
            act.setText(text)
        self.act_open.setToolTip(self.tr("Open images or PDFs (Ctrl+O)"))
        self.act_upright.setToolTip(self.tr("Rotate the view by the detected page angle"))
        self.act_export_document.setToolTip(self.tr(
            "Export every recognised page of the document on screen (a PDF or TIFF) in one go"))
        self.act_export_pdf.setToolTip(self.tr(
            "A PDF of the document or image on screen with its recognised text, searchable and selectable"))
        self.act_export_batch_pdf.setToolTip(self.tr("One searchable PDF per document or image, into a folder"))
        self.act_codes.setToolTip(self.tr("List the QR codes and barcodes of the next images as lines of their own"))
        self.act_sample.setToolTip(self.tr("A receipt drawn for trying the app"))
        self.act_serve.setToolTip(self.tr("Serve the cloud vendors' OCR APIs on 127.0.0.1, answered by the local "
                                          "engine (the port is in the status bar)"))
        self.language_actions["system"].setText(self.tr("System Language"))
        self.menu_file.setTitle(self.tr("&File"))
        self.menu_edit.setTitle(self.tr("&Edit"))
        self.menu_view.setTitle(self.tr("&View"))
        self.menu_help.setTitle(self.tr("&Help"))
        self.menu_language.setTitle(self.tr("&Language"))
        self.menu_capture_after.setTitle(self.tr("After a &Capture"))
        self.act_capture.setToolTip(self.tr("Drag a rectangle anywhere on the screen and recognise it "
                                            "(%1; Enter repeats the last region, Esc cancels)").replace(
            "%1", self.act_capture.shortcut().toString(QKeySequence.SequenceFormat.NativeText)))
        self.menu_recent.setTitle(self.tr("Open &Recent"))
        self.menu_export.setTitle(self.tr("&Export Image As"))
        self.menu_export_batch.setTitle(self.tr("Export &Batch As"))
        for name in formats.names():
            self.export_actions[name].setText(export.format_label(name) + "…")
            self.export_batch_actions[name].setText(export.format_label(name) + "…")
        self.export_button_action.setText(self.tr("Export %1").replace(
            "%1", export.format_label(self.settings.export_format())))
        self.engine_label.setText(self.tr(" Engine: "))
        for i in range(self.backend_combo.count()):
            self.backend_combo.setItemText(i, backend_title(self.backend_combo.itemData(i)))
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

    def _on_engine_failed(self, name: str, reason: object) -> None:
        if name == self.host.name:
            text, details = error_text.reason_text(reason, vendor=name)
            self.engine_state, self.engine_error = "failed", text
            self._update_status()
            self.show_error(text, details)  # the sentence names the engine or the service

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
        dlg.connection_tested.connect(self._on_connection_tested)
        self.cloud_dialog = dlg
        if self.interactive:
            dlg.open()
        return dlg

    def _on_cloud_settings_saved(self, names: list[str]) -> None:
        for name in names:
            self.host.forget(name)  # rebuilt with the new settings on next use
            self.cloud_checked.pop(name, None)  # new settings: nothing is known of them yet
        self._update_status()
        if self.host.name in names:
            self.start_engine()

    def _on_connection_tested(self, name: str, ok: bool, saved: bool) -> None:
        """Test connection in Cloud Settings: it tells the status bar about the saved settings only."""
        if saved:
            self.cloud_checked[name] = "ok" if ok else "failed"
            self._update_status()

    def open_compare(self, cloud: str | None = None) -> CompareDialog | None:
        """Compare the image on screen: the local engine and one cloud service, side by side."""
        job = self.current_job()
        if job is None:
            self.show_error(self.tr("Open an image first, then compare it with a cloud service."))
            return None
        dlg = CompareDialog(self.host, self, cloud or default_cloud(self.host.name, self.cloud_settings.configured))
        self.compare_dialog = dlg
        if self.interactive:
            dlg.show()
        # the page is decoded on a worker (a big scan or a PDF page takes a while), then compared; a
        # downloaded URL's bytes when the queue kept them: comparing needs no new download
        source, page, name = job.data or job.source, job.page, job.name

        def loaded(image) -> None:
            if self.interactive and not dlg.isVisible():
                return  # closed while its page was decoding: nothing to compare for
            dlg.set_image(image)
            dlg.run()

        def failed(exc: BaseException) -> None:
            dlg.close()
            self.show_exception(exc, self.tr("Cannot compare %1: %2"), name)

        self.background.run(lambda: load_source(source, page), loaded, failed, name="desktop_ocr-compare")
        return dlg

    def _sync_serve_action(self) -> None:
        """The Serve API toggle follows the panel: off after a failure, disabled while stopping."""
        self.act_serve.blockSignals(True)
        self.act_serve.setChecked(self.serve_panel.wanted)
        self.act_serve.blockSignals(False)
        self.act_serve.setEnabled(not self.serve_panel.busy)

    # screen capture -----------------------------------------------------------------------
    def capture_region(self) -> None:
        """Capture Region: hide the window, take every screen's picture, let a rectangle be dragged
        over it (gui.capture_overlay), restore the window and queue the rectangle's pixels like a
        pasted image. "After a capture" (settings) may copy its text once it is recognised."""
        if self._capturing:
            return  # one capture at a time (the key pressed again, a hand-over meanwhile)
        self._capturing = True
        self._shown_before_capture = self.isVisible()
        self.hide()
        QTimer.singleShot(CAPTURE_HIDE_MS, self._capture_grab)

    def _capture_grab(self) -> None:
        try:
            shots = self.grab_screens()
        except CaptureFailed as exc:
            self._capture_done(show=True)  # the message bar says why
            self.show_exception(exc)  # its sentence says the screen could not be captured
            return
        selector = RegionSelector(shots, self.settings.last_region(), self)
        selector.finished.connect(lambda region: self._on_region(shots, region))
        self.capture_selector = selector
        selector.start()

    def _on_region(self, shots: list[Shot], region: Region | None) -> None:
        from .. import capture

        if self.capture_selector is not None:
            self.capture_selector.deleteLater()
        self.capture_selector = None
        self._capture_done(show=region is not None and self.settings.capture_after() == "show")
        if region is None:
            return  # cancelled: nothing to say
        try:
            image = capture.crop(shots, *region)
        except CaptureFailed as exc:
            self._capture_done(show=True)
            self.show_exception(exc)  # its sentence says the screen could not be captured
            return
        self.settings.set_last_region(region)
        # queued as a pasted image is: the worker encodes it (PNG, for cloud uploads)
        job = self.queue.add(image, "capture " + datetime.now().strftime("%Y-%m-%d %H:%M:%S"))
        mode = self.settings.capture_after()
        if mode != "show":
            self._copy_when_done[job.id] = mode
        self.show_job(job.id)

    def _capture_done(self, show: bool) -> None:
        """The window back as it was; a window that was hidden (in the tray) is shown only when
        ``show`` (the result or an error is to be seen there)."""
        self._capturing = False
        if self._shown_before_capture or show:
            self.show()
            self.raise_()
            self.activateWindow()

    def _copy_capture(self, job: Job, mode: str) -> None:
        assert job.result is not None, "a finished job has its result"
        view = self.view()  # what is copied is what the window shows (Hide low)
        QGuiApplication.clipboard().setText(text_format.joined(view.apply(job.result), mode))
        self.show_info(self.tr("Copied the text of %1 to the clipboard.").replace("%1", job.name)
                       + self._hidden_note(view.hidden(job.result)))

    # inputs -------------------------------------------------------------------------------
    def open_paths(self, paths: list[str]) -> None:
        """Queue files, folders, PDFs and URLs (core.sources.expand_sources, as the command line).
        They are looked at on a worker (folders walked, PDFs' pages counted: never on the GUI
        thread) and queued as they are found (_on_found); the first image found becomes the one on
        screen; what cannot be opened is named in the banner."""
        items = [str(p) for p in paths if str(p).strip()]
        if items:
            self._show_first.add(self.queue.open(items))

    def _on_found(self, walk: int, found: list[Found]) -> None:
        """What an open request found (in order): queue it, say what cannot be opened, remember it."""
        first: Job | None = None
        remembered = False
        for f in found:
            if f.kind == "error":
                assert f.error is not None, "an error entry carries its error"
                self.show_exception(f.error, self.tr("Cannot open %1: %2"), f.error.source or f.source)
            elif f.kind == "opened":
                self.settings.add_recent(f.source)
                if not sources.is_url(f.source):
                    self.settings.set_last_folder(f.source if f.in_folder else str(Path(f.source).parent))
                remembered = True
            else:
                jobs = self._add_document(f) if f.kind in ("pdf", "tiff") else \
                    [self.queue.add(f.source, f.source, root=f.root)]
                first = first or (jobs[0] if jobs else None)
        if remembered:
            self._rebuild_recent()
        if first is not None and walk in self._show_first:
            self._show_first.discard(walk)
            self.show_job(first.id)

    def _add_document(self, found: Found) -> list[Job]:
        """A PDF or multi-page TIFF: every page queued, in order (a very long one opened on its own
        asks which pages first)."""
        path = found.source
        if found.error is not None:  # damaged, empty, too large: one failed item says why
            return [self.queue.add(path, path, error=found.error, root=found.root)]
        if found.pages > ASK_PAGES_ABOVE and self.interactive and not found.in_folder:
            self._pick_pages(found)
            return []
        return self.queue.add_document(path, max(1, found.pages), found.kind, root=found.root)

    def _pick_pages(self, found: Found) -> None:
        """Ask which pages to recognise, without blocking (this may run inside a drop handler)."""
        picker = PdfPagePicker(Path(found.source).name, found.pages, self)
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def accepted() -> None:
            jobs = self.queue.add_document(found.source, found.pages, found.kind, picker.pages() or [1],
                                           root=found.root)
            self.show_job(jobs[0].id)

        picker.accepted.connect(accepted)
        picker.open()

    def _on_resumed(self, root: str, done: int, total: int) -> None:
        """Pages of ``root`` came done from the record an earlier session left (gui.resume)."""
        self.show_info(error_text.fill(self.tr("Resumed: %1 of %2 pages of %3 were read in an earlier session."),
                                       done, total, Path(root).name or root))

    def _on_resume_failed(self, root: str, exc: BaseException) -> None:
        """The record of ``root`` cannot be written: recognition goes on, it cannot be resumed."""
        self.show_exception(exc, self.tr("Recognition goes on, but %1 cannot be resumed if it is interrupted: %2"),
                            Path(root).name or root)

    def open_bytes(self, data: bytes, name: str) -> Job:
        job = self.queue.add(data, name)
        self.show_job(job.id)
        return job

    def open_mime(self, mime: QMimeData) -> None:
        """Files/folders, then image data (browser drags, screenshots), then web URLs, then URL text."""
        urls = mime.urls() if mime.hasUrls() else []
        local = [u.toLocalFile() for u in urls if u.isLocalFile()]
        if local:
            self.open_paths(local)
            return
        if mime.hasImage():
            image = mime.imageData()
            if isinstance(image, QImage) and not image.isNull():
                web = [u.toString() for u in urls if u.scheme() in ("http", "https")]
                name = web[0] if web else self.tr("pasted image")
                # queued as it is: the worker encodes it (PNG, for cloud uploads), not the GUI thread
                job = self.queue.add(image, name)
                self.show_job(job.id)
                return
        web = [u.toString() for u in urls if u.scheme() in ("http", "https")]
        if web:
            self.open_paths(web)
            return
        if mime.hasText():
            candidates = [t.strip() for t in mime.text().splitlines() if t.strip()]
            usable = [t for t in candidates if is_web_url(t) or t.startswith("file:") or Path(t).exists()]
            if usable:
                self.open_paths(usable)
                return
        self.show_error(self.tr("Nothing to open: the clipboard or drop holds no image, file or URL."))

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
        self.page_strip.show_job(job)
        self.canvas.clear_page()
        self.results.set_result(None)
        if job.image is not None:
            self.canvas.set_image(to_pixmap(job.image))
            if job.state == DONE:
                self._show_result(job)
        elif job.state == DONE:
            self.results.set_result(job.result)  # the text now; the page and its boxes once decoded again
            self.queue.ensure_image(job)
        elif job.state == CANCELLED or (job.state == FAILED and job.decoded):
            self.queue.ensure_image(job)  # its page (a failed one whose page never decoded has none)
        self._update_status()
        self._update_actions()

    def _on_reload_failed(self, job_id: int, reason: object) -> None:
        job = self.queue.job(job_id)
        assert job is not None, "the queue never drops a job"
        text, details = error_text.reason_text(reason)
        self.show_error(error_text.fill(self.tr("Cannot show %1 again: %2"), job.name, text), details)

    def _on_jobs_removed(self, job_ids: list[int]) -> None:
        """Images taken out of the list: the window drops the one on screen if it was one of them
        (the list has made the next one current already when there is one)."""
        if self.current_id in job_ids:
            self.current_id = None
            self.canvas.clear_page()
            self.results.set_result(None)
            self._update_status()
        self._update_actions()

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
        self._note_cloud_call(job)
        if job.state == FAILED:
            self._copy_when_done.pop(job_id, None)
            text, details = error_text.reason_text(job.exception or job.error)
            self.show_error(error_text.fill(self.tr("Could not recognise %1: %2"), job.name, text), details)
        elif job.state == DONE and job_id in self._copy_when_done:
            self._copy_capture(job, self._copy_when_done.pop(job_id))
        if job_id == self.current_id:
            if job.state == DONE:
                self._show_result(job)
            self._update_status()
        self._update_actions()

    def _note_cloud_call(self, job: Job) -> None:
        """A cloud call's outcome is what the status bar can claim about that backend."""
        if job.state == DONE and job.result is not None and job.result.engine in backends.cloud_names():
            self.cloud_checked[job.result.engine] = "ok"
        elif job.state == FAILED and isinstance(job.exception, BackendError):
            name = error_text.vendor_name(job.exception)
            if name:
                self.cloud_checked[name] = "failed"

    def _show_result(self, job: Job) -> None:
        self.canvas.set_result(job.result)
        self.results.set_result(job.result)
        self._apply_upright()
        self._update_status()
        self.result_shown.emit(job.id)

    def _apply_codes(self) -> None:
        """View > Read QR Codes and Barcodes: the next recognitions list codes (or not); stored."""
        on = self.act_codes.isChecked()
        self.settings.set_read_codes(on)
        self.queue.options = dataclasses.replace(self.queue.options, codes=on)

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
        if name in backends.cloud_names():  # built from its settings: nothing says the service answers
            checked = {"ok": self.tr("connected"), "failed": self.tr("last call failed")}
            state = {"loading": self.tr("checking settings…"),
                     "ready": checked.get(self.cloud_checked.get(name, ""), self.tr("set up, not checked yet")),
                     "failed": self.tr("unavailable")}.get(self.engine_state, "")
        else:
            state = {"loading": self.tr("loading models…"), "ready": self.tr("ready"),
                     "failed": self.tr("unavailable")}.get(self.engine_state, "")
        self.status_engine.setText(error_text.fill(self.tr("Engine: %1 (%2)"), backend_title(name), state))
        self.status_engine.setToolTip(self.engine_error if self.engine_state == "failed" else "")
        job = self.current_job()
        res = job.result if job is not None and job.state == DONE else None
        if res is None:
            busy = job is not None and job.state in ACTIVE
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
        any_done = self.queue.count(DONE) > 0  # a count kept by the queue: no pass over a big batch per change
        for act in (self.act_export_batch, self.act_export_batch_pdf, *self.export_batch_actions.values()):
            act.setEnabled(any_done)
        self.act_export_pdf.setEnabled(job is not None)
        self.act_export_document.setEnabled(has_result or (job is not None and job.document is not None))

    def show_error(self, text: str, details: str = "") -> None:
        """``text`` (one sentence, translated) in the message bar; ``details`` (English, technical)
        behind its Details button."""
        log.warning("%s%s", text, f" [{details}]" if details else "")
        self.message_bar.show_message(text, "error", details)
        self.error_shown.emit(text)

    def show_exception(self, exc: BaseException, template: str = "%2", subject: str = "", **context) -> None:
        """An error in the message bar: ``template`` (translated; %1 = ``subject``, %2 = the error's
        sentence from gui.error_text), its technical details on demand."""
        self.show_error(error_text.fill(template, subject, error_text.summary(exc, **context)),
                        error_text.details(exc))

    def show_info(self, text: str) -> None:
        self.message_bar.show_message(text, "info")

    # copy / export ------------------------------------------------------------------------
    # What is copied and exported is what the window shows: with Hide low on, the lines hidden below
    # the threshold are left out, and the notice says how many (export.View).
    def view(self) -> export.View:
        return export.View(self.threshold_slider.value() / 100.0, self.hide_low_check.isChecked())

    def copy_format(self) -> str:
        """The format Copy JSON copies: always a JSON format (the last JSON one exported to, else the
        export format when it is JSON, else ours): never the plain text of a text export."""
        for fmt in (self.settings.json_format(), self.settings.export_format()):
            if fmt in formats.names() and export.is_json(fmt):
                return fmt
        return "json"

    def _hidden_note(self, hidden: int) -> str:
        return " " + self.tr("%n line(s) hidden by Hide low left out.", "", hidden) if hidden else ""

    def copy_selected(self) -> None:
        job = self.current_job()
        if not job or not job.result:
            return
        view = self.view()
        shown = view.apply(job.result)
        visible = {id(ln) for ln in shown.lines}
        rows = self.results.selected_rows() or self.canvas.selected_indices()
        rows = [i for i in rows if 0 <= i < len(job.result.lines) and id(job.result.lines[i]) in visible]
        text = "\n".join(job.result.lines[i].text for i in rows) if rows else shown.text
        QGuiApplication.clipboard().setText(text)

    def copy_all(self) -> None:
        job = self.current_job()
        if job and job.result:
            QGuiApplication.clipboard().setText(self.view().apply(job.result).text)
            hidden = self.view().hidden(job.result)
            if hidden:
                self.show_info(self.tr("Copied the text shown.") + self._hidden_note(hidden))

    def copy_json(self) -> None:
        job = self.current_job()
        if job and job.result:
            fmt, view = self.copy_format(), self.view()
            QGuiApplication.clipboard().setText(formats.export_text(view.apply(job.result), fmt))
            self.show_info(self.tr("Copied the result as %1.").replace("%1", export.format_label(fmt))
                           + self._hidden_note(view.hidden(job.result)))

    def export_current(self, fmt: str, path: str | os.PathLike | None = None) -> Path | None:
        """Export the image on screen; ``path`` skips the dialog (its caller already confirmed)."""
        job = self.current_job()
        if not job or job.state != DONE:
            self.show_error(self.tr("Nothing to export yet: no recognised image is shown."))
            return None
        self._remember_format(fmt)
        target = Path(path) if path else export.ask_save_path(self, job, fmt, self._export_fallback())
        if target is None:
            return None
        view = self.view()
        try:
            written = export.write_result(job, target, fmt, view)
        except Exception as exc:
            self._export_failed(target, exc)
            return None
        self.settings.set_last_export_folder(str(written.parent))
        assert job.result is not None, "a finished job has its result"
        self.show_info(self.tr("Exported %1").replace("%1", str(written)) + self._hidden_note(view.hidden(job.result)))
        return written

    def export_batch(self, fmt: str, folder: str | os.PathLike | None = None, confirm=None) -> list[Path]:
        """Every finished image into one folder, one file each. ``confirm(existing)`` decides overwrites."""
        self._remember_format(fmt)
        done = [j for j in self.queue.jobs if j.state == DONE]
        target = Path(folder) if folder else export.ask_folder(
            self, export.default_folder(done, self._export_fallback()))
        if target is None:
            return []
        view = self.view()
        try:
            written = export.export_batch(self.queue.jobs, target, fmt,
                                          confirm or (lambda existing: export.ask_overwrite(self, existing)), view)
        except Exception as exc:
            self._export_failed(target, exc)
            return []
        self.settings.set_last_export_folder(str(target))
        hidden = sum(view.hidden(j.result) for j in done if j.result is not None)
        self.show_info(self.tr("Exported %n file(s) to %1", "", len(written)).replace("%1", str(target))
                       + self._hidden_note(hidden))
        return written

    def export_document(self, fmt: str | None = None, path: str | os.PathLike | None = None,
                        confirm=None) -> list[Path]:
        """Export Document: every recognised page of the document on screen (export.write_document;
        "pdf" is Searchable PDF). Without ``path`` a save dialog asks for it and the format."""
        job = self.current_job()
        jobs = export.document_jobs(self.queue, job) if job is not None else []
        if not any(j.state == DONE for j in jobs):
            self.show_error(self.tr("Nothing to export yet: no page of the document on screen is recognised."))
            return []
        assert job is not None
        fmt = fmt or self.settings.export_format()
        if path is None:
            chosen = export.ask_document_path(self, job, fmt, self._export_fallback())
            if chosen is None:
                return []
            path, fmt = chosen
        if fmt == export.PDF:
            self.export_pdf(path)
            return []
        self._remember_format(fmt)
        target, view = Path(path), self.view()
        try:
            written = export.write_document(jobs, target, fmt,
                                            confirm or (lambda existing: export.ask_overwrite(self, existing)), view)
        except Exception as exc:
            self._export_failed(target, exc)
            return []
        if written:
            self.settings.set_last_export_folder(str(written[0].parent))
        done = sum(j.state == DONE for j in jobs)
        note = self.tr(" %1 of %2 pages are not recognised yet: they are left out.").replace(
            "%1", str(len(jobs) - done)).replace("%2", str(len(jobs))) if done < len(jobs) else ""
        hidden = sum(view.hidden(j.result) for j in jobs if j.state == DONE and j.result is not None)
        shown = str(written[0]) if len(written) == 1 else self.tr("%n file(s) in %1", "", len(written)).replace(
            "%1", str(target.parent))
        self.show_info(self.tr("Exported %1").replace("%1", shown) + note + self._hidden_note(hidden))
        return written

    def export_pdf(self, path: str | os.PathLike | None = None) -> bool:
        """Export > Searchable PDF: the document on screen (every listed page; those not recognised
        yet without text) or the image, written on a worker; ``exported`` or a message follows."""
        job = self.current_job()
        if job is None:
            self.show_error(self.tr("Nothing to export yet: open a document or an image first."))
            return False
        target = Path(path) if path else export.ask_pdf_path(self, job, self._export_fallback())
        if target is None:
            return False
        plan = export.pdf_plan(export.document_jobs(self.queue, job), self.view())
        self._write_pdfs([(plan, target)], target)
        return True

    def export_batch_pdf(self, folder: str | os.PathLike | None = None, confirm=None) -> bool:
        """Export Batch as searchable PDFs: one per document or finished image (export.batch_pdf_plans)."""
        done = [j for j in self.queue.jobs if j.state == DONE]
        target = Path(folder) if folder else export.ask_folder(
            self, export.default_folder(done, self._export_fallback()))
        if target is None:
            return False
        plans = export.batch_pdf_plans(self.queue, target, self.view())
        existing = [p for _, p in plans if p.exists()]
        if existing and not (confirm or (lambda e: export.ask_overwrite(self, e)))(existing):
            plans = [(plan, p) for plan, p in plans if not p.exists()]
        if plans:
            self._write_pdfs(plans, target)
        return bool(plans)

    def _write_pdfs(self, plans: list[tuple[export.PdfPlan, Path]], shown: Path) -> None:
        """Write searchable PDFs on a worker (a long document takes a while); one message after."""
        self.show_info(self.tr("Writing %1…").replace("%1", str(shown)))

        def write() -> list[Path]:
            return [export.write_pdf(plan, dest) for plan, dest in plans]

        def done(written: list[Path]) -> None:
            self.settings.set_last_export_folder(str(written[0].parent))
            missing = sum(plan.missing for plan, _ in plans)
            text = (self.tr("Exported %1").replace("%1", str(written[0])) if len(written) == 1 else
                    self.tr("Exported %n file(s) to %1", "", len(written)).replace("%1", str(shown)))
            if missing:
                text += " " + self.tr("%n page(s) not recognised yet are in it without text.", "", missing)
            self.show_info(text)
            self.exported.emit(written)

        self.background.run(write, done, lambda exc: self.show_exception(
            exc, self.tr("Export failed for %1: %2"), str(shown)), name="desktop_ocr-export-pdf")

    def _export_fallback(self) -> str:
        """Where a save dialog opens when the image is not a local file."""
        return self.settings.last_export_folder() or self.settings.last_folder()

    def _remember_format(self, fmt: str) -> None:
        changed = False
        if export.is_json(fmt) and fmt != self.settings.json_format():
            self.settings.set_json_format(fmt)  # Copy JSON copies this one (its label names it)
            changed = True
        if fmt != self.settings.export_format():
            self.settings.set_export_format(fmt)
            changed = True
        if changed:
            self.retranslate()

    def _export_failed(self, target: Path, exc: Exception) -> None:
        self.show_exception(exc, self.tr("Export failed for %1: %2"), str(target))

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
        # everything stops at once: a recognition or model loading under way is abandoned, never
        # waited for (its daemon thread ends in the background, or with the process: gui.app)
        self.queue.shutdown()
        self.page_strip.stop()
        super().closeEvent(event)
