"""Start at login. Linux (and other XDG desktops): the autostart file
``$XDG_CONFIG_HOME/autostart/desktop-ocr.desktop`` (``~/.config`` when unset), which runs the current
executable with ``--tray``. Windows and macOS: not implemented (``supported()`` is False and the
window hides the setting). No Qt here."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..core.atomic import write_atomic
from ..core.errors import WriteFailed

FILE_NAME = "desktop-ocr.desktop"
SCRIPT_NAMES = ("desktop-ocr", "desktop_ocr")


def supported() -> bool:
    return not (sys.platform.startswith("win") or sys.platform == "darwin")


def autostart_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME", "")
    folder = Path(base) if base and os.path.isabs(base) else Path.home() / ".config"  # the spec ignores a relative one
    return folder / "autostart" / FILE_NAME


def launch_command() -> list[str]:
    """How this program was started, as a command that starts it again from anywhere, hidden in the tray."""
    if getattr(sys, "frozen", False):  # the PyInstaller bundle
        return [os.path.abspath(sys.executable), "--tray"]
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script is not None and script.name in SCRIPT_NAMES and script.is_file():
        return [os.path.abspath(script), "--tray"]
    return [os.path.abspath(sys.executable), "-m", "desktop_ocr", "--tray"]


_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def _quote(arg: str) -> str:
    """One argument of an Exec line (Desktop Entry Specification, "The Exec key")."""
    arg = arg.replace("%", "%%")
    if arg and not any(c in _RESERVED for c in arg):
        return arg
    return '"' + "".join("\\" + c if c in '"`$\\' else c for c in arg) + '"'


def exec_line(argv: list[str]) -> str:
    return " ".join(_quote(a) for a in argv)


def desktop_entry(argv: list[str]) -> str:
    return ("[Desktop Entry]\n"
            "Type=Application\n"
            "Name=desktop_ocr\n"
            "Comment=Offline OCR, waiting in the tray\n"
            f"Exec={exec_line(argv)}\n"
            "Terminal=false\n"
            "X-GNOME-Autostart-enabled=true\n")


def is_enabled() -> bool:
    return autostart_path().is_file()


def enable() -> Path:
    """Write the autostart file (whole or not at all; raises WriteFailed)."""
    return write_atomic(autostart_path(), desktop_entry(launch_command()), overwrite=True)


def disable() -> None:
    """Remove the autostart file (nothing to do when there is none; raises WriteFailed)."""
    path = autostart_path()
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        error = exc.strerror or str(exc)
        raise WriteFailed(f"cannot remove {path}: {error}", source=str(path), reason="remove",
                          params={"path": str(path), "error": error}) from None
