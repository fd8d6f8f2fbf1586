"""Documents in the window (issue #14): a multi-page PDF or TIFF is queued page by page and
recognised in order, shown with a page strip (thumbnails made lazily, keyboard and click
navigation), and exported whole: our document JSON, text, a vendor format one file per page, and a
searchable PDF. On the real engine, offscreen."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt

from desktop_ocr.core.model import OcrDocument
from tests.drawing import render_lines
from tests.gui_support import RESULT_TIMEOUT_MS, drop_files

# one distinctive word and number per page; the second page is turned 90°
PAGES = [["第一页 Alpha 1001", "发票 Invoice"], ["第二页 Bravo 2002", "合计 Total"],
         ["第三页 Charlie 3003", "谢谢 Thanks"]]
KEYS = ["1001", "2002", "3003"]


def drawn_pages():
    images = [render_lines(lines, font_size=40) for lines in PAGES]
    images[1] = images[1].rotate(90, expand=True)
    return images


def make_pdf(path: Path) -> Path:
    images = drawn_pages()
    images[0].save(path, "PDF", save_all=True, append_images=images[1:], resolution=150)
    return path


def make_tiff(path: Path) -> Path:
    images = drawn_pages()
    images[0].save(path, "TIFF", save_all=True, append_images=images[1:], compression="tiff_lzw")
    return path


def open_document(qtbot, window, path: Path) -> list:
    """Open ``path`` (a real drop) and wait until every page is recognised; returns its jobs."""
    finished: list[int] = []
    window.queue.job_changed.connect(
        lambda job_id: finished.append(job_id) if window.queue.job(job_id).state == "done" else None)
    with qtbot.waitSignal(window.queue.idle, timeout=RESULT_TIMEOUT_MS):
        drop_files(window, [path])
    jobs = window.queue.jobs
    assert [j.page for j in jobs] == [1, 2, 3]
    assert all(j.state == "done" for j in jobs), [(j.page, j.state, j.error) for j in jobs]
    assert finished == [j.id for j in jobs]  # recognised in page order
    doc = jobs[0].document
    assert doc is not None and all(j.document is doc for j in jobs) and doc.count == 3
    for job, key in zip(jobs, KEYS):
        assert key in job.result.text, (job.page, job.result.text)
    return jobs


def on_screen(window) -> int:
    return window.current_job().page


def wait_pdf(qtbot, window, action) -> list[Path]:
    with qtbot.waitSignal(window.exported, timeout=60_000) as blocker:
        assert action()
    return blocker.args[0]


def test_pdf_document_strip_keys_and_exports(qtbot, window, tmp_path):
    from desktop_ocr.core import pdf as pdfmod
    from desktop_ocr.formats.pdf import read_text_layer

    pdf = make_pdf(tmp_path / "report.pdf")
    jobs = open_document(qtbot, window, pdf)
    assert jobs[1].result.angle in (90.0, 270.0, -90.0)  # the turned page was read turned back
    # the list reads "report.pdf — p. 2/3"
    assert window.batch.item_for(jobs[1].id).text().startswith("report.pdf — p. 2/3")

    # the strip: three pages, the first on screen
    strip = window.page_strip
    assert strip.isVisible() and strip.count() == 3
    assert on_screen(window) == 1 and strip.currentRow() == 0
    assert "done" in strip.item(2).text() and strip.item(2).text().startswith("3")
    qtbot.waitUntil(lambda: strip.rendered == 3, timeout=20_000)  # thumbnails made on a worker

    # keys on the page and on the strip
    for widget, key, mods, page in [
            (window.canvas, Qt.Key.Key_PageDown, Qt.KeyboardModifier.NoModifier, 2),
            (window.canvas, Qt.Key.Key_PageDown, Qt.KeyboardModifier.NoModifier, 3),
            (window.canvas, Qt.Key.Key_PageDown, Qt.KeyboardModifier.NoModifier, 3),  # the last page stays
            (window.canvas, Qt.Key.Key_PageUp, Qt.KeyboardModifier.NoModifier, 2),
            (window.canvas, Qt.Key.Key_Home, Qt.KeyboardModifier.NoModifier, 1),
            (window.canvas, Qt.Key.Key_End, Qt.KeyboardModifier.NoModifier, 3),
            (strip, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier, 2),
            (strip, Qt.Key.Key_Home, Qt.KeyboardModifier.NoModifier, 1),
            (strip, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier, 2)]:
        qtbot.keyClick(widget, key, mods)
        assert on_screen(window) == page, (widget, key, mods)
        assert strip.currentRow() == page - 1
        assert window.batch.list.currentItem() is window.batch.item_for(window.current_id)
    # a click on a thumbnail shows its page (boxes and text too)
    with qtbot.waitSignal(window.result_shown, timeout=10_000):
        qtbot.mouseClick(strip.viewport(), Qt.MouseButton.LeftButton,
                         pos=strip.visualItemRect(strip.item(2)).center())
    assert on_screen(window) == 3 and strip.currentRow() == 2

    # Export Document: our document JSON, with every page
    out = tmp_path / "out"
    out.mkdir()
    written = window.export_document("json", out / "report.json")
    assert written == [out / "report.json"]
    doc = OcrDocument.from_dict(json.loads((out / "report.json").read_text(encoding="utf-8")))
    assert doc.page_count == 3 and [p.page for p in doc.pages] == [1, 2, 3]
    for page, key in zip(doc.pages, KEYS):
        assert key in page.text
    assert "report.json" in window.message_bar.text()
    # text: the pages separated by form feeds
    window.export_document("text", out / "report.txt")
    parts = (out / "report.txt").read_text(encoding="utf-8").split("\f")
    assert len(parts) == 3 and all(key in part for part, key in zip(parts, KEYS))
    # a vendor format: one file per page, as the command line names them
    written = window.export_document("tencent", out / "report.tencent.json")
    names = [p.name for p in written]
    assert names == ["report-p1.tencent.json", "report-p2.tencent.json", "report-p3.tencent.json"]
    for path, key in zip(written, KEYS):
        assert key in path.read_text(encoding="utf-8")
    # again: existing files are replaced only when confirmed
    asked: list[list[Path]] = []
    window.export_document("tencent", out / "report.tencent.json", confirm=lambda e: asked.append(e) or False)
    assert len(asked) == 1 and len(asked[0]) == 3

    # Export > Searchable PDF: the whole document, each page's text in its text layer
    dest = out / "report-ocr.pdf"
    assert wait_pdf(qtbot, window, lambda: window.export_pdf(dest)) == [dest]
    assert pdfmod.page_count(str(dest)) == 3
    for i, key in enumerate(KEYS):
        layer = read_text_layer(str(dest), i)
        assert layer is not None and key in layer.text, (i, layer and layer.text)
    assert str(dest) in window.message_bar.text() and window.message_bar.kind == "info"


def test_tiff_document_pages_and_searchable_pdf(qtbot, window, tmp_path):
    from desktop_ocr.core import pdf as pdfmod
    from desktop_ocr.formats.pdf import read_text_layer

    tiff = make_tiff(tmp_path / "scan.tif")
    jobs = open_document(qtbot, window, tiff)
    assert jobs[0].document.kind == "tiff"
    assert window.page_strip.count() == 3
    qtbot.keyClick(window.canvas, Qt.Key.Key_End)
    assert on_screen(window) == 3
    dest = tmp_path / "scan.pdf"
    wait_pdf(qtbot, window, lambda: window.export_pdf(dest))
    assert pdfmod.page_count(str(dest)) == 3
    for i, key in enumerate(KEYS):
        layer = read_text_layer(str(dest), i)
        assert layer is not None and key in layer.text, (i, layer and layer.text)
    window.export_document("json", tmp_path / "scan.json")
    doc = OcrDocument.from_dict(json.loads((tmp_path / "scan.json").read_text(encoding="utf-8")))
    assert doc.page_count == 3 and all(k in p.text for p, k in zip(doc.pages, KEYS))

    # Export Batch as searchable PDFs: one PDF per document, never onto a source
    folder = tmp_path / "pdfs"
    with qtbot.waitSignal(window.exported, timeout=60_000) as blocker:
        assert window.export_batch_pdf(folder)
    assert blocker.args[0] == [folder / "scan.pdf"] and pdfmod.page_count(str(folder / "scan.pdf")) == 3


def test_unfinished_pages_and_failed_writes(qtbot, window, tmp_path):
    """A searchable PDF of a document still being read: its unfinished pages come without text and
    the message says so. A write that fails shows one message and the window goes on working."""
    from desktop_ocr.core import pdf as pdfmod

    pdf = make_pdf(tmp_path / "report.pdf")
    with qtbot.waitSignal(window.result_shown, timeout=RESULT_TIMEOUT_MS):
        window.open_paths([str(pdf)])
    window.queue.cancel()  # page 1 is read; pages 2 and 3 never will be
    assert [j.state for j in window.queue.jobs] == ["done", "cancelled", "cancelled"]
    dest = tmp_path / "partial.pdf"
    wait_pdf(qtbot, window, lambda: window.export_pdf(dest))
    assert pdfmod.page_count(str(dest)) == 3
    assert "2" in window.message_bar.text() and "without text" in window.message_bar.text()
    window.export_document("json", tmp_path / "partial.json")
    doc = OcrDocument.from_dict(json.loads((tmp_path / "partial.json").read_text(encoding="utf-8")))
    assert doc.page_count == 3 and [p.page for p in doc.pages] == [1]
    assert "left out" in window.message_bar.text()

    errors: list[str] = []
    window.error_shown.connect(errors.append)
    in_the_way = tmp_path / "taken.json"
    in_the_way.mkdir()  # a folder where the file should go
    assert window.export_document("json", in_the_way) == []
    assert len(errors) == 1 and "taken.json" in errors[0]
    pdf_in_the_way = tmp_path / "taken.pdf"
    pdf_in_the_way.mkdir()
    with qtbot.waitSignal(window.error_shown, timeout=60_000):
        window.export_pdf(pdf_in_the_way)
    assert len(errors) == 2 and "taken.pdf" in errors[1]
    assert window.message_bar.kind == "error"
    # still usable: another page, another export
    qtbot.keyClick(window.canvas, Qt.Key.Key_End)
    assert on_screen(window) == 3
    qtbot.keyClick(window.canvas, Qt.Key.Key_Home)
    assert window.export_document("json", tmp_path / "again.json") == [tmp_path / "again.json"]
    assert len(errors) == 2


def test_a_long_pdf_in_a_folder_is_queued_whole_and_its_strip_stays_lazy(qtbot, window, tmp_path):
    from desktop_ocr.gui.page_strip import PageStrip

    folder = tmp_path / "long"
    folder.mkdir()
    page = render_lines(["Long 长文档"], font_size=24)
    page.save(folder / "long.pdf", "PDF", save_all=True, append_images=[page] * 149, resolution=150)
    window.open_paths([str(folder)])
    qtbot.waitUntil(lambda: not window.queue.walking() and bool(window.queue.jobs), timeout=RESULT_TIMEOUT_MS)
    window.queue.cancel()  # recognising them is not the point
    jobs = window.queue.jobs
    assert [j.page for j in jobs] == list(range(1, 151))
    assert all(j.image is None for j in jobs[1:])  # a queued page holds no pixels
    assert window.batch.item_for(jobs[149].id).text().startswith("long.pdf — p. 150/150")
    strip: PageStrip = window.page_strip
    assert strip.count() == 150
    visible = len(strip.visible_rows())
    bound = visible + 2 * strip.AHEAD
    assert 0 < visible < 30
    qtbot.waitUntil(lambda: strip.rendered >= visible, timeout=30_000)
    qtbot.wait(500)
    assert strip.rendered <= bound  # the pages in view (and a few beside), not 150
    qtbot.keyClick(window.canvas, Qt.Key.Key_End)
    assert on_screen(window) == 150
    qtbot.waitUntil(lambda: strip.rendered >= 2 * visible, timeout=30_000)
    qtbot.wait(500)
    assert strip.rendered <= 2 * bound
    window.queue.clear(finished_only=False)
    assert not strip.isVisible()
