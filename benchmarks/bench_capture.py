"""Screen capture, repeated: time per stage and whether memory grows.

    xvfb-run -a .venv/bin/python benchmarks/bench_capture.py [--quick]

Needs a display: under X11 it uses the current one (Qt's xcb platform, whatever QT_QPA_PLATFORM
says); without DISPLAY it runs itself under ``xvfb-run`` (1280x800), and when that is not installed
it says so in one line and exits 0 (scripts/bench.sh runs every benchmark with --quick in CI).

One process shows a window of ours with drawn text, loads the local engine once, then 200 times
(--quick: 20) grabs every screen (desktop_ocr.capture.grab: Qt's grab on X11), cuts the window's
region (capture.crop), and recognises it (PNG-encoded and decoded as `desktop-ocr capture` does).
Prints the median seconds of each stage (grab, crop, recognise), the text read, and the RSS
(/proc/self/statm) after 10 and after the last capture, and the growth between them.

Then, end to end (issue #13: from the key press to the text on the clipboard), on an Xvfb this
benchmark started itself (never the display it was started on: when DISPLAY was set, that part runs
in a child under ``xvfb-run -a`` of its own): a real MainWindow, hidden as when resident, "After a
Capture" set to copy the lines, the global shortcut registered by the X11 handler (gui.tray.Resident),
and a window of ours with drawn Chinese/English lines. 20 times (--quick: 3) the shortcut is typed
through XTEST (tests/xtest.py), the time until the overlay (gui.capture_overlay.RegionSelector) is
exposed is taken, a rectangle is dragged over the text with XTEST pointer events, and the time from
the button's release until the clipboard holds the text. Prints their medians and maxima, the
recognition time alone (the result's elapsed), and whether the copied text is the drawn one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHILD = "DESKTOP_OCR_BENCH_CAPTURE_CHILD"
#: the lines of the end-to-end part's window (a receipt's), and the shortcut typed there
E2E_LINES = ["发票号码 INV-2024-0815", "Total 合计 ¥128.50", "Thank you 谢谢惠顾"]
E2E_KEYS = ("Control_L", "Shift_L", "a")  # the window's Capture Region key, Ctrl+Shift+A
E2E_TIMEOUT_S = 120  # one step of one capture (the machine may be shared): a hang is a failure, not a wait


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1048576


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="20 captures instead of 200 (end to end: 3, not 20)")
    parser.add_argument("--end-to-end-only", action="store_true", help=argparse.SUPPRESS)  # the child on our Xvfb
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        if os.environ.get(CHILD) or not shutil.which("xvfb-run"):
            print("bench_capture: skipped: no display (DISPLAY is not set) and xvfb-run is not installed; "
                  "run it as: xvfb-run -a .venv/bin/python benchmarks/bench_capture.py", flush=True)
            return 0
        return own_xvfb(sys.argv[1:])
    os.environ["QT_QPA_PLATFORM"] = "xcb"  # a real screen grab, even when the caller said offscreen
    sys.path.insert(0, str(REPO))
    ours = bool(os.environ.get(CHILD))  # this display is an Xvfb we started: keys may be typed on it
    status = run(200 if not args.quick else 20, 20 if not args.quick else 3 if ours else 0,
                 first=not args.end_to_end_only)
    if ours or status:
        return status
    # the display we were started on may be a real desktop: the keys and the mouse go to an Xvfb of ours
    if not shutil.which("xvfb-run"):
        print("bench_capture: end to end: skipped: xvfb-run is not installed, and keys are never typed on "
              "the display this was started on", flush=True)
        return 0
    return own_xvfb(["--end-to-end-only", *(["--quick"] if args.quick else [])])


def own_xvfb(argv: list[str]) -> int:
    """This script again, on an Xvfb of its own (xvfb-run -a: a free display number), as an X11 session."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update({CHILD: "1", "XDG_SESSION_TYPE": "x11"})
    cmd = ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", sys.executable, str(Path(__file__).resolve()), *argv]
    return os.spawnvpe(os.P_WAIT, "xvfb-run", cmd, env)


def show_page(lines: list[str], x: int, y: int, font_size: int):
    """A frameless window of ours at (x, y) showing ``lines`` drawn in the CJK font (tests.drawing)."""
    from PIL.ImageQt import ImageQt
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QPixmap
    from PySide6.QtWidgets import QLabel

    from tests.drawing import render_lines

    label = QLabel()
    label.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.X11BypassWindowManagerHint)
    label.setPixmap(QPixmap.fromImage(ImageQt(render_lines(lines, font_size=font_size))))
    label.adjustSize()
    label.move(x, y)
    label.show()
    return label


def settle(app, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)


def run(count: int, e2e_count: int, first: bool = True) -> int:
    """The repeated capture (``count`` times, when ``first``), then ``e2e_count`` end-to-end captures."""
    from PySide6.QtWidgets import QApplication

    from desktop_ocr.core.engine import LocalEngine

    app = QApplication([sys.argv[0]])
    engine = LocalEngine()
    engine.warm_up()
    if first:
        repeated(app, engine, count)
    if e2e_count:
        return end_to_end(app, engine, e2e_count)
    return 0


def repeated(app, engine, count: int) -> None:
    from PySide6.QtCore import QBuffer, QIODevice

    from desktop_ocr import capture
    from desktop_ocr.core.recognizer import RecognizeOptions
    from desktop_ocr.core.sources import decode_bytes

    label = show_page(["Screen capture benchmark 2026", "屏幕截图文字识别"], 100, 100, 32)
    settle(app, 2)
    x, y, w, h = label.x(), label.y(), label.width(), label.height()

    options = RecognizeOptions()
    grabs, crops, recs = [], [], []
    text = ""
    rss_10 = 0.0
    for i in range(1, count + 1):
        app.processEvents()
        t0 = time.perf_counter()
        shots = capture.grab()
        t1 = time.perf_counter()
        image = capture.crop(shots, x, y, w, h)
        t2 = time.perf_counter()
        buf = QBuffer()
        buf.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buf, "PNG")
        result = engine.recognize(decode_bytes(bytes(buf.data().data()), "screen capture"), options)
        t3 = time.perf_counter()
        grabs.append(t1 - t0)
        crops.append(t2 - t1)
        recs.append(t3 - t2)
        text = " | ".join(line.text for line in result.lines)
        del shots, image, buf, result
        if i == 10:
            rss_10 = rss_mb()
    rss_end = rss_mb()
    size = f"{capture.grab()[0].image.width()}x{capture.grab()[0].image.height()}"
    print(f"bench_capture: {count} captures of a {w}x{h} region of a {size} screen "
          f"({app.platformName()}, handler qt)")
    print(f"  median s: grab {statistics.median(grabs):.4f}, crop {statistics.median(crops):.4f}, "
          f"recognise {statistics.median(recs):.3f} (PNG round trip included)")
    print(f"  text read: {text}")
    print(f"  RSS after 10: {rss_10:.1f} MB, after {count}: {rss_end:.1f} MB, growth {rss_end - rss_10:+.1f} MB")
    label.close()
    settle(app, 0.3)


def wait_until(app, done, what: str) -> float:
    """Process events until ``done()``; the perf_counter() it became true at (polled every ~2 ms)."""
    deadline = time.monotonic() + E2E_TIMEOUT_S
    while True:
        app.processEvents()
        if done():
            return time.perf_counter()
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {E2E_TIMEOUT_S} s")
        time.sleep(0.002)


def squeezed(text: str) -> list[str]:
    """The non-empty lines of ``text`` without any white space (what must match the drawn lines)."""
    return [line for line in ("".join(raw.split()) for raw in text.splitlines()) if line]


def end_to_end(app, engine, count: int) -> int:
    """Key press -> overlay, release -> clipboard, ``count`` times, through a real window (module doc)."""
    import tempfile

    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QGuiApplication

    from desktop_ocr.gui.main_window import CAPTURE_HIDE_MS, MainWindow
    from desktop_ocr.gui.settings import Settings
    from desktop_ocr.gui.tray import Resident
    from desktop_ocr.hotkey.handlers.x11 import X11Handler
    from tests.xtest import Keyboard

    display = os.environ["DISPLAY"]
    tmp = tempfile.TemporaryDirectory(prefix="bench-capture-")
    settings = Settings(QSettings(f"{tmp.name}/settings.ini", QSettings.Format.IniFormat))
    win = MainWindow(settings, interactive=False)
    win.host.adopt("local", engine)  # warmed up above: the figures are a resident window's
    win.capture_after_actions["lines"].trigger()  # View > After a Capture > Copy the Text: Lines as They Are
    # never shown: as when it waits in the tray; the global shortcut as File > Global Shortcut sets it
    resident = Resident(win, available=False, hotkey_handlers=[X11Handler(display)])
    resident.act_hotkey.setChecked(True)
    page = show_page(E2E_LINES, 200, 150, 36)
    keyboard = Keyboard(display)
    settle(app, 1.5)
    status = 0
    try:
        if resident.hotkey is None:
            print(f"bench_capture: end to end: FAILED: the global shortcut {resident.hotkey_text()} could not be "
                  f"registered on {display} (see the log)", flush=True)
            return 1
        # the drag: 15 px inside the page's edges, over every drawn line
        x0, y0 = page.x() + 15, page.y() + 15
        x1, y1 = page.x() + page.width() - 15, page.y() + page.height() - 15
        clipboard = QGuiApplication.clipboard()
        to_overlay, to_clipboard, recognition = [], [], []
        matched = 0
        copied = ""
        for _ in range(count):
            clipboard.setText("")
            settle(app, 0.2)
            t_key = time.perf_counter()
            keyboard.press(*E2E_KEYS)

            def exposed() -> bool:
                selector = win.capture_selector
                return selector is not None and bool(selector.overlays) and all(
                    o.windowHandle() is not None and o.windowHandle().isExposed() for o in selector.overlays)

            to_overlay.append(wait_until(app, exposed, "the overlay after the key") - t_key)
            keyboard.move(x0, y0)
            settle(app, 0.05)
            keyboard.button(True)
            for step in range(1, 9):  # a hand's drag: several motions with the button down
                keyboard.move(x0 + (x1 - x0) * step // 8, y0 + (y1 - y0) * step // 8)
                settle(app, 0.02)
            keyboard.button(False)
            t_release = time.perf_counter()
            to_clipboard.append(wait_until(app, lambda: bool(clipboard.text()), "the text on the clipboard")
                                - t_release)
            job = win.queue.job(win.current_id) if win.current_id is not None else None
            if job is not None and job.result is not None and job.result.elapsed is not None:
                recognition.append(job.result.elapsed)
            copied = clipboard.text()
            matched += squeezed(copied) == squeezed("\n".join(E2E_LINES))
        region = settings.last_region()
        size = f"{region[2]}x{region[3]}" if region else "?"
        print(f"bench_capture: end to end, {count} captures of a {size} region through the global shortcut "
              f"({resident.hotkey.name} grab, keys and mouse through XTEST), After a Capture: copy lines")
        rec = f"{statistics.median(recognition):.2f} s" if recognition else "? s"
        print(f"  key to overlay: median {statistics.median(to_overlay):.3f} s (max {max(to_overlay):.3f}; "
              f"{CAPTURE_HIDE_MS / 1000:.2f} s of it the window's wait for itself to hide); "
              f"release to clipboard: median {statistics.median(to_clipboard):.2f} s "
              f"(max {max(to_clipboard):.2f}), of which recognition {rec}")
        print(f"  text copied: {' | '.join(line for line in copied.splitlines() if line.strip())} "
              f"(the drawn lines: {matched} of {count} matched)")
    except TimeoutError as exc:
        print(f"bench_capture: end to end: FAILED: {exc}", flush=True)
        status = 1
    finally:
        resident.set_global_hotkey(False)
        keyboard.close()
        page.close()
        win.close()
        settle(app, 0.2)
        tmp.cleanup()
    return status


if __name__ == "__main__":
    sys.exit(main())
