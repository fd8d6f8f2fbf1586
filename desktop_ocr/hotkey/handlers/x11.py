"""A global shortcut on X11: a passive key grab on every root window, through libX11 with ctypes.

The handler opens its own connection to the X server (nothing shared with Qt's), grabs the key with
each combination of the locks a user may have on (Caps Lock, Num Lock), so the shortcut works with
them too, and waits for the key on a daemon thread: select() on the connection's socket and on a
pipe of its own, so stop() wakes it at once. A key another program already grabbed makes the X
server answer BadAccess; an error handler of ours records it (Xlib's default one would end the
process) and start() raises HotkeyFailed("key_taken"). Holding the key down calls back once.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import select
import sys
import threading
from collections.abc import Callable

from desktop_ocr.core.errors import HotkeyFailed
from desktop_ocr.hotkey.models import parse_key

log = logging.getLogger(__name__)

# X.h
KEY_PRESS, KEY_RELEASE = 2, 3
SHIFT_MASK, LOCK_MASK, CONTROL_MASK, MOD1_MASK, MOD2_MASK, MOD4_MASK = 1, 2, 4, 8, 16, 64
GRAB_MODE_ASYNC = 1
BAD_ACCESS = 10
NO_SYMBOL = 0
#: our modifier names (hotkey.models) -> X modifier masks (Alt is Mod1, the Windows/Super key Mod4)
MASKS = {"shift": SHIFT_MASK, "ctrl": CONTROL_MASK, "alt": MOD1_MASK, "meta": MOD4_MASK}
#: Qt's names of keys whose X keysym is spelled otherwise
KEYSYM_NAMES = {"Esc": "Escape", "Del": "Delete", "Ins": "Insert", "PgUp": "Prior", "PgDown": "Next",
                "Backspace": "BackSpace", "Enter": "Return", "Print": "Print", "Space": "space", "+": "plus",
                "-": "minus", "=": "equal", ",": "comma", ".": "period", "/": "slash", ";": "semicolon"}


class XErrorEvent(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("display", ctypes.c_void_p), ("resourceid", ctypes.c_ulong),
                ("serial", ctypes.c_ulong), ("error_code", ctypes.c_ubyte), ("request_code", ctypes.c_ubyte),
                ("minor_code", ctypes.c_ubyte)]


class XKeyEvent(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong), ("send_event", ctypes.c_int),
                ("display", ctypes.c_void_p), ("window", ctypes.c_ulong), ("root", ctypes.c_ulong),
                ("subwindow", ctypes.c_ulong), ("time", ctypes.c_ulong), ("x", ctypes.c_int), ("y", ctypes.c_int),
                ("x_root", ctypes.c_int), ("y_root", ctypes.c_int), ("state", ctypes.c_uint),
                ("keycode", ctypes.c_uint), ("same_screen", ctypes.c_int)]


class XEvent(ctypes.Union):
    _fields_ = [("type", ctypes.c_int), ("xkey", XKeyEvent), ("pad", ctypes.c_long * 24)]


class XModifierKeymap(ctypes.Structure):
    _fields_ = [("max_keypermod", ctypes.c_int), ("modifiermap", ctypes.POINTER(ctypes.c_ubyte))]


ERROR_HANDLER = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(XErrorEvent))

_lib: ctypes.CDLL | None = None
_lib_loaded = False


def libx11() -> ctypes.CDLL | None:
    """libX11 with the prototypes we use, or None where it is not installed."""
    global _lib, _lib_loaded
    if _lib_loaded:
        return _lib
    _lib_loaded = True
    try:
        lib = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
    except OSError:
        return None
    p, d, i, u, ul = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_uint, ctypes.c_ulong
    for name, res, args in [
            ("XOpenDisplay", p, [d]), ("XCloseDisplay", i, [p]), ("XConnectionNumber", i, [p]),
            ("XScreenCount", i, [p]), ("XRootWindow", ul, [p, i]), ("XStringToKeysym", ul, [d]),
            ("XKeysymToKeycode", ctypes.c_ubyte, [p, ul]), ("XGrabKey", i, [p, i, u, ul, i, i, i]),
            ("XUngrabKey", i, [p, i, u, ul]), ("XSync", i, [p, i]), ("XPending", i, [p]),
            ("XNextEvent", i, [p, ctypes.POINTER(XEvent)]), ("XSetErrorHandler", p, [p]),
            ("XGetModifierMapping", ctypes.POINTER(XModifierKeymap), [p]), ("XFreeModifiermap", i, [p]),
            ("XkbSetDetectableAutoRepeat", i, [p, i, p])]:
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = res, args
    _lib = lib
    return lib


class _Errors:
    """Records the X errors of the displays being watched, while our handler is installed."""

    def __init__(self):
        self.watched: dict[int, list[int]] = {}
        self.lock = threading.Lock()
        self.previous: int | None = None
        self.callback = ERROR_HANDLER(self._on_error)  # kept alive: Xlib holds only the pointer

    def _on_error(self, display: int | None, event: ctypes._Pointer[XErrorEvent]) -> int:
        with self.lock:
            codes = self.watched.get(display or 0)
        if codes is not None:
            codes.append(event.contents.error_code)
            return 0
        if self.previous:  # another display's error: what was there before us handles it
            return ERROR_HANDLER(self.previous)(display, event)
        return 0

    def run(self, lib: ctypes.CDLL, display: int, action: Callable[[], None]) -> list[int]:
        """``action`` (X requests on ``display``), then XSync: the error codes the server answered."""
        codes: list[int] = []
        with self.lock:
            self.watched[display] = codes
        previous = lib.XSetErrorHandler(ctypes.cast(self.callback, ctypes.c_void_p))
        if previous != ctypes.cast(self.callback, ctypes.c_void_p).value:
            self.previous = previous
        try:
            action()
            lib.XSync(display, 0)
        finally:
            lib.XSetErrorHandler(self.previous)
            with self.lock:
                self.watched.pop(display, None)
        return codes


_errors = _Errors()


class X11Handler:
    name = "x11"
    unavailable = "not an X11 session (no DISPLAY, a Wayland session, or no libX11)"

    def __init__(self, display: str | None = None):
        """``display``: the X display to use (default $DISPLAY)."""
        self.display_name = display
        self._display: int | None = None
        self._grabs: list[tuple[int, int, int]] = []  # (keycode, modifiers, root window)
        self._thread: threading.Thread | None = None
        self._wake: tuple[int, int] | None = None
        self.key = ""

    def is_compatible(self) -> bool:
        if not (sys.platform.startswith("linux") or "bsd" in sys.platform):
            return False
        if self.display_name is None:
            wayland = (os.environ.get("XDG_SESSION_TYPE", "").lower() == "wayland"
                       or bool(os.environ.get("WAYLAND_DISPLAY")))
            if wayland or not os.environ.get("DISPLAY"):
                return False
        return libx11() is not None

    def start(self, key: str, callback: Callable[[], None]) -> None:
        lib = libx11()
        if lib is None:
            raise HotkeyFailed("libX11 is not installed", reason="display_failed", params={"handler": self.name})
        self.stop()
        parsed = parse_key(key)
        name = self.display_name if self.display_name is not None else os.environ.get("DISPLAY", "")
        display = lib.XOpenDisplay(name.encode() if name else None)
        if not display:
            raise HotkeyFailed(f"the X display {name!r} cannot be opened", reason="display_failed",
                               params={"handler": self.name, "display": name})
        try:
            keycode = self._keycode(lib, display, parsed.name)
            if not keycode:
                raise HotkeyFailed(f"{key!r} is on no key of this keyboard", reason="bad_key",
                                   params={"handler": self.name, "key": key})
            mods = 0
            for m in parsed.modifiers:
                mods |= MASKS[m]
            numlock = self._numlock_mask(lib, display)
            locks = {0, LOCK_MASK, numlock, LOCK_MASK | numlock}
            roots = [lib.XRootWindow(display, s) for s in range(lib.XScreenCount(display))]
            grabs = [(keycode, mods | lock, root) for root in roots for lock in sorted(locks)]

            def grab() -> None:
                for code, mask, root in grabs:
                    lib.XGrabKey(display, code, mask, root, 0, GRAB_MODE_ASYNC, GRAB_MODE_ASYNC)

            errors = _errors.run(lib, display, grab)
            if errors:
                _errors.run(lib, display, lambda: self._ungrab(lib, display, grabs))  # the combinations we got
                if BAD_ACCESS in errors:
                    raise HotkeyFailed(f"{key} is already grabbed by another program", reason="key_taken",
                                       params={"handler": self.name, "key": key})
                raise HotkeyFailed(f"the X server refused the key grab (error {errors[0]})", reason="bad_key",
                                   params={"handler": self.name, "key": key, "error": errors[0]})
            lib.XkbSetDetectableAutoRepeat(display, 1, None)  # a held key: presses without releases
        except BaseException:
            lib.XCloseDisplay(display)
            raise
        self._display, self._grabs, self.key = display, grabs, key
        self._wake = os.pipe()
        self._thread = threading.Thread(target=self._listen, args=(lib, display, callback, self._wake[0]),
                                        name="desktop_ocr-hotkey-x11", daemon=True)
        self._thread.start()
        log.info("x11: grabbed %s (keycode %d, modifiers %#x, %d combinations)", key, keycode, mods, len(grabs))

    def stop(self) -> None:
        thread, wake, display = self._thread, self._wake, self._display
        self._thread = self._wake = self._display = None
        if wake is not None:
            os.write(wake[1], b"x")
        if thread is not None:
            thread.join(5)
        if wake is not None:
            for fd in wake:
                os.close(fd)
        lib = libx11()
        if display and lib is not None:
            grabs = self._grabs
            _errors.run(lib, display, lambda: self._ungrab(lib, display, grabs))
            lib.XCloseDisplay(display)
            log.info("x11: released %s", self.key)
        self._grabs = []

    # -- helpers ------------------------------------------------------------------------------
    @staticmethod
    def _keycode(lib: ctypes.CDLL, display: int, name: str) -> int:
        spelled = KEYSYM_NAMES.get(name, name)
        for candidate in dict.fromkeys((spelled, spelled.lower(), spelled.capitalize())):
            keysym = lib.XStringToKeysym(candidate.encode())
            if keysym != NO_SYMBOL:
                return int(lib.XKeysymToKeycode(display, keysym))
        return 0

    @staticmethod
    def _numlock_mask(lib: ctypes.CDLL, display: int) -> int:
        """The modifier Num Lock sets on this server (Mod2 almost everywhere)."""
        numlock = lib.XKeysymToKeycode(display, lib.XStringToKeysym(b"Num_Lock"))
        mapping = lib.XGetModifierMapping(display)
        if not numlock or not mapping:
            return MOD2_MASK
        try:
            per = mapping.contents.max_keypermod
            for index in range(8 * per):
                if mapping.contents.modifiermap[index] == numlock:
                    return 1 << (index // per)
        finally:
            lib.XFreeModifiermap(mapping)
        return MOD2_MASK

    @staticmethod
    def _ungrab(lib: ctypes.CDLL, display: int, grabs: list[tuple[int, int, int]]) -> None:
        for code, mask, root in grabs:
            lib.XUngrabKey(display, code, mask, root)

    @staticmethod
    def _listen(lib: ctypes.CDLL, display: int, callback: Callable[[], None], wake: int) -> None:
        fd = lib.XConnectionNumber(display)
        event = XEvent()
        down = False
        while True:
            ready, _, _ = select.select([fd, wake], [], [])
            if wake in ready:
                return
            while lib.XPending(display):
                lib.XNextEvent(display, ctypes.byref(event))
                if event.type == KEY_RELEASE:
                    down = False
                elif event.type == KEY_PRESS and not down:
                    down = True
                    try:
                        callback()
                    except Exception:  # a fault of the callback must not end the listening
                        log.exception("x11: the global shortcut's callback failed")
