"""Screenshots through the xdg-desktop-portal Screenshot interface over D-Bus (Wayland).

The portal takes one picture of the whole desktop and answers asynchronously: Screenshot() returns a
request object path, and that request later emits Response(u response, a{sv} results) with
results["uri"] (a file:// PNG) when response is 0; 1 means the user cancelled or refused, 2 that it
failed. Some portals never answer when permission is missing, so the wait is bounded.
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

from PySide6.QtCore import SLOT, QEventLoop, QObject, QTimer, Slot
from PySide6.QtDBus import QDBus, QDBusConnection, QDBusInterface, QDBusMessage, QDBusObjectPath, QDBusVariant
from PySide6.QtGui import QGuiApplication, QImage

from desktop_ocr.capture.geometry import Rect, split_desktop
from desktop_ocr.capture.models import Shot
from desktop_ocr.core.errors import CaptureFailed

SERVICE = "org.freedesktop.portal.Desktop"
PATH = "/org/freedesktop/portal/desktop"
SCREENSHOT = "org.freedesktop.portal.Screenshot"
REQUEST = "org.freedesktop.portal.Request"
TIMEOUT = 60.0
_SLOT = SLOT("on_response(uint,QVariantMap)")


class PortalHandler:
    name = "dbus_portal"
    unavailable = "no desktop portal on the D-Bus session bus"

    def __init__(self, timeout: float = TIMEOUT):
        self.timeout = timeout

    def is_compatible(self) -> bool:
        if not (sys.platform.startswith("linux") or "bsd" in sys.platform):
            return False
        bus = QDBusConnection.sessionBus()
        if not bus.isConnected():
            return False
        reply = bus.interface().isServiceRegistered(SERVICE)
        return bool(reply.isValid() and reply.value())

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
        bus = QDBusConnection.sessionBus()
        token = "desktop_ocr_" + secrets.token_hex(8)
        sender = bus.baseService().lstrip(":").replace(".", "_")
        expected = f"{PATH}/request/{sender}/{token}"
        waiter = _ResponseWaiter()
        paths = [expected]
        bus.connect(SERVICE, expected, REQUEST, "Response", waiter, _SLOT)  # type: ignore[call-overload]
        try:
            portal = QDBusInterface(SERVICE, PATH, SCREENSHOT, bus)
            reply = portal.call("Screenshot", "", {"handle_token": token, "interactive": False})
            if reply.type() == QDBusMessage.MessageType.ErrorMessage:
                raise _failed(reply.errorMessage() or reply.errorName() or "the request was refused")
            handle = reply.arguments()[0] if reply.arguments() else None
            path = handle.path() if isinstance(handle, QDBusObjectPath) else str(handle or "")
            if path and path != expected:  # an old portal names the request itself
                paths.append(path)
                bus.connect(SERVICE, path, REQUEST, "Response", waiter, _SLOT)  # type: ignore[call-overload]
            answer = waiter.wait(self.timeout)
            if answer is None:  # withdraw the request, so a late answer shows nothing to anybody
                bus.call(QDBusMessage.createMethodCall(SERVICE, paths[-1], REQUEST, "Close"),
                         QDBus.CallMode.NoBlock)
        finally:
            for p in paths:
                bus.disconnect(SERVICE, p, REQUEST, "Response", waiter, _SLOT)  # type: ignore[call-overload]
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


class _ResponseWaiter(QObject):
    """Receives the request's Response signal and runs a bounded event loop until it arrives."""

    def __init__(self):
        super().__init__()
        self.answer: tuple[int, dict] | None = None
        self._loop = QEventLoop()

    @Slot("uint", "QVariantMap")
    def on_response(self, response: int, results: dict) -> None:
        # Qt has turned a{sv} into a dict (the slot's signature asks for it); nested variants may stay wrapped
        self.answer = (int(response), {str(k): v.variant() if isinstance(v, QDBusVariant) else v
                                       for k, v in dict(results).items()})
        self._loop.quit()

    def wait(self, timeout: float) -> tuple[int, dict] | None:
        if self.answer is None:
            timer = QTimer()
            timer.setSingleShot(True)
            timer.timeout.connect(self._loop.quit)
            timer.start(int(timeout * 1000))
            self._loop.exec()
            timer.stop()
        return self.answer

