"""The xdg-desktop-portal's request exchange over D-Bus, shared by the handlers that ask a portal
(``capture``: Screenshot; ``hotkey``: GlobalShortcuts).

A portal method that needs the user or the desktop answers later: it returns a Request object
path at once, and that request emits Response(u response, a{sv} results) when done; response 0
is success, 1 the user cancelled or refused, 2 another failure. The caller names the request
with a ``handle_token`` so it can listen before calling; an old portal names it itself, returned
by the call. Some portals never answer when permission is missing, so each wait is bounded and a
request not answered in time is closed, so that a late answer does nothing.

Qt's D-Bus only, no knowledge of what is asked: each handler turns the outcome into its own error
(a code and values for the window, not a sentence).
"""

from __future__ import annotations

import secrets
import sys
from collections.abc import Callable

from PySide6.QtCore import SLOT, QEventLoop, QObject, QTimer, Slot
from PySide6.QtDBus import QDBus, QDBusConnection, QDBusMessage, QDBusObjectPath, QDBusVariant

SERVICE = "org.freedesktop.portal.Desktop"
PATH = "/org/freedesktop/portal/desktop"
REQUEST = "org.freedesktop.portal.Request"
#: Qt turns a{sv} into a dict only for a typed slot
RESPONSE_SLOT = SLOT("on_response(uint,QVariantMap)")
#: a signal handed over whole, whatever its signature
MESSAGE_SLOT = SLOT("on_message(QDBusMessage)")


class Refused(Exception):
    """The portal answered the method call itself with an error (``error``: what it said)."""

    def __init__(self, error: str):
        super().__init__(error)
        self.error = error


def available(bus: QDBusConnection) -> bool:
    """Whether a portal can be asked here: a Linux or BSD desktop whose session bus has one."""
    if not (sys.platform.startswith("linux") or "bsd" in sys.platform):
        return False
    if not bus.isConnected():
        return False
    registered = bus.interface().isServiceRegistered(SERVICE)
    return bool(registered.isValid() and registered.value())


def token() -> str:
    """A fresh ``handle_token`` (or session token)."""
    return "desktop_ocr_" + secrets.token_hex(8)


def plain(value):
    """A value of a portal's answer, unwrapped from the D-Bus variant Qt may leave around it."""
    return value.variant() if isinstance(value, QDBusVariant) else value


def object_path(value) -> str:
    """An object path of a portal's answer as a string ("" for none)."""
    value = plain(value)
    return value.path() if isinstance(value, QDBusObjectPath) else str(value or "")


class Receiver(QObject):
    """Receives D-Bus signals: a request's Response (``wait`` runs a bounded event loop until it
    comes), or any signal as a whole message, handed to ``on_message``."""

    def __init__(self, on_message: Callable[[QDBusMessage], None] | None = None):
        super().__init__()
        self.answer: tuple[int, dict] | None = None
        self._on_message = on_message
        self._loop = QEventLoop()

    @Slot(QDBusMessage)
    def on_message(self, message: QDBusMessage) -> None:
        if self._on_message is not None:
            self._on_message(message)

    @Slot("uint", "QVariantMap")
    def on_response(self, response: int, results: dict) -> None:
        self.answer = (int(response), {str(k): plain(v) for k, v in dict(results).items()})
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


def request(bus: QDBusConnection, interface: str, method: str, args: list, handle_token: str,
            timeout: float) -> tuple[int, dict] | None:
    """Call ``method`` of the portal's ``interface`` with ``args`` (whose options carry
    ``handle_token``) and wait up to ``timeout`` seconds for its request's Response: (response,
    results), or None when none came (the request is then closed). Raises Refused when the call
    itself fails."""
    sender = bus.baseService().lstrip(":").replace(".", "_")
    paths = [f"{PATH}/request/{sender}/{handle_token}"]
    receiver = Receiver()
    bus.connect(SERVICE, paths[0], REQUEST, "Response", receiver, RESPONSE_SLOT)  # type: ignore[call-overload]
    try:
        call = QDBusMessage.createMethodCall(SERVICE, PATH, interface, method)
        call.setArguments(args)
        reply = bus.call(call, QDBus.CallMode.Block, int(timeout * 1000))
        if reply.type() != QDBusMessage.MessageType.ReplyMessage:
            raise Refused(reply.errorMessage() or reply.errorName() or "no answer")
        handle = object_path(reply.arguments()[0]) if reply.arguments() else ""
        if handle and handle != paths[0]:  # an old portal names the request itself
            paths.append(handle)
            bus.connect(SERVICE, handle, REQUEST, "Response", receiver, RESPONSE_SLOT)  # type: ignore[call-overload]
        answer = receiver.wait(timeout)
        if answer is None:  # withdraw the request, so that a late answer does nothing
            bus.call(QDBusMessage.createMethodCall(SERVICE, paths[-1], REQUEST, "Close"), QDBus.CallMode.NoBlock)
    finally:
        for p in paths:
            bus.disconnect(SERVICE, p, REQUEST, "Response", receiver, RESPONSE_SLOT)  # type: ignore[call-overload]
    return answer
