"""View > Read Images Copied to the Clipboard (desktop_ocr.gui.clipboard_watch) on a real MainWindow
and the real engine. On the offscreen platform the clipboard lives in this process, and setting it
emits QClipboard.dataChanged as another program's copy does on X11, Windows and macOS."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication, QImage

from desktop_ocr.gui.clipboard_watch import KEY, image_digest
from tests.drawing import render_lines
from tests.gui_support import RESULT_TIMEOUT_MS


def drawn(text: str) -> QImage:
    img = render_lines([text], font_size=40)
    return QImage(img.tobytes(), img.width, img.height, img.width * 3, QImage.Format.Format_RGB888).copy()


def settle(qtbot) -> None:
    qtbot.wait(300)  # anything the change set off has had its chance to queue a job


def test_the_setting_sits_after_the_capture_submenu_and_is_off(qtbot, window):
    actions = window.menu_view.actions()
    after = actions.index(window.menu_capture_after.menuAction())
    assert window.clipboard_watch.action in actions[after + 1:after + 4]  # with the other "what to read" choices
    assert window.clipboard_watch.action.text() == "&Read Images Copied to the Clipboard"
    assert window.clipboard_watch.action.isCheckable() and not window.clipboard_watch.action.isChecked()

    QGuiApplication.clipboard().setImage(drawn("Nobody watching 0815"))
    settle(qtbot)
    assert window.queue.jobs == [], "off: a copied image is left alone"


def test_a_new_image_on_the_clipboard_is_recognised_once(qtbot, window):
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("text before")
    window.clipboard_watch.action.trigger()
    assert window.settings.q.value(KEY) in (True, "true")

    image = drawn("Clipboard Watch 4711")
    with qtbot.waitSignal(window.result_shown, timeout=RESULT_TIMEOUT_MS) as shown:
        clipboard.setImage(image)
    job = window.queue.job(shown.args[0])
    assert job is not None and job.state == "done"
    assert "Clipboard" in job.result.text and "4711" in job.result.text
    assert job.name == "pasted image"  # recognised as Edit > Paste does

    clipboard.setImage(image.copy())  # the same picture again (a clipboard manager taking it over)
    settle(qtbot)
    clipboard.setText("Copy All Text puts text here")
    settle(qtbot)
    assert len(window.queue.jobs) == 1

    with qtbot.waitSignal(window.result_shown, timeout=RESULT_TIMEOUT_MS) as shown:
        clipboard.setImage(drawn("Second Copy 2024"))
    assert "2024" in window.queue.job(shown.args[0]).result.text
    assert len(window.queue.jobs) == 2

    window.clipboard_watch.action.trigger()  # off again
    assert window.settings.q.value(KEY) in (False, "false")
    clipboard.setImage(drawn("Third Copy 1999"))
    settle(qtbot)
    assert len(window.queue.jobs) == 2


def test_the_image_already_there_when_turned_on_is_not_new(qtbot, window):
    clipboard = QGuiApplication.clipboard()
    image = drawn("Already There 1234")
    clipboard.setImage(image)
    window.clipboard_watch.action.trigger()
    clipboard.setImage(image.copy())  # announced again, same pixels
    settle(qtbot)
    assert window.queue.jobs == []
    window.clipboard_watch.action.trigger()


def test_the_digest_is_of_the_pixels():
    a = drawn("Pixels 42")
    assert image_digest(a) == image_digest(a.convertToFormat(QImage.Format.Format_RGB32))
    b = a.copy()
    b.setPixel(0, 0, 0xFF000000)
    assert image_digest(a) != image_digest(b)
