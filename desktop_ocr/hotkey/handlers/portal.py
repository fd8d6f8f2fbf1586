"""A global shortcut through the xdg-desktop-portal GlobalShortcuts interface over D-Bus (Wayland; also
KDE Plasma 5.27+ and GNOME 48+ on X11).

The exchange (interface version 1): CreateSession(a{sv} options) returns a request path whose
Response(u, a{sv}) carries results["session_handle"]; BindShortcuts(o session, a(sa{sv}) shortcuts,
s parent_window, a{sv} options) binds our one shortcut, id "capture", with its description and
preferred_trigger (written as the XDG shortcuts spec says: "CTRL+SHIFT+a"); the desktop may ask
the user to confirm or change the keys, and answers with that request's Response. From then on the
portal emits Activated(o session, s shortcut_id, t timestamp, a{sv}) when the keys are pressed;
stop() closes the session. Each wait for an answer is bounded (some portals never answer).

QtDBus from Python cannot write an array of structures (a(sa{sv})): an array needs its element type
registered with QtDBus, which only C++ can do. _shortcuts_argument() registers the marshalling of
one Qt type (QVariantPair, which nothing else sends over D-Bus) as "(sa{sv})" through QtDBus's public
QDBusMetaType::registerMarshallOperators, called with ctypes; the structure's fields are then
written from Python with QDBusArgument as usual.
"""

from __future__ import annotations

import ctypes
import logging
import os
from collections.abc import Callable
from typing import cast

from PySide6.QtCore import QMetaType
from PySide6.QtDBus import QDBus, QDBusArgument, QDBusConnection, QDBusMessage, QDBusObjectPath

from desktop_ocr import portal
from desktop_ocr.core.errors import HotkeyFailed
from desktop_ocr.hotkey.models import parse_key

log = logging.getLogger(__name__)

SERVICE, PATH = portal.SERVICE, portal.PATH
SHORTCUTS = "org.freedesktop.portal.GlobalShortcuts"
SESSION = "org.freedesktop.portal.Session"
PROPERTIES = "org.freedesktop.DBus.Properties"
SHORTCUT_ID = "capture"
TIMEOUT = 60.0
#: the XDG shortcuts spec's modifier names (xkbcommon's): our names (hotkey.models) -> theirs
TRIGGER_MODIFIERS = {"ctrl": "CTRL", "alt": "ALT", "shift": "SHIFT", "meta": "LOGO"}
TRIGGER_KEYS = {"Esc": "Escape", "Del": "Delete", "Ins": "Insert", "PgUp": "Prior", "PgDown": "Next",
                "Backspace": "BackSpace", "Enter": "Return", "Space": "space", "+": "plus", "-": "minus"}


def preferred_trigger(key: str) -> str:
    """A key as Qt writes it ("Ctrl+Shift+A") as the shortcuts spec does ("CTRL+SHIFT+a")."""
    parsed = parse_key(key)
    name = TRIGGER_KEYS.get(parsed.name, parsed.name)
    if len(name) == 1 and name.isalpha():
        name = name.lower()  # the letter's keysym; Shift is a modifier of its own
    order = ["ctrl", "alt", "shift", "meta"]
    return "+".join([TRIGGER_MODIFIERS[m] for m in order if m in parsed.modifiers] + [name])


_marshaller: tuple[QMetaType, object, object] | None = None


def _struct_type() -> QMetaType:
    """A Qt type whose D-Bus signature is "(sa{sv})" (registered on first use; see the module's doc)."""
    global _marshaller
    if _marshaller is not None:
        return _marshaller[0]
    import PySide6
    import shiboken6

    callback = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)

    def marshall(argument: int, _value: int) -> None:  # asked for the signature only: never real data
        arg = cast(QDBusArgument, shiboken6.wrapInstance(argument, QDBusArgument))
        arg.beginStructure()
        arg.appendVariant("")
        arg.appendVariant({})
        arg.endStructure()

    def demarshall(_argument: int, _value: int) -> None:
        pass

    name = "_ZN13QDBusMetaType25registerMarshallOperatorsE9QMetaTypePFvR13QDBusArgumentPKvEPFvRKS1_PvE"
    register = None
    for library in ("libQt6DBus.so.6", os.path.join(os.path.dirname(PySide6.__file__), "Qt", "lib",
                                                    "libQt6DBus.so.6")):
        try:
            register = getattr(ctypes.CDLL(library), name)  # the copy already loaded by QtDBus
            break
        except (OSError, AttributeError):
            continue
    if register is None:
        raise HotkeyFailed("QtDBus cannot write the shortcut list here (no QDBusMetaType in libQt6DBus)",
                           reason="portal_failed", params={"handler": "portal", "error": "marshalling"})
    register.argtypes = [ctypes.c_void_p, callback, callback]
    register.restype = None
    struct = QMetaType(QMetaType.Type.QVariantPair)
    # a QMetaType is one pointer (its interface), passed by value: read it out of the Python wrapper
    interface = ctypes.c_void_p.from_address(shiboken6.getCppPointer(struct)[0]).value
    keep = (callback(marshall), callback(demarshall))  # Qt keeps the function pointers for good
    register(interface, *keep)
    _marshaller = (struct, *keep)
    return struct


def _shortcuts_argument(shortcuts: list[tuple[str, dict]]) -> QDBusArgument:
    """``shortcuts`` as the a(sa{sv}) BindShortcuts takes."""
    arg = QDBusArgument()
    arg.beginArray(_struct_type())
    for shortcut_id, info in shortcuts:
        arg.beginStructure()
        arg.appendVariant(shortcut_id)
        arg.appendVariant(info)
        arg.endStructure()
    arg.endArray()
    return arg


class PortalHandler:
    name = "portal"
    unavailable = "no desktop portal with GlobalShortcuts on the D-Bus session bus"

    def __init__(self, timeout: float = TIMEOUT, description: str = "Capture a region of the screen"):
        """``description``: what the desktop shows next to the shortcut (the caller may translate it)."""
        self.timeout = timeout
        self.description = description
        self.session = ""
        self.key = ""
        self._activated: portal.Receiver | None = None

    def is_compatible(self) -> bool:
        bus = QDBusConnection.sessionBus()
        if not portal.available(bus):
            return False
        ask = QDBusMessage.createMethodCall(SERVICE, PATH, PROPERTIES, "Get")
        ask.setArguments([SHORTCUTS, "version"])
        reply = bus.call(ask, QDBus.CallMode.Block, 5000)
        return reply.type() == QDBusMessage.MessageType.ReplyMessage  # an older portal: UnknownInterface

    def start(self, key: str, callback: Callable[[], None]) -> None:
        self.stop()
        trigger = preferred_trigger(key)
        bus = QDBusConnection.sessionBus()
        token = portal.token()
        answer = self._request(bus, "CreateSession", [{"handle_token": token, "session_handle_token": token}],
                               token)
        session = portal.object_path(answer.get("session_handle"))
        if not session:
            raise _failed("no session handle in its answer")
        self.session = session

        def activated(message: QDBusMessage) -> None:
            args = message.arguments()
            if len(args) >= 2 and portal.object_path(args[0]) == self.session and portal.plain(args[1]) == SHORTCUT_ID:
                log.info("portal: the global shortcut was pressed")
                callback()

        self._activated = portal.Receiver(activated)
        bus.connect(SERVICE, PATH, SHORTCUTS, "Activated", self._activated, portal.MESSAGE_SLOT)  # type: ignore[call-overload]
        try:
            bind_token = portal.token()
            shortcuts = _shortcuts_argument([(SHORTCUT_ID, {"description": self.description,
                                                            "preferred_trigger": trigger})])
            self._request(bus, "BindShortcuts", [QDBusObjectPath(session), shortcuts, "",
                                                 {"handle_token": bind_token}], bind_token)
        except BaseException:
            self.stop()
            raise
        self.key = key
        log.info("portal: bound %s (%s) in session %s", key, trigger, session)

    def stop(self) -> None:
        bus = QDBusConnection.sessionBus()
        if self._activated is not None:
            bus.disconnect(SERVICE, PATH, SHORTCUTS, "Activated", self._activated,  # type: ignore[call-overload]
                           portal.MESSAGE_SLOT)
            self._activated = None
        if self.session:
            bus.call(QDBusMessage.createMethodCall(SERVICE, self.session, SESSION, "Close"), QDBus.CallMode.NoBlock)
            log.info("portal: closed the global shortcut session %s", self.session)
            self.session = ""

    def _request(self, bus: QDBusConnection, method: str, args: list, token: str) -> dict:
        """Call ``method`` and wait for its request's Response: the results when it is 0."""
        try:
            answer = portal.request(bus, SHORTCUTS, method, args, token, self.timeout)
        except portal.Refused as refused:
            raise _failed(f"{method}: {refused.error}") from None
        if answer is None:
            raise HotkeyFailed(f"the desktop portal did not answer {method} within {self.timeout:g} s",
                               reason="portal_timeout", params={"handler": self.name, "timeout": self.timeout})
        response, results = answer
        if response == 1:
            raise HotkeyFailed("the global shortcut was cancelled or not allowed (desktop portal)",
                               reason="portal_denied", params={"handler": self.name})
        if response != 0:
            raise _failed(f"{method}: response {response}")
        return results


def _failed(error: str) -> HotkeyFailed:
    return HotkeyFailed(f"the desktop portal could not set up the global shortcut ({error})", reason="portal_failed",
                        params={"handler": "portal", "error": error})
