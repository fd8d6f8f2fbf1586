"""Issue #14, resumable batches in the window: the finished pages of an opened folder or document are
recorded as they finish (gui.resume, the command line's jobs.journal), so a window killed half-way
loses at most the page in progress; opened again, the recorded pages are done at once and only the
rest is recognised. On the real engine, offscreen; the crash is a real SIGKILL of a child window."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from desktop_ocr.core.recognizer import Recognizer
from desktop_ocr.gui.resume import FOLDER
from desktop_ocr.jobs import journal
from tests.conftest import REPO
from tests.drawing import render_lines
from tests.gui_support import RESULT_TIMEOUT_MS

# one distinctive number per page
IMAGES = {"a1.png": "1101", "c2.png": "2202", "d3.png": "3303", "e4.png": "4404"}
PDF_NAME, PDF_KEYS = "b-doc.pdf", ["5505", "6606", "7707"]  # natural order: a1, b-doc (3 pages), c2...


def draw(key: str, word: str = "Scan"):
    return render_lines([f"{word} {key}"], font_size=40)


def make_folder(root: Path) -> Path:
    root.mkdir()
    for name, key in IMAGES.items():
        draw(key).save(root / name)
    pages = [draw(k, "Page") for k in PDF_KEYS]
    pages[0].save(root / PDF_NAME, "PDF", save_all=True, append_images=pages[1:], resolution=150)
    return root


def expected(job) -> str:
    name = Path(job.name).name
    return PDF_KEYS[job.page - 1] if name == PDF_NAME else IMAGES[name]


def records(window) -> list[Path]:
    folder = window.settings.data_folder() / FOLDER
    return sorted(folder.glob("*.jsonl")) if folder.is_dir() else []


class Counted(Recognizer):
    """The real engine, counted from outside (adopted like any recogniser): which images it read."""

    def __init__(self, inner: Recognizer):
        self.inner, self.name = inner, inner.name
        self.calls = 0

    def warm_up(self) -> None:
        self.inner.warm_up()

    def recognize(self, image, options=None):
        self.calls += 1
        return self.inner.recognize(image, options)


class Watch:
    """What the queue says: the jobs that started running (a recognition) and the messages shown."""

    def __init__(self, window, monkeypatch):
        self.window, self.running, self.messages = window, set(), []
        window.queue.job_changed.connect(self._changed)
        show = window.message_bar.show_message

        def shown(text, kind="error", details=""):
            self.messages.append((kind, text))
            show(text, kind, details)

        monkeypatch.setattr(window.message_bar, "show_message", shown)
        self.counted = Counted(window.host.get("local"))
        window.host.adopt("local", self.counted)

    def _changed(self, job_id: int) -> None:
        job = self.window.queue.job(job_id)
        if job is not None and job.state == "running":
            self.running.add(job_id)

    def open(self, qtbot, folder: Path, total: int) -> list:
        queue_ = self.window.queue
        self.window.open_paths([str(folder)])
        qtbot.waitUntil(lambda: len(queue_.jobs) == total and not queue_.busy(), timeout=RESULT_TIMEOUT_MS)
        return queue_.jobs

    def resumed_messages(self) -> list[str]:
        return [text for kind, text in self.messages if text.startswith("Resumed:")]


CHILD = r"""
import os, sys
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from desktop_ocr.gui.main_window import MainWindow
from desktop_ocr.gui.settings import Settings

app = QApplication([])
win = MainWindow(Settings(QSettings(sys.argv[1], QSettings.Format.IniFormat)), interactive=False)
win.show()
win.start_engine()

def changed(job_id):
    job = win.queue.job(job_id)
    if job is not None and job.state == "done":
        print("DONE", os.path.basename(job.name), job.page, job.result.elapsed, flush=True)

win.queue.job_changed.connect(changed)
win.open_paths([sys.argv[2]])
app.exec()
"""


def run_and_kill(tmp_path: Path, folder: Path, after: int) -> list[tuple[str, int | None, float]]:
    """A window in a child process opens ``folder``; killed (SIGKILL) once ``after`` pages are done.
    Returns the pages it reported done (name, page, elapsed)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(tmp_path / "settings.ini"), str(folder)],
                             cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in child.stdout], daemon=True)  # type: ignore[union-attr]
    reader.start()
    done: list[tuple[str, int | None, float]] = []
    deadline = time.monotonic() + RESULT_TIMEOUT_MS / 1000
    try:
        while len(done) < after:
            line = lines.get(timeout=max(1.0, deadline - time.monotonic()))
            if line.startswith("DONE "):
                _, name, page, elapsed = line.split()
                done.append((name, None if page == "None" else int(page), float(elapsed)))
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    return done


def test_a_killed_window_resumes_where_it_stopped(qtbot, window, tmp_path, monkeypatch):
    folder = make_folder(tmp_path / "scans")
    reported = run_and_kill(tmp_path, folder, after=3)
    [path] = records(window)  # one record for the folder, with at least every page reported done
    options, recorded = journal.read(path)
    assert options is not None and options["root"] == os.path.realpath(folder)
    pages = {(Path(key.split("|")[0]).name, page): result for key, by_page in recorded.pages.items()
             for page, result in by_page.items()}
    assert {(name, page) for name, page, _ in reported} <= set(pages)
    assert len(pages) >= 3, pages  # the page in progress when killed may have made it too
    with path.open("ab") as fh:  # a damaged tail (a torn line, garbage) is read as far as it parses
        fh.write(b'{"key": "torn", "page": 1, "res\n\x00garbage\nnot json at all\n')

    watch = Watch(window, monkeypatch)
    jobs = watch.open(qtbot, folder, total=7)
    assert all(j.state == "done" for j in jobs), [(j.name, j.page, j.state, j.error) for j in jobs]
    for job in jobs:  # every page's text is right, resumed or recognised
        assert expected(job) in job.result.text.replace(" ", ""), (job.name, job.page, job.result.text)
    resumed = [j for j in jobs if (Path(j.name).name, j.page) in pages]
    assert len(resumed) == len(pages)
    # the recorded pages were never recognised again: never running, the engine not called for them,
    # and their results are the earlier session's (its timings)
    assert not watch.running & {j.id for j in resumed}
    assert watch.running == {j.id for j in jobs} - {j.id for j in resumed}
    assert watch.counted.calls == 7 - len(pages)
    for job in resumed:
        assert job.result.elapsed == pages[(Path(job.name).name, job.page)]["elapsed"]
    for name, page, elapsed in reported:
        [job] = [j for j in jobs if Path(j.name).name == name and j.page == page]
        assert job.result.elapsed == pytest.approx(elapsed)
    assert watch.resumed_messages() == [
        f"Resumed: {len(pages)} of 7 pages of scans were read in an earlier session."]
    assert records(window) == []  # all done: nothing left to resume


def make_small(root: Path) -> Path:
    """Two images and a file that cannot be read: its failure keeps the record after a full run."""
    root.mkdir()
    draw("1101").save(root / "a1.png")
    draw("2202").save(root / "b2.png")
    (root / "c3-broken.png").write_bytes(b"not an image at all")
    return root


def first_session(qtbot, window, folder: Path) -> list:
    """Open ``folder`` in ``window``, let it finish, and close the window (the record stays)."""
    window.open_paths([str(folder)])
    qtbot.waitUntil(lambda: len(window.queue.jobs) == 3 and not window.queue.busy(), timeout=RESULT_TIMEOUT_MS)
    states = sorted((Path(j.name).name, j.state) for j in window.queue.jobs)
    assert states == [("a1.png", "done"), ("b2.png", "done"), ("c3-broken.png", "failed")]
    window.close()
    return records(window)


def new_window(qtbot, tmp_path, engine, read_codes: bool | None = None):
    from PySide6.QtCore import QSettings

    from desktop_ocr.gui.main_window import MainWindow
    from desktop_ocr.gui.settings import Settings

    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    if read_codes is not None:
        settings.set_read_codes(read_codes)
    win = MainWindow(settings, interactive=False)
    win.host.adopt("local", engine)
    qtbot.addWidget(win)
    win.show()
    win.start_engine()
    return win


def by_name(jobs) -> dict:
    return {Path(j.name).name: j for j in jobs}


def test_a_file_changed_since_is_read_again(qtbot, window, engine, tmp_path, monkeypatch):
    folder = make_small(tmp_path / "small")
    [record] = first_session(qtbot, window, folder)
    time.sleep(0.05)
    draw("9909", "Changed").save(folder / "b2.png")  # rewritten with other text (new size and mtime)
    second = new_window(qtbot, tmp_path, engine)
    watch = Watch(second, monkeypatch)
    jobs = by_name(watch.open(qtbot, folder, total=3))
    assert jobs["a1.png"].state == "done" and jobs["a1.png"].id not in watch.running  # from the record
    assert jobs["b2.png"].state == "done" and jobs["b2.png"].id in watch.running  # recognised again
    assert "9909" in jobs["b2.png"].result.text and "2202" not in jobs["b2.png"].result.text
    assert watch.counted.calls == 1  # b2 only (the broken file never reaches the engine)
    assert watch.resumed_messages() == ["Resumed: 1 of 3 pages of small were read in an earlier session."]
    assert records(second) == [record]  # the broken file failed again: the record stays
    second.close()


def test_other_options_do_not_reuse_the_record(qtbot, window, engine, tmp_path, monkeypatch):
    folder = make_small(tmp_path / "small")
    [record] = first_session(qtbot, window, folder)
    second = new_window(qtbot, tmp_path, engine, read_codes=not window.settings.read_codes())
    watch = Watch(second, monkeypatch)
    jobs = by_name(watch.open(qtbot, folder, total=3))
    assert {jobs["a1.png"].id, jobs["b2.png"].id} <= watch.running and watch.counted.calls == 2
    assert "1101" in jobs["a1.png"].result.text and "2202" in jobs["b2.png"].result.text
    assert watch.resumed_messages() == []
    assert record in records(second) and len(records(second)) == 2  # one record per set of options
    second.close()


def test_a_record_that_cannot_be_written_does_not_stop_recognition(qtbot, window, tmp_path, monkeypatch, capfd):
    data = window.settings.data_folder()
    if os.geteuid() == 0:  # root writes into read-only folders: a file where the folder should be instead
        data.write_text("not a folder")
    else:
        data.mkdir()
        data.chmod(0o555)
    try:
        folder = make_small(tmp_path / "small")
        watch = Watch(window, monkeypatch)
        jobs = by_name(watch.open(qtbot, folder, total=3))
        assert "1101" in jobs["a1.png"].result.text and "2202" in jobs["b2.png"].result.text
        said = [text for kind, text in watch.messages if "cannot be resumed" in text]
        assert said == ["Recognition goes on, but small cannot be resumed if it is interrupted: "
                        + said[0].split(": ", 1)[1]] and said[0].endswith(".")
        # opened again in the same window: still recognised, not said again
        watch.open(qtbot, folder, total=6)
        assert len([text for kind, text in watch.messages if "cannot be resumed" in text]) == 1
        assert "Traceback" not in capfd.readouterr().err
    finally:
        if data.is_dir():
            data.chmod(0o755)
