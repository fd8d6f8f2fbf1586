"""Small dialogs: Open URL and the page picker of a very long document (PDF or TIFF)."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)


class OpenUrlDialog(QDialog):
    def __init__(self, parent=None, initial: str = ""):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Open URL"))
        self.edit = QLineEdit(initial, self)
        self.edit.setPlaceholderText("https://example.com/receipt.jpg")
        self.edit.setMinimumWidth(460)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Image address (http or https):"), self))
        layout.addWidget(self.edit)
        layout.addWidget(self.buttons)
        self.edit.textChanged.connect(self._validate)
        self._validate(initial)

    def _validate(self, text: str) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(is_web_url(text))

    def url(self) -> str:
        return self.edit.text().strip()


def is_web_url(text: str) -> bool:
    url = QUrl(text.strip())
    return url.isValid() and url.scheme() in ("http", "https") and bool(url.host())


class PdfPagePicker(QDialog):
    """Pick the pages of a long document (a PDF or TIFF) to recognise: every page selected at first
    (Ctrl+click or Shift+click to change)."""

    def __init__(self, name: str, pages: int, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Choose pages"))
        self.list = QListWidget(self)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        for i in range(1, pages + 1):
            self.list.addItem(QListWidgetItem(self.tr("Page %1").replace("%1", str(i))))
        self.list.selectAll()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        prompt = self.tr("%1 has %2 page(s). Recognise:").replace("%1", name).replace("%2", str(pages))
        layout.addWidget(QLabel(prompt, self))
        layout.addWidget(self.list)
        layout.addWidget(buttons)

    def pages(self) -> list[int]:
        return sorted(self.list.row(i) + 1 for i in self.list.selectedItems())
