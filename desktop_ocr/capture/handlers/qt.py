"""Screenshots through Qt's screen grab: X11, Windows and macOS (on Wayland it gives black pictures)."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication, QImage

from desktop_ocr.capture.models import Shot
from desktop_ocr.core.errors import CaptureFailed

#: Qt platforms that have no real screen to grab
_HEADLESS = ("offscreen", "minimal", "minimalegl", "vnc")


class QtHandler:
    name = "qt"
    #: why it cannot be used, when is_compatible() says no (one phrase, English)
    unavailable = "the Qt platform has no screen to grab"

    def is_compatible(self) -> bool:
        app = QGuiApplication.instance()
        return app is not None and QGuiApplication.platformName() not in _HEADLESS

    def capture(self) -> list[Shot]:
        shots = []
        for screen in QGuiApplication.screens():
            pixmap = screen.grabWindow(0)  # the whole screen, at its device pixels
            image = pixmap.toImage().convertToFormat(QImage.Format.Format_RGB32)
            if image.isNull():
                raise CaptureFailed(f"Qt could not grab the screen {screen.name()}", reason="grab_failed",
                                    params={"handler": self.name, "screen": screen.name()})
            image.setDevicePixelRatio(1.0)
            geo = screen.geometry()
            shots.append(Shot(image=image, x=geo.x(), y=geo.y(), width=geo.width(), height=geo.height(),
                              ratio=float(screen.devicePixelRatio()), name=screen.name()))
        if not shots:
            raise CaptureFailed("there is no screen to capture", reason="no_screen", params={})
        return shots
