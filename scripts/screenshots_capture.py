"""Developer tool: the README's two pictures of Capture Region (docs/capture_overlay.png: a rectangle being
dragged over the frozen screen; docs/capture_result.png: the window showing what that rectangle read).
Not part of the app.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python scripts/screenshots_capture.py [OUT_DIR]

It only ever runs on an Xvfb it started itself (the pointer is moved and clicked through XTEST): under
the command above it still starts its own 1600x1000 one (xvfb-run -a, a free display number), so a
plain ``.venv/bin/python scripts/screenshots_capture.py`` does the same. On that screen: a backdrop
(the bare Xvfb root is black) and a receipt window of ours (Chinese/English lines drawn in the CJK
font), a real MainWindow with its local engine, then Capture Region and a drag over part of the
receipt with XTEST pointer events (tests/xtest.py). The screen is grabbed mid-drag (QScreen.grabWindow,
reduced to 1200 px wide), the drag is finished, and the window is grabbed once its boxes are drawn.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OURS = "DESKTOP_OCR_SCREENSHOTS_XVFB"  # set in the child that runs on our own Xvfb
SCREEN = (1600, 1000)
WIDTH = 1200  # the overlay picture is reduced to this width (README size)

RECEIPT_TITLE = "全家便利店 FamilyMart"
RECEIPT_HEAD = ["门店 Store 0815  上海市徐汇区漕溪北路 88 号", "2026-03-14 18:42   收银员 Cashier 07"]
RECEIPT_ITEMS = [("矿泉水 Mineral Water  2 x 3.50", "7.00"), ("三明治 Sandwich  1 x 12.80", "12.80"),
                 ("拿铁咖啡 Latte  1 x 18.00", "18.00"), ("饭团 Rice Ball  2 x 6.50", "13.00")]
RECEIPT_TOTALS = [("合计 Total", "50.80"), ("微信支付 WeChat Pay", "50.80")]
RECEIPT_FOOT = "谢谢惠顾  Thank you, see you soon!"


def receipt():
    """A receipt drawn in the CJK font; returns the image and the rows (top, bottom) of the items and totals."""
    from PIL import Image, ImageDraw, ImageFont

    from tests.drawing import cjk_font_path

    width, margin, size = 760, 50, 28
    font = ImageFont.truetype(cjk_font_path(), size)
    big = ImageFont.truetype(cjk_font_path(), 40)
    img = Image.new("RGB", (width, 800), (252, 251, 247))
    d = ImageDraw.Draw(img)
    y = 45
    d.text((width // 2, y), RECEIPT_TITLE, fill="black", font=big, anchor="ma")
    y += 80
    for line in RECEIPT_HEAD:
        d.text((margin, y), line, fill=(40, 40, 40), font=font)
        y += 48
    rule = "- " * 34

    def dashes(y: int) -> int:
        d.text((margin, y), rule, fill=(120, 120, 120), font=font)
        return y + 44

    y = dashes(y + 4)
    top = y - 8
    for name, amount in RECEIPT_ITEMS:
        d.text((margin, y), name, fill="black", font=font)
        d.text((width - margin, y), amount, fill="black", font=font, anchor="ra")
        y += 50
    y = dashes(y)
    for name, amount in RECEIPT_TOTALS:
        d.text((margin, y), name, fill="black", font=font)
        d.text((width - margin, y), amount, fill="black", font=font, anchor="ra")
        y += 50
    bottom = y + 2
    y = dashes(y)
    d.text((width // 2, y + 10), RECEIPT_FOOT, fill=(40, 40, 40), font=font, anchor="ma")
    return img.crop((0, 0, width, y + 75)), (top, bottom)


def settle(app, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)


def wait_until(app, done, what: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise SystemExit(f"screenshots_capture: {what} did not happen within {timeout:.0f} s")
        app.processEvents()
        time.sleep(0.01)


def save_png(image, path: Path, width: int | None = None) -> None:
    from PySide6.QtCore import Qt

    if width is not None and image.width() > width:
        image = image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
    if not image.save(str(path), "PNG", 0):  # quality 0: the smallest PNG (most compression)
        raise SystemExit(f"screenshots_capture: could not write {path}")
    print(f"saved {path} ({image.width()}x{image.height()}, {path.stat().st_size // 1024} KB)", flush=True)


def make(out: Path) -> int:
    from PIL.ImageQt import ImageQt
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtGui import QGuiApplication, QLinearGradient, QPainter, QPixmap
    from PySide6.QtWidgets import QLabel

    from desktop_ocr.gui.app import make_app
    from tests.xtest import Keyboard

    app = make_app()
    from desktop_ocr.gui.main_window import MainWindow
    from desktop_ocr.gui.settings import Settings

    flags = Qt.WindowType.FramelessWindowHint | Qt.WindowType.X11BypassWindowManagerHint
    # a desktop's backdrop: a soft gradient over the whole screen (shown first: below everything)
    backdrop_pixmap = QPixmap(*SCREEN)
    painter = QPainter(backdrop_pixmap)
    gradient = QLinearGradient(0, 0, SCREEN[0], SCREEN[1])
    gradient.setColorAt(0.0, Qt.GlobalColor.darkCyan)
    gradient.setColorAt(1.0, Qt.GlobalColor.darkBlue)
    painter.fillRect(backdrop_pixmap.rect(), gradient)
    painter.end()
    backdrop = QLabel()
    backdrop.setWindowFlags(flags)
    backdrop.setPixmap(backdrop_pixmap)
    backdrop.setGeometry(0, 0, *SCREEN)
    backdrop.show()
    page_image, (top, bottom) = receipt()
    page = QLabel()
    page.setWindowFlags(flags)
    page.setPixmap(QPixmap.fromImage(ImageQt(page_image)))
    page.setFixedSize(page_image.width, page_image.height)  # adjustSize() stops at 2/3 of the screen
    page.move(420, (SCREEN[1] - page.height()) // 2)
    page.show()

    tmp = tempfile.TemporaryDirectory(prefix="screenshots-")
    window = MainWindow(Settings(QSettings(f"{tmp.name}/s.ini", QSettings.Format.IniFormat)), interactive=False)
    window.resize(1200, 760)
    window.move(40, 40)
    ready: list[str] = []
    window.host.ready.connect(ready.append)
    window.show()
    window.start_engine()
    wait_until(app, lambda: bool(ready), "loading the models")
    shown: list[int] = []
    window.result_shown.connect(shown.append)
    settle(app, 0.5)

    window.act_capture.trigger()  # Capture Region (Ctrl+Shift+A): the window hides, the screen is frozen

    def exposed() -> bool:
        selector = window.capture_selector
        return selector is not None and bool(selector.overlays) and all(
            o.windowHandle() is not None and o.windowHandle().isExposed() for o in selector.overlays)

    wait_until(app, exposed, "the overlay")
    settle(app, 0.3)
    # the drag: from above the first item to below the totals, over the whole width of the text
    x0, y0 = page.x() + 36, page.y() + top
    x1, y1 = page.x() + page.width() - 30, page.y() + bottom
    mouse = Keyboard(os.environ["DISPLAY"])
    try:
        mouse.move(x0, y0)
        settle(app, 0.1)
        mouse.button(True)
        for step in range(1, 11):  # caught on the way: 90 % of the drag
            mouse.move(x0 + (x1 - x0) * step * 9 // 100, y0 + (y1 - y0) * step * 9 // 100)
            settle(app, 0.03)
        mouse.move(x1 - (x1 - x0) // 10, y1 - 6)
        settle(app, 0.5)
        save_png(QGuiApplication.primaryScreen().grabWindow(0).toImage(), out / "capture_overlay.png", WIDTH)
        mouse.move(x1, y1)
        settle(app, 0.1)
        mouse.button(False)
    finally:
        mouse.close()
    wait_until(app, lambda: bool(shown), "the capture's result")
    settle(app, 0.8)
    save_png(window.grab().toImage(), out / "capture_result.png")
    window.close()
    page.close()
    backdrop.close()
    tmp.cleanup()
    return 0


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else REPO / "docs"
    if not os.environ.get(OURS):
        # never the display this was started on (a real desktop's pointer must not be moved)
        if not shutil.which("xvfb-run"):
            print("screenshots_capture: xvfb-run is not installed (scripts/setup.sh installs it)", file=sys.stderr)
            return 1
        env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
        env.update({OURS: "1", "XDG_SESSION_TYPE": "x11", "QT_QPA_PLATFORM": "xcb"})
        cmd = ["xvfb-run", "-a", "-s", f"-screen 0 {SCREEN[0]}x{SCREEN[1]}x24", sys.executable,
               str(Path(__file__).resolve()), str(out.resolve())]
        return os.spawnvpe(os.P_WAIT, "xvfb-run", cmd, env)
    sys.path.insert(0, str(REPO))  # the repo (and tests.drawing, tests.xtest), when not installed
    out.mkdir(parents=True, exist_ok=True)
    return make(out)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
