"""Screen capture (desktop_ocr.capture and `desktop-ocr capture`).

The X11 tests start their own Xvfb (one screen, or two with +xinerama) and run a window of ours and
the command in child processes on it (the suite itself runs offscreen): the real grab, the real
crop, the real engine. The portal tests start a private D-Bus session bus (dbus-daemon) and a test
double of org.freedesktop.portal.Desktop on it (a child process using QtDBus), since no Wayland
compositor runs here. geometry.py is plain maths, tested directly.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from desktop_ocr.capture.geometry import Rect, Screen, parse_rect, plan_crop, relative_to, split_desktop, to_native
from desktop_ocr.core.errors import CaptureFailed
from tests.drawing import render_lines

REPO = Path(__file__).resolve().parent.parent

needs_xvfb = pytest.mark.skipif(not shutil.which("Xvfb"), reason="Xvfb not installed (scripts/setup.sh installs it)")
needs_dbus = pytest.mark.skipif(not shutil.which("dbus-daemon"),
                                reason="dbus-daemon not installed (scripts/setup.sh installs it)")


# -- geometry: logical rectangles to native pixels (no Qt) ------------------------------------------

def test_parse_rect():
    assert parse_rect("10, 20,300,40") == Rect(10, 20, 300, 40)
    for bad in ("10,20,300", "a,b,c,d", "1,2,0,5", "1,2,3,-4", ""):
        with pytest.raises(ValueError):
            parse_rect(bad)


@pytest.mark.parametrize(("ratio", "rect", "native"), [
    (1.0, Rect(10, 20, 30, 40), (10, 20, 30, 40)),
    (2.0, Rect(10, 20, 30, 40), (20, 40, 60, 80)),
    (1.5, Rect(10, 20, 30, 40), (15, 30, 45, 60)),
    (1.5, Rect(1, 1, 1, 1), (1, 1, 2, 2)),  # 1.5..3.0 touches pixels 1 and 2: never cut short
    (1.25, Rect(3, 0, 4, 4), (3, 0, 6, 5)),  # 3.75..8.75 -> pixels 3..8
])
def test_to_native_on_one_screen(ratio, rect, native):
    # the screen at (1000, 0) of the virtual desktop: rect is relative to that origin here
    screen = Screen(1000, 0, 800, 600, ratio, round(800 * ratio), round(600 * ratio))
    moved = Rect(rect.x + 1000, rect.y, rect.width, rect.height)
    assert to_native(moved, screen) == native


def test_to_native_is_clamped_to_the_picture():
    # 1366 logical px at 150 % is 2049 px; a picture of 2048 must not be read past its edge
    screen = Screen(0, 0, 1366, 768, 1.5, 2048, 1152)
    assert to_native(Rect(1300, 700, 66, 68), screen) == (1950, 1050, 98, 102)


MIXED = [Screen(0, 0, 1000, 800, 1.0, 1000, 800),         # 100 %
         Screen(1000, 0, 1200, 900, 1.5, 1800, 1350),     # 150 %
         Screen(2200, 0, 800, 600, 2.0, 1600, 1200)]      # 200 %


def test_crop_on_one_screen_is_its_native_pixels_unscaled():
    plan = plan_crop(MIXED, Rect(1100, 100, 200, 50))
    assert plan.ratio == 1.5
    assert [(p.index, p.source, p.target) for p in plan.pieces] == [(1, (150, 150, 300, 75), (0, 0, 300, 75))]
    assert (plan.width, plan.height) == (300, 75)
    plan = plan_crop(MIXED, Rect(2300, 10, 100, 100))
    assert [(p.index, p.source) for p in plan.pieces] == [(2, (200, 20, 200, 200))]


def test_crop_across_screens_is_composed_at_the_highest_ratio():
    # 100 % | 150 %: 50 logical px on each side, drawn at 1.5
    plan = plan_crop(MIXED, Rect(950, 100, 100, 20))
    assert plan.ratio == 1.5 and (plan.width, plan.height) == (150, 30)
    assert [(p.index, p.source, p.target) for p in plan.pieces] == [
        (0, (950, 100, 50, 20), (0, 0, 75, 30)),
        (1, (0, 150, 75, 30), (75, 0, 75, 30)),
    ]
    # all three screens: at 2.0; the part below the 200 % screen's bottom (y 600..700) has no piece
    plan = plan_crop(MIXED, Rect(900, 550, 1400, 150))
    assert plan.ratio == 2.0 and (plan.width, plan.height) == (2800, 300)
    assert [(p.index, p.source, p.target) for p in plan.pieces] == [
        (0, (900, 550, 100, 150), (0, 0, 200, 300)),
        (1, (0, 825, 1800, 225), (200, 0, 2400, 300)),
        (2, (0, 1100, 200, 100), (2600, 0, 200, 100)),
    ]


def test_crop_outside_every_screen_is_one_clear_error():
    with pytest.raises(CaptureFailed) as info:
        plan_crop(MIXED, Rect(5000, 0, 10, 10))
    assert info.value.key == "capture_failed.bad_rect"
    assert info.value.params == {"x": 5000, "y": 0, "width": 10, "height": 10}
    assert "outside every screen" in info.value.message


def test_split_desktop_and_relative_rects():
    screens = [Rect(0, 0, 1000, 800), Rect(1000, 0, 600, 400)]
    # the portal's picture of the whole desktop at 2x
    assert split_desktop(3200, 1600, screens) == [((0, 0, 2000, 1600), 2.0), ((2000, 0, 1200, 800), 2.0)]
    assert relative_to(Rect(5, 6, 7, 8), screens[1]) == Rect(1005, 6, 7, 8)


# -- X11 through the real grab ------------------------------------------------------------------------

SHOW_WINDOW = textwrap.dedent("""
    import os
    import sys
    import threading
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtGui import QPixmap
    from PySide6.QtWidgets import QApplication, QLabel
    image, x, y = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    app = QApplication([])
    label = QLabel()
    label.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.X11BypassWindowManagerHint)
    label.setContentsMargins(0, 0, 0, 0)
    label.setPixmap(QPixmap(image))
    label.adjustSize()
    label.move(x, y)
    label.show()
    def ready():
        print("shown", label.x(), label.y(), label.width(), label.height(), flush=True)
    QTimer.singleShot(500, ready)
    threading.Thread(target=lambda: (sys.stdin.readline(), os._exit(0)), daemon=True).start()
    app.exec()  # runs until the test closes stdin
""")


def _xvfb(*screens: str) -> tuple[subprocess.Popen, str]:
    read, write = os.pipe()
    args = ["Xvfb", "-displayfd", str(write), "-nolisten", "tcp"]
    if len(screens) > 1:
        args.append("+xinerama")
    for i, size in enumerate(screens):
        args += ["-screen", str(i), f"{size}x24"]
    proc = subprocess.Popen(args, pass_fds=(write,), stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as fh:
        number = fh.readline().strip()
    assert number, "Xvfb did not start"
    return proc, f":{number}"


@pytest.fixture
def x_env(tmp_path):
    """Start an Xvfb with the screens given; the environment of a child on it (X11 session, no bus)."""
    started = []

    def start(*screens: str) -> dict:
        proc, display = _xvfb(*screens)
        started.append(proc)
        env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS")}
        env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", XDG_SESSION_TYPE="x11", HOME=str(tmp_path),
                   XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_RUNTIME_DIR=str(tmp_path),
                   DBUS_SESSION_BUS_ADDRESS=f"unix:path={tmp_path}/no-bus", PYTHONPATH=str(REPO))
        return env

    yield start
    for proc in started:
        proc.terminate()
        proc.wait(10)


@pytest.fixture
def show_window(tmp_path):
    """Show an image of ours in a frameless window at (x, y) on the child's X display."""
    script = tmp_path / "show_window.py"
    script.write_text(SHOW_WINDOW)
    windows = []

    def show(env: dict, image: Path, x: int, y: int) -> tuple[int, int, int, int]:
        proc = subprocess.Popen([sys.executable, str(script), str(image), str(x), str(y)], env=env, text=True,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        windows.append(proc)
        line = proc.stdout.readline()
        assert line.startswith("shown"), proc.stderr.read() if proc.poll() is not None else line
        _, *geo = line.split()
        return tuple(int(v) for v in geo)  # type: ignore[return-value]

    yield show
    for proc in windows:
        proc.stdin.close()
        proc.wait(10)


def _capture(env: dict, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "desktop_ocr", "capture", *args], env=env, capture_output=True,
                          text=True, timeout=timeout)


def _drawn(tmp_path: Path, lines: list[str], name: str = "drawn.png") -> tuple[Path, np.ndarray]:
    img = render_lines(lines, font_size=40)
    path = tmp_path / name
    img.save(path)
    return path, np.asarray(img.convert("RGB"))


def _pixels(path: Path) -> np.ndarray:
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"))


@needs_xvfb
@pytest.mark.gui
def test_capture_rect_on_x11_reads_the_window_and_gives_its_pixels(tmp_path, x_env, show_window):
    env = x_env("1280x800")
    image, pixels = _drawn(tmp_path, ["Capture test 2026", "屏幕截图识别"])
    x, y, w, h = show_window(env, image, 130, 90)
    assert (x, y, w, h) == (130, 90, pixels.shape[1], pixels.shape[0])
    saved = tmp_path / "crop.png"
    proc = _capture(env, "--rect", f"{x},{y},{w},{h}", "--format", "json", "--save", str(saved))
    assert proc.returncode == 0, proc.stderr
    assert np.array_equal(_pixels(saved), pixels)  # the crop is exactly the window's pixels
    texts = [line["text"] for line in json.loads(proc.stdout)["lines"]]
    assert texts == ["Capture test 2026", "屏幕截图识别"]
    # a part of it, at an offset: the same pixels of the window
    # at an offset, written to --out: the window's pixels shifted by it
    out = tmp_path / "part.txt"
    proc = _capture(env, "--rect", f"{x - 20},{y + 10},{w},{h}", "--save", str(tmp_path / "part.png"),
                    "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "" and out.read_text(encoding="utf-8").splitlines() == ["Capture test 2026", "屏幕截图识别"]
    part = _pixels(tmp_path / "part.png")
    assert np.array_equal(part[: h - 10, 20:], pixels[10:, : w - 20])  # the window, shifted by the offset
    assert not part[:, :20].any()  # left of the window: the black screen


def _copying(tmp_path, x_env, show_window, text: str) -> tuple[dict, subprocess.Popen]:
    """``capture --copy`` of a window showing ``text``, with no clipboard tool on PATH, once it has
    printed the text and said it holds the clipboard: (its environment, the running command)."""
    env = x_env("1024x768")
    image, _ = _drawn(tmp_path, [text])
    x, y, w, h = show_window(env, image, 50, 50)
    env["PATH"] = "/usr/bin:/bin"  # no xclip/xsel here: the Qt clipboard is held by the command
    proc = subprocess.Popen([sys.executable, "-m", "desktop_ocr", "capture", "--rect", f"{x},{y},{w},{h}",
                             "--copy", "--keep", "300"], env=env, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        assert proc.stdout.readline().strip() == text  # printed first, then the clipboard is held
        assert "until another program copies something" in proc.stderr.readline()
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    return env, proc


@needs_xvfb
@pytest.mark.gui
def test_capture_copy_keeps_the_clipboard_until_another_program_copies(tmp_path, x_env, show_window):
    env, proc = _copying(tmp_path, x_env, show_window, "Copy me 42")
    try:
        other = textwrap.dedent("""
            from PySide6.QtGui import QGuiApplication
            app = QGuiApplication([])
            cb = QGuiApplication.clipboard()
            print(cb.text(), flush=True)
            cb.setText("something else")
            app.processEvents()
        """)
        reader = subprocess.run([sys.executable, "-c", other], env=env, capture_output=True, text=True, timeout=60)
        assert reader.stdout.strip() == "Copy me 42"
        assert proc.wait(60) == 0  # another program copied: the command has let go and ended
    finally:
        proc.kill()
        proc.wait()


# Another X client, in plain Xlib: asks the clipboard's owner for the TIMESTAMP of its copy and takes the
# clipboard at that very time (allowed: the server refuses only an earlier time). Qt's xcb plugin ignores
# a SelectionClear that is not later than its copy, so its ownsClipboard() goes on saying True; programs
# stamp with the last server time they saw, and under load two copies can carry the same one.
_TAKE_AT_THE_SAME_TIME = textwrap.dedent("""
    import ctypes, sys, time
    x = ctypes.CDLL("libX11.so.6")
    x.XOpenDisplay.restype = ctypes.c_void_p
    x.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x.XInternAtom.restype = ctypes.c_ulong
    x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    x.XDefaultRootWindow.restype = ctypes.c_ulong
    x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    x.XCreateSimpleWindow.restype = ctypes.c_ulong
    x.XCreateSimpleWindow.argtypes = [ctypes.c_void_p, ctypes.c_ulong, *[ctypes.c_int] * 4, ctypes.c_uint,
                                      ctypes.c_ulong, ctypes.c_ulong]
    x.XConvertSelection.argtypes = [ctypes.c_void_p] + [ctypes.c_ulong] * 5
    x.XNextEvent.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    x.XGetWindowProperty.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_long, ctypes.c_long,
                                     ctypes.c_int, ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong),
                                     ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_ulong),
                                     ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_void_p)]
    x.XSetSelectionOwner.argtypes = [ctypes.c_void_p] + [ctypes.c_ulong] * 3
    x.XGetSelectionOwner.restype = ctypes.c_ulong
    x.XGetSelectionOwner.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
    x.XFlush.argtypes = [ctypes.c_void_p]
    dpy = x.XOpenDisplay(None)
    clip, stamp, prop = (x.XInternAtom(dpy, name, 0) for name in (b"CLIPBOARD", b"TIMESTAMP", b"DESKTOP_OCR_TEST"))
    win = x.XCreateSimpleWindow(dpy, x.XDefaultRootWindow(dpy), 0, 0, 1, 1, 0, 0, 0)
    event = (ctypes.c_long * 24)()
    kind, fmt, n, after, data = ctypes.c_ulong(), ctypes.c_int(), ctypes.c_ulong(), ctypes.c_ulong(), ctypes.c_void_p()
    deadline = time.monotonic() + 30
    while True:  # ask until the copier has put its text on the clipboard and answers with its time
        if time.monotonic() > deadline:
            sys.exit("no TIMESTAMP from the clipboard's owner in 30 s")
        x.XConvertSelection(dpy, clip, stamp, prop, win, 0)
        while True:  # its answer: a SelectionNotify (type 31)
            x.XNextEvent(dpy, event)
            if ctypes.cast(event, ctypes.POINTER(ctypes.c_int))[0] == 31:
                break
        x.XGetWindowProperty(dpy, win, prop, 0, 1, 0, 0, ctypes.byref(kind), ctypes.byref(fmt), ctypes.byref(n),
                             ctypes.byref(after), ctypes.byref(data))
        if fmt.value == 32 and n.value == 1:
            break
        time.sleep(0.1)
    copied_at = ctypes.cast(data, ctypes.POINTER(ctypes.c_ulong))[0]  # format 32 comes as C longs
    x.XSetSelectionOwner(dpy, clip, win, copied_at)
    print("taken" if x.XGetSelectionOwner(dpy, clip) == win else "refused", copied_at, flush=True)
    sys.stdin.read()  # hold the clipboard until told to go: the copier must notice the taking, not our exit
""")


@needs_xvfb
@pytest.mark.gui
def test_capture_copy_lets_go_when_another_program_copies_at_the_same_server_time(tmp_path, x_env, show_window):
    env, proc = _copying(tmp_path, x_env, show_window, "Same time 9")
    other = None
    try:
        other = subprocess.Popen([sys.executable, "-c", _TAKE_AT_THE_SAME_TIME], env=env, text=True,
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        said = other.stdout.readline().split()
        assert said[:1] == ["taken"] and int(said[1]) > 0, other.stderr.read() if other.poll() is not None else said
        assert proc.wait(60) == 0  # the command saw the clipboard go, though Qt's own flag says it is still ours
        assert proc.stderr.read() == ""  # let go because another program copied, not after --keep
    finally:
        if other is not None:
            other.stdin.close()
            other.wait(30)
        proc.kill()
        proc.wait()


@needs_xvfb
@pytest.mark.gui
def test_capture_copy_uses_a_clipboard_tool_when_installed(tmp_path, x_env, show_window):
    env = x_env("1024x768")
    image, _ = _drawn(tmp_path, ["Tool copy 7"])
    x, y, w, h = show_window(env, image, 10, 10)
    tools = tmp_path / "bin"
    tools.mkdir()
    fake = tools / "xclip"  # stands in for the real xclip: records its arguments and stdin
    fake.write_text(f"#!/bin/sh\necho \"$@\" > {tmp_path}/xclip.args\ncat > {tmp_path}/xclip.in\n")
    fake.chmod(0o755)
    env["PATH"] = f"{tools}:/usr/bin:/bin"
    proc = _capture(env, "--rect", f"{x},{y},{w},{h}", "--copy", "--keep", "300")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "xclip.in").read_text() == "Tool copy 7"
    assert (tmp_path / "xclip.args").read_text().split() == ["-selection", "clipboard", "-in"]
    assert proc.stderr == ""  # nothing held, nothing to say


@needs_xvfb
@pytest.mark.gui
def test_an_entirely_black_grab_counts_as_a_failure_on_wayland_only(tmp_path, x_env):
    env = x_env("640x480")  # nothing shown: Xvfb's screen is all black, as Qt's grab is on Wayland
    # on X11 a screen with nothing on it is black: that is the capture (no text in it)
    proc = _capture(env, "--rect", "0,0,100,100", "--save", str(tmp_path / "black.png"))
    assert proc.returncode == 0 and proc.stdout.strip() == "", proc.stderr
    assert (tmp_path / "black.png").stat().st_size > 0
    # in a Wayland session the same black picture is Qt's failure, and no portal answers
    proc = _capture(dict(env, XDG_SESSION_TYPE="wayland"), "--rect", "0,0,100,100")
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.splitlines() == [
        "desktop-ocr: the screen cannot be captured: no way of taking a screenshot worked (tried: dbus_portal (no "
        "desktop portal on the D-Bus session bus); qt (the picture is entirely black))"]  # Wayland: portal first


def test_no_handler_is_one_clear_error(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "DISPLAY")}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path), XDG_RUNTIME_DIR=str(tmp_path),
               DBUS_SESSION_BUS_ADDRESS=f"unix:path={tmp_path}/no-bus")
    proc = _capture(env, "--rect", "0,0,100,100")
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.splitlines() == [
        "desktop-ocr: the screen cannot be captured: no way of taking a screenshot worked (tried: qt (the Qt "
        "platform has no screen to grab); dbus_portal (no desktop portal on the D-Bus session bus))"]
    # without --rect (no window runs to hand the capture over to): the same one line, before any selection
    proc = _capture(env)
    assert proc.returncode == 1 and len(proc.stderr.splitlines()) == 1
    assert "no way of taking a screenshot worked" in proc.stderr


def test_capture_usage_errors(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))
    proc = _capture(env, "--rect", "1,2,0,4")
    assert proc.returncode == 2 and "width and height must be more than 0" in proc.stderr
    proc = _capture(env, "--screen", "1")
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == ["desktop-ocr: --screen needs --rect (a selection with the mouse spans "
                                        "every screen)"]
    taken = tmp_path / "taken.png"
    taken.write_bytes(b"keep me")
    proc = _capture(env, "--rect", "0,0,10,10", "--save", str(taken))
    assert proc.returncode == 3 and len(proc.stderr.splitlines()) == 1 and "--overwrite" in proc.stderr
    assert taken.read_bytes() == b"keep me"


# -- the desktop portal, against a test double on a private session bus ------------------------------

PORTAL_DOUBLE = textwrap.dedent("""
    # A stand-in for xdg-desktop-portal's Screenshot: owns org.freedesktop.portal.Desktop, answers
    # Screenshot(parent, options) with the request path built from handle_token, then emits that
    # request's Response(u, a{sv}) as the real portal does. MODE: ok | denied | failed | silent.
    import sys
    from PySide6.QtCore import ClassInfo, QObject, QTimer, Signal
    from PySide6.QtDBus import QDBusConnection, QDBusObjectPath, QDBusVirtualObject
    from PySide6.QtGui import QColor, QGuiApplication, QImage

    mode, folder = sys.argv[1], sys.argv[2]
    width, height, rx, ry, rw, rh = (int(v) for v in sys.argv[3].split(","))
    app = QGuiApplication([])
    bus = QDBusConnection.sessionBus()

    @ClassInfo({"D-Bus Interface": "org.freedesktop.portal.Request"})
    class Request(QObject):
        Response = Signal("uint", "QVariantMap")

    def options_of(arg):
        out = {}
        arg.beginArray()
        while not arg.atEnd():
            arg.beginMap()
            while not arg.atEnd():
                key, value = arg.asVariant(), arg.asVariant()
                out[key] = value.variant()
            arg.endMap()
        arg.endArray()
        return out

    requests = []

    class Portal(QDBusVirtualObject):
        def introspect(self, path):
            return ""

        def handleMessage(self, message, connection):
            if message.interface() != "org.freedesktop.portal.Screenshot" or message.member() != "Screenshot":
                return False
            _parent, options = message.arguments()
            token = options_of(options)["handle_token"]
            sender = message.service().lstrip(":").replace(".", "_")
            path = f"/org/freedesktop/portal/desktop/request/{sender}/{token}"
            request = Request()
            requests.append(request)
            bus.registerObject(path, request, QDBusConnection.RegisterOption.ExportAllSignals)
            connection.send(message.createReply([QDBusObjectPath(path)]))
            print("asked", flush=True)
            if mode == "silent":
                return True
            # the whole desktop, white, with a red rectangle where the test says
            image = QImage(width, height, QImage.Format.Format_RGB32)
            image.fill(QColor(255, 255, 255))
            for px in range(rx, rx + rw):
                for py in range(ry, ry + rh):
                    image.setPixelColor(px, py, QColor(255, 0, 0))
            file = f"{folder}/Screenshot.png"
            image.save(file)
            code = {"ok": 0, "denied": 1, "failed": 2}[mode]
            QTimer.singleShot(20, lambda: request.Response.emit(code, {"uri": "file://" + file}))
            return True

    portal = Portal()
    assert bus.registerVirtualObject("/org/freedesktop/portal/desktop", portal)
    assert bus.registerService("org.freedesktop.portal.Desktop")
    print("ready", flush=True)
    app.exec()
""")

PORTAL_CLIENT = textwrap.dedent("""
    import json, sys
    from desktop_ocr import capture
    from desktop_ocr.capture.handlers.dbus_portal import PortalHandler
    from desktop_ocr.core.errors import CaptureFailed
    capture.ensure_app()
    handler = PortalHandler(timeout=float(sys.argv[1]))
    assert handler.is_compatible()
    try:
        shots = capture.grab([handler]) if sys.argv[2] == "grab" else handler.capture()
    except CaptureFailed as exc:
        print(json.dumps({"key": exc.key, "message": exc.message, "params": exc.params}))
        raise SystemExit(1)
    part = capture.crop(shots, 100, 50, 100, 100)
    colours = {part.pixelColor(x, y).name() for x in range(part.width()) for y in range(part.height())}
    print(json.dumps({"shots": [[s.x, s.y, s.width, s.height, s.ratio, s.image.width(), s.image.height()]
                                for s in shots],
                      "crop": [part.width(), part.height()], "colours": sorted(colours),
                      "outside": capture.crop(shots, 0, 0, 100, 50).pixelColor(10, 10).name()}))
""")


@pytest.fixture
def portal(tmp_path):
    """Start a private session bus and the portal double in MODE; the environment of a client on it."""
    started = []

    def start(mode: str, picture: str = "1600,1600,200,100,200,200") -> dict:
        bus = subprocess.Popen(["dbus-daemon", "--session", "--print-address=1", "--nofork", "--nopidfile"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        started.append(bus)
        address = bus.stdout.readline().strip()
        assert address.startswith("unix:"), address
        env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
        env.update(DBUS_SESSION_BUS_ADDRESS=address, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO),
                   HOME=str(tmp_path))
        script = tmp_path / "portal_double.py"
        script.write_text(PORTAL_DOUBLE)
        double = subprocess.Popen([sys.executable, str(script), mode, str(tmp_path), picture], env=env, text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        started.append(double)
        assert double.stdout.readline().strip() == "ready", double.stderr.read()
        doubles.append(double)
        return env

    doubles: list[subprocess.Popen] = []
    start.doubles = doubles  # type: ignore[attr-defined]
    yield start
    for proc in reversed(started):
        proc.terminate()
        proc.wait(10)


def _portal_client(env: dict, timeout: float, how: str = "direct") -> tuple[int, dict]:
    proc = subprocess.run([sys.executable, "-c", PORTAL_CLIENT, str(timeout), how], env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.stdout, proc.stderr
    return proc.returncode, json.loads(proc.stdout)


@needs_dbus
def test_portal_screenshot_is_split_into_screens_and_cropped(tmp_path, portal):
    env = portal("ok")
    status, out = _portal_client(env, 30, "grab")
    assert status == 0, out
    # (one 800 x 800 offscreen screen; the double's red square is at logical 100,50 100x100)
    # the desktop picture of 1600 px for the 800 logical px screen: ratio 2, native pixels kept
    assert out["shots"] == [[0, 0, 800, 800, 2.0, 1600, 1600]]
    assert out["crop"] == [200, 200] and out["colours"] == ["#ff0000"]
    assert out["outside"] == "#ffffff"
    assert not (tmp_path / "Screenshot.png").exists()  # the portal's file is not left behind


@needs_dbus
def test_portal_denied_is_one_clear_error(portal):
    env = portal("denied")
    status, out = _portal_client(env, 30)
    assert status == 1
    assert out == {"key": "capture_failed.portal_denied", "params": {"handler": "dbus_portal"},
                   "message": "the screenshot was cancelled or not allowed (desktop portal)"}


@needs_dbus
def test_portal_failure_and_silence_are_errors_naming_why(portal):
    env = portal("failed")
    status, out = _portal_client(env, 30)
    assert status == 1
    assert out == {"key": "capture_failed.portal_failed", "params": {"handler": "dbus_portal", "error": "response 2"},
                   "message": "the desktop portal could not take the screenshot (response 2)"}


@needs_dbus
def test_portal_that_never_answers_times_out(portal):
    env = portal("silent")
    status, out = _portal_client(env, 1.5, "grab")  # through grab(): the sentence names what was tried
    assert status == 1
    assert out["key"] == "capture_failed.no_handler"
    assert out["params"] == {"tried": "dbus_portal (the desktop portal did not answer within 1.5 s)"}
    assert portal.doubles[0].stdout.readline().strip() == "asked"  # it was asked, and kept silent


@needs_dbus
def test_capture_screen_1_of_two_through_the_portal(tmp_path, portal):
    """Two screens (Qt's offscreen platform configured with a left 800x600 and a right 400x300 one; Qt 6's
    X11 support sees one screen on Xvfb, whose RandR cannot be given two monitors): the portal's picture
    of the whole 1200x600 desktop is split, and --screen 1 --rect is relative to the right screen."""
    env = portal("ok", "1200,600,860,70,100,50")  # red at logical 860,70: 60,70 on the right screen
    config = tmp_path / "screens.json"
    config.write_text(json.dumps({"screens": [
        {"name": "left", "x": 0, "y": 0, "width": 800, "height": 600, "logicalDpi": 96, "logicalBaseDpi": 96,
         "dpr": 1},
        {"name": "right", "x": 800, "y": 0, "width": 400, "height": 300, "logicalDpi": 96, "logicalBaseDpi": 96,
         "dpr": 1}]}))
    env["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    proc = _capture(env, "--screen", "1", "--rect", "60,70,100,50", "--save", str(tmp_path / "right.png"))
    assert proc.returncode == 0, proc.stderr
    right = _pixels(tmp_path / "right.png")
    assert right.shape == (50, 100, 3) and (right == [255, 0, 0]).all()
    proc = _capture(env, "--screen", "0", "--rect", "60,70,100,50", "--save", str(tmp_path / "left.png"))
    assert proc.returncode == 0, proc.stderr
    assert (_pixels(tmp_path / "left.png") == 255).all()  # the same place on the left screen is white
    proc = _capture(env, "--screen", "2", "--rect", "0,0,10,10")
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == ["desktop-ocr: there is no screen 2: screens 0 to 1 are connected"]
