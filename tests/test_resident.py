"""Resident mode (issue #13): one window per user and settings (a second launch hands its arguments
over, a stale socket does not block a start), the tray menu and "Keep running in the tray", start at
login (the XDG autostart file).

The hand-over tests run REAL window processes (``python -m desktop_ocr``, offscreen, their own
HOME/XDG/TMPDIR folders) and read the first window's log file; the tray tests drive a real
MainWindow with pytest-qt. The offscreen platform has no system tray, so those tests say
``available=True`` (a desktop with a tray) or ``False`` (one without); ``--tray`` itself runs under
Xvfb with a StatusNotifierWatcher test double on a private D-Bus session bus, which is what makes
Qt see a real tray there.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QSystemTrayIcon

from desktop_ocr.core.errors import CaptureFailed
from desktop_ocr.gui import autostart
from desktop_ocr.gui.single_instance import Listener, launch_message
from tests.drawing import render_lines

START_TIMEOUT_S = 180  # the machine is shared: a window (and its models) can be slow to start


# -- real processes ---------------------------------------------------------------------------

@pytest.fixture
def short_tmp():
    """A short temporary folder for the socket files (a Unix socket path has at most 107 bytes)."""
    folder = Path(tempfile.mkdtemp(prefix="do-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def window_env(tmp_path: Path, short_tmp: Path) -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path / "home"),
                XDG_CONFIG_HOME=str(tmp_path / "cfg"), XDG_DATA_HOME=str(tmp_path / "data"),
                XDG_CACHE_HOME=str(tmp_path / "cache"), TMPDIR=str(short_tmp))


def log_text(tmp_path: Path) -> str:
    path = tmp_path / "data" / "desktop_ocr" / "desktop_ocr" / "desktop_ocr.log"
    return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""


def wait_log(tmp_path: Path, needle: str, proc: subprocess.Popen | None = None, count: int = 1) -> str:
    """Wait until the log holds ``needle`` ``count`` times (the window process must stay alive)."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        text = log_text(tmp_path)
        if text.count(needle) >= count:
            return text
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"the window process ended ({proc.returncode}) before logging {needle!r}:\n{text}")
        if time.monotonic() > deadline:
            raise AssertionError(f"{needle!r} never logged:\n{text}")
        time.sleep(0.2)


def start_window(tmp_path: Path, env: dict[str, str], *paths: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "desktop_ocr", *map(str, paths)], cwd=tmp_path, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def launch(tmp_path: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "desktop_ocr", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=START_TIMEOUT_S)


def listening_on(text: str) -> str:
    line = [ln for ln in text.splitlines() if "listening for other launches on " in ln][-1]
    return line.split("listening for other launches on ", 1)[1].strip()


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.kill()
    proc.wait(timeout=60)


@pytest.mark.gui  # windows in child processes: no qtbot to mark it
def test_second_launch_hands_its_paths_to_the_running_window(tmp_path, short_tmp):
    env = window_env(tmp_path, short_tmp)
    render_lines(["first 123"], font_size=32).save(str(tmp_path / "first.png"))
    render_lines(["other 456"], font_size=32).save(str(tmp_path / "other.png"))
    first = start_window(tmp_path, env, tmp_path / "first.png")
    try:
        wait_log(tmp_path, "listening for other launches on ", first)
        second = launch(tmp_path, env, "other.png")  # relative: the running window gets it made absolute
        assert second.returncode == 0, second.stderr
        assert second.stderr.strip() == "desktop-ocr: handed over to the window already running"
        assert second.stdout == ""
        text = wait_log(tmp_path, f"queued {tmp_path / 'other.png'} from another launch", first)
        assert text.count("window visible after") == 1  # the second launch opened no window of its own

        # `desktop-ocr --tray` while a window runs: handed over too, nothing queued, nothing started
        third = launch(tmp_path, env, "--tray")
        assert third.returncode == 0 and "handed over" in third.stderr
        text = wait_log(tmp_path, "another launch asked for the tray", first)
        assert text.count("from another launch") == 1 and text.count("window visible after") == 1

        # a URL with a password: queued, and the password is in no line of the window's log
        with socket.socket() as closed:  # a port nothing listens on: the download fails at once
            closed.bind(("127.0.0.1", 0))
            port = closed.getsockname()[1]
        url = f"http://reader:hunter2-secret@127.0.0.1:{port}/page.png"
        assert launch(tmp_path, env, url).returncode == 0
        wait_log(tmp_path, f"queued http://reader:***@127.0.0.1:{port}/page.png from another launch", first)
        text = wait_log(tmp_path, f"127.0.0.1:{port}/page.png) failed", first)  # the window tried it
        assert "hunter2" not in text

        # `desktop-ocr capture` (no --rect) while a window runs: the window's Capture Region starts
        fourth = launch(tmp_path, env, "capture")
        assert fourth.returncode == 0, fourth.stderr
        assert fourth.stderr.strip() == "desktop-ocr: handed over to the window already running"
        wait_log(tmp_path, "capture asked for by another launch", first)
        assert first.poll() is None
    finally:
        stop(first)


@pytest.mark.gui
def test_a_stale_socket_of_a_crashed_window_does_not_block_a_new_start(tmp_path, short_tmp):
    env = window_env(tmp_path, short_tmp)
    render_lines(["crash 789"], font_size=32).save(str(tmp_path / "a.png"))
    crashed = start_window(tmp_path, env, tmp_path / "a.png")
    try:
        name = listening_on(wait_log(tmp_path, "listening for other launches on ", crashed))
        # it logs that it listens before it shows its window: the crash comes once it is on screen
        wait_log(tmp_path, "window visible after", crashed)
        crashed.send_signal(signal.SIGKILL)  # a crash: nothing cleans up
        crashed.wait(timeout=60)
    finally:
        stop(crashed)
    assert Path(name).exists(), "the crashed window left no socket file to test with"
    with socket.socket(socket.AF_UNIX) as probe, pytest.raises(ConnectionRefusedError):
        probe.connect(name)  # stale: nothing answers

    # the next launch finds nothing answering, starts a window itself and takes the name over
    restarted = start_window(tmp_path, env, tmp_path / "a.png")
    try:
        wait_log(tmp_path, "listening for other launches on ", restarted, count=2)
        text = wait_log(tmp_path, "window visible after", restarted, count=2)
        assert f"removing the stale socket {Path(name).name}" in text
        assert text.count("listening for other launches on ") == 2
        later = launch(tmp_path, env, str(tmp_path / "a.png"))
        assert later.returncode == 0 and "handed over" in later.stderr
        wait_log(tmp_path, f"queued {tmp_path / 'a.png'} from another launch", restarted)
    finally:
        stop(restarted)


# -- the protocol, in this process -------------------------------------------------------------

def raw_exchange(path: str, data: bytes, out: list) -> None:
    """A client that is not ours (a raw Unix socket): send ``data``, keep what comes back."""
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(30)
        s.connect(path)
        s.sendall(data)
        answer = b""
        while not answer.endswith(b"\n"):
            chunk = s.recv(4096)
            if not chunk:
                break
            answer += chunk
        out.append(answer)


def exchange(qtbot, listener: Listener, data: bytes) -> bytes:
    out: list[bytes] = []
    client = threading.Thread(target=raw_exchange, args=(listener.full_name(), data, out))
    client.start()
    qtbot.waitUntil(lambda: not client.is_alive(), timeout=30_000)  # the listener answers on this thread's loop
    client.join()
    return out[0]


def test_listener_acknowledges_messages_and_refuses_anything_else(qtbot, short_tmp, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(short_tmp))
    listener = Listener(name="do-test-protocol")
    assert listener.listen()
    try:
        got: list[dict] = []
        listener.received.connect(got.append)
        message = '{"paths": ["/a b/图.png", "https://x/y.png"]}\n'.encode()
        assert exchange(qtbot, listener, message) == b'{"ok": true}\n'
        qtbot.waitUntil(lambda: len(got) == 1)
        assert got == [{"paths": ["/a b/图.png", "https://x/y.png"]}]
        assert exchange(qtbot, listener, b'{"command": "capture"}\n') == b'{"ok": true}\n'
        qtbot.waitUntil(lambda: len(got) == 2)
        assert got[1] == {"command": "capture"}
        # what a launch sends for a file name that is not valid UTF-8 (PEP 383 surrogates): the same str arrives
        undecodable = launch_message(["bad-\udcff.png"])
        assert exchange(qtbot, listener, json.dumps(undecodable).encode("ascii") + b"\n") == b'{"ok": true}\n'
        qtbot.waitUntil(lambda: len(got) == 3)
        assert got[2] == {"paths": [os.path.abspath("bad-\udcff.png")]}
        for bad in (b"not json\n", b'{"command": "rm -rf"}\n', b'{"paths": [1, 2]}\n', b"[]\n", b"\xff\xfe\n"):
            assert exchange(qtbot, listener, bad) == b'{"ok": false}\n', bad
        qtbot.wait(50)
        assert len(got) == 3  # nothing that is not a message of ours reaches the window
    finally:
        listener.close()


def test_a_second_listener_does_not_steal_a_live_name_but_takes_a_stale_one(qtbot, short_tmp, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(short_tmp))
    live = Listener(name="do-test-live")
    assert live.listen()
    try:
        other = Listener(name="do-test-live")
        assert not other.listen()  # a live window keeps its name
        got: list[dict] = []
        live.received.connect(got.append)
        assert exchange(qtbot, live, json.dumps({"paths": []}).encode() + b"\n") == b'{"ok": true}\n'
        qtbot.waitUntil(lambda: got == [{"paths": []}])
    finally:
        live.close()

    stale = short_tmp / "do-test-stale"
    with socket.socket(socket.AF_UNIX) as s:  # what a crashed process leaves: a socket file nobody listens on
        s.bind(str(stale))
    assert stale.exists()
    fresh = Listener(name="do-test-stale")
    assert fresh.listen()
    try:
        assert exchange(qtbot, fresh, b'{"paths": []}\n') == b'{"ok": true}\n'
    finally:
        fresh.close()


# -- the tray ----------------------------------------------------------------------------------

def failing_grab():
    raise CaptureFailed("no screen to capture (test)", reason="no_screen")


@pytest.fixture
def bare_window(qtbot, tmp_path):
    """A real MainWindow on throwaway settings; its engine is never started (nothing is recognised)."""
    from desktop_ocr.gui.main_window import MainWindow
    from desktop_ocr.gui.settings import Settings

    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    win = MainWindow(settings, interactive=False, grab=failing_grab)  # Capture Region fails at once
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def test_tray_menu_opens_the_window_captures_and_quits(qtbot, bare_window):
    from desktop_ocr.gui.tray import Resident

    win = bare_window
    resident = Resident(win, available=True)
    assert [a.text() for a in resident.tray.contextMenu().actions() if not a.isSeparator()] == \
        ["Capture Region", "Open Window", "Quit"]

    win.hide()
    resident.act_open.trigger()
    assert win.isVisible()
    win.hide()
    resident.tray.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)  # a click on the icon
    assert win.isVisible()

    if hasattr(win, "act_capture"):  # the window's Capture Region (gui.main_window)
        with qtbot.waitSignal(win.act_capture.triggered, timeout=5000), \
                qtbot.waitSignal(win.error_shown, timeout=30_000):  # its grab fails: the message bar says why
            resident.act_capture.trigger()
        qtbot.waitUntil(win.isVisible)

    assert win.settings.geometry() is None  # the window's closeEvent has not run yet
    with qtbot.waitSignal(resident.finished, timeout=5000):
        resident.act_quit.trigger()
    assert not win.isVisible()
    assert win.settings.geometry() is not None  # closed for real: its settings were saved


def test_keep_running_in_the_tray_hides_on_close_and_quit_ends(qtbot, bare_window):
    from desktop_ocr.gui.tray import KEEP_KEY, Resident

    win = bare_window
    resident = Resident(win, available=True)
    assert resident.act_keep.isEnabled() and not resident.act_keep.isChecked()  # default off
    assert resident.act_keep in win.menu_file.actions()
    resident.act_keep.trigger()
    assert win.settings.q.value(KEEP_KEY) in (True, "true")

    with qtbot.assertNotEmitted(resident.finished, wait=100):
        win.close()  # the title bar's close
    assert not win.isVisible() and win.settings.geometry() is None  # hidden, not closed

    resident.handle({"paths": []})  # another launch without paths: the window comes back
    assert win.isVisible()
    with qtbot.waitSignal(resident.finished, timeout=5000):
        resident.act_quit.trigger()
    assert not win.isVisible() and win.settings.geometry() is not None

    # the setting is remembered by the next window
    again = Resident(win, available=True)
    assert again.act_keep.isChecked()


def test_closing_ends_the_program_when_keep_running_is_off(qtbot, bare_window):
    from desktop_ocr.gui.tray import Resident

    resident = Resident(bare_window, available=True)
    with qtbot.waitSignal(resident.finished, timeout=5000):
        bare_window.close()
    assert not bare_window.isVisible() and bare_window.settings.geometry() is not None


def test_without_a_tray_the_setting_is_disabled_and_says_why(qtbot, bare_window):
    from desktop_ocr.gui.tray import KEEP_KEY, Resident

    bare_window.settings.q.setValue(KEEP_KEY, True)  # chosen on a desktop that had a tray
    resident = Resident(bare_window, available=False)
    assert not resident.act_keep.isEnabled() and not resident.act_keep.isChecked()
    assert "No system tray" in resident.act_keep.toolTip()
    with qtbot.waitSignal(resident.finished, timeout=5000):
        bare_window.close()  # nothing to hide into: closing ends the program
    assert not bare_window.isVisible()


# -- start at login ----------------------------------------------------------------------------

def test_exec_line_quotes_as_the_desktop_entry_spec_says():
    assert autostart.exec_line(["/usr/bin/desktop-ocr", "--tray"]) == "/usr/bin/desktop-ocr --tray"
    assert autostart.exec_line(["/opt/my apps/py$1", "-m", "desktop_ocr", "--tray"]) == \
        '"/opt/my apps/py\\$1" -m desktop_ocr --tray'
    assert autostart.exec_line(['/a"b\\c', "100%"]) == '"/a\\"b\\\\c" 100%%'


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG file; macOS, Windows: test_autostart.py")
def test_start_at_login_writes_and_removes_the_autostart_file(qtbot, bare_window, tmp_path, monkeypatch):
    from desktop_ocr.gui.tray import Resident

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    entry = tmp_path / "xdg" / "autostart" / "desktop-ocr.desktop"
    resident = Resident(bare_window, available=False)
    assert resident.act_autostart.isVisible() and not resident.act_autostart.isChecked()
    assert resident.act_autostart in bare_window.menu_file.actions()

    resident.act_autostart.trigger()
    assert resident.act_autostart.isChecked() and entry.is_file()
    lines = entry.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]" and "Type=Application" in lines
    exec_line = next(ln for ln in lines if ln.startswith("Exec="))[len("Exec="):]
    argv = shlex.split(exec_line)
    assert argv == [os.path.abspath(sys.executable), "-m", "desktop_ocr", "--tray"]  # pytest is not desktop-ocr
    ran = subprocess.run([*argv, "--help"], capture_output=True, text=True, timeout=120)  # the command exists
    assert ran.returncode == 0 and "--tray" in ran.stdout

    resident.act_autostart.trigger()
    assert not resident.act_autostart.isChecked() and not entry.exists()
    assert Resident(bare_window, available=False).act_autostart.isChecked() is False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG file; macOS, Windows: test_autostart.py")
def test_start_at_login_that_cannot_be_written_says_so_and_stays_off(qtbot, bare_window, tmp_path, monkeypatch):
    from desktop_ocr.gui.tray import Resident

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    (tmp_path / "xdg").mkdir()
    (tmp_path / "xdg" / "autostart").write_text("a file where the folder should be")
    resident = Resident(bare_window, available=False)
    with qtbot.waitSignal(bare_window.error_shown, timeout=5000) as shown:
        resident.act_autostart.trigger()
    assert shown.args[0].startswith("Start at login could not be changed")
    assert not resident.act_autostart.isChecked()
    assert (tmp_path / "xdg" / "autostart").read_text() == "a file where the folder should be"


def test_a_handed_over_url_is_logged_without_its_password(qtbot, bare_window, caplog):
    from desktop_ocr.gui.tray import Resident

    with socket.socket() as closed:  # a port nothing listens on: the download fails at once
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    resident = Resident(bare_window, available=False)
    url = f"http://reader:hunter2-secret@127.0.0.1:{port}/page.png"
    with caplog.at_level("INFO", logger="desktop_ocr.gui.tray"), \
            qtbot.waitSignal(bare_window.error_shown, timeout=60_000):  # queued: its download failed
        resident.handle({"paths": [url]})
    ours = [r.getMessage() for r in caplog.records if r.name == "desktop_ocr.gui.tray"]
    assert f"queued http://reader:***@127.0.0.1:{port}/page.png from another launch" in ours
    assert not any("hunter2" in m for m in ours)  # (the window's own log file: the process test)


# -- a desktop with a tray: Xvfb + a StatusNotifierWatcher on a private session bus -------------------

WATCHER = '''
import sys
from PySide6.QtCore import ClassInfo, Property, QCoreApplication, QObject, Signal, Slot
from PySide6.QtDBus import QDBusAbstractAdaptor, QDBusConnection


@ClassInfo({"D-Bus Interface": "org.kde.StatusNotifierWatcher"})
class Watcher(QDBusAbstractAdaptor):
    StatusNotifierItemRegistered = Signal(str)

    def __init__(self, parent):
        super().__init__(parent)
        self.setAutoRelaySignals(True)
        self.items = []

    @Slot(str)
    def RegisterStatusNotifierItem(self, service):
        print("registered", service, flush=True)
        self.items.append(service)

    @Slot(str)
    def RegisterStatusNotifierHost(self, service):
        pass

    IsStatusNotifierHostRegistered = Property(bool, lambda self: True)
    RegisteredStatusNotifierItems = Property("QStringList", lambda self: self.items)
    ProtocolVersion = Property(int, lambda self: 0)


app = QCoreApplication(sys.argv)
bus = QDBusConnection.sessionBus()
root = QObject()
Watcher(root)
if not (bus.registerObject("/StatusNotifierWatcher", root) and bus.registerService("org.kde.StatusNotifierWatcher")):
    sys.exit("cannot own org.kde.StatusNotifierWatcher: " + bus.lastError().message())
print("ready", flush=True)
app.exec()
'''


def read_line(proc: subprocess.Popen, what: str) -> str:
    line = proc.stdout.readline() if proc.stdout else ""
    assert line, f"{what} said nothing (exit {proc.poll()})"
    return line.strip()


@pytest.mark.gui
@pytest.mark.skipif(not (shutil.which("xvfb-run") and shutil.which("dbus-daemon")),
                    reason="needs xvfb-run and dbus-daemon")
def test_tray_option_starts_hidden_with_a_tray_icon_and_a_launch_brings_the_window(tmp_path, short_tmp):
    started: list[subprocess.Popen] = []
    try:
        bus = subprocess.Popen(["dbus-daemon", "--session", "--print-address=1", "--nofork"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        started.append(bus)
        env = window_env(tmp_path, short_tmp)
        env.pop("QT_QPA_PLATFORM")  # the real X11 platform of Xvfb
        env["DBUS_SESSION_BUS_ADDRESS"] = read_line(bus, "dbus-daemon")
        watcher = subprocess.Popen([sys.executable, "-c", WATCHER], env=env, stdout=subprocess.PIPE, text=True)
        started.append(watcher)
        assert read_line(watcher, "the tray watcher") == "ready"

        window = subprocess.Popen(["xvfb-run", "-a", "-s", "-screen 0 1024x768x24",
                                   sys.executable, "-m", "desktop_ocr", "--tray"], cwd=tmp_path, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        started.append(window)
        text = wait_log(tmp_path, "listening for other launches on ", window)
        assert "started hidden in the tray" in text and "window visible after" not in text
        assert read_line(watcher, "the tray watcher").startswith("registered")  # the tray icon is there

        render_lines(["tray 42"], font_size=32).save(str(tmp_path / "later.png"))
        later = launch(tmp_path, env, "later.png")
        assert later.returncode == 0 and "handed over" in later.stderr
        wait_log(tmp_path, f"queued {tmp_path / 'later.png'} from another launch", window)
        wait_log(tmp_path, "window shown from the tray or by another launch", window)
    finally:
        for proc in reversed(started):
            if proc.poll() is None:
                if proc.args[0] == "xvfb-run":  # xvfb-run, its Xvfb and the window: their own group
                    os.killpg(proc.pid, signal.SIGTERM)  # Xvfb removes its lock files
                    try:
                        proc.wait(timeout=30)
                    except subprocess.TimeoutExpired:
                        os.killpg(proc.pid, signal.SIGKILL)
                else:
                    proc.kill()
            proc.wait(timeout=60)
