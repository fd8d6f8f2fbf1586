"""Batches, cancelling, bad inputs and a GUI thread that keeps running, on the real engine."""

from __future__ import annotations

import socket
import sys
import threading

import pytest
from PySide6.QtCore import QTimer

from desktop_ocr.core.recognizer import Recognizer
from tests.drawing import render_lines
from tests.gui_support import RESULT_TIMEOUT_MS, drawn_page, drop_files, drop_mime, wait_result

BATCH_PAGES = [
    ["第一页 Page one", "订单 Order 1001"], ["第二页 Page two", "订单 Order 1002"],
    ["第三页 Page three", "订单 Order 1003"], ["第四页 Page four", "订单 Order 1004"],
    ["第五页 Page five", "订单 Order 1005"], ["第六页 Page six", "订单 Order 1006"],
    ["第七页 Page seven", "订单 Order 1007"], ["第八页 Page eight", "订单 Order 1008"],
]


def make_folder(tmp_path, pages=BATCH_PAGES):
    folder = tmp_path / "scans"
    (folder / "sub").mkdir(parents=True)
    for i, lines in enumerate(pages):
        # one in a subfolder: folders are walked recursively
        target = folder / "sub" if i == 3 else folder
        render_lines(lines, font_size=34).save(target / f"p{i + 1:02d}.png")
    (folder / "notes.txt").write_text("not an image", encoding="utf-8")  # ignored by the folder listing
    return folder


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends: connections are refused


def test_folder_batch_completes_with_progress(qtbot, window, tmp_path):
    folder = make_folder(tmp_path, BATCH_PAGES[:4])
    seen = []
    window.queue.progress.connect(lambda done, total: seen.append((done, total)))
    with qtbot.waitSignal(window.queue.idle, timeout=RESULT_TIMEOUT_MS):
        drop_files(window, [folder])
    jobs = window.queue.jobs
    assert [j.stem for j in jobs] == ["p01", "p02", "p03", "p04"]
    assert all(j.state == "done" for j in jobs)
    for job, lines in zip(jobs, BATCH_PAGES):
        assert lines[1].split()[-1] in job.result.text  # "1001", "1002", ...
    assert seen[-1] == (4, 4)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)  # progress only moves forward
    # the bar follows on the next turn of the event loop (never inside the handler of a result)
    qtbot.waitUntil(lambda: window.batch.progress.value() == window.batch.progress.maximum() == 4, timeout=5000)
    assert window.batch.progress.text() == "4 / 4"
    assert window.batch.list.count() == 4
    assert "done" in window.batch.item_for(jobs[2].id).text()
    assert not window.batch.cancel_button.isEnabled()
    # the first image of the batch is on screen; picking another in the list shows that one
    assert window.current_id == jobs[0].id
    with qtbot.waitSignal(window.result_shown, timeout=5000):
        window.batch.list.setCurrentRow(2)
    assert window.current_id == jobs[2].id
    assert window.results.model.rowCount() == len(jobs[2].result.lines)


def test_cancel_midway_keeps_finished_results(qtbot, window, tmp_path):
    folder = make_folder(tmp_path)
    drop_files(window, [folder])  # walked on a worker: the images are queued as they are found
    qtbot.waitUntil(lambda: len(window.queue.jobs) == len(BATCH_PAGES), timeout=10_000)
    total = len(window.queue.jobs)
    qtbot.waitUntil(window.batch.cancel_button.isEnabled, timeout=5000)
    qtbot.waitUntil(lambda: window.queue.counts()[0] >= 1, timeout=RESULT_TIMEOUT_MS)
    with qtbot.waitSignal(window.queue.idle, timeout=RESULT_TIMEOUT_MS):
        window.batch.cancel_button.click()
    states = [j.state for j in window.queue.jobs]
    done = [j for j in window.queue.jobs if j.state == "done"]
    cancelled = [j for j in window.queue.jobs if j.state == "cancelled"]
    assert done and cancelled, states
    assert len(done) + len(cancelled) == total
    assert all(j.result is not None and j.result.lines for j in done)
    assert all(j.result is None for j in cancelled)
    # order is kept: the finished ones are the first ones
    assert states == ["done"] * len(done) + ["cancelled"] * len(cancelled)
    assert "cancelled" in window.batch.item_for(cancelled[0].id).text()
    qtbot.waitUntil(lambda: window.batch.progress.value() == total, timeout=5000)
    written = window.export_batch("json", tmp_path / "out", confirm=lambda existing: True)
    assert sorted(p.stem for p in written) == sorted(j.stem for j in done)
    # the window keeps working after a cancel
    job_id = wait_result(qtbot, window, lambda: drop_files(window, [drawn_page(tmp_path)]))
    assert window.queue.job(job_id).state == "done"


def test_corrupt_file_shows_error_and_window_keeps_working(qtbot, window, tmp_path):
    good = drawn_page(tmp_path)
    wait_result(qtbot, window, lambda: drop_files(window, [good]))
    earlier = window.queue.jobs[0]
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 this is not really a jpeg " * 40)
    with qtbot.waitSignal(window.error_shown, timeout=RESULT_TIMEOUT_MS) as blocker:
        drop_files(window, [broken])
    message = blocker.args[0]
    assert "broken.jpg" in message
    assert window.message_bar.isVisible() and "broken.jpg" in window.message_bar.text()
    job = window.queue.jobs[-1]
    assert job.state == "failed" and job.error
    assert "failed" in window.batch.item_for(job.id).text()
    assert earlier.state == "done" and earlier.result.lines  # nothing lost
    # the earlier result can still be shown and exported
    with qtbot.waitSignal(window.result_shown, timeout=5000):
        window.batch.list.setCurrentRow(0)
    assert window.export_current("aws", tmp_path / "still.json").exists()
    job_id = wait_result(qtbot, window, lambda: drop_files(window, [drawn_page(tmp_path, name="again.png")]))
    assert window.queue.job(job_id).state == "done"


def test_dead_url_shows_error_and_window_keeps_working(qtbot, window, tmp_path):
    url = f"http://127.0.0.1:{closed_port()}/receipt.png"
    with qtbot.waitSignal(window.error_shown, timeout=RESULT_TIMEOUT_MS) as blocker:
        window.open_paths([url])
    assert url in blocker.args[0]
    job = window.queue.jobs[-1]
    assert job.state == "failed" and job.error and job.name == url
    assert window.isVisible()
    job_id = wait_result(qtbot, window, lambda: drop_files(window, [drawn_page(tmp_path)]))
    assert window.queue.job(job_id).result.lines


def test_engine_failure_is_reported_and_recoverable(qtbot, window, tmp_path, monkeypatch, engine):
    from desktop_ocr.core import engine as engine_mod

    # a broken install: the model files are missing, so the real engine refuses to load
    monkeypatch.setattr(engine_mod, "MODEL_FILES", {k: "missing-" + v for k, v in engine_mod.MODEL_FILES.items()})
    window.host.adopt("local", engine_mod.LocalEngine())
    with qtbot.waitSignal(window.error_shown, timeout=RESULT_TIMEOUT_MS) as blocker:
        drop_files(window, [drawn_page(tmp_path)])
    assert "page.png" in blocker.args[0] and "model" in blocker.args[0].lower()
    assert window.queue.jobs[-1].state == "failed"
    window.host.adopt("local", engine)  # repaired: the same window recognises again
    job_id = wait_result(qtbot, window, lambda: drop_files(window, [drawn_page(tmp_path, name="b.png")]))
    assert window.queue.job(job_id).state == "done"


def test_pdf_pages_become_jobs(qtbot, window, tmp_path):
    pages = [render_lines(["PDF 第一页 Alpha"], font_size=40), render_lines(["PDF 第二页 Beta"], font_size=40)]
    pdf = tmp_path / "doc.pdf"
    pages[0].save(pdf, save_all=True, append_images=pages[1:], resolution=150)
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "doc.pdf").write_bytes(pdf.read_bytes())
    with qtbot.waitSignal(window.queue.idle, timeout=RESULT_TIMEOUT_MS):
        window.open_paths([str(folder)])  # in a folder: every page
    jobs = window.queue.jobs
    assert [(j.page, j.stem) for j in jobs] == [(1, "doc-p1"), (2, "doc-p2")]
    assert "Alpha" in jobs[0].result.text and "Beta" in jobs[1].result.text


class WaitsForTheGuiThread(Recognizer):
    """The real engine, except that each recognition first waits until the GUI thread has run a
    timer callback. That only happens if the GUI thread keeps its event loop going while a
    recognition is in progress: a recognition on the GUI thread would wait in vain (30 s, then the
    test fails). How long the GUI thread stalls is a figure for benchmarks/bench_gui.py, not a test."""

    def __init__(self, inner: Recognizer):
        self.inner, self.name = inner, inner.name
        self.recognising, self.gui_ran = threading.Event(), threading.Event()
        self.threads: list[threading.Thread] = []
        self.handshakes: list[bool] = []

    def warm_up(self) -> None:
        self.inner.warm_up()

    def recognize(self, image, options=None):
        self.threads.append(threading.current_thread())
        self.gui_ran.clear()
        self.recognising.set()
        try:
            self.handshakes.append(self.gui_ran.wait(timeout=30))
            return self.inner.recognize(image, options)
        finally:
            self.recognising.clear()

    def tick(self) -> None:  # on the GUI thread
        if self.recognising.is_set():
            self.gui_ran.set()


def recognise_off_the_gui_thread(qtbot, window, engine, action) -> WaitsForTheGuiThread:
    """Run ``action`` (which starts one recognition) on a window whose engine is wrapped as above."""
    rec = WaitsForTheGuiThread(engine)
    window.host.adopt("local", rec)
    timer = QTimer(window)
    timer.setInterval(10)
    timer.timeout.connect(rec.tick)
    timer.start()
    try:
        wait_result(qtbot, window, action)
    finally:
        timer.stop()
        window.host.adopt("local", engine)
    assert rec.handshakes == [True], "the GUI thread ran no event while recognising"
    assert rec.threads[0] is not threading.main_thread()
    return rec


def test_gui_thread_keeps_running_during_recognition(qtbot, window, engine, tmp_path):
    lines = [f"第{i}行 Line number {i} 金额 {i * 7}.50" for i in range(1, 25)]
    page = drawn_page(tmp_path, lines, name="long.png")
    recognise_off_the_gui_thread(qtbot, window, engine, lambda: drop_files(window, [page]))
    result = window.current_job().result
    assert len(result.lines) >= 20 and result.engine == "local"


@pytest.mark.realdata
def test_gui_thread_keeps_running_on_real_page(qtbot, window, engine, eval_dir):
    image = eval_dir / "images" / "sroie__025.jpg"
    recognise_off_the_gui_thread(qtbot, window, engine, lambda: drop_files(window, [image]))
    assert window.current_job().result.lines


def test_opening_a_long_pdf_asks_which_pages(qtbot, window, tmp_path, monkeypatch):
    from desktop_ocr.gui import main_window
    from desktop_ocr.gui.dialogs import PdfPagePicker

    pages = [render_lines([f"PDF 第{i}页 Page {i}"], font_size=40) for i in (1, 2, 3)]
    pdf = tmp_path / "three.pdf"
    pages[0].save(pdf, save_all=True, append_images=pages[1:], resolution=150)
    monkeypatch.setattr(main_window, "ASK_PAGES_ABOVE", 2)  # "long" (really: above 200 pages)
    window.interactive = True
    window.open_paths([str(pdf)])  # its pages are counted on a worker, then the picker asks
    qtbot.waitUntil(lambda: window.findChild(PdfPagePicker) is not None, timeout=10_000)
    picker = window.findChild(PdfPagePicker)
    assert picker.isVisible() and not window.queue.jobs  # nothing queued until pages are chosen
    assert picker.pages() == [1, 2, 3]  # every page unless the user picks fewer
    picker.list.item(1).setSelected(False)
    with qtbot.waitSignal(window.queue.idle, timeout=RESULT_TIMEOUT_MS):
        picker.accept()
    jobs = window.queue.jobs
    assert [j.page for j in jobs] == [1, 3]
    assert jobs[0].document is jobs[1].document and jobs[0].document.count == 3
    assert "Page 1" in jobs[0].result.text and "Page 3" in jobs[1].result.text


def test_big_batches_keep_only_a_few_decoded_pages(qtbot, window, tmp_path):
    window.queue.KEEP_IMAGES = 1  # the default keeps 4; one makes eviction visible with three pages
    folder = make_folder(tmp_path, BATCH_PAGES[:3])
    with qtbot.waitSignal(window.queue.idle, timeout=RESULT_TIMEOUT_MS):
        window.open_paths([str(folder)])
    first, second, third = window.queue.jobs
    assert window.current_id == first.id and first.image is not None  # on screen: kept
    assert second.image is None  # decoded pages not on screen are dropped
    assert third.image is not None  # the most recent one is kept
    with qtbot.waitSignal(window.result_shown, timeout=RESULT_TIMEOUT_MS) as blocker:
        window.batch.list.setCurrentRow(1)
    assert blocker.args == [second.id]
    assert second.image is not None and window.canvas.pixmap_item is not None
    assert window.canvas.pixmap_item.pixmap().width() == second.result.width
    assert len(window.canvas.items_by_index) == len(second.result.lines)
    assert "1002" in window.results.model.result.text


def test_pasted_or_dropped_web_links_are_fetched(qtbot, window, tmp_path):
    from PySide6.QtCore import QMimeData, QUrl
    from PySide6.QtGui import QGuiApplication

    dead = f"http://127.0.0.1:{closed_port()}/scan.jpg"
    QGuiApplication.clipboard().setText(f"  {dead}\n")  # a link copied from a browser's address bar
    with qtbot.waitSignal(window.error_shown, timeout=RESULT_TIMEOUT_MS) as blocker:
        window.act_paste.trigger()
    assert dead in blocker.args[0] and window.queue.jobs[-1].name == dead
    mime = QMimeData()
    mime.setUrls([QUrl(dead.replace("scan", "other"))])  # a link dragged from a web page
    with qtbot.waitSignal(window.error_shown, timeout=RESULT_TIMEOUT_MS) as blocker:
        drop_mime(window, mime)
    assert "other.jpg" in blocker.args[0]
    assert [j.state for j in window.queue.jobs] == ["failed", "failed"]
    QGuiApplication.clipboard().setText("just some words, no image")
    with qtbot.waitSignal(window.error_shown, timeout=5000) as blocker:
        window.act_paste.trigger()
    assert "Nothing to open" in blocker.args[0] and len(window.queue.jobs) == 2


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice levels are Linux's")
def test_background_work_runs_below_the_gui_thread(qtbot):
    """Every Task (recognition, model loading, decoding) runs at a lower priority than the GUI thread,
    and so do the threads it starts (ONNX Runtime's pool inherits the nice level of its creator)."""
    import os

    from PySide6.QtCore import QThreadPool

    from desktop_ocr.gui.workers import BACKGROUND_NICE, Task, start_thread

    seen: dict[str, int] = {}

    def work(key: str) -> None:
        seen[key] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        child = threading.Thread(target=lambda: seen.update(
            {key + " child": os.getpriority(os.PRIO_PROCESS, threading.get_native_id())}))
        child.start()
        child.join()

    pool = QThreadPool()
    pool.start(Task(work, "task"))
    assert pool.waitForDone(10_000)
    thread = start_thread(work, "thread")  # recognitions, model loading, folder walks
    thread.join(10)
    gui = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    low = max(gui, BACKGROUND_NICE)
    assert seen == {"task": low, "task child": low, "thread": low, "thread child": low}
    assert gui < BACKGROUND_NICE  # the GUI thread itself is left alone
