"""Global shortcuts: a key that starts Capture Region wherever the focus is (issue #13).

Each way of receiving a key pressed anywhere is a handler (hotkey.handlers, behind
models.HotkeyHandler): an X11 key grab on the root window (handlers.x11: ctypes on libX11, no Qt),
or the xdg-desktop-portal GlobalShortcuts interface over D-Bus (handlers.portal: Wayland, where
nothing else may grab keys; the desktop asks the user to confirm the keys). start_hotkey() tries
them in the order that suits the session and returns the first that works. Nothing is implemented
for Windows and macOS yet: there a desktop shortcut that runs ``desktop-ocr capture`` does the job
(README, Resident mode). Failures are HotkeyFailed with a reason code (core.errors); the window
words them (gui.error_text).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable

from desktop_ocr.core.errors import HotkeyFailed
from desktop_ocr.hotkey.models import HotkeyHandler, Key, parse_key

__all__ = ["HotkeyHandler", "Key", "handlers_for_session", "is_wayland", "parse_key", "start_hotkey"]

log = logging.getLogger(__name__)


def is_unix_desktop() -> bool:
    return sys.platform.startswith("linux") or "bsd" in sys.platform


def is_wayland() -> bool:
    return os.environ.get("XDG_SESSION_TYPE", "").lower() == "wayland" or bool(os.environ.get("WAYLAND_DISPLAY"))


def handlers_for_session(description: str | None = None) -> list[HotkeyHandler]:
    """The handlers in order of preference for this session (none outside Linux and the BSDs).
    ``description``: what the desktop shows next to the shortcut, in the user's language (portal)."""
    if not is_unix_desktop():
        return []
    from desktop_ocr.hotkey.handlers.portal import PortalHandler
    from desktop_ocr.hotkey.handlers.x11 import X11Handler

    portal = PortalHandler() if description is None else PortalHandler(description=description)
    # Wayland: the X11 handler says it is not compatible (a grab on XWayland sees only X clients' keys)
    return [portal] if is_wayland() else [X11Handler(), portal]


def start_hotkey(key: str, callback: Callable[[], None],
                 handlers: list[HotkeyHandler] | None = None) -> HotkeyHandler:
    """Register ``key`` (as Qt writes it: "Ctrl+Shift+A") with the first handler that works and
    return that handler (stop() it to release the key). ``callback`` runs on the handler's own
    thread (X11) or on the Qt thread (portal): a GUI must hop to its own thread itself.

    Raises HotkeyFailed: the first usable handler's own failure when every usable one failed (the key
    is taken, the desktop refused...), with params["tried"] naming each; "no_handler" when none is
    usable in this session; "unsupported" on a system where none is implemented (Windows, macOS)."""
    parse_key(key)  # a key that cannot be read is the same failure everywhere
    chosen = handlers if handlers is not None else handlers_for_session()
    if not chosen:
        raise HotkeyFailed(f"global shortcuts are not implemented on {sys.platform}", reason="unsupported",
                           params={"platform": sys.platform})
    tried: list[str] = []
    first: HotkeyFailed | None = None
    for handler in chosen:
        if not handler.is_compatible():
            tried.append(f"{handler.name} ({handler.unavailable})")
            continue
        try:
            handler.start(key, callback)
        except HotkeyFailed as exc:
            tried.append(f"{handler.name} ({exc.message})")
            first = first or exc
            continue
        log.info("global shortcut %s registered (%s)", key, handler.name)
        return handler
    what = "; ".join(tried)
    if first is not None:
        first.params.setdefault("tried", what)
        raise first
    raise HotkeyFailed(f"no way of setting a global shortcut works here (tried: {what})", reason="no_handler",
                       params={"tried": what, "key": key})
