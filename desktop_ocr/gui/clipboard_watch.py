"""View > Read Images Copied to the Clipboard (setting ``capture/watch_clipboard``, default off): every
new image put on the clipboard (a screenshot tool's copy, Copy Image in a browser) is recognised as
Edit > Paste does (the window's ``paste``).

Only images count: text and file copies are ignored, and so is what this program itself puts there
(the clipboard is ours: the window's copied text). An image identical to the last one seen (a
clipboard manager taking the copy over, the same copy announced twice) is not recognised again; the
digest is of the pixels, since each read of the clipboard gives a new QImage. Whatever is on the
clipboard when the setting is turned on (or at start) is not new and is left alone.

Qt reports clipboard changes as ``QClipboard.dataChanged``: on X11 (XFixes selection-owner
notifications), Windows and macOS at any time; on Wayland only while a window of ours has the
keyboard focus (the compositor sends the selection to the focused client only), so an image copied
while the window is in the background is read when it next gets the focus.
"""

from __future__ import annotations

import hashlib
import logging

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QGuiApplication, QImage
from PySide6.QtWidgets import QMainWindow, QMenu

log = logging.getLogger(__name__)

KEY = "capture/watch_clipboard"


def image_digest(image: QImage) -> bytes:
    """A digest of the pixels (and size): equal for the same picture read twice from the clipboard."""
    pixels = image.convertToFormat(QImage.Format.Format_ARGB32)  # no padding at line ends
    digest = hashlib.blake2b(f"{pixels.width()}x{pixels.height()}:".encode(), digest_size=16)
    digest.update(pixels.constBits())
    return digest.digest()


class ClipboardWatch(QObject):
    """The setting's menu action and the watching; ``window`` is the MainWindow (its ``settings`` and
    ``open_mime``); the action is added to ``menu``."""

    def __init__(self, window: QMainWindow, menu: QMenu):
        super().__init__(window)
        self.window = window
        self.settings = window.settings  # type: ignore[attr-defined]  # gui.main_window.MainWindow
        self.clipboard = QGuiApplication.clipboard()
        self._last: bytes | None = None  # the digest of the last image seen
        self.action = QAction(self)
        self.action.setCheckable(True)
        self.action.setChecked(self._stored())
        self.action.toggled.connect(self.set_watching)
        menu.addAction(self.action)
        if self.action.isChecked():
            self._last = self._current()
        self.clipboard.dataChanged.connect(self._on_changed)
        window.installEventFilter(self)  # LanguageChange
        self.retranslate()

    def _stored(self) -> bool:
        value = self.settings.q.value(KEY, False)
        return value.lower() == "true" if isinstance(value, str) else bool(value)

    def watching(self) -> bool:
        return self.action.isChecked()

    def set_watching(self, on: bool) -> None:
        self.settings.q.setValue(KEY, bool(on))
        if on:
            self._last = self._current()  # what is there already is not a new copy
        if self.action.isChecked() != bool(on):
            self.action.setChecked(bool(on))

    def _image(self) -> QImage | None:
        mime = self.clipboard.mimeData()
        if mime is None or not mime.hasImage():
            return None
        image = mime.imageData()
        return image if isinstance(image, QImage) and not image.isNull() else None

    def _current(self) -> bytes | None:
        image = self._image()
        return image_digest(image) if image is not None else None

    def _on_changed(self) -> None:
        if not self.watching() or self.clipboard.ownsClipboard():
            return  # off, or our own copy (Windows, macOS, X11: the window's text; never on offscreen)
        image = self._image()
        if image is None:
            return  # text, files, or emptied
        digest = image_digest(image)
        if digest == self._last:
            return
        self._last = digest
        log.info("new image on the clipboard (%dx%d): recognised", image.width(), image.height())
        self.window.paste()  # type: ignore[attr-defined]  # Edit > Paste: recognised as a pasted image

    def eventFilter(self, obj, event) -> bool:
        if obj is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return super().eventFilter(obj, event)

    def retranslate(self) -> None:
        self.action.setText(self.tr("&Read Images Copied to the Clipboard"))
        self.action.setToolTip(self.tr("Recognise every new image copied to the clipboard, as Paste does"))
        self.action.setStatusTip(self.action.toolTip())
