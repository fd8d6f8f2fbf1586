"""The global shortcut (desktop_ocr.hotkey, issue #13) and its File menu setting (gui.tray.Resident).

X11: each test starts its own Xvfb (tests.test_capture's helper), the handler grabs the key on it and
the keys are really typed there through the XTEST extension (libXtst, with ctypes), from another
connection, as a keyboard would. The portal: a private D-Bus session bus (dbus-daemon) with a test
double of org.freedesktop.portal.GlobalShortcuts on it (a child process using QtDBus) and our
handler in another child process (a process's session bus is fixed at its first use). The window:
a real MainWindow with pytest-qt (offscreen) whose Resident registers the key on the test Xvfb.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from desktop_ocr.core.errors import HotkeyFailed
from desktop_ocr.hotkey import parse_key, start_hotkey
from desktop_ocr.hotkey.handlers.portal import PortalHandler, preferred_trigger
from desktop_ocr.hotkey.handlers.x11 import X11Handler
from tests.test_capture import REPO, _xvfb, needs_dbus, needs_xvfb
from tests.test_resident import bare_window  # noqa: F401  (a fixture: a real MainWindow on throwaway settings)
from tests.xtest import Keyboard


@pytest.fixture
def xdisplay():
    """An Xvfb of our own: its display name. Every handler on it must be stopped before it ends."""
    proc, display = _xvfb("640x480")
    yield display
    proc.terminate()
    proc.wait(10)


@pytest.fixture
def keyboard(xdisplay):
    kb = Keyboard(xdisplay)
    yield kb
    kb.close()


class Presses:
    """A callback that counts its calls and which thread made them."""

    def __init__(self):
        self.count = 0
        self.threads: set[str] = set()
        self.event = threading.Event()

    def __call__(self) -> None:
        self.count += 1
        self.threads.add(threading.current_thread().name)
        self.event.set()

    def wait(self, timeout: float = 10) -> bool:
        ok = self.event.wait(timeout)
        self.event.clear()
        return ok


# -- keys --------------------------------------------------------------------------------------------

def test_keys_are_read_as_qt_writes_them():
    assert parse_key("Ctrl+Shift+A").modifiers == {"ctrl", "shift"} and parse_key("Ctrl+Shift+A").name == "A"
    assert parse_key("F4").modifiers == frozenset() and parse_key("F4").name == "F4"
    assert parse_key("Meta+Alt+Print").modifiers == {"meta", "alt"}
    assert parse_key("Ctrl++").name == "+"
    for bad in ("", "Ctrl+", "Hyper+A", "Ctrl++A"):
        with pytest.raises(HotkeyFailed) as info:
            parse_key(bad)
        assert info.value.key == "hotkey_failed.bad_key" and info.value.params == {"key": bad}
    # the XDG shortcuts spec (the portal's preferred_trigger): xkbcommon names, the letter's own keysym
    assert preferred_trigger("Ctrl+Shift+A") == "CTRL+SHIFT+a"
    assert preferred_trigger("Shift+Meta+Alt+F4") == "ALT+SHIFT+LOGO+F4"
    assert preferred_trigger("Ctrl+Space") == "CTRL+space"


def test_without_any_way_of_registering_a_key_the_failure_is_a_code(monkeypatch):
    with pytest.raises(HotkeyFailed) as info:
        start_hotkey("Ctrl+Shift+A", lambda: None, handlers=[])  # Windows, macOS: nothing implemented
    assert info.value.key == "hotkey_failed.unsupported" and info.value.params == {"platform": sys.platform}
    monkeypatch.delenv("DISPLAY", raising=False)  # an X11 handler for $DISPLAY in a session without one
    with pytest.raises(HotkeyFailed) as info:
        start_hotkey("Ctrl+Shift+A", lambda: None, handlers=[X11Handler()])
    assert info.value.key == "hotkey_failed.no_handler"
    assert info.value.params["tried"].startswith("x11 (not an X11 session")
    with pytest.raises(HotkeyFailed) as info:
        start_hotkey("Hyper+A", lambda: None, handlers=[X11Handler()])
    assert info.value.key == "hotkey_failed.bad_key"


def test_x11_is_not_used_in_a_wayland_session(monkeypatch):
    monkeypatch.setenv("DISPLAY", ":99")  # XWayland's: a grab there sees only X clients' keys
    monkeypatch.setenv("XDG_SESSION_TYPE", "wayland")
    assert not X11Handler().is_compatible()
    monkeypatch.setenv("XDG_SESSION_TYPE", "x11")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert X11Handler().is_compatible()


# -- X11 ---------------------------------------------------------------------------------------------

@needs_xvfb
def test_x11_key_calls_back_with_and_without_num_lock_and_caps_lock(xdisplay, keyboard):
    presses = Presses()
    handler = X11Handler(xdisplay)
    assert handler.is_compatible()
    handler.start("Ctrl+Shift+A", presses)
    try:
        keyboard.press("Control_L", "Shift_L", "a")
        assert presses.wait() and presses.count == 1
        assert presses.threads == {"desktop_ocr-hotkey-x11"}  # the handler's thread: the GUI hops itself
        keyboard.press("Num_Lock")  # Num Lock on
        keyboard.press("Control_L", "Shift_L", "a")
        assert presses.wait() and presses.count == 2
        keyboard.press("Caps_Lock")  # and Caps Lock
        keyboard.press("Control_R", "Shift_R", "a")
        assert presses.wait() and presses.count == 3
        keyboard.press("Caps_Lock")
        keyboard.press("Num_Lock")
        keyboard.press("Control_L", "Shift_L", "a", hold=5)  # held down: one capture, not six
        assert presses.wait() and presses.count == 4
        keyboard.press("Control_L", "a")  # not our combination
        keyboard.press("Shift_L", "a")
        time.sleep(0.3)
        assert presses.count == 4
    finally:
        handler.stop()


@needs_xvfb
def test_x11_function_key_and_a_key_taken_by_another_program(xdisplay, keyboard):
    presses = Presses()
    first = X11Handler(xdisplay)
    first.start("F4", presses)
    try:
        keyboard.press("F4")
        assert presses.wait()
        other = X11Handler(xdisplay)  # another program wants the same key: the X server says BadAccess
        with pytest.raises(HotkeyFailed) as info:
            other.start("F4", lambda: None)
        assert info.value.key == "hotkey_failed.key_taken"
        assert info.value.params == {"handler": "x11", "key": "F4"}
        with pytest.raises(HotkeyFailed) as info:  # through start_hotkey: the same code, naming what was tried
            start_hotkey("F4", lambda: None, handlers=[X11Handler(xdisplay)])
        assert info.value.key == "hotkey_failed.key_taken"
        assert info.value.params["tried"] == "x11 (F4 is already grabbed by another program)"
        keyboard.press("F4")  # the first one still has it
        assert presses.wait() and presses.count == 2
    finally:
        first.stop()


@needs_xvfb
def test_x11_stop_is_prompt_and_releases_the_key(xdisplay, keyboard):
    presses = Presses()
    handler = start_hotkey("Ctrl+Alt+A", presses, handlers=[X11Handler(xdisplay)])
    assert isinstance(handler, X11Handler)
    listening = handler._thread
    t0 = time.monotonic()
    handler.stop()
    assert time.monotonic() - t0 < 1.0
    assert listening is not None and not listening.is_alive()
    keyboard.press("Control_L", "Alt_L", "a")
    time.sleep(0.3)
    assert presses.count == 0  # released: nothing calls back any more
    handler.stop()  # twice: nothing happens
    again = X11Handler(xdisplay)
    again.start("Ctrl+Alt+A", presses)  # the key is free for anybody
    try:
        keyboard.press("Control_L", "Alt_L", "a")
        assert presses.wait()
    finally:
        again.stop()


def test_x11_display_that_cannot_be_opened_is_a_code():
    with pytest.raises(HotkeyFailed) as info:
        X11Handler(":9876").start("Ctrl+Shift+A", lambda: None)
    assert info.value.key == "hotkey_failed.display_failed"
    assert info.value.params == {"handler": "x11", "display": ":9876"}


# -- the desktop portal, against a test double on a private session bus -------------------------------

SHORTCUTS_DOUBLE = textwrap.dedent(r'''
    # A stand-in for xdg-desktop-portal's GlobalShortcuts: owns org.freedesktop.portal.Desktop, answers
    # Properties.Get(version), CreateSession and BindShortcuts with request paths built from handle_token
    # and those requests' Response(u, a{sv}); prints what it was asked; on "press" (stdin) emits
    # Activated for another session, for another id, then for ours. MODE: ok | denied | silent.
    import json, re, sys
    from PySide6.QtCore import ClassInfo, QCoreApplication, QObject, QSocketNotifier, QTimer, Signal
    from PySide6.QtDBus import QDBusConnection, QDBusMessage, QDBusObjectPath, QDBusVariant, QDBusVirtualObject

    mode = sys.argv[1]
    app = QCoreApplication([])
    bus = QDBusConnection.sessionBus()
    PATH = "/org/freedesktop/portal/desktop"
    IFACE = "org.freedesktop.portal.GlobalShortcuts"
    keep, state = [], {}

    @ClassInfo({"D-Bus Interface": "org.freedesktop.portal.Request"})
    class Request(QObject):
        Response = Signal("uint", "QVariantMap")

    # PySide's QDBusArgument cannot step out of a container it reads (its end*() write), so the double
    # reads what it was sent from Qt's own dump of the message: "[Argument: a{sv} {"k" = [Variant(...)]}]"
    def contents(message):
        text = repr(message)
        return text[text.index("contents=(") + len("contents=("):]

    def option(text, name):
        return re.search(r'"%s" = \[Variant\(QString\): "([^"]*)"\]' % name, text).group(1)

    class Session(QDBusVirtualObject):
        def introspect(self, path):
            return ""

        def handleMessage(self, message, connection):
            if message.member() != "Close":
                return False
            print("closed", message.path(), flush=True)
            connection.send(message.createReply())
            return True

    def answer(message, connection, token, results):
        sender = message.service().lstrip(":").replace(".", "_")
        path = f"{PATH}/request/{sender}/{token}"
        request = Request()
        keep.append(request)
        bus.registerObject(path, request, QDBusConnection.RegisterOption.ExportAllSignals)
        connection.send(message.createReply([QDBusObjectPath(path)]))
        if mode != "silent":
            code = {"ok": 0, "denied": 1}[mode]
            QTimer.singleShot(20, lambda: request.Response.emit(code, results))

    class Portal(QDBusVirtualObject):
        def introspect(self, path):
            return ""

        def handleMessage(self, message, connection):
            member, args = message.member(), message.arguments()
            if message.interface() == "org.freedesktop.DBus.Properties" and member == "Get" and args[0] == IFACE:
                connection.send(message.createReply([QDBusVariant(1)]))
                return True
            if message.interface() != IFACE:
                return False
            if member == "CreateSession":
                text = contents(message)
                sender = message.service().lstrip(":").replace(".", "_")
                session = f"{PATH}/session/{sender}/{option(text, 'session_handle_token')}"
                closer = Session()
                keep.append(closer)
                bus.registerVirtualObject(session, closer)
                state.update(session=session, client=message.service())
                print("session", json.dumps({"handle_token": option(text, "handle_token"),
                                             "session_handle_token": option(text, "session_handle_token")}),
                      flush=True)
                answer(message, connection, option(text, "handle_token"), {"session_handle": session})
                return True
            if member == "BindShortcuts":
                text = contents(message)
                print("bind", json.dumps({"signature": message.signature(), "session": args[0].path(),
                                          "parent_window": args[2], "contents": text}), flush=True)
                answer(message, connection, option(text.rsplit("[Argument: a{sv}", 1)[1], "handle_token"), {})
                return True
            return False

    def activated(session, shortcut_id):
        signal = QDBusMessage.createTargetedSignal(state["client"], PATH, IFACE, "Activated")
        signal.setArguments([QDBusObjectPath(session), shortcut_id, 1234, {}])
        bus.send(signal)

    def command():
        line = sys.stdin.readline().strip()
        if line == "press":
            activated(PATH + "/session/someone/else", "capture")
            activated(state["session"], "other")
            activated(state["session"], "capture")
            print("pressed", flush=True)
        elif not line:
            app.quit()

    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(command)
    portal = Portal()
    assert bus.registerVirtualObject(PATH, portal)
    assert bus.registerService("org.freedesktop.portal.Desktop")
    print("ready", flush=True)
    app.exec()
''')

SHORTCUTS_CLIENT = textwrap.dedent('''
    # Our handler in a process of its own: registers Ctrl+Shift+A, prints each activation (and the
    # thread it came on), stops on "stop" (stdin).
    import json, sys, threading
    from PySide6.QtCore import QCoreApplication, QSocketNotifier
    from desktop_ocr.core.errors import HotkeyFailed
    from desktop_ocr.hotkey import start_hotkey
    from desktop_ocr.hotkey.handlers.portal import PortalHandler

    app = QCoreApplication([])
    handler = PortalHandler(timeout=float(sys.argv[1]))
    print("compatible", json.dumps(handler.is_compatible()), flush=True)
    main = threading.current_thread()
    try:
        start_hotkey("Ctrl+Shift+A", lambda: print("activated", threading.current_thread() is main, flush=True),
                     handlers=[handler])
    except HotkeyFailed as exc:
        print("failed", json.dumps({"key": exc.key, "params": exc.params}), flush=True)
        raise SystemExit(1)
    print("started", handler.session, flush=True)

    def command():
        if sys.stdin.readline().strip() == "stop":
            handler.stop()
            print("stopped", flush=True)
            app.quit()

    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(command)
    app.exec()
''')


@pytest.fixture
def shortcuts_bus(tmp_path):
    """A private session bus; start(MODE) puts the GlobalShortcuts double on it, client() runs our handler."""
    started: list[subprocess.Popen] = []
    bus = subprocess.Popen(["dbus-daemon", "--session", "--print-address=1", "--nofork", "--nopidfile"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    started.append(bus)
    address = bus.stdout.readline().strip() if bus.stdout else ""
    assert address.startswith("unix:"), address
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(DBUS_SESSION_BUS_ADDRESS=address, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO),
               HOME=str(tmp_path))
    (tmp_path / "double.py").write_text(SHORTCUTS_DOUBLE)
    (tmp_path / "client.py").write_text(SHORTCUTS_CLIENT)

    def run(script: str, *args: str) -> subprocess.Popen:
        proc = subprocess.Popen([sys.executable, str(tmp_path / script), *args], env=env, text=True,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        started.append(proc)
        return proc

    def start(mode: str) -> subprocess.Popen:
        double = run("double.py", mode)
        assert line_of(double) == "ready"
        return double

    class Bus:
        pass

    handle = Bus()
    handle.start = start  # type: ignore[attr-defined]
    handle.client = lambda timeout=30.0: run("client.py", str(timeout))  # type: ignore[attr-defined]
    yield handle
    for proc in reversed(started):
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)


def line_of(proc: subprocess.Popen) -> str:
    """The next line the child prints (within 60 s), or what it said on stderr when it ended."""
    out: list[str] = []
    reader = threading.Thread(target=lambda: out.append(proc.stdout.readline() if proc.stdout else ""), daemon=True)
    reader.start()
    reader.join(60)
    if not out or not out[0]:
        proc.kill()
        raise AssertionError(f"{proc.args[-2:]} said nothing: {proc.stderr.read() if proc.stderr else ''}")
    return out[0].strip()


def tell(proc: subprocess.Popen, line: str) -> None:
    assert proc.stdin is not None
    proc.stdin.write(line + "\n")
    proc.stdin.flush()


@needs_dbus
def test_portal_binds_the_capture_shortcut_and_calls_back_when_activated(shortcuts_bus):
    double = shortcuts_bus.start("ok")
    client = shortcuts_bus.client()
    assert line_of(client) == "compatible true"
    asked = line_of(double)
    assert asked.startswith("session ")
    options = json.loads(asked.split(" ", 1)[1])
    assert options["handle_token"] == options["session_handle_token"]
    assert options["handle_token"].startswith("desktop_ocr_")
    kind, bind = line_of(double).split(" ", 1)
    assert kind == "bind"
    bind = json.loads(bind)
    assert bind["signature"] == "oa(sa{sv})sa{sv}"  # exactly what the portal's introspection declares
    # (Qt's dump of what arrived: the one shortcut "capture", its description and preferred trigger)
    assert ('[Argument: a(sa{sv}) {[Argument: (sa{sv}) "capture", [Argument: a{sv} {"description" = '
            '[Variant(QString): "Capture a region of the screen"], "preferred_trigger" = [Variant(QString): '
            '"CTRL+SHIFT+a"]}]]}]') in bind["contents"]
    assert '"handle_token" = [Variant(QString): "desktop_ocr_' in bind["contents"]
    assert bind["parent_window"] == ""
    started = line_of(client)
    assert started == f"started {bind['session']}"

    tell(double, "press")
    assert line_of(double) == "pressed"
    assert line_of(client) == "activated True"  # on the Qt thread; the other session's and id's: ignored
    tell(double, "press")
    assert line_of(double) == "pressed"
    assert line_of(client) == "activated True"

    tell(client, "stop")
    assert line_of(client) == "stopped"
    assert line_of(double) == f"closed {bind['session']}"  # the session is closed: the desktop forgets it
    assert client.wait(30) == 0


@needs_dbus
def test_portal_refusal_and_silence_are_codes(shortcuts_bus):
    shortcuts_bus.start("denied")
    client = shortcuts_bus.client()
    assert line_of(client) == "compatible true"
    kind, out = line_of(client).split(" ", 1)
    assert kind == "failed"
    assert json.loads(out) == {"key": "hotkey_failed.portal_denied",
                               "params": {"handler": "portal", "tried": "portal (the global shortcut was "
                                          "cancelled or not allowed (desktop portal))"}}
    assert client.wait(30) == 1


@needs_dbus
def test_portal_that_never_answers_times_out(shortcuts_bus):
    shortcuts_bus.start("silent")
    client = shortcuts_bus.client(1.5)
    assert line_of(client) == "compatible true"
    kind, out = line_of(client).split(" ", 1)
    assert kind == "failed"
    failure = json.loads(out)
    assert failure["key"] == "hotkey_failed.portal_timeout" and failure["params"]["timeout"] == 1.5


@needs_dbus
def test_no_portal_on_the_bus_is_not_compatible(shortcuts_bus):
    client = shortcuts_bus.client()  # nothing owns org.freedesktop.portal.Desktop
    assert line_of(client) == "compatible false"
    kind, out = line_of(client).split(" ", 1)
    assert kind == "failed" and json.loads(out)["key"] == "hotkey_failed.no_handler"


def test_portal_is_not_offered_outside_linux_and_the_bsds(monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    assert PortalHandler().is_compatible() is False


# -- the window's setting ---------------------------------------------------------------------------

@pytest.fixture
def resident_env(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))  # Start at Login: off, whatever this machine has


@needs_xvfb
def test_global_shortcut_setting_starts_captures_and_stops(qtbot, bare_window, xdisplay, keyboard,  # noqa: F811
                                                           resident_env):
    from desktop_ocr.gui.tray import HOTKEY_KEY, Resident

    win = bare_window
    resident = Resident(win, available=True, hotkey_handlers=[X11Handler(xdisplay)])
    try:
        assert resident.act_hotkey in win.menu_file.actions()
        assert resident.act_hotkey.text() == "Global Shortcut"
        assert not resident.act_hotkey.isChecked() and resident.hotkey is None  # not resident: off by default
        assert resident.hotkey_text() == "Ctrl+Shift+A"  # the window's Capture Region key

        resident.act_hotkey.trigger()
        assert resident.act_hotkey.isChecked() and isinstance(resident.hotkey, X11Handler)
        assert win.settings.q.value(HOTKEY_KEY) in (True, "true")
        with qtbot.waitSignal(win.act_capture.triggered, timeout=10_000), \
                qtbot.waitSignal(win.error_shown, timeout=30_000):  # its grab fails: the message bar says why
            keyboard.press("Control_L", "Shift_L", "a")  # typed on the X server, the window not focused
        qtbot.waitUntil(win.isVisible)

        resident.act_hotkey.trigger()  # off: the key is released
        assert not resident.act_hotkey.isChecked() and resident.hotkey is None
        assert win.settings.q.value(HOTKEY_KEY) in (False, "false")
        other = X11Handler(xdisplay)
        other.start("Ctrl+Shift+A", lambda: None)
        other.stop()
    finally:
        resident.set_global_hotkey(False)

    # chosen once, it is on at the next start, registered once the window is up
    win.settings.q.setValue(HOTKEY_KEY, True)
    again = Resident(win, available=True, hotkey_handlers=[X11Handler(xdisplay)])
    try:
        assert again.act_hotkey.isChecked()
        qtbot.waitUntil(lambda: again.hotkey is not None, timeout=10_000)
        with qtbot.waitSignal(win.act_capture.triggered, timeout=10_000), \
                qtbot.waitSignal(win.error_shown, timeout=30_000):
            keyboard.press("Control_L", "Shift_L", "a")
        with qtbot.waitSignal(again.finished, timeout=5000):
            again.act_quit.trigger()
        assert again.hotkey is None  # Quit releases the key
    finally:
        again.set_global_hotkey(False)


@needs_xvfb
def test_a_taken_key_is_said_once_and_the_setting_goes_off(qtbot, bare_window, xdisplay, resident_env):  # noqa: F811
    from desktop_ocr.gui.tray import HOTKEY_KEY, KEEP_KEY, Resident

    win = bare_window
    holder = X11Handler(xdisplay)  # another program has Ctrl+Shift+A
    holder.start("Ctrl+Shift+A", lambda: None)
    try:
        win.settings.q.setValue(KEEP_KEY, True)  # resident, never chosen: the shortcut is on by default
        shown: list[str] = []
        win.error_shown.connect(shown.append)
        resident = Resident(win, available=True, hotkey_handlers=[X11Handler(xdisplay)])
        assert resident.act_hotkey.isChecked()
        qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
        assert shown == ["The global shortcut is off: Ctrl+Shift+A is already a global shortcut of another program."]
        assert win.message_bar.isVisible() and win.message_bar.label.text() == shown[0]
        assert not resident.act_hotkey.isChecked() and resident.hotkey is None
        assert win.settings.q.value(HOTKEY_KEY) in (False, "false")  # not said again at every start
        qtbot.wait(100)
        assert len(shown) == 1
        assert not Resident(win, available=True, hotkey_handlers=[X11Handler(xdisplay)]).act_hotkey.isChecked()

        # nothing implemented on this system (Windows, macOS): said in words, no traceback, off
        resident.hotkey_handlers = []
        resident.act_hotkey.trigger()
        assert shown[1] == ("The global shortcut is off: Global shortcuts are not available on this system yet: "
                            'bind a system shortcut to "desktop-ocr capture" instead.')
        assert not resident.act_hotkey.isChecked()
    finally:
        holder.stop()
