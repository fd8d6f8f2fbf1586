"""Screenshots through the xdg-desktop-portal Screenshot interface over D-Bus (Wayland).

The portal takes one picture of the whole desktop and answers asynchronously: Screenshot() returns a
request object path, and that request later emits Response(u response, a{sv} results) with
results["uri"] (a file:// PNG) when response is 0; 1 means the user cancelled or refused, 2 that it
failed. Some portals never answer when permission is missing, so the wait is bounded (the exchange
itself: desktop_ocr.portal, shared with the global shortcut's handler).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from PySide6.QtDBus import QDBusConnection
from PySide6.QtGui import QGuiApplication, QImage

from desktop_ocr import portal
from desktop_ocr.capture.geometry import Rect, split_desktop
from desktop_ocr.capture.models import Shot
from desktop_ocr.core.errors import CaptureFailed

SCREENSHOT = "org.freedesktop.portal.Screenshot"
TIMEOUT = 60.0


class PortalHandler:
    name = "dbus_portal"
    unavailable = "no desktop portal on the D-Bus session bus"

    def __init__(self, timeout: float = TIMEOUT):
        self.timeout = timeout

    def is_compatible(self) -> bool:
        return portal.available(QDBusConnection.sessionBus())

    def capture(self) -> list[Shot]:
        image = self._desktop_picture()
        screens = QGuiApplication.screens()
        if not screens:  # no screen known to Qt: the desktop is one screen
            return [Shot(image=image, x=0, y=0, width=image.width(), height=image.height(), ratio=1.0,
                         name="desktop")]
        rects = [Rect(s.geometry().x(), s.geometry().y(), s.geometry().width(), s.geometry().height())
                 for s in screens]
        shots = []
        for screen, rect, ((px, py, pw, ph), ratio) in zip(screens, rects, split_desktop(
                image.width(), image.height(), rects), strict=True):
            shots.append(Shot(image=image.copy(px, py, pw, ph), x=int(rect.x), y=int(rect.y),
                              width=int(rect.width), height=int(rect.height), ratio=ratio, name=screen.name()))
        return shots

    def _desktop_picture(self) -> QImage:
        handle = portal.token()
        try:
            answer = portal.request(QDBusConnection.sessionBus(), SCREENSHOT, "Screenshot",
                                    ["", {"handle_token": handle, "interactive": False}], handle, self.timeout)
        except portal.Refused as refused:
            raise _failed(refused.error) from None
        if answer is None:
            raise CaptureFailed(f"the desktop portal did not answer within {self.timeout:g} s",
                                reason="portal_timeout", params={"handler": self.name, "timeout": self.timeout})
        response, results = answer
        if response == 1:
            raise CaptureFailed("the screenshot was cancelled or not allowed (desktop portal)",
                                reason="portal_denied", params={"handler": self.name})
        if response != 0:
            raise _failed(f"response {response}")
        uri = str(results.get("uri") or "")
        parsed = urlparse(uri)
        if parsed.scheme != "file":
            raise _failed(f"no picture file in its answer: {uri!r}")
        file = Path(unquote(parsed.path))
        image = QImage(str(file))
        if image.isNull():
            raise _failed(f"its picture cannot be read: {file}")
        # The portal leaves the file in the user's pictures folder: it is ours, don't let them pile up.
        try:
            file.unlink()
        except OSError:
            pass
        return image.convertToFormat(QImage.Format.Format_RGB32)


def _failed(error: str) -> CaptureFailed:
    return CaptureFailed(f"the desktop portal could not take the screenshot ({error})", reason="portal_failed",
                         params={"handler": "dbus_portal", "error": error})
