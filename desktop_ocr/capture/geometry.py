"""Rectangle and scale-factor maths of screen capture, without Qt.

Coordinates: *logical* pixels are Qt's device-independent pixels of the virtual desktop (what
QScreen.geometry() gives); *native* pixels are the pixels of a screen's picture. A screen at 150 %
has ratio 1.5: its logical rectangle (x, y, w, h) covers (w * 1.5) x (h * 1.5) pixels of its picture.
A logical rectangle maps to the native pixels it touches (start rounded down, end rounded up), so a
rectangle is never cut short on a fractional scale.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from desktop_ocr.core.errors import CaptureFailed


@dataclass(frozen=True)
class Rect:
    """A rectangle in logical pixels (float allowed: fractional logical positions occur at 150 %)."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    def intersect(self, other: Rect) -> Rect | None:
        """The overlap of both rectangles, or None when it has no area."""
        left, top = max(self.x, other.x), max(self.y, other.y)
        right, bottom = min(self.right, other.right), min(self.bottom, other.bottom)
        if right <= left or bottom <= top:
            return None
        return Rect(left, top, right - left, bottom - top)


@dataclass(frozen=True)
class Screen:
    """One screen as the maths needs it: its logical geometry, its ratio and its picture's size."""

    x: float
    y: float
    width: float
    height: float
    ratio: float
    native_width: int
    native_height: int

    @property
    def rect(self) -> Rect:
        return Rect(self.x, self.y, self.width, self.height)


#: (x, y, width, height) in whole pixels
PixelRect = tuple[int, int, int, int]


def parse_rect(text: str) -> Rect:
    """``"X,Y,W,H"`` (whole logical pixels, W and H above 0) as a Rect; ValueError names what is wrong."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 4:
        raise ValueError(f"expected X,Y,W,H (four whole numbers), got {text!r}")
    try:
        x, y, w, h = (int(p) for p in parts)
    except ValueError:
        raise ValueError(f"expected X,Y,W,H (four whole numbers), got {text!r}") from None
    if w <= 0 or h <= 0:
        raise ValueError(f"width and height must be more than 0, got {w}x{h}")
    return Rect(x, y, w, h)


def to_native(rect: Rect, screen: Screen) -> PixelRect:
    """The pixels of ``screen``'s picture that the logical ``rect`` (virtual-desktop coordinates,
    inside the screen) covers: the start rounded down, the end rounded up, clamped to the picture."""
    x0 = math.floor(_clean((rect.x - screen.x) * screen.ratio))
    y0 = math.floor(_clean((rect.y - screen.y) * screen.ratio))
    x1 = math.ceil(_clean((rect.right - screen.x) * screen.ratio))
    y1 = math.ceil(_clean((rect.bottom - screen.y) * screen.ratio))
    x0, x1 = max(0, x0), min(screen.native_width, x1)
    y0, y1 = max(0, y0), min(screen.native_height, y1)
    return x0, y0, max(0, x1 - x0), max(0, y1 - y0)


def _clean(value: float) -> float:
    """``value`` with float noise removed (0.1 * 3 * 10 is 3.0000000000000004, not a pixel more)."""
    return round(value, 6)


@dataclass(frozen=True)
class Piece:
    """Copy ``source`` (native pixels of screen ``index``'s picture) to ``target`` (pixels of the crop)."""

    index: int
    source: PixelRect
    target: PixelRect


@dataclass(frozen=True)
class CropPlan:
    """How to compose a crop: its size in pixels, the ratio it is drawn at, and the pieces.

    One piece whose source and target sizes are equal is a plain copy of pixels (no scaling)."""

    width: int
    height: int
    ratio: float
    pieces: tuple[Piece, ...]


def plan_crop(screens: list[Screen], rect: Rect) -> CropPlan:
    """The plan for cutting the logical ``rect`` out of the screens' pictures.

    On one screen it is that screen's native pixels, unscaled. Across screens it is composed at the
    highest ratio among the screens it touches (the others are scaled up to it); parts of ``rect``
    outside every screen stay empty. Raises CaptureFailed("bad_rect") when ``rect`` has no area on
    any screen.
    """
    parts = [(i, part) for i, s in enumerate(screens) if (part := rect.intersect(s.rect)) is not None]
    parts = [(i, part) for i, part in parts if to_native(part, screens[i])[2] and to_native(part, screens[i])[3]]
    if not parts:
        raise CaptureFailed(
            f"the rectangle {_fmt(rect)} lies outside every screen", reason="bad_rect",
            params={"x": rect.x, "y": rect.y, "width": rect.width, "height": rect.height})
    if len(parts) == 1:
        i, part = parts[0]
        source = to_native(part, screens[i])
        return CropPlan(source[2], source[3], screens[i].ratio, (Piece(i, source, (0, 0, source[2], source[3])),))
    ratio = max(screens[i].ratio for i, _ in parts)
    width = math.ceil(_clean(rect.width * ratio))
    height = math.ceil(_clean(rect.height * ratio))
    pieces = []
    for i, part in parts:
        tx0 = math.floor(_clean((part.x - rect.x) * ratio))
        ty0 = math.floor(_clean((part.y - rect.y) * ratio))
        tx1 = min(width, math.ceil(_clean((part.right - rect.x) * ratio)))
        ty1 = min(height, math.ceil(_clean((part.bottom - rect.y) * ratio)))
        pieces.append(Piece(i, to_native(part, screens[i]), (tx0, ty0, tx1 - tx0, ty1 - ty0)))
    return CropPlan(width, height, ratio, tuple(pieces))


def split_desktop(image_width: int, image_height: int, screens: list[Rect]) -> list[tuple[PixelRect, float]]:
    """Cut one picture of the whole virtual desktop (what the screenshot portal gives) into the
    screens' parts: per screen, its pixel rectangle in the picture and the picture's ratio
    (picture pixels per logical pixel, from the desktop's logical width)."""
    if not screens:
        return []
    left, top = min(s.x for s in screens), min(s.y for s in screens)
    width = max(s.right for s in screens) - left
    height = max(s.bottom for s in screens) - top
    sx, sy = image_width / width, image_height / height
    out = []
    for s in screens:
        x0, x1 = round((s.x - left) * sx), round((s.right - left) * sx)
        y0, y1 = round((s.y - top) * sy), round((s.bottom - top) * sy)
        out.append(((x0, y0, x1 - x0, y1 - y0), sx))
    return out


def relative_to(rect: Rect, screen: Rect) -> Rect:
    """``rect`` given relative to ``screen``'s top-left corner, in virtual-desktop coordinates."""
    return Rect(screen.x + rect.x, screen.y + rect.y, rect.width, rect.height)


def _fmt(rect: Rect) -> str:
    return f"{rect.x:g},{rect.y:g} {rect.width:g}x{rect.height:g}"
