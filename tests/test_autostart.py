"""Start at login on macOS and Windows (desktop_ocr.gui.autostart), tested on Linux: the macOS
LaunchAgent is written for real (HOME pointed at tmp_path) and parsed back with plistlib; the Windows
Run value's command line is split back by Windows' own rules, and its registry calls run against
``FakeRegistry``, a stand-in for the OS registry (the ``winreg`` module does not exist here). The XDG
file is tested through the window in tests/test_resident.py."""

from __future__ import annotations

import contextlib
import os
import plistlib
import stat
import sys

import pytest

from desktop_ocr.core.errors import WriteFailed
from desktop_ocr.gui import autostart


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    return tmp_path


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_supported_on_linux_windows_and_macos_only(monkeypatch):
    for platform, expected in (("linux", True), ("win32", True), ("darwin", True), ("plan9", False)):
        monkeypatch.setattr(sys, "platform", platform)
        assert autostart.supported() is expected, platform
    assert autostart.is_enabled() is False  # plan9: nothing to read
    with pytest.raises(WriteFailed):
        autostart.enable()


# -- macOS --------------------------------------------------------------------------------------

def test_macos_launch_agent_is_written_whole_and_removed(home):
    agent = home / "Library" / "LaunchAgents" / "io.github.desktop-ocr.plist"
    assert autostart.agent_path() == agent
    assert autostart.macos_enable() == agent
    plist = plistlib.loads(agent.read_bytes())
    assert plist == {"Label": "io.github.desktop-ocr", "RunAtLoad": True, "ProcessType": "Interactive",
                     "ProgramArguments": [os.path.abspath(sys.executable), "-m", "desktop_ocr", "--tray"]}
    assert stat.S_IMODE(agent.stat().st_mode) == 0o666 & ~umask()  # launchd refuses group/world-writable ones
    assert sorted(p.name for p in agent.parent.iterdir()) == [agent.name]  # no temp file left

    agent.write_bytes(b"an older agent")
    autostart.macos_enable()  # replaced whole
    assert plistlib.loads(agent.read_bytes())["Label"] == "io.github.desktop-ocr"
    autostart.macos_disable()
    assert not agent.exists()
    autostart.macos_disable()  # nothing to do


def test_macos_launch_agent_that_cannot_be_written_raises_and_changes_nothing(home):
    (home / "Library").mkdir()
    (home / "Library" / "LaunchAgents").write_text("a file where the folder should be")
    with pytest.raises(WriteFailed):
        autostart.macos_enable()
    assert (home / "Library" / "LaunchAgents").read_text() == "a file where the folder should be"


def test_on_macos_the_setting_is_the_launch_agent(home, monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    assert autostart.supported() and not autostart.is_enabled()
    assert autostart.enable() == autostart.autostart_path() == autostart.agent_path()
    assert autostart.is_enabled()
    assert plistlib.loads(autostart.agent_path().read_bytes())["RunAtLoad"] is True
    autostart.disable()
    assert not autostart.is_enabled() and not autostart.agent_path().exists()


# -- Windows ------------------------------------------------------------------------------------

def split_windows(line: str) -> list[str]:
    """Split a command line as Windows programs do (the C runtime's rules, as CommandLineToArgvW):
    whitespace outside quotes separates; 2n backslashes before a quote are n and the quote toggles
    quoting, 2n+1 are n and a literal quote; other backslashes are literal."""
    args: list[str] = []
    current: list[str] = []
    quoted = started = False
    i = 0
    while i < len(line):
        c = line[i]
        if c == "\\":
            n = len(line[i:]) - len(line[i:].lstrip("\\"))
            if line[i + n:i + n + 1] == '"':
                current.append("\\" * (n // 2))
                if n % 2:
                    current.append('"')
                    i += 1
                i += n
            else:
                current.append("\\" * n)
                i += n
            started = True
            continue
        if c == '"':
            quoted = not quoted
            started = True
        elif c in " \t" and not quoted:
            if started:
                args.append("".join(current))
            current, started = [], False
        else:
            current.append(c)
            started = True
        i += 1
    if started:
        args.append("".join(current))
    return args


def test_the_windows_splitter_follows_microsofts_examples():
    # "Parsing C command-line arguments" (Microsoft C runtime documentation)
    assert split_windows(r'"a b c" d e') == ["a b c", "d", "e"]
    assert split_windows(r'"ab\"c" "\\" d') == ['ab"c', "\\", "d"]
    assert split_windows(r'a\\\b d"e f"g h') == [r"a\\\b", "de fg", "h"]
    assert split_windows(r'a\\\"b c d') == [r'a\"b', "c", "d"]
    assert split_windows(r'a\\\\"b c" d e') == [r"a\\b c", "d", "e"]


@pytest.mark.parametrize("argv", [
    [r"C:\Program Files\desktop ocr\desktop-ocr.exe", "--tray"],
    [r"C:\Users\Zoë O'Neil\AppData\Local\Programs\Python\Python311\python.exe", "-m", "desktop_ocr", "--tray"],
    [r'C:\odd "quoted" name\py.exe', "trailing\\", r"back\\slashes\"", "", "tab\there"],
])
def test_run_command_splits_back_by_windows_rules(argv):
    line = autostart.run_command(argv)
    assert split_windows(line) == argv


def test_run_command_quotes_only_what_needs_it():
    assert autostart.run_command([r"C:\Program Files\desktop ocr\desktop-ocr.exe", "--tray"]) == \
        r'"C:\Program Files\desktop ocr\desktop-ocr.exe" --tray'
    assert autostart.run_command([r"C:\apps\desktop-ocr.exe", "--tray"]) == r"C:\apps\desktop-ocr.exe --tray"


class FakeRegistry:
    """A stand-in for the OS registry behind ``winreg``: keys are dicts of value name -> (data, type)."""

    HKEY_CURRENT_USER, KEY_READ, KEY_SET_VALUE, REG_SZ = "HKCU", 0x20019, 0x0002, 1

    def __init__(self, error: OSError | None = None):
        self.keys: dict[tuple[str, str], dict] = {("HKCU", autostart.RUN_KEY): {"OneDrive": ("x.exe", 1)}}
        self.error = error  # what writing raises (access denied, say)

    def OpenKey(self, root, sub, reserved, access):
        if (root, sub) not in self.keys:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return contextlib.nullcontext(self.keys[(root, sub)])

    def CreateKeyEx(self, root, sub, reserved, access):
        if self.error is not None:
            raise self.error
        return contextlib.nullcontext(self.keys.setdefault((root, sub), {}))

    def QueryValueEx(self, key, name):
        if name not in key:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return key[name]

    def SetValueEx(self, key, name, reserved, kind, data):
        key[name] = (data, kind)

    def DeleteValue(self, key, name):
        if name not in key:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        del key[name]


def test_run_value_is_written_read_back_and_deleted():
    reg = FakeRegistry()
    run = reg.keys[("HKCU", autostart.RUN_KEY)]
    assert autostart.run_value(reg) is None
    command = autostart.run_command([r"C:\Program Files\desktop ocr\desktop-ocr.exe", "--tray"])
    autostart.set_run_value(reg, command)
    assert run["desktop_ocr"] == (command, reg.REG_SZ)
    assert autostart.run_value(reg) == command
    autostart.set_run_value(reg, None)
    assert autostart.run_value(reg) is None
    autostart.set_run_value(reg, None)  # absent: nothing to do
    assert run == {"OneDrive": ("x.exe", 1)}, "other programs' values are left alone"


def test_run_value_that_cannot_be_changed_raises_write_failed():
    reg = FakeRegistry(PermissionError(13, "Access is denied"))
    where = r"HKEY_CURRENT_USER\Software\Microsoft\Windows\CurrentVersion\Run\desktop_ocr"
    with pytest.raises(WriteFailed) as written:
        autostart.set_run_value(reg, "x.exe --tray")
    assert written.value.reason == "failed"
    assert written.value.params == {"path": where, "error": "Access is denied"}
    with pytest.raises(WriteFailed) as removed:
        autostart.set_run_value(reg, None)
    assert removed.value.reason == "remove" and removed.value.params["path"] == where


def test_on_windows_the_setting_is_the_run_value(monkeypatch):
    reg = FakeRegistry()
    monkeypatch.setattr(autostart, "_winreg", lambda: reg)  # the import of the OS module
    monkeypatch.setattr(sys, "platform", "win32")
    assert autostart.supported() and not autostart.is_enabled()
    assert autostart.enable() == autostart.autostart_path() == autostart.run_location()
    assert autostart.is_enabled()
    command = autostart.run_value(reg)
    assert command is not None
    assert split_windows(command) == autostart.launch_command()
    autostart.disable()
    assert not autostart.is_enabled()
