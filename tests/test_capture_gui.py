"""Screen capture in the window (issue 13): the region-selection overlay driven by real mouse and key
events (pytest-qt), and Capture Region of the main window on the real engine.

The screens' pictures are Shots built here from drawn QImages (two screens side by side, at 100 %
and 200 %); the real X11 grab is tests/test_capture.py's. The window's grab source is its
``grab`` argument, which production leaves to desktop_ocr.capture.grab.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QPoint, QSettings, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QKeySequence, QPainter
from PySide6.QtWidgets import QApplication

from desktop_ocr import capture
from desktop_ocr.capture.models import Shot
from desktop_ocr.core.errors import CaptureFailed
from desktop_ocr.core.model import OcrResult, TextLine
from desktop_ocr.formats import text as text_format
from desktop_ocr.gui.capture_overlay import RegionOverlay, RegionSelector, drag_rect, select_region, whole
from tests.drawing import render_lines, to_png_bytes
from tests.gui_support import RESULT_TIMEOUT_MS

RED = QColor(255, 0, 0)
WHITE = QColor(255, 255, 255)


def filled(width: int, height: int, colour: QColor) -> QImage:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(colour)
    return image


def two_screens() -> list[Shot]:
    """Screen 0: 400x300 logical at 100 % (grey). Screen 1 right of it: 300x200 logical at 200 %
    (600x400 native, white) with a red block at native (100, 60)-(300, 220), i.e. logical
    (450, 30, 100, 80) of the desktop."""
    left = filled(400, 300, QColor(128, 128, 128))
    right = filled(600, 400, WHITE)
    painter = QPainter(right)
    painter.fillRect(100, 60, 200, 160, RED)
    painter.end()
    return [Shot(left, 0, 0, 400, 300, 1.0, "left"), Shot(right, 400, 0, 300, 200, 2.0, "right")]


def rgb(image: QImage, x: int, y: int) -> tuple[int, int, int]:
    c = image.pixelColor(x, y)
    return c.red(), c.green(), c.blue()


def drag(qtbot, widget, start: QPoint, end: QPoint) -> None:
    assert not start.isNull() and not end.isNull(), "QTest reads QPoint(0, 0) as the widget's centre"
    qtbot.mousePress(widget, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(widget, (start + end) / 2)
    qtbot.mouseMove(widget, end)
    qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=end)


@pytest.fixture
def selector(qtbot):
    sel = RegionSelector(two_screens(), last=(10, 20, 30, 40))
    results: list = []
    sel.finished.connect(results.append)
    sel.start()
    for overlay in sel.overlays:
        qtbot.waitExposed(overlay)
    sel.results = results  # type: ignore[attr-defined]
    yield sel
    sel.cancel()


def open_overlays() -> list[RegionOverlay]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, RegionOverlay) and w.isVisible()]


# the maths ------------------------------------------------------------------------------------
def result_of(*lines: tuple[str, int]) -> OcrResult:
    box = [(0, 0), (10, 0), (10, 10), (0, 10)]
    return OcrResult(100, 100, [TextLine(t, box, paragraph=p) for t, p in lines])


def test_the_copied_text_joined_as_lines_paragraphs_or_one_line():
    result = result_of(("The quick brown", 0), ("fox jumps.", 0), ("发票号码", 1), ("合计 ¥128", 1), ("Thanks", 2))
    assert text_format.joined(result, "lines") == result.text == \
        "The quick brown\nfox jumps.\n\n发票号码\n合计 ¥128\n\nThanks"
    assert text_format.joined(result, "paragraphs") == "The quick brown fox jumps.\n\n发票号码合计 ¥128\n\nThanks"
    assert text_format.joined(result, "one_line") == "The quick brown fox jumps.发票号码合计 ¥128 Thanks"
    with pytest.raises(ValueError, match="one_line"):
        text_format.joined(result, "words")


def test_drag_in_any_direction_gives_the_same_rectangle():
    corners = [(10, 20, 60, 90), (60, 90, 10, 20), (60, 20, 10, 90), (10, 90, 60, 20)]
    assert {whole(drag_rect(*c)) for c in corners} == {(10, 20, 50, 70)}
    assert whole(drag_rect(10.5, 20.25, 12.5, 22.75)) == (10, 20, 3, 3)  # every pixel it touches


# the overlay ----------------------------------------------------------------------------------
def test_one_overlay_per_screen_showing_its_picture_at_native_pixels(selector):
    left, right = selector.overlays
    assert (left.geometry().x(), left.geometry().width(), right.geometry().x(), right.geometry().width()) \
        == (0, 400, 400, 300)
    assert right.pixmap.devicePixelRatio() == 2.0
    assert (right.pixmap.width(), right.pixmap.height()) == (600, 400)  # not scaled down to 300x200
    flags = right.windowFlags()
    assert flags & Qt.WindowType.FramelessWindowHint and flags & Qt.WindowType.WindowStaysOnTopHint
    assert right.cursor().shape() == Qt.CursorShape.CrossCursor


def test_an_overlay_is_full_screen_on_the_screen_its_picture_is_of(qtbot):
    screen = QApplication.primaryScreen()
    g = screen.geometry()
    ratio = screen.devicePixelRatio()
    picture = filled(round(g.width() * ratio), round(g.height() * ratio), WHITE)
    sel = RegionSelector([Shot(picture, g.x(), g.y(), g.width(), g.height(), ratio, screen.name())])
    sel.start()
    overlay = sel.overlays[0]
    qtbot.waitExposed(overlay)
    assert overlay.isFullScreen() and overlay.screen() is screen and overlay.geometry() == g
    qtbot.waitUntil(overlay.isActiveWindow, timeout=5_000)  # it takes the keyboard (Esc)
    drag(qtbot, overlay, QPoint(10, 20), QPoint(60, 90))
    assert sel.result == (g.x() + 10, g.y() + 20, 50, 70)


def test_drag_on_the_200_percent_screen_selects_its_logical_rectangle_and_crop_gives_the_pixels(qtbot, selector):
    right = selector.overlays[1]
    drag(qtbot, right, QPoint(50, 30), QPoint(150, 110))  # window-local logical points
    assert selector.results == [(450, 30, 100, 80)]
    assert not open_overlays(), "the overlays close once a region is chosen"
    image = capture.crop(two_screens(), *selector.results[0])
    assert (image.width(), image.height()) == (200, 160)  # native pixels of the 200 % screen
    assert {rgb(image, x, y) for x in (0, 100, 199) for y in (0, 80, 159)} == {(255, 0, 0)}


def test_the_overlays_and_their_pictures_are_freed_once_a_region_is_chosen(qtbot, selector):
    overlays = list(selector.overlays)
    drag(qtbot, overlays[1], QPoint(50, 30), QPoint(150, 110))
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not any(shiboken6.isValid(o) for o in overlays), "a capture leaves no window (nor its picture) behind"


def test_a_drag_up_and_left_is_the_same_region(qtbot, selector):
    drag(qtbot, selector.overlays[1], QPoint(150, 110), QPoint(50, 30))
    assert selector.results == [(450, 30, 100, 80)]


def test_a_drag_leaving_its_screen_is_clamped_to_it(qtbot, selector):
    drag(qtbot, selector.overlays[1], QPoint(200, 150), QPoint(350, 260))  # past the right and bottom
    assert selector.results == [(600, 150, 100, 50)]


def test_dimmed_outside_the_selection_and_its_size_shown_while_dragging(qtbot, selector):
    right = selector.overlays[1]
    qtbot.mousePress(right, Qt.MouseButton.LeftButton, pos=QPoint(50, 30))
    qtbot.mouseMove(right, QPoint(150, 110))
    assert selector.results == []  # not chosen before the release
    shown = right.grab().toImage()
    inside, outside = rgb(shown, 100, 70), rgb(shown, 250, 180)
    assert inside == (255, 0, 0), "the selection shows the picture as it is"
    assert outside[0] < 200 and outside[0] == outside[1] == outside[2], "the rest is dimmed white"
    assert right.selection is not None and right.selection.width == 100
    qtbot.mouseRelease(right, Qt.MouseButton.LeftButton, pos=QPoint(150, 110))
    assert selector.results == [(450, 30, 100, 80)]


def test_a_click_without_drag_selects_nothing_and_the_overlay_waits(qtbot, selector):
    right = selector.overlays[1]
    qtbot.mouseClick(right, Qt.MouseButton.LeftButton, pos=QPoint(60, 60))
    drag(qtbot, right, QPoint(60, 60), QPoint(61, 90))  # a drag along one line: not a rectangle
    assert selector.results == [] and len(open_overlays()) == 2
    drag(qtbot, right, QPoint(50, 30), QPoint(150, 110))
    assert selector.results == [(450, 30, 100, 80)]


def test_escape_cancels(qtbot, selector):
    qtbot.keyClick(selector.overlays[0], Qt.Key.Key_Escape)
    assert selector.results == [None]
    assert not open_overlays()


def test_right_button_cancels(qtbot, selector):
    qtbot.mouseClick(selector.overlays[1], Qt.MouseButton.RightButton, pos=QPoint(10, 10))
    assert selector.results == [None]


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space])
def test_enter_or_space_repeats_the_last_region(qtbot, selector, key):
    qtbot.keyClick(selector.overlays[1], key)
    assert selector.results == [(10, 20, 30, 40)]


def test_enter_without_a_last_region_does_nothing(qtbot):
    sel = RegionSelector(two_screens())
    results: list = []
    sel.finished.connect(results.append)
    sel.start()
    qtbot.keyClick(sel.overlays[0], Qt.Key.Key_Return)
    assert results == [] and len(open_overlays()) == 2
    qtbot.keyClick(sel.overlays[0], Qt.Key.Key_Escape)
    assert results == [None]


NOT_FINISHED = (-1, -1, -1, -1)


def _later(action) -> None:
    """Run ``action`` on the open overlays once select_region's loop is waiting. Should the action
    not end the selection, a safety net ends it with NOT_FINISHED (the test fails instead of hanging)."""
    def run():
        action(open_overlays())

    def safety_net():
        for overlay in open_overlays():
            overlay.selector.choose(NOT_FINISHED)

    QTimer.singleShot(0, run)
    QTimer.singleShot(20_000, safety_net)


def test_select_region_waits_for_the_drag_and_returns_it(qtbot):
    _later(lambda overlays: drag(qtbot, [o for o in overlays if o.shot.name == "right"][0],
                                 QPoint(50, 30), QPoint(150, 110)))
    assert select_region(two_screens()) == (450, 30, 100, 80)


def test_select_region_escape_returns_none(qtbot):
    _later(lambda overlays: qtbot.keyClick(overlays[0], Qt.Key.Key_Escape))
    assert select_region(two_screens(), last=(1, 2, 3, 4)) is None
    assert not open_overlays()


def test_select_region_enter_returns_the_last_region(qtbot):
    _later(lambda overlays: qtbot.keyClick(overlays[0], Qt.Key.Key_Return))
    assert select_region(two_screens(), last=(1, 2, 3, 4)) == (1, 2, 3, 4)


# the window -----------------------------------------------------------------------------------
TEXT_LINES = ["Invoice 2024 total", "Thank you 谢谢惠顾"]


def text_screens() -> list[Shot]:
    """Screen 0 grey at 100 %; screen 1 (400x300 logical at 200 %) with the drawn text at its top
    left, native pixels (40..40+w, 40..40+h)."""
    page = QImage.fromData(to_png_bytes(render_lines(TEXT_LINES, font_size=40)))
    right = filled(800, 600, WHITE)
    painter = QPainter(right)
    painter.drawImage(0, 0, page)
    painter.end()
    return [Shot(filled(400, 300, QColor(128, 128, 128)), 0, 0, 400, 300, 1.0, "left"),
            Shot(right, 400, 0, 400, 300, 2.0, "right")]


class Grabs:
    """The window's grab source for these tests: hands out the drawn screens, or a failure."""

    def __init__(self, shots=None, error: Exception | None = None):
        self.shots, self.error, self.calls = shots, error, 0

    def __call__(self) -> list[Shot]:
        self.calls += 1
        if self.error is not None:
            raise self.error
        return self.shots


@pytest.fixture
def make_window(qtbot, tmp_path, engine):
    from desktop_ocr.gui.main_window import MainWindow
    from desktop_ocr.gui.settings import Settings

    made = []

    def make(grab):
        settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
        win = MainWindow(settings, interactive=False, grab=grab)
        win.host.adopt("local", engine)
        qtbot.addWidget(win)
        win.resize(1200, 800)
        win.show()
        qtbot.waitExposed(win)
        win.start_engine()
        made.append(win)
        return win

    yield make
    for win in made:
        win.close()


def start_capture(qtbot, win) -> RegionSelector:
    win.act_capture.trigger()
    assert not win.isVisible(), "the window hides before the screens are grabbed"
    qtbot.waitUntil(lambda: win.capture_selector is not None, timeout=10_000)
    assert win.capture_selector is not None
    return win.capture_selector


def test_capture_region_recognises_the_dragged_region(qtbot, make_window):
    grabs = Grabs(text_screens())
    win = make_window(grabs)
    selector = start_capture(qtbot, win)
    assert grabs.calls == 1
    right = selector.overlays[1]
    with qtbot.waitSignal(win.result_shown, timeout=RESULT_TIMEOUT_MS) as shown:
        drag(qtbot, right, QPoint(10, 5), QPoint(390, 150))  # the text's half of the 200 % screen
        assert win.isVisible(), "the window is back once the region is chosen"
    job = win.queue.job(shown.args[0])
    assert job is not None and job.name.startswith("capture 20")
    assert (job.image.width(), job.image.height()) == (760, 290)  # native pixels
    text = job.result.text
    assert "Invoice" in text and "谢谢惠顾" in text
    assert win.settings.last_region() == (410, 5, 380, 145)
    assert win.act_export.isEnabled(), "a capture can be exported like any image"


def test_capture_cancelled_queues_nothing_and_restores_the_window(qtbot, make_window):
    win = make_window(Grabs(text_screens()))
    selector = start_capture(qtbot, win)
    qtbot.keyClick(selector.overlays[0], Qt.Key.Key_Escape)
    assert win.isVisible() and win.capture_selector is None
    assert win.queue.jobs == []
    assert win.settings.last_region() is None


def test_capture_in_a_copy_mode_puts_the_joined_text_on_the_clipboard(qtbot, make_window):
    win = make_window(Grabs(text_screens()))
    win.capture_after_actions["one_line"].trigger()
    assert win.settings.capture_after() == "one_line"
    QApplication.clipboard().setText("before")
    selector = start_capture(qtbot, win)
    with qtbot.waitSignal(win.result_shown, timeout=RESULT_TIMEOUT_MS) as shown:
        drag(qtbot, selector.overlays[1], QPoint(10, 5), QPoint(390, 150))
    job = win.queue.job(shown.args[0])
    copied = QApplication.clipboard().text()
    assert copied == text_format.joined(job.result, "one_line")
    assert "\n" not in copied and copied.startswith(job.result.lines[0].text + " ")
    assert copied.index("Invoice") < copied.index("谢谢惠顾")
    assert win.message_bar.kind == "info" and "clipboard" in win.message_bar.text()


def test_enter_repeats_the_last_region_in_the_window(qtbot, make_window):
    win = make_window(Grabs(text_screens()))
    win.settings.set_last_region((410, 5, 380, 145))
    selector = start_capture(qtbot, win)
    with qtbot.waitSignal(win.result_shown, timeout=RESULT_TIMEOUT_MS) as shown:
        qtbot.keyClick(selector.overlays[0], Qt.Key.Key_Return)
    job = win.queue.job(shown.args[0])
    assert (job.image.width(), job.image.height()) == (760, 290)
    assert "Invoice" in job.result.text


def test_a_grab_that_fails_is_one_message_and_the_window_comes_back(qtbot, make_window):
    error = CaptureFailed("the screen cannot be captured: no way of taking a screenshot worked (tried: qt)",
                          reason="no_handler", params={"tried": "qt"})
    grabs = Grabs(error=error)
    win = make_window(grabs)
    with qtbot.waitSignal(win.error_shown, timeout=10_000):
        win.act_capture.trigger()
    assert win.isVisible() and win.capture_selector is None and win.queue.jobs == []
    assert win.message_bar.kind == "error" and win.message_bar.text()
    win.act_capture.trigger()  # the action works again after a failure
    qtbot.waitUntil(lambda: win.isVisible() and grabs.calls == 2, timeout=10_000)


def test_capture_setting_is_a_radio_group_remembered_across_windows(qtbot, make_window):
    win = make_window(Grabs(text_screens()))
    assert win.capture_after_actions["show"].isChecked()  # the default
    win.capture_after_actions["paragraphs"].trigger()
    assert [m for m, a in win.capture_after_actions.items() if a.isChecked()] == ["paragraphs"]
    again = make_window(Grabs(text_screens()))
    assert again.capture_after_actions["paragraphs"].isChecked()
    assert win.act_capture in win.menu_file.actions() and win.act_capture in win.main_bar.actions()
    assert win.menu_capture_after.menuAction() in win.menu_view.actions()


def test_every_shortcut_of_the_window_is_distinct(make_window):
    """Two actions on one key make Qt fire neither (Ctrl+Alt+C was Copy JSON's already)."""
    win = make_window(Grabs(text_screens()))
    keys = [a.shortcut().toString() for a in win.actions() if not a.shortcut().isEmpty()]
    assert len(keys) == len(set(keys)), keys
    assert win.act_capture.shortcut() == QKeySequence("Ctrl+Shift+A")


@pytest.mark.parametrize(("mode", "shown"), [("one_line", False), ("show", True)])
def test_a_window_hidden_in_the_tray_stays_hidden_when_the_text_is_only_copied(qtbot, make_window, mode, shown):
    win = make_window(Grabs(text_screens()))
    win.capture_after_actions[mode].trigger()
    win.hide()
    selector = start_capture(qtbot, win)
    with qtbot.waitSignal(win.result_shown, timeout=RESULT_TIMEOUT_MS) as done:
        drag(qtbot, selector.overlays[1], QPoint(10, 5), QPoint(390, 150))
    assert win.isVisible() is shown
    job = win.queue.job(done.args[0])
    assert "Invoice" in job.result.text
    if not shown:
        assert "Invoice" in QApplication.clipboard().text()


def test_the_shortcut_starts_a_capture(qtbot, make_window):
    grabs = Grabs(text_screens())
    win = make_window(grabs)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=10_000)
    qtbot.keyClick(win, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: win.capture_selector is not None, timeout=10_000)
    assert grabs.calls == 1
    win.capture_selector.cancel()
    assert win.isVisible()


# the overlay on a real X server -----------------------------------------------------------------
OVERLAY_ON_X11 = textwrap.dedent("""
    import sys
    import traceback

    from PySide6.QtCore import QPoint, Qt, QTimer
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QWidget

    from desktop_ocr import capture
    from desktop_ocr.gui.capture_overlay import RegionOverlay, select_region

    app = QApplication(sys.argv)
    windows = []
    for colour, rect in (((128, 128, 128), (0, 0, 640, 480)), ((255, 0, 0), (300, 100, 100, 80))):
        w = QWidget(None, Qt.WindowType.FramelessWindowHint)  # a grey screen with a red block
        palette = w.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(*colour))
        w.setPalette(palette)
        w.setAutoFillBackground(True)
        w.setGeometry(*rect)
        w.show()
        windows.append(w)
    status = [3]

    def drive():
        overlays = [w for w in QApplication.topLevelWidgets() if isinstance(w, RegionOverlay) and w.isVisible()]
        for o in sorted(overlays, key=lambda o: o.geometry().x()):
            g = o.geometry()
            print("overlay", g.x(), g.y(), g.width(), g.height(), o.isFullScreen(), flush=True)
        QTest.mousePress(overlays[0], Qt.MouseButton.LeftButton, pos=QPoint(310, 110))
        QTest.mouseMove(overlays[0], QPoint(350, 150))
        QTest.mouseRelease(overlays[0], Qt.MouseButton.LeftButton, pos=QPoint(390, 170))

    def take():
        try:
            shots = capture.grab()
            for w in windows:
                w.close()
            print("shots", [(s.x, s.y, s.width, s.height, s.image.width()) for s in shots], flush=True)
            QTimer.singleShot(300, drive)
            region = select_region(shots)
            print("region", region, flush=True)
            image = capture.crop(shots, *region)
            colours = {image.pixelColor(x, y).name() for x in range(image.width()) for y in range(image.height())}
            print("colours", sorted(colours), flush=True)
            status[0] = 0
        except BaseException:
            traceback.print_exc()
        finally:
            app.quit()

    QTimer.singleShot(800, take)
    app.exec()
    sys.exit(status[0])
""")


@pytest.mark.gui
@pytest.mark.skipif(not shutil.which("Xvfb"), reason="Xvfb not installed (scripts/setup.sh installs it)")
def test_the_overlay_on_a_real_x11_screen(tmp_path):
    """On an X server (Xvfb, 640x480): the overlay is full-screen on the screen it shows, and a drag
    over the red block of the grabbed screen selects it, whose pixels are the block's. (Qt sees one
    screen on an Xvfb with +xinerama, so two X11 screens cannot be had here; the two-screen, mixed
    ratio cases are the offscreen tests above.)"""
    from tests.test_capture import _xvfb

    xvfb, display = _xvfb("640x480")
    try:
        env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY",)}
        env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", XDG_SESSION_TYPE="x11", HOME=str(tmp_path),
                   XDG_RUNTIME_DIR=str(tmp_path), DBUS_SESSION_BUS_ADDRESS=f"unix:path={tmp_path}/no-bus",
                   PYTHONPATH=str(Path(__file__).resolve().parent.parent))
        script = tmp_path / "overlay_x11.py"
        script.write_text(OVERLAY_ON_X11)
        done = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=120)
    finally:
        xvfb.terminate()
        xvfb.wait(10)
    out = done.stdout
    assert done.returncode == 0, done.stderr[-2000:]
    assert "shots [(0, 0, 640, 480, 640)]" in out, out
    assert "overlay 0 0 640 480 True" in out, out
    assert "region (310, 110, 80, 60)" in out, out
    assert "colours ['#ff0000']" in out, out
