"""A non-modal banner at the top of the window for errors and notices. It never blocks input.

An error shows one sentence in the user's language (gui.error_text.summary); its English technical
details (error_text.details: the cause in full, the vendor's code and request id) are one click away
behind *Details*, word-wrapped and selectable, never cut and never a traceback.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QToolButton


class MessageBar(QFrame):
    STYLES = {
        "error": "background:#fde2e1; color:#7a1010; border:1px solid #e7a3a0; border-radius:4px;",
        "info": "background:#e3effd; color:#0d3a70; border:1px solid #a6c6ee; border-radius:4px;",
    }
    DARK_STYLES = {
        "error": "background:#4a1c1c; color:#ffd7d5; border:1px solid #8a3a36; border-radius:4px;",
        "info": "background:#1b3150; color:#d6e7ff; border:1px solid #3d5f8f; border-radius:4px;",
    }

    def __init__(self, parent=None):
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.hide)
        self.details_button = QToolButton(self)
        self.details_button.setCheckable(True)
        self.details_button.setAutoRaise(True)
        self.details_button.toggled.connect(self._show_details)
        self.details_label = QLabel(self)
        self.details_label.setWordWrap(True)
        self.details_label.setTextFormat(Qt.TextFormat.PlainText)  # a server's text is never markup
        self.details_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_label.setObjectName("message-details")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        layout = QGridLayout(self)
        layout.setContentsMargins(10, 4, 4, 4)
        layout.addWidget(self.label, 0, 0)
        layout.addWidget(self.details_button, 0, 1, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.close_button, 0, 2, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.details_label, 1, 0, 1, 3)
        layout.setColumnStretch(0, 1)
        self._timer = QTimer(self, singleShot=True, timeout=self.hide)
        self.kind = ""
        self._details = ""
        self.details_button.hide()
        self.details_label.hide()
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.details_button.setText(self.tr("Details"))
        self.details_button.setToolTip(self.tr("Show the technical details (in English)"))
        self.close_button.setToolTip(self.tr("Close"))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def show_message(self, text: str, kind: str = "error", details: str = "") -> None:
        """Errors stay until closed; notices fade after a few seconds. ``details`` (the English
        technical text) is shown on demand; it is left out when it says nothing more than ``text``."""
        self.kind = kind
        styles = self.DARK_STYLES if self.palette().window().color().lightness() < 128 else self.STYLES
        self.setStyleSheet(f"MessageBar {{{styles.get(kind, styles['info'])}}}"
                           "QLabel { background: transparent; border: none; }")
        self.label.setText(text)
        self._details = details if details and details.strip() != text.strip() else ""
        self.details_label.setText(self._details)
        self.details_button.blockSignals(True)
        self.details_button.setChecked(False)
        self.details_button.blockSignals(False)
        self.details_button.setVisible(bool(self._details))
        self.details_label.hide()
        self.show()
        self._timer.stop()
        if kind != "error":
            self._timer.start(6000)

    def _show_details(self, shown: bool) -> None:
        self.details_label.setVisible(shown and bool(self._details))
        if shown:
            self._timer.stop()  # a notice being read does not fade away

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""

    def details(self) -> str:
        """The technical details of the message shown (empty when there are none)."""
        return self._details if self.isVisible() else ""
