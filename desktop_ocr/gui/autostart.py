"""Start at login: the current executable started again with ``--tray`` when the user logs in. No Qt.

One small implementation per platform, all behind ``supported() / is_enabled() / enable() /
disable() / autostart_path()``:

- Linux (and other XDG desktops): the autostart file ``$XDG_CONFIG_HOME/autostart/desktop-ocr.desktop``
  (``~/.config`` when unset).
- Windows: the value ``desktop_ocr`` of the per-user Run key
  ``HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run``: the command line,
  quoted by Windows rules (``subprocess.list2cmdline``), through the standard ``winreg`` module.
- macOS: the LaunchAgent ``~/Library/LaunchAgents/io.github.desktop-ocr.plist`` (RunAtLoad).

Verified only on Linux: the XDG file end to end; the LaunchAgent plist is written and parsed back
there (tests/test_autostart.py), but launchd loading it at login was not tried on a Mac; the Run
key's command line and its registry calls are tested against a stand-in for ``winreg``, not on
Windows (where a run from source or pip, ``python.exe`` / ``desktop-ocr.exe``, would open a console
window at login; the bundle would not, if built windowed). Elsewhere (an unknown platform)
``supported()`` is False and the window hides the setting.
"""

from __future__ import annotations

import os
import plistlib
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from ..core.atomic import write_atomic
from ..core.errors import WriteFailed

FILE_NAME = "desktop-ocr.desktop"
SCRIPT_NAMES = ("desktop-ocr", "desktop_ocr", "desktop-ocr.exe", "desktop_ocr.exe")
#: Windows: the per-user Run key and our value in it
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE = "desktop_ocr"
#: macOS: the LaunchAgent's label (its file is ``~/Library/LaunchAgents/<label>.plist``)
AGENT_LABEL = "io.github.desktop-ocr"


def _platform() -> str:
    if sys.platform.startswith("win"):
        return "windows"
    if sys.platform == "darwin":
        return "macos"
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd", "dragonfly", "sunos")):
        return "xdg"
    return ""


def launch_command() -> list[str]:
    """How this program was started, as a command that starts it again from anywhere, hidden in the tray."""
    if getattr(sys, "frozen", False):  # the PyInstaller bundle
        return [os.path.abspath(sys.executable), "--tray"]
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script is not None and script.name in SCRIPT_NAMES and script.is_file():
        return [os.path.abspath(script), "--tray"]
    return [os.path.abspath(sys.executable), "-m", "desktop_ocr", "--tray"]


def _remove_failed(shown: str, exc: OSError) -> WriteFailed:
    error = exc.strerror or str(exc)
    return WriteFailed(f"cannot remove {shown}: {error}", source=shown, reason="remove",
                       params={"path": shown, "error": error})


def _remove_file(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise _remove_failed(str(path), exc) from None


# -- XDG (Linux and other free desktops) --------------------------------------------------------

def xdg_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME", "")
    folder = Path(base) if base and os.path.isabs(base) else Path.home() / ".config"  # the spec ignores a relative one
    return folder / "autostart" / FILE_NAME


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


def xdg_enable() -> Path:
    return write_atomic(xdg_path(), desktop_entry(launch_command()), overwrite=True)


def xdg_disable() -> None:
    _remove_file(xdg_path())


# -- macOS: a LaunchAgent ---------------------------------------------------------------------------

def agent_path() -> Path:
    return Path.home() / "Library" / "LaunchAgents" / f"{AGENT_LABEL}.plist"


def launch_agent(argv: list[str]) -> bytes:
    return plistlib.dumps({"Label": AGENT_LABEL, "ProgramArguments": list(argv), "RunAtLoad": True,
                           "ProcessType": "Interactive"})


def macos_enable() -> Path:
    return write_atomic(agent_path(), launch_agent(launch_command()), overwrite=True)


def macos_disable() -> None:
    _remove_file(agent_path())


# -- Windows: the per-user Run key --------------------------------------------------------------

def run_location() -> str:
    return "HKEY_CURRENT_USER\\" + RUN_KEY + "\\" + RUN_VALUE


def run_command(argv: list[str]) -> str:
    """The Run value: one command line, each argument quoted as Windows programs split them."""
    return subprocess.list2cmdline(argv)


def _winreg() -> Any:
    import winreg  # only on Windows

    return winreg


def run_value(reg: Any) -> str | None:
    """Our Run value, None when there is none. ``reg``: the ``winreg`` module (a stand-in in tests)."""
    try:
        with reg.OpenKey(reg.HKEY_CURRENT_USER, RUN_KEY, 0, reg.KEY_READ) as key:
            value, _kind = reg.QueryValueEx(key, RUN_VALUE)
    except OSError:  # FileNotFoundError: no such value; anything else: unreadable, shown as off
        return None
    return str(value)


def set_run_value(reg: Any, command: str | None) -> None:
    """Write our Run value (``command``) or delete it (None; absent = nothing to do); raises WriteFailed."""
    shown = run_location()
    try:
        with reg.CreateKeyEx(reg.HKEY_CURRENT_USER, RUN_KEY, 0, reg.KEY_SET_VALUE) as key:
            if command is not None:
                reg.SetValueEx(key, RUN_VALUE, 0, reg.REG_SZ, command)
                return
            try:
                reg.DeleteValue(key, RUN_VALUE)
            except FileNotFoundError:
                return
    except OSError as exc:
        if command is None:
            raise _remove_failed(shown, exc) from None
        error = exc.strerror or str(exc)
        raise WriteFailed(f"cannot write {shown}: {error}", source=shown, reason="failed",
                          params={"path": shown, "error": error}) from None


# -- the current platform ---------------------------------------------------------------------------

class _Way(NamedTuple):
    where: Callable[[], Path | str]
    enabled: Callable[[], bool]
    enable: Callable[[], object]
    disable: Callable[[], None]


_WAYS = {
    "xdg": _Way(xdg_path, lambda: xdg_path().is_file(), xdg_enable, xdg_disable),
    "macos": _Way(agent_path, lambda: agent_path().is_file(), macos_enable, macos_disable),
    "windows": _Way(run_location, lambda: run_value(_winreg()) is not None,
                    lambda: set_run_value(_winreg(), run_command(launch_command())),
                    lambda: set_run_value(_winreg(), None)),
}


def _way() -> _Way | None:
    return _WAYS.get(_platform())


def supported() -> bool:
    return _way() is not None


def autostart_path() -> Path | str:
    """Where start at login is recorded here: a file, or the registry value on Windows."""
    way = _way()
    return way.where() if way is not None else ""


def is_enabled() -> bool:
    way = _way()
    return way is not None and way.enabled()


def enable() -> Path | str:
    """Record start at login (a file is written whole or not at all); returns where; raises WriteFailed."""
    way = _way()
    if way is None:
        raise WriteFailed(f"start at login is not supported on {sys.platform}", reason="failed",
                          params={"path": sys.platform})
    way.enable()
    return way.where()


def disable() -> None:
    """Remove what enable() recorded (nothing to do when there is none); raises WriteFailed."""
    way = _way()
    if way is not None:
        way.disable()
