"""Keys and the mouse driven on an X display through the XTEST extension (libXtst, with ctypes), from a
connection of our own, as a keyboard and a mouse would: the X server delivers them to whichever
client grabbed the key or owns the window under the pointer. Used by tests/test_hotkey.py and
benchmarks/bench_capture.py; only ever point it at an Xvfb started for the purpose.
"""

from __future__ import annotations

import ctypes


class Keyboard:
    """Types keys (and moves and clicks the pointer) on an X display through XTEST."""

    def __init__(self, display: str):
        self.x11 = ctypes.CDLL("libX11.so.6")
        self.xtst = ctypes.CDLL("libXtst.so.6")
        self.x11.XOpenDisplay.restype, self.x11.XOpenDisplay.argtypes = ctypes.c_void_p, [ctypes.c_char_p]
        self.x11.XStringToKeysym.restype, self.x11.XStringToKeysym.argtypes = ctypes.c_ulong, [ctypes.c_char_p]
        self.x11.XKeysymToKeycode.restype = ctypes.c_ubyte
        self.x11.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        self.x11.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
        self.x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
        self.xtst.XTestFakeKeyEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong]
        self.xtst.XTestFakeMotionEvent.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                                                   ctypes.c_ulong]
        self.xtst.XTestFakeButtonEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong]
        self.display = self.x11.XOpenDisplay(display.encode())
        assert self.display, f"cannot open {display}"

    def press(self, *keysyms: str, hold: int = 0) -> None:
        """Press ``keysyms`` in order and release them in reverse; ``hold``: auto-repeats of the last."""
        codes = [self.x11.XKeysymToKeycode(self.display, self.x11.XStringToKeysym(k.encode())) for k in keysyms]
        assert all(codes), keysyms
        for code in codes:
            self.xtst.XTestFakeKeyEvent(self.display, code, True, 0)
        for _ in range(hold):  # what a held key sends: presses without releases (detectable auto-repeat)
            self.xtst.XTestFakeKeyEvent(self.display, codes[-1], True, 0)
        for code in reversed(codes):
            self.xtst.XTestFakeKeyEvent(self.display, code, False, 0)
        self.x11.XSync(self.display, 0)

    def move(self, x: int, y: int) -> None:
        """The pointer to (x, y) of the screen it is on (root coordinates)."""
        self.xtst.XTestFakeMotionEvent(self.display, -1, int(x), int(y), 0)
        self.x11.XSync(self.display, 0)

    def button(self, pressed: bool, button: int = 1) -> None:
        """Press (``pressed``) or release a mouse button (1: the left one) where the pointer is."""
        self.xtst.XTestFakeButtonEvent(self.display, button, bool(pressed), 0)
        self.x11.XSync(self.display, 0)

    def close(self) -> None:
        self.x11.XCloseDisplay(self.display)
