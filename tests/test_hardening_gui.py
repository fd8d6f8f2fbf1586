"""Issue #12, the window's recognition flow: cancelling the image being recognised, quitting during
a recognition, retrying / removing / clearing images, progress per batch, and no unbounded file
work (PDFs, folders, pasted images, Compare) on the GUI thread. On the real engine."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QMimeData
from PySide6.QtGui import QImage

from desktop_ocr.core.recognizer import Recognizer
from desktop_ocr.gui import workers
from tests.conftest import REPO
from tests.drawing import render_lines, tall_strip
from tests.gui_support import RESULT_TIMEOUT_MS, drawn_page, drop_files, drop_mime, wait_result


class Observed(Recognizer):
    """The real engine, watched from outside: when each recognition starts and ends. Nothing is
    changed (the window adopts it like any recogniser, through its public RecognizerHost.adopt)."""

    def __init__(self, inner: Recognizer):
        self.inner, self.name = inner, inner.name
        self.entered = threading.Event()
        self.finished: list[int] = []  # widths of the images whose recognition returned

    def warm_up(self) -> None:
        self.inner.warm_up()

    def recognize(self, image, options=None):
        self.entered.set()
        try:
            return self.inner.recognize(image, options)
        finally:
            self.finished.append(image.width)


def big_page(tmp_path: Path) -> Path:
    """A long receipt strip: its recognition takes seconds, long enough to act while it runs."""
    img, _ = tall_strip()  # 800 x 12000 px, 24 lines
    path = tmp_path / "long-receipt.png"
    img.save(path)
    return path


def no_background_work(qtbot) -> None:
    """Wait until every abandoned recognition has ended (so the next test gets the engine free)."""
    from desktop_ocr.gui.workers import background_running

    qtbot.waitUntil(lambda: not background_running(), timeout=RESULT_TIMEOUT_MS)


@pytest.fixture
def observed(window, engine):
    rec = Observed(engine)
    window.host.adopt("local", rec)
    return rec


# -- 1. cancel and quit -----------------------------------------------------------------------------

def test_cancel_stops_the_image_being_recognised_and_the_window_goes_on(qtbot, window, observed, tmp_path):
    big, small = big_page(tmp_path), drawn_page(tmp_path, name="small.png")
    drop_files(window, [big, small])
    qtbot.waitUntil(lambda: len(window.queue.jobs) == 2, timeout=10_000)
    first, second = window.queue.jobs
    qtbot.waitUntil(observed.entered.is_set, timeout=RESULT_TIMEOUT_MS)
    assert first.state == "running" and second.state == "queued"
    assert window.batch.cancel_button.isEnabled()
    window.batch.cancel_button.click()
    # at once, while the engine is still at it: the running image and the queued one are cancelled
    assert observed.finished == [], "the cancel waited for the engine"
    assert first.state == second.state == "cancelled"
    assert "cancelled" in window.batch.item_for(first.id).text()
    assert "cancelled" in window.batch.item_for(second.id).text()
    assert not window.queue.busy()
    # the cancelled image on screen shows its page, and no "recognising…"
    assert window.current_id == first.id and window.status_time.text() == ""
    qtbot.waitUntil(lambda: window.canvas.pixmap_item is not None, timeout=RESULT_TIMEOUT_MS)
    assert window.canvas.pixmap_item.pixmap().height() == QImage(str(big)).height()
    # the queued one was never decoded: picking it shows its page all the same
    window.batch.list.setCurrentRow(1)
    qtbot.waitUntil(lambda: window.canvas.pixmap_item is not None, timeout=RESULT_TIMEOUT_MS)
    assert window.canvas.pixmap_item.pixmap().width() == QImage(str(small)).width()
    assert window.status_time.text() == "" and "cancelled" in window.batch.item_for(second.id).text()
    # the window takes a new drop and recognises it
    again = drawn_page(tmp_path, name="again.png")
    job_id = wait_result(qtbot, window, lambda: drop_files(window, [again]))
    job = window.queue.job(job_id)
    assert job.state == "done" and "128.50" in job.result.text.replace(" ", "")
    # the abandoned recognition ended in the background and its answer was dropped
    no_background_work(qtbot)
    assert first.state == "cancelled" and first.result is None


def test_closing_the_window_during_a_recognition_does_not_wait_for_it(qtbot, window, observed, tmp_path):
    drop_files(window, [big_page(tmp_path)])
    qtbot.waitUntil(observed.entered.is_set, timeout=RESULT_TIMEOUT_MS)
    job = window.queue.jobs[0]
    assert job.state == "running"
    assert window.close()
    # the close completed while the engine was still recognising
    assert observed.finished == [], "closing the window waited for the engine"
    assert not window.isVisible()
    no_background_work(qtbot)  # the engine finished in the background; nobody waited for it
    assert job.result is None


QUIT_SCRIPT = r"""
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop_ocr.core.engine import LocalEngine
from desktop_ocr.gui import app
from desktop_ocr.gui.main_window import MainWindow

image, marks = sys.argv[1], Path(sys.argv[2])


class Observed:  # the real engine; leaves a mark when a recognition starts and when it returns
    name = "local"

    def __init__(self):
        self.inner = LocalEngine()

    def warm_up(self):
        self.inner.warm_up()

    def recognize(self, img, options=None):
        (marks / "entered").write_text("1")
        try:
            return self.inner.recognize(img, options)
        finally:
            (marks / "finished").write_text("1")


def window():
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))


def adopt():  # runs first inside app.run's event loop, before the window's own queued calls
    window().host.adopt("local", Observed())
    poll.start()


def close_when_recognising():
    if (marks / "entered").exists():
        poll.stop()
        window().close()  # File > Quit


app.make_app()
poll = QTimer()
poll.setInterval(20)
poll.timeout.connect(close_when_recognising)
QTimer.singleShot(0, adopt)
code = app.run([image])
print("run returned", code, flush=True)
sys.exit(code)
"""


def test_quitting_during_a_recognition_ends_the_process_without_waiting(tmp_path):
    """The real app.run: the window is closed while the engine recognises a long page; the process
    ends without waiting for the engine (which would leave its "finished" mark first)."""
    page = big_page(tmp_path)
    marks = tmp_path / "marks"
    marks.mkdir()
    home = tmp_path / "home"
    home.mkdir()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
               XDG_DATA_HOME=str(home / "data"), XDG_CACHE_HOME=str(home / "cache"), PYTHONPATH=str(REPO))
    proc = subprocess.run([sys.executable, "-c", QUIT_SCRIPT, str(page), str(marks)], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=600)
    assert (marks / "entered").exists(), proc.stderr
    assert proc.returncode == 0, proc.stderr
    assert not (marks / "finished").exists(), "the process waited for the engine before ending"
    assert "Traceback" not in proc.stderr and "Abort" not in proc.stderr, proc.stderr


# -- 2. retry, remove, clear; progress per batch ------------------------------------------------------

def test_retry_a_failed_image_after_the_file_is_fixed(qtbot, window, tmp_path):
    late = tmp_path / "late.png"
    late.write_bytes(b"\x89PNG\r\n\x1a\n not finished yet" * 10)
    with qtbot.waitSignal(window.error_shown, timeout=RESULT_TIMEOUT_MS):
        drop_files(window, [late])
    job = window.queue.jobs[0]
    assert job.state == "failed" and window.current_id == job.id
    panel = window.batch
    menu = panel.context_menu()
    texts = {a.text(): a.isEnabled() for a in menu.actions() if a.text()}
    assert texts[panel.act_retry.text()] and texts[panel.act_remove.text()]
    assert not texts[panel.act_cancel_selected.text()]  # nothing to cancel: it has finished
    assert panel.retry_button.isEnabled()
    drawn_page(tmp_path, name="late.png")  # the file is whole now
    job_id = wait_result(qtbot, window, panel.retry_button.click)
    assert job_id == job.id and job.state == "done" and job.error == ""
    assert "128.50" in job.result.text.replace(" ", "")
    assert "done" in panel.item_for(job.id).text() and panel.list.count() == 1
    qtbot.waitUntil(lambda: panel.progress.text() == "1 / 1", timeout=5000)
    assert not panel.retry_button.isEnabled()  # a finished image is not retried


def test_retry_a_cancelled_image(qtbot, window, observed, tmp_path):
    drop_files(window, [big_page(tmp_path), drawn_page(tmp_path, name="small.png")])
    qtbot.waitUntil(observed.entered.is_set, timeout=RESULT_TIMEOUT_MS)
    window.queue.cancel()
    second = window.queue.jobs[1]
    window.batch.list.setCurrentRow(1, QItemSelectionModel.SelectionFlag.ClearAndSelect)  # a click on it
    assert window.batch.act_retry.isEnabled()
    job_id = wait_result(qtbot, window, window.batch.act_retry.trigger)
    assert job_id == second.id and second.state == "done" and second.result.lines
    assert window.queue.jobs[0].state == "cancelled"
    no_background_work(qtbot)


def test_remove_and_clear_images(qtbot, window, observed, tmp_path):
    pages = [drawn_page(tmp_path, [f"第{i}页 Page {i}", f"Order {1000 + i}"], name=f"p{i}.png") for i in (1, 2, 3)]
    with qtbot.waitSignal(window.queue.idle, timeout=RESULT_TIMEOUT_MS):
        window.open_paths([str(p) for p in pages])
    panel = window.batch
    one, two, three = window.queue.jobs
    assert window.current_id == one.id
    # Remove the image on screen: it leaves the list and the queue, the next one is shown
    panel.act_remove.trigger()
    assert [j.id for j in window.queue.jobs] == [two.id, three.id] and window.queue.job(one.id) is None
    assert panel.list.count() == 2 and panel.item_for(one.id) is None
    assert window.current_id == two.id
    # Clear Finished keeps what is still to do
    observed.entered.clear()
    drop_files(window, [big_page(tmp_path)])
    qtbot.waitUntil(observed.entered.is_set, timeout=RESULT_TIMEOUT_MS)
    running = window.queue.jobs[-1]
    assert running.state == "running"
    panel.act_clear_finished.trigger()
    assert window.queue.jobs == [running] and panel.list.count() == 1
    assert running.state == "running"
    # Clear All cancels it and empties the window
    panel.act_clear_all.trigger()
    assert window.queue.jobs == [] and panel.list.count() == 0
    assert running.state == "cancelled" and not window.queue.busy()
    assert window.current_id is None and window.canvas.pixmap_item is None
    assert window.results.model.rowCount() == 0 and window.status_time.text() == ""
    assert not window.act_export_batch.isEnabled()
    job_id = wait_result(qtbot, window, lambda: drop_files(window, [pages[0]]))
    assert window.queue.job(job_id).state == "done"
    qtbot.waitUntil(lambda: panel.progress.text() == "1 / 1", timeout=5000)
    no_background_work(qtbot)


def test_progress_counts_the_current_batch(qtbot, window, tmp_path):
    pages = [drawn_page(tmp_path, [f"Page {i}", f"Order {2000 + i}"], name=f"b{i}.png") for i in (1, 2)]
    with qtbot.waitSignal(window.queue.idle, timeout=RESULT_TIMEOUT_MS):
        window.open_paths([str(p) for p in pages])
    panel = window.batch
    qtbot.waitUntil(lambda: panel.progress.text() == "2 / 2", timeout=5000)
    seen = []
    window.queue.progress.connect(lambda done, total: seen.append((done, total)))
    wait_result(qtbot, window, lambda: drop_files(window, [drawn_page(tmp_path, name="next.png")]))
    qtbot.waitUntil(lambda: panel.progress.text() == "1 / 1", timeout=5000)  # a new batch, not "3 / 3"
    assert (0, 1) in seen and seen[-1] == (1, 1)
    assert all(total == 1 for _, total in seen if total)  # never 3: the earlier batch is not counted
    assert panel.list.count() == 3  # the earlier results stay in the list


# -- 3. PDFs and folders are opened on a worker --------------------------------------------------------

def two_page_pdf(path: Path) -> Path:
    pages = [render_lines(["PDF 第一页 Alpha"], font_size=40), render_lines(["PDF 第二页 Beta"], font_size=40)]
    pages[0].save(path, save_all=True, append_images=pages[1:], resolution=150)
    return path


def test_pdfs_and_folders_are_opened_off_the_gui_thread(qtbot, window, tmp_path):
    pdf = two_page_pdf(tmp_path / "doc.pdf")
    folder = tmp_path / "scans"
    folder.mkdir()
    drawn_page(folder, name="a.png")
    (folder / "doc.pdf").write_bytes(pdf.read_bytes())
    with qtbot.waitSignal(window.queue.idle, timeout=RESULT_TIMEOUT_MS):
        window.open_paths([str(pdf), str(folder)])
        # the call returned without reading the PDF or walking the folder: that is the worker's job
        assert window.queue.jobs == []
        assert window.queue.busy()  # ... and the queue knows it has work under way (Cancel stops it)
    jobs = window.queue.jobs
    # a document is every one of its pages, opened alone or found in a folder (issue #14)
    assert [(Path(j.name).name, j.page) for j in jobs] == [("doc.pdf", 1), ("doc.pdf", 2), ("a.png", None),
                                                          ("doc.pdf", 1), ("doc.pdf", 2)]
    assert all(j.state == "done" for j in jobs)
    assert "Alpha" in jobs[0].result.text and "Beta" in jobs[1].result.text and "Beta" in jobs[4].result.text
    assert window.current_id == jobs[0].id  # the first image found is the one on screen
    assert window.settings.recent_files()[:2] == [str(folder), str(pdf)]


def test_a_damaged_pdf_gives_one_clear_message(qtbot, window, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage " * 50)
    drawn_page(folder, name="good.png")
    errors: list[str] = []
    window.error_shown.connect(errors.append)
    with qtbot.waitSignal(window.queue.idle, timeout=RESULT_TIMEOUT_MS):
        window.open_paths([str(folder)])
    broken = [j for j in window.queue.jobs if j.name.endswith("broken.pdf")]
    good = [j for j in window.queue.jobs if j.name.endswith("good.png")]
    assert len(broken) == 1 and broken[0].state == "failed" and "damaged" in broken[0].error
    assert good[0].state == "done"
    assert len([e for e in errors if "broken.pdf" in e]) == 1, errors
    assert "failed" in window.batch.item_for(broken[0].id).text()


# -- 4. other unbounded work off the GUI thread -----------------------------------------------------

def test_compare_loads_the_page_off_the_gui_thread(qtbot, window, tmp_path):
    page = drawn_page(tmp_path)
    wait_result(qtbot, window, lambda: drop_files(window, [page]))
    cmp = window.open_compare("tencent")  # no keys configured: that side fails, the local side reads
    assert cmp is not None
    assert cmp.image is None  # the page is decoded on a worker, not in the call
    with qtbot.waitSignal(cmp.compared, timeout=RESULT_TIMEOUT_MS) as blocker:
        pass
    assert blocker.args[0] == -1
    assert cmp.image is not None and cmp.image.width == QImage(str(page)).width()
    assert cmp.local.result is not None and cmp.local.result.lines
    cmp.close()


def test_a_pasted_image_is_encoded_off_the_gui_thread(qtbot, window, monkeypatch):
    img = render_lines(["剪贴板 Clipboard 2025"], font_size=40)
    qimage = QImage(img.tobytes(), img.width, img.height, img.width * 3, QImage.Format.Format_RGB888).copy()
    mime = QMimeData()
    mime.setImageData(qimage)
    # which thread encodes it (the real encoder runs; looking at job.source right after the drop
    # raced with an idle worker that had already encoded it)
    encoders: list[threading.Thread] = []
    real = workers.qimage_png

    def noting_the_thread(image):
        encoders.append(threading.current_thread())
        return real(image)

    monkeypatch.setattr(workers, "qimage_png", noting_the_thread)
    with qtbot.waitSignal(window.result_shown, timeout=RESULT_TIMEOUT_MS):
        drop_mime(window, mime)
    job = window.queue.jobs[-1]
    assert encoders and threading.main_thread() not in encoders
    assert job.state == "done" and "Clipboard" in job.result.text
    assert isinstance(job.source, bytes) and job.source.startswith(b"\x89PNG")


def test_a_long_pdf_in_a_folder_is_queued_whole_off_the_gui_thread(qtbot, window, tmp_path):
    """No page cap any more (a queued page holds no pixels): all 101 pages, found by the walker."""
    folder = tmp_path / "long"
    folder.mkdir()
    page = render_lines(["Long 长文档"], font_size=30)
    count = 101
    page.save(folder / "long.pdf", save_all=True, append_images=[page] * (count - 1), resolution=150)
    window.open_paths([str(folder)])
    assert window.queue.jobs == []  # the folder is walked and the PDF counted on a worker
    qtbot.waitUntil(lambda: not window.queue.walking(), timeout=RESULT_TIMEOUT_MS)
    window.queue.cancel()  # the pages themselves are not the point
    assert [j.page for j in window.queue.jobs] == list(range(1, count + 1))
    assert all(j.image is None for j in window.queue.jobs[1:])
    no_background_work(qtbot)
