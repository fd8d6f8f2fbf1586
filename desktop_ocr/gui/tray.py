"""Resident mode around the main window: the tray icon (Capture Region / Open Window / Quit), the
settings "Keep running in the tray when the window is closed", "Start at login" and "Global Shortcut"
(File menu), and what another launch hands over (gui.single_instance).

With "Keep running in the tray" on, closing the window (its title bar, Alt+F4) hides it; File > Quit
and the tray's Quit end the program. Without a system tray the setting is disabled and says why.
``finished`` is emitted when the program should end (gui.app connects it to QApplication.quit):
the application does not quit by itself when its last window closes, since a hidden window or a
closed dialog must not end a program that lives in the tray.

"Global Shortcut" registers the window's Capture Region key (Ctrl+Shift+A) with the desktop
(desktop_ocr.hotkey: an X11 key grab, or the GlobalShortcuts portal), so that it starts a capture
wherever the focus is, the window hidden or not. It is stored under HOTKEY_KEY; until the user
chooses, it is on exactly when the program is resident (Keep Running in the Tray or Start at Login
on), since grabbing a common key from every other program is only worth it then. A failure (the
key is taken, nothing works on this desktop) is said once in the message bar and the setting goes
off.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QSystemTrayIcon

from ..backends.credentials import redact
from ..core.errors import HotkeyFailed
from ..core.naming import printable
from ..hotkey import HotkeyHandler, handlers_for_session, start_hotkey
from . import autostart

log = logging.getLogger(__name__)

KEEP_KEY = "resident/keep_in_tray"
HOTKEY_KEY = "resident/global_hotkey"
#: the global shortcut when the window has no Capture Region key of its own
DEFAULT_HOTKEY = "Ctrl+Shift+A"


class Resident(QObject):
    finished = Signal()
    #: the global shortcut was pressed (emitted on the hotkey handler's thread; handled on this one)
    hotkey_pressed = Signal()

    def __init__(self, window: QMainWindow, *, available: bool | None = None,
                 hotkey_handlers: list[HotkeyHandler] | None = None):
        """``available``: whether a system tray is there (default: ask Qt). ``hotkey_handlers``: the
        ways of registering the global shortcut, in order (default: desktop_ocr.hotkey's for this
        session)."""
        super().__init__(window)
        self.window = window
        self.settings = window.settings  # type: ignore[attr-defined]  # gui.main_window.MainWindow
        self.available = QSystemTrayIcon.isSystemTrayAvailable() if available is None else available
        self._quitting = False
        self._closed = False  # the window has really closed (its closeEvent ran)
        self._told = False  # the "still running in the tray" note is shown once

        self.act_capture = QAction(self)
        self.act_capture.triggered.connect(self.capture)
        self.act_capture.setEnabled(getattr(window, "act_capture", None) is not None)  # a build that captures
        self.act_open = QAction(self)
        self.act_open.triggered.connect(self.show_window)
        self.act_quit = QAction(self)
        self.act_quit.triggered.connect(self.quit)
        self.menu = QMenu(window)
        for act in (self.act_capture, self.act_open):
            self.menu.addAction(act)
        self.menu.addSeparator()
        self.menu.addAction(self.act_quit)
        self.tray = QSystemTrayIcon(window.windowIcon(), self)
        self.tray.setContextMenu(self.menu)
        self.tray.activated.connect(self._on_activated)

        self.act_keep = QAction(self)
        self.act_keep.setCheckable(True)
        self.act_keep.setChecked(self.available and self._stored_keep())
        self.act_keep.setEnabled(self.available)
        self.act_keep.toggled.connect(self.set_keep_in_tray)
        self.act_autostart = QAction(self)
        self.act_autostart.setCheckable(True)
        self.act_autostart.setChecked(autostart.supported() and autostart.is_enabled())
        self.act_autostart.setVisible(autostart.supported())
        self.act_autostart.toggled.connect(self.set_start_at_login)
        self.hotkey_handlers = hotkey_handlers
        self.hotkey: HotkeyHandler | None = None  # the handler holding the key while the setting is on
        self._hotkey_busy = False  # a start is under way (the portal may wait for the user)
        self.hotkey_pressed.connect(self._on_hotkey, Qt.ConnectionType.QueuedConnection)
        self.act_hotkey = QAction(self)
        self.act_hotkey.setCheckable(True)
        self.act_hotkey.setChecked(self._stored_hotkey())
        self.act_hotkey.toggled.connect(self.set_global_hotkey)
        menu_file: QMenu | None = getattr(window, "menu_file", None)
        quit_action: QAction | None = getattr(window, "act_quit", None)
        if menu_file is not None and quit_action is not None:
            menu_file.insertAction(quit_action, self.act_keep)
            menu_file.insertAction(quit_action, self.act_autostart)
            menu_file.insertAction(quit_action, self.act_hotkey)
            menu_file.insertSeparator(quit_action)
            menu_file.setToolTipsVisible(True)  # the disabled setting says why
        if quit_action is not None:  # File > Quit (Ctrl+Q) ends the program even when it lives in the tray
            quit_action.triggered.connect(self.quit)
        window.installEventFilter(self)
        self.retranslate()
        if self.available:
            self.tray.show()
        if self.act_hotkey.isChecked():  # once the window is up: the portal may ask the user first
            QTimer.singleShot(0, self, self._start_hotkey)

    # settings -------------------------------------------------------------------------------
    def _stored_keep(self) -> bool:
        value = self.settings.q.value(KEEP_KEY, False)
        return value.lower() == "true" if isinstance(value, str) else bool(value)

    def keeps_running(self) -> bool:
        """Whether closing the window hides it into the tray."""
        return self.available and self.act_keep.isChecked()

    def set_keep_in_tray(self, on: bool) -> None:
        self.settings.q.setValue(KEEP_KEY, bool(on))
        if self.act_keep.isChecked() != bool(on):
            self.act_keep.setChecked(bool(on))

    def _stored_hotkey(self) -> bool:
        value = self.settings.q.value(HOTKEY_KEY, None)
        if value is None:  # never chosen: on when the program is resident
            return self.act_keep.isChecked() or self.act_autostart.isChecked()
        return value.lower() == "true" if isinstance(value, str) else bool(value)

    def hotkey_text(self) -> str:
        """The global shortcut, as Qt writes it ("Ctrl+Shift+A"): the window's Capture Region key."""
        act: QAction | None = getattr(self.window, "act_capture", None)
        key = act.shortcut().toString(QKeySequence.SequenceFormat.PortableText) if act is not None else ""
        return key or DEFAULT_HOTKEY

    def set_global_hotkey(self, on: bool) -> None:
        """Store the setting and register or release the key; a failure says why and turns it off."""
        self.settings.q.setValue(HOTKEY_KEY, bool(on))
        if self.act_hotkey.isChecked() != bool(on):
            self.act_hotkey.blockSignals(True)
            self.act_hotkey.setChecked(bool(on))
            self.act_hotkey.blockSignals(False)
        if on:
            self._start_hotkey()
        else:
            self._stop_hotkey()

    def _start_hotkey(self) -> None:
        if self.hotkey is not None or self._hotkey_busy or not self.act_hotkey.isChecked():
            return
        key = self.hotkey_text()
        self._hotkey_busy = True
        try:
            handlers = self.hotkey_handlers
            if handlers is None:  # the desktop may show the description when it asks the user to confirm
                handlers = handlers_for_session(self.tr("Capture a region of the screen and recognise its text"))
            handler = start_hotkey(key, self.hotkey_pressed.emit, handlers)
        except HotkeyFailed as exc:
            log.warning("global shortcut %s: %s", key, exc.message)
            self.act_hotkey.blockSignals(True)
            self.act_hotkey.setChecked(False)
            self.act_hotkey.blockSignals(False)
            self.settings.q.setValue(HOTKEY_KEY, False)  # said once: not again at every start
            show = getattr(self.window, "show_exception", None)
            if show is not None:
                show(exc, self.tr("The global shortcut is off: %2"))
            return
        finally:
            self._hotkey_busy = False
        if not self.act_hotkey.isChecked():  # turned off while the desktop was asked
            handler.stop()
            return
        self.hotkey = handler

    def _stop_hotkey(self) -> None:
        handler, self.hotkey = self.hotkey, None
        if handler is not None:
            handler.stop()
            log.info("global shortcut released")

    def _on_hotkey(self) -> None:
        log.info("capture asked for by the global shortcut")
        self.capture()

    def set_start_at_login(self, on: bool) -> None:
        """Write or remove the autostart file; on failure the menu item shows what is really there."""
        try:
            if on:
                path = autostart.enable()
                log.info("start at login: wrote %s", path)
            else:
                autostart.disable()
                log.info("start at login: removed %s", autostart.autostart_path())
        except Exception as exc:
            show = getattr(self.window, "show_exception", None)
            if show is not None:
                show(exc, self.tr("Start at login could not be changed: %2"))
            else:
                log.error("start at login could not be changed: %s", exc)
        actual = autostart.is_enabled()
        if self.act_autostart.isChecked() != actual:
            self.act_autostart.blockSignals(True)
            self.act_autostart.setChecked(actual)
            self.act_autostart.blockSignals(False)

    def retranslate(self) -> None:
        self.act_capture.setText(self.tr("Capture Region"))
        self.act_open.setText(self.tr("Open Window"))
        self.act_quit.setText(self.tr("Quit"))
        self.act_keep.setText(self.tr("Keep Running in the Tray When Closed"))
        self.act_autostart.setText(self.tr("Start at Login"))
        self.act_autostart.setToolTip(self.tr("Start hidden in the tray when you log in"))
        self.act_hotkey.setText(self.tr("Global Shortcut"))
        self.act_hotkey.setToolTip(self.tr("Press %1 anywhere to capture a region, even with the window hidden")
                                   .replace("%1", QKeySequence(self.hotkey_text()).toString(
                                       QKeySequence.SequenceFormat.NativeText)))
        self.act_hotkey.setStatusTip(self.act_hotkey.toolTip())
        if self.available:
            self.act_keep.setToolTip(self.tr("Closing the window hides it; Quit ends the program"))
        else:
            self.act_keep.setToolTip(self.tr("No system tray is available on this desktop, so the program "
                                             "cannot keep running there"))
        self.act_keep.setStatusTip(self.act_keep.toolTip())
        self.tray.setToolTip(self.tr("desktop_ocr — offline OCR"))

    # actions --------------------------------------------------------------------------------
    def show_window(self) -> None:
        w = self.window
        if not w.isVisible():
            log.info("window shown from the tray or by another launch")
        w.show()
        w.setWindowState((w.windowState() & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive)
        w.raise_()
        w.activateWindow()

    def capture(self) -> None:
        """The window's Capture Region, when this build has one."""
        act: QAction | None = getattr(self.window, "act_capture", None)
        if act is None:
            log.info("capture asked for, but this window has no Capture Region")
            return
        act.trigger()

    def quit(self) -> None:
        """End the program: the window closes for real (it saves its settings), then ``finished``."""
        self._quitting = True
        if not self._closed:
            self.window.close()
        self._stop_hotkey()
        self.tray.hide()
        self.finished.emit()

    def handle(self, message: dict) -> None:
        """A message another launch handed over (gui.single_instance)."""
        command = message.get("command")
        if command == "capture":
            log.info("capture asked for by another launch")
            self.capture()
        elif command == "tray":
            log.info("another launch asked for the tray: already running")
        else:
            paths = [str(p) for p in message.get("paths", [])]
            for p in paths:
                log.info("queued %s from another launch", redact(printable(p)))  # no URL's password
            if paths:
                self.window.open_paths(paths)  # type: ignore[attr-defined]
            self.show_window()

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.show_window()

    # events ---------------------------------------------------------------------------------
    def eventFilter(self, obj, event) -> bool:
        if obj is self.window:
            kind = event.type()
            if kind == QEvent.Type.Close and not self._quitting and self.keeps_running():
                event.ignore()
                self.window.hide()
                log.info("window hidden: still running in the tray")
                if not self._told:
                    self._told = True
                    self.tray.showMessage(QApplication.applicationDisplayName(),
                                          self.tr("Still running in the tray; Quit in its menu ends it."))
                return True
            if kind == QEvent.Type.Close:
                self._closed = True
                QTimer.singleShot(0, self, self._after_close)
            elif kind == QEvent.Type.LanguageChange:
                self.retranslate()
        return super().eventFilter(obj, event)

    def _after_close(self) -> None:
        if self.window.isVisible():  # the window refused to close
            self._closed = False
            return
        self._stop_hotkey()
        if not self._quitting:
            self.tray.hide()
            self.finished.emit()
