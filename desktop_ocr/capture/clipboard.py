"""Putting a capture's text on the clipboard from the command line.

On X11 (and Wayland) the clipboard is not a store: the process that copied answers every paste, so
its text goes when it exits. A clipboard tool (wl-copy on Wayland, xclip or xsel on X11), when
installed, stays behind in the background and keeps it. Without one, the Qt clipboard is held by
this process until another program copies something or ``timeout`` seconds pass. Windows and macOS
keep the text themselves.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QClipboard, QGuiApplication

from desktop_ocr.core.errors import CaptureFailed

#: how long the copied text is kept by default when no clipboard tool is installed (seconds)
KEEP_SECONDS = 60.0
#: how often the display server is asked whether the clipboard is still ours (milliseconds)
POLL_MS = 1000


def clipboard_tool() -> list[str] | None:
    """The command that copies stdin to the clipboard and keeps it after we exit, or None."""
    if sys.platform in ("win32", "darwin"):
        return None
    wayland = os.environ.get("XDG_SESSION_TYPE", "").lower() == "wayland" or bool(os.environ.get("WAYLAND_DISPLAY"))
    if wayland and shutil.which("wl-copy"):
        return ["wl-copy"]
    if os.environ.get("DISPLAY"):
        if shutil.which("xclip"):
            return ["xclip", "-selection", "clipboard", "-in"]
        if shutil.which("xsel"):
            return ["xsel", "--clipboard", "--input"]
    return None


def copy_with_tool(command: list[str], text: str) -> None:
    """Hand ``text`` to the clipboard tool (which stays in the background holding it)."""
    try:
        done = subprocess.run(command, input=text.encode("utf-8"), stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        error = getattr(exc, "strerror", None) or str(exc)
        raise CaptureFailed(f"the text could not be copied with {command[0]} ({error})", reason="clipboard_failed",
                            params={"tool": command[0], "error": error}) from None
    if done.returncode != 0:
        error = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
        raise CaptureFailed(f"the text could not be copied with {command[0]} ({error[0]})",
                            reason="clipboard_failed", params={"tool": command[0], "error": error[0]})


def needs_holding() -> bool:
    """Whether the Qt clipboard's text dies with this process (X11 and Wayland, not Windows/macOS)."""
    return QGuiApplication.platformName() not in ("windows", "cocoa", "offscreen", "minimal")


def hold_qt_clipboard(text: str, timeout: float = KEEP_SECONDS) -> bool:
    """Put ``text`` on Qt's clipboard and, where it would die with us, serve it until another program
    copies something (True) or ``timeout`` seconds pass (False).

    Whether another program has taken the clipboard is asked of the display server (``mimeData()``
    asks it who owns the selection), not read from ``ownsClipboard()``: Qt's xcb plugin ignores a
    SelectionClear whose time is not later than its own copy's (each program stamps its copy with
    the last server time it has seen), and then still says it owns the clipboard it has lost (seen
    under load).
    The question is asked on every change notice and, for a server without XFixes (which sends
    those notices), once every ``POLL_MS``."""
    clipboard = QGuiApplication.clipboard()
    clipboard.setText(text, QClipboard.Mode.Clipboard)
    if not needs_holding():
        return True
    ours = clipboard.mimeData(QClipboard.Mode.Clipboard)  # the same object while the server says it is ours

    def lost() -> bool:
        return not clipboard.ownsClipboard() or clipboard.mimeData(QClipboard.Mode.Clipboard) is not ours

    if lost():  # someone else already has it
        return True
    loop = QEventLoop()
    taken = []

    def check() -> None:
        if lost():
            taken.append(True)
            loop.quit()

    clipboard.dataChanged.connect(check)
    poll = QTimer()
    poll.timeout.connect(check)
    poll.start(POLL_MS)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(int(timeout * 1000))
    loop.exec()
    timer.stop()
    poll.stop()
    clipboard.dataChanged.disconnect(check)
    return bool(taken)
