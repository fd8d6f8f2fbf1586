"""Screen capture: every screen's picture (grab) and a logical rectangle of the desktop (crop).

Each way of taking a screenshot is a handler (capture.handlers, behind models.HandlerProtocol).
grab() tries them in the order that suits the session (Wayland: the desktop portal first, since Qt's
grab gives black pictures there; X11, Windows, macOS: Qt's grab first) and moves on to the next when
one is unusable or fails; an entirely black picture counts as a failure in a Wayland session (what
Qt's grab gives there), and elsewhere only while another handler may still give a better one (an
X11 screen with nothing on it is black). When none works it raises one CaptureFailed("no_handler")
naming each handler tried and why it failed.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QRect, QRectF
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter

from desktop_ocr.capture.geometry import Rect, Screen, plan_crop
from desktop_ocr.capture.models import HandlerProtocol, Shot
from desktop_ocr.core.errors import CaptureFailed

__all__ = ["HandlerProtocol", "Shot", "crop", "ensure_app", "grab", "handlers_for_session", "is_black"]


def ensure_app() -> QGuiApplication:
    """The running Qt application, or a new QApplication (widgets: the selection overlay needs them)."""
    app = QGuiApplication.instance()
    if app is None:
        from PySide6.QtWidgets import QApplication

        app = QApplication([sys.argv[0] if sys.argv else "desktop-ocr"])
    return app  # type: ignore[return-value]


def is_wayland() -> bool:
    return (os.environ.get("XDG_SESSION_TYPE", "").lower() == "wayland" or bool(os.environ.get("WAYLAND_DISPLAY"))
            or QGuiApplication.platformName().startswith("wayland"))


def handlers_for_session(*, portal_timeout: float | None = None) -> list[HandlerProtocol]:
    """The handlers in order of preference for this session."""
    from desktop_ocr.capture.handlers.dbus_portal import PortalHandler
    from desktop_ocr.capture.handlers.qt import QtHandler

    portal = PortalHandler() if portal_timeout is None else PortalHandler(timeout=portal_timeout)
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        return [portal, QtHandler()] if is_wayland() else [QtHandler(), portal]
    return [QtHandler()]


def is_black(image: QImage) -> bool:
    """Whether every pixel of ``image`` is black (what Qt's grab gives on Wayland)."""
    import numpy as np

    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    if rgb.isNull() or rgb.width() == 0 or rgb.height() == 0:
        return True
    row = rgb.bytesPerLine()
    data = np.frombuffer(rgb.constBits(), dtype=np.uint8, count=row * rgb.height()).reshape(rgb.height(), row)
    return not data[:, : rgb.width() * 3].any()


def grab(handlers: list[HandlerProtocol] | None = None) -> list[Shot]:
    """Every screen's picture, from the first handler that works (``handlers``: default the session's)."""
    ensure_app()
    tried: list[str] = []
    black: list[Shot] = []
    for handler in handlers if handlers is not None else handlers_for_session():
        if not handler.is_compatible():
            tried.append(f"{handler.name} ({getattr(handler, 'unavailable', 'not usable here')})")
            continue
        try:
            shots = handler.capture()
        except CaptureFailed as exc:
            tried.append(f"{handler.name} ({exc.message})")
            continue
        if not shots:
            tried.append(f"{handler.name} (there is no screen to capture)")
            continue
        if all(is_black(s.image) for s in shots):
            tried.append(f"{handler.name} (the picture is entirely black)")
            black = black or shots
            continue
        return shots
    if black and not is_wayland():
        return black  # nothing better: the screen really is black
    what = "; ".join(tried) if tried else "none"
    raise CaptureFailed(f"the screen cannot be captured: no way of taking a screenshot worked (tried: {what})",
                        reason="no_handler", params={"tried": what})


def crop(shots: list[Shot], x: float, y: float, width: float, height: float) -> QImage:
    """The logical rectangle (x, y, width, height) of the virtual desktop at native pixels.

    On one screen: that screen's pixels, unscaled. Across screens: composed at the highest ratio
    among them (geometry.plan_crop); parts outside every screen are black. Raises
    CaptureFailed("bad_rect") for an empty rectangle or one outside every screen."""
    if not width > 0 or not height > 0:
        raise CaptureFailed(f"the rectangle must have an area, got {width:g}x{height:g}", reason="bad_rect",
                            params={"x": x, "y": y, "width": width, "height": height})
    screens = [Screen(s.x, s.y, s.width, s.height, s.ratio, s.image.width(), s.image.height()) for s in shots]
    plan = plan_crop(screens, Rect(x, y, width, height))
    if len(plan.pieces) == 1 and plan.pieces[0].source[2:] == plan.pieces[0].target[2:]:
        sx, sy, sw, sh = plan.pieces[0].source
        out = shots[plan.pieces[0].index].image.copy(QRect(sx, sy, sw, sh))
        out.setDevicePixelRatio(1.0)
        return out
    out = QImage(plan.width, plan.height, QImage.Format.Format_RGB32)
    out.fill(QColor(0, 0, 0))
    painter = QPainter(out)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    for piece in plan.pieces:
        painter.drawImage(QRectF(*piece.target), shots[piece.index].image, QRectF(*piece.source))
    painter.end()
    return out
