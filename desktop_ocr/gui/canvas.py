"""The image with one polygon per recognised line, coloured by confidence.

Scene coordinates are original-image pixels (the model's coordinates), so polygons map 1:1. Pens are
cosmetic (constant on-screen width at any zoom). "100%" shows one image pixel per physical screen
pixel, which is what a high-DPI user inspecting a scan expects.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QPixmap, QPolygonF, QTransform, QWheelEvent
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPixmapItem,
    QGraphicsPolygonItem,
    QGraphicsScene,
    QGraphicsView,
    QStyle,
)

from ..core.model import OcrResult, TextLine

HIGH, MEDIUM = 0.9, 0.7
GREEN, AMBER, RED, GREY = QColor(30, 170, 70), QColor(235, 160, 0), QColor(220, 45, 45), QColor(140, 140, 140)


def confidence_colour(score: float | None) -> QColor:
    """green >= 0.9, amber >= 0.7, red below; grey when the recogniser gave no score."""
    if score is None:
        return QColor(GREY)
    if score >= HIGH:
        return QColor(GREEN)
    if score >= MEDIUM:
        return QColor(AMBER)
    return QColor(RED)


def below(score: float | None, threshold: float) -> bool:
    return score is not None and score < threshold


class LineItem(QGraphicsPolygonItem):
    """A line's polygon. ``index`` is the line's position in the result (reading order)."""

    def __init__(self, index: int, line: TextLine):
        super().__init__(QPolygonF([QPointF(x, y) for x, y in line.polygon]))
        self.index = index
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setAcceptHoverEvents(True)
        self.setZValue(1)
        self.dimmed = False
        self.update_line(line)

    def update_line(self, line: TextLine) -> None:
        self.score = line.score
        score = "—" if line.score is None else f"{line.score:.3f}"
        self.setToolTip(f"{line.text}\n{score}")
        self._restyle()

    def set_dimmed(self, dimmed: bool) -> None:
        self.dimmed = dimmed
        self._restyle()

    def _restyle(self) -> None:
        colour = QColor(GREY) if self.dimmed else confidence_colour(self.score)
        selected = self.isSelected()
        pen = QPen(colour.darker(130) if selected else colour, 3.5 if selected else 2.0)
        pen.setCosmetic(True)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        if self.dimmed:
            pen.setStyle(Qt.PenStyle.DashLine)
        self.setPen(pen)
        fill = QColor(colour)
        fill.setAlpha(90 if selected else 28)
        self.setBrush(QBrush(fill))

    def paint(self, painter, option, widget=None) -> None:
        # our own selected style replaces Qt's dashed selection rectangle
        option.state &= ~QStyle.StateFlag.State_Selected
        super().paint(painter, option, widget)

    def itemChange(self, change, value):
        if change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            self._restyle()
        return super().itemChange(change, value)


class OcrCanvas(QGraphicsView):
    """QGraphicsView of the page. Ctrl+wheel zooms, drag on empty space pans, click selects lines."""

    selection_changed = Signal(list)  # sorted line indices
    zoom_changed = Signal(float)  # scale factor relative to one image pixel per physical pixel

    MIN_ZOOM, MAX_ZOOM = 0.02, 32.0

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setAcceptDrops(False)  # the main window takes drops
        self.pixmap_item: QGraphicsPixmapItem | None = None
        self.items_by_index: list[LineItem] = []
        self.result: OcrResult | None = None
        self.threshold = 0.6
        self.hide_low = False
        self._scale = 1.0  # image px -> logical px
        self._angle = 0.0  # view rotation (degrees, clockwise on screen)
        self._fit = True
        self._syncing = False
        self.placeholder = ""
        self.scene().selectionChanged.connect(self._on_scene_selection)

    # content -------------------------------------------------------------------------------
    def clear_page(self) -> None:
        self._syncing = True
        self.scene().clear()
        self._syncing = False
        self.pixmap_item, self.items_by_index, self.result = None, [], None

    def set_image(self, pixmap: QPixmap) -> None:
        """Show a page (boxes come later with set_result)."""
        self.clear_page()
        self.pixmap_item = self.scene().addPixmap(pixmap)
        self.pixmap_item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        # the page is scaled smoothly once per zoom level, not on every repaint (boxes drawn,
        # selection, hover): repaints blit the cached, already scaled page
        self.pixmap_item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.pixmap_item.setZValue(0)
        self.scene().setSceneRect(QRectF(pixmap.rect()))
        self._fit = True
        self._apply_transform()

    def set_result(self, result: OcrResult | None) -> None:
        self._syncing = True
        for item in self.items_by_index:
            self.scene().removeItem(item)
        self.items_by_index = []
        self.result = result
        if result is not None:
            for i, line in enumerate(result.lines):
                item = LineItem(i, line)
                self.scene().addItem(item)
                self.items_by_index.append(item)
        self._syncing = False
        self.apply_threshold()

    def refresh_line(self, index: int) -> None:
        if self.result and 0 <= index < len(self.items_by_index):
            self.items_by_index[index].update_line(self.result.lines[index])

    # threshold -----------------------------------------------------------------------------
    def set_threshold(self, threshold: float, hide_low: bool | None = None) -> None:
        self.threshold = threshold
        if hide_low is not None:
            self.hide_low = hide_low
        self.apply_threshold()

    def apply_threshold(self) -> None:
        for item in self.items_by_index:
            low = below(item.score, self.threshold)
            item.set_dimmed(low)
            item.setVisible(not (low and self.hide_low))

    # selection -----------------------------------------------------------------------------
    def selected_indices(self) -> list[int]:
        return sorted(i.index for i in self.scene().selectedItems() if isinstance(i, LineItem))

    def select_lines(self, indices, ensure_visible: bool = True) -> None:
        """Select exactly ``indices`` without echoing selection_changed back."""
        wanted = set(indices)
        self._syncing = True
        try:
            for item in self.items_by_index:
                item.setSelected(item.index in wanted)
        finally:
            self._syncing = False
        if ensure_visible and len(wanted) == 1:
            shown = self.items_by_index[next(iter(wanted))] if next(iter(wanted)) < len(self.items_by_index) else None
            if shown is not None:
                self.ensureVisible(shown, 40, 40)

    def _on_scene_selection(self) -> None:
        if not self._syncing:
            self.selection_changed.emit(self.selected_indices())

    # zoom / rotation -----------------------------------------------------------------------
    def device_ratio(self) -> float:
        return self.devicePixelRatioF() or 1.0

    def zoom(self) -> float:
        """Current zoom where 1.0 = one image pixel per physical pixel ("100%")."""
        return self._scale * self.device_ratio()

    def set_zoom(self, zoom: float) -> None:
        zoom = min(self.MAX_ZOOM, max(self.MIN_ZOOM, zoom))
        self._fit = False
        self._scale = zoom / self.device_ratio()
        self._apply_transform()

    def zoom_by(self, factor: float) -> None:
        self.set_zoom(self.zoom() * factor)

    def actual_size(self) -> None:
        self.set_zoom(1.0)

    def fit(self) -> None:
        self._fit = True
        self._apply_transform()

    def set_rotation(self, degrees: float) -> None:
        """Rotate the view (the page stays in image coordinates). Upright view = -result.angle."""
        self._angle = degrees
        self._apply_transform()

    def rotation(self) -> float:
        return self._angle

    def _apply_transform(self) -> None:
        rect = self.sceneRect()
        if self._fit and not rect.isEmpty():
            bounds = QTransform().rotate(self._angle).mapRect(rect)
            view = self.viewport().rect().adjusted(8, 8, -8, -8)
            if bounds.width() > 0 and bounds.height() > 0 and view.width() > 0 and view.height() > 0:
                self._scale = min(view.width() / bounds.width(), view.height() / bounds.height())
        self.setTransform(QTransform().rotate(self._angle).scale(self._scale, self._scale))
        if self._fit:
            self.centerOn(rect.center())
        self.zoom_changed.emit(self.zoom())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._fit:
            self._apply_transform()

    def drawForeground(self, painter: QPainter, rect) -> None:
        super().drawForeground(painter, rect)
        if self.pixmap_item is None and self.placeholder:
            painter.save()
            painter.resetTransform()  # viewport coordinates: the hint ignores zoom and rotation
            painter.setPen(self.palette().placeholderText().color())
            font = painter.font()
            font.setPointSizeF(font.pointSizeF() * 1.3)
            painter.setFont(font)
            painter.drawText(self.viewport().rect(), Qt.AlignmentFlag.AlignCenter, self.placeholder)
            painter.restore()

    def set_placeholder(self, text: str) -> None:
        self.placeholder = text
        self.viewport().update()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120.0
            if steps:
                self.zoom_by(1.25 ** steps)
            event.accept()
            return
        super().wheelEvent(event)

    def item_center_in_view(self, index: int):
        """Viewport point at the centre of line ``index`` (tests and keyboard navigation)."""
        item = self.items_by_index[index]
        return self.mapFromScene(item.polygon().boundingRect().center())
