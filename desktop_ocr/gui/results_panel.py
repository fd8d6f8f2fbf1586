"""The recognised lines beside the canvas: reading order, text (editable) and score."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QVBoxLayout, QWidget

from ..core.model import OcrResult
from .canvas import below, confidence_colour

COL_NO, COL_TEXT, COL_SCORE = range(3)


class LinesModel(QAbstractTableModel):
    """Table over ``result.lines``. Edits write into the result itself, so exports and copies see them."""

    line_edited = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.result: OcrResult | None = None

    def set_result(self, result: OcrResult | None) -> None:
        self.beginResetModel()
        self.result = result
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() or self.result is None else len(self.result.lines)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 3

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ("#", self.tr("Text"), self.tr("Score"))[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.result is None:
            return None
        line = self.result.lines[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == COL_NO:
                return index.row() + 1
            if col == COL_TEXT:
                return line.text
            if col == COL_SCORE:
                if role == Qt.ItemDataRole.EditRole:
                    return -1.0 if line.score is None else line.score
                if line.code is not None and role == Qt.ItemDataRole.DisplayRole:
                    return line.code  # a decoded QR code or barcode: its format instead of a score
                return "—" if line.score is None else f"{line.score:.3f}"
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_SCORE:
            colour = confidence_colour(line.score)
            dark = QGuiApplication.palette().base().color().lightness() < 128  # follow a dark palette
            return colour.lighter(125) if dark else colour.darker(115)
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_TEXT:
            return line.text
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_SCORE and line.code is not None:
            return self.tr("Decoded %1 (QR code or barcode)").replace("%1", line.code)
        if role == Qt.ItemDataRole.TextAlignmentRole and col != COL_TEXT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex):
        base = super().flags(index)
        if index.isValid() and index.column() == COL_TEXT:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: QModelIndex | QPersistentModelIndex, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != COL_TEXT or self.result is None:
            return False
        line = self.result.lines[index.row()]
        text = str(value)
        if text == line.text:
            return False
        line.text = text
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        self.line_edited.emit(index.row())
        return True


class ThresholdFilter(QSortFilterProxyModel):
    """Hides lines scored below the threshold when asked to."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.threshold = 0.0
        self.hide_low = False

    def set_filter(self, threshold: float, hide_low: bool) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.10; invalidateFilter() is deprecated there
            self.beginFilterChange()
            self.threshold, self.hide_low = threshold, hide_low
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.threshold, self.hide_low = threshold, hide_low
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not self.hide_low:
            return True
        model = self.sourceModel()
        assert isinstance(model, LinesModel), "ResultsPanel filters its LinesModel"
        result = model.result
        return result is None or not below(result.lines[row].score, self.threshold)


class ResultsPanel(QWidget):
    """Lines in reading order. ``selection_changed`` carries source row indices (= line indices)."""

    selection_changed = Signal(list)
    line_edited = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model = LinesModel(self)
        self.proxy = ThresholdFilter(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView(self)
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        # The number and score columns get widths from the font, not from their contents: measuring
        # contents asks the model for every row of a new result on the GUI thread (ResizeToContents).
        for col, sample in ((COL_NO, "0000"), (COL_SCORE, "0.0000")):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            self.view.setColumnWidth(col, self.fontMetrics().horizontalAdvance(sample) + 16)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self._syncing = False
        self.view.selectionModel().selectionChanged.connect(self._on_selection)
        self.model.line_edited.connect(self.line_edited)

    def set_result(self, result: OcrResult | None) -> None:
        self._syncing = True
        self.model.set_result(result)
        self._syncing = False

    def set_filter(self, threshold: float, hide_low: bool) -> None:
        self._syncing = True
        self.proxy.set_filter(threshold, hide_low)
        self._syncing = False

    def selected_rows(self) -> list[int]:
        rows = {self.proxy.mapToSource(i).row() for i in self.view.selectionModel().selectedRows()}
        return sorted(rows)

    def select_rows(self, rows) -> None:
        """Select exactly ``rows`` (line indices) without echoing selection_changed."""
        sel = QItemSelection()
        for row in rows:
            idx = self.proxy.mapFromSource(self.model.index(row, 0))
            if idx.isValid():
                sel.select(idx, idx.siblingAtColumn(COL_SCORE))
        self._syncing = True
        try:
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            self.view.selectionModel().select(sel, flags)
            if not sel.isEmpty():
                self.view.scrollTo(sel.indexes()[0])
        finally:
            self._syncing = False

    def row_rect_center(self, row: int):
        """Viewport point at the centre of line ``row``'s text cell (tests)."""
        idx = self.proxy.mapFromSource(self.model.index(row, COL_TEXT))
        return self.view.visualRect(idx).center()

    def _on_selection(self, *_):
        if not self._syncing:
            self.selection_changed.emit(self.selected_rows())

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 2)
        super().changeEvent(event)
