"""A non-modal banner at the top of the window for errors and notices. It never blocks input."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton


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
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self._timer = QTimer(self, singleShot=True, timeout=self.hide)
        self.kind = ""
        self.hide()

    def show_message(self, text: str, kind: str = "error") -> None:
        """Errors stay until closed; notices fade after a few seconds."""
        self.kind = kind
        styles = self.DARK_STYLES if self.palette().window().color().lightness() < 128 else self.STYLES
        self.setStyleSheet(f"MessageBar {{{styles.get(kind, styles['info'])}}}"
                           "QLabel { background: transparent; border: none; }")
        self.label.setText(text)
        self.show()
        self._timer.stop()
        if kind != "error":
            self._timer.start(6000)

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""
