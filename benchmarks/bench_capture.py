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


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1048576


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="20 captures instead of 200")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        if os.environ.get(CHILD) or not shutil.which("xvfb-run"):
            print("bench_capture: skipped: no display (DISPLAY is not set) and xvfb-run is not installed; "
                  "run it as: xvfb-run -a .venv/bin/python benchmarks/bench_capture.py", flush=True)
            return 0
        env = dict(os.environ, **{CHILD: "1"})
        cmd = ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", sys.executable, str(Path(__file__).resolve()),
               *sys.argv[1:]]
        return os.spawnvpe(os.P_WAIT, "xvfb-run", cmd, env)
    os.environ["QT_QPA_PLATFORM"] = "xcb"  # a real screen grab, even when the caller said offscreen
    sys.path.insert(0, str(REPO))
    return run(200 if not args.quick else 20)


def run(count: int) -> int:
    from PIL.ImageQt import ImageQt
    from PySide6.QtCore import QBuffer, QIODevice, Qt
    from PySide6.QtGui import QPixmap
    from PySide6.QtWidgets import QApplication, QLabel

    from desktop_ocr import capture
    from desktop_ocr.core.engine import LocalEngine
    from desktop_ocr.core.recognizer import RecognizeOptions
    from desktop_ocr.core.sources import decode_bytes
    from tests.drawing import render_lines

    app = QApplication([sys.argv[0]])
    page = render_lines(["Screen capture benchmark 2026", "屏幕截图文字识别"], font_size=32)
    label = QLabel()
    label.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.X11BypassWindowManagerHint)
    label.setPixmap(QPixmap.fromImage(ImageQt(page)))
    label.adjustSize()
    label.move(100, 100)
    label.show()
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    x, y, w, h = label.x(), label.y(), label.width(), label.height()

    engine = LocalEngine()
    engine.warm_up()
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
