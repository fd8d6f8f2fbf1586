"""The window's main flow on the real engine: drop, boxes, selection both ways, edits, exports."""

from __future__ import annotations

import json
import math

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QLineEdit

from tests.drawing import render_lines
from tests.gui_support import drawn_page, drop_files, drop_mime, line_items, wait_result


def _norm(s: str) -> str:
    return s.replace(" ", "")


def test_drop_drawn_image_draws_one_polygon_per_line(qtbot, window, tmp_path):
    page = drawn_page(tmp_path)
    job_id = wait_result(qtbot, window, lambda: drop_files(window, [page]))
    job = window.queue.job(job_id)
    assert job.state == "done" and job.name == str(page)
    result = job.result
    assert len(result.lines) >= 3
    items = line_items(window)
    assert len(items) == len(result.lines)
    assert sorted(i.index for i in items) == list(range(len(result.lines)))
    assert window.results.model.rowCount() == len(result.lines)
    texts = _norm(" ".join(line.text for line in result.lines))
    for expected in ("INV-2024-0815", "128.50", "谢谢惠顾"):
        assert expected in texts
    # each polygon sits where the model says (scene = original image pixels) and has the text as tooltip
    for item in items:
        line = result.lines[item.index]
        assert item.polygon().boundingRect().left() == pytest.approx(line.bbox()[0], abs=0.01)
        assert line.text in item.toolTip()
    # status bar: engine, time, line count, angle
    assert "Local engine" in window.status_engine.text()
    assert window.status_time.text().endswith("s")
    assert str(len(result.lines)) in window.status_lines.text()
    assert "°" in window.status_angle.text()
    assert window.canvas.pixmap_item.pixmap().width() == result.width


@pytest.mark.realdata
def test_drop_real_receipt(qtbot, window, eval_dir):
    image = eval_dir / "images" / "sroie__025.jpg"
    job_id = wait_result(qtbot, window, lambda: drop_files(window, [image]))
    result = window.queue.job(job_id).result
    assert len(result.lines) >= 10
    assert len(line_items(window)) == len(result.lines)
    gt = json.loads((eval_dir / "gt" / "sroie__025.json").read_text(encoding="utf-8"))
    gt_text = json.dumps(gt, ensure_ascii=False)
    # most recognised lines are real text of this receipt
    found = sum(1 for line in result.lines if len(line.text) >= 4 and line.text in gt_text)
    assert found >= len([ln for ln in result.lines if len(ln.text) >= 4]) // 2


def test_browser_image_drag_and_paste_use_image_data(qtbot, window):
    img = render_lines(["剪贴板 Clipboard 2024"], font_size=40)
    qimage = QImage(img.tobytes(), img.width, img.height, img.width * 3, QImage.Format.Format_RGB888).copy()
    mime = QMimeData()
    mime.setImageData(qimage)
    job_id = wait_result(qtbot, window, lambda: drop_mime(window, mime))
    assert "Clipboard" in window.queue.job(job_id).result.text
    QGuiApplication.clipboard().setImage(qimage)
    job_id = wait_result(qtbot, window, window.act_paste.trigger)
    job = window.queue.job(job_id)
    assert "2024" in job.result.text and job.state == "done"


def test_click_box_selects_row_and_row_selects_box(qtbot, window, tmp_path):
    wait_result(qtbot, window, lambda: drop_files(window, [drawn_page(tmp_path)]))
    canvas, results = window.canvas, window.results
    canvas.fit()
    for index in (2, 0):
        pos = canvas.item_center_in_view(index)
        qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=pos)
        assert canvas.selected_indices() == [index]
        assert results.selected_rows() == [index]
    # and back: click a row in the list, its box is selected
    pos = results.row_rect_center(1)
    qtbot.mouseClick(results.view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert results.selected_rows() == [1]
    assert canvas.selected_indices() == [1]
    assert canvas.items_by_index[1].isSelected() and not canvas.items_by_index[0].isSelected()
    # clicking empty page space clears the selection on both sides
    qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(3, 3))
    assert canvas.selected_indices() == [] and results.selected_rows() == []


def test_edit_line_changes_exports_and_copies(qtbot, window, tmp_path):
    from desktop_ocr import formats

    job_id = wait_result(qtbot, window, lambda: drop_files(window, [drawn_page(tmp_path)]))
    result = window.queue.job(job_id).result
    view = window.results.view
    index = window.results.proxy.index(0, 1)
    rect = view.visualRect(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # a real double-click
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # is press+release+dbl
    editor = view.findChild(QLineEdit)
    assert editor is not None and editor.isVisible()
    editor.selectAll()
    editor.insert("改正")  # QTest cannot type CJK key events; insert() is what an input method does
    qtbot.keyClicks(editor, " Fixed 42")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on a queued call
    qtbot.waitUntil(lambda: result.lines[0].text == "改正 Fixed 42", timeout=5000)
    assert "改正 Fixed 42" in window.canvas.items_by_index[0].toolTip()
    aws = json.loads(formats.export_text(result, "aws"))
    assert aws[0]["words"] == "改正 Fixed 42"
    out = window.export_current("tencent", tmp_path / "edited.json")
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["Response"]["TextDetections"][0]["DetectedText"] == "改正 Fixed 42"
    window.copy_all()
    assert QGuiApplication.clipboard().text().splitlines()[0] == "改正 Fixed 42"
    window.results.select_rows([0])
    window.act_copy.trigger()
    assert QGuiApplication.clipboard().text() == "改正 Fixed 42"
    window.results.select_rows([0, 1])
    window.act_copy.trigger()
    assert QGuiApplication.clipboard().text() == "改正 Fixed 42\n" + result.lines[1].text
    window.export_current("huawei", tmp_path / "edited.huawei.json")  # Copy JSON follows the last JSON export
    window.copy_json()
    hw = json.loads(QGuiApplication.clipboard().text())
    assert hw["result"]["words_block_list"][0]["words"] == "改正 Fixed 42"


def test_each_export_format_writes_valid_vendor_files(qtbot, window, tmp_path):
    from desktop_ocr import formats

    pages = [drawn_page(tmp_path, name="a.png"),
             drawn_page(tmp_path, ["第二页 Page two", "Amount 金额 36.00"], name="b.png")]
    with qtbot.waitSignal(window.queue.idle, timeout=180_000):
        window.open_paths([str(p) for p in pages])
    done = [j for j in window.queue.jobs if j.state == "done"]
    assert len(done) == 2
    for fmt in formats.names():
        folder = tmp_path / f"out-{fmt}"
        written = window.export_batch(fmt, folder, confirm=lambda existing: False)
        suffix = formats.file_suffix(fmt)  # a.aws.json, a.tencent.json, a.json, a.txt
        assert sorted(p.name for p in written) == [f"a{suffix}", f"b{suffix}"]
        for job, path in zip(done, sorted(written)):
            body = path.read_text(encoding="utf-8")
            n = len(job.result.lines)
            if fmt == "text":
                assert body.strip().splitlines()[0] == job.result.lines[0].text
                continue
            doc = json.loads(body)
            if fmt == "aws":
                assert isinstance(doc, list) and len(doc) == n
                for entry, line in zip(doc, job.result.lines):
                    assert entry["words"] == line.text and 0 <= entry["score"] <= 1
                    assert set(entry["location"]) == {"top", "left", "width", "height"}
                    assert all(isinstance(v, int) for v in entry["location"].values())
            elif fmt == "tencent":
                dets = doc["Response"]["TextDetections"]
                assert len(dets) == n and "RequestId" in doc["Response"] and "Angle" in doc["Response"]
                assert all(isinstance(d["Confidence"], int) and 0 <= d["Confidence"] <= 100 for d in dets)
                assert all(len(d["Polygon"]) == 4 and set(d["Polygon"][0]) == {"X", "Y"} for d in dets)
                assert dets[0]["DetectedText"] == job.result.lines[0].text
            elif fmt == "tencent-legacy":
                assert doc["code"] == 0
                items = doc["data"]["items"]
                assert len(items) == n and items[0]["itemstring"] == job.result.lines[0].text
                assert set(items[0]["itemcoord"]) >= {"x", "y", "width", "height"}
            elif fmt == "huawei":
                res = doc["result"]
                assert res["words_block_count"] == n == len(res["words_block_list"])
                block = res["words_block_list"][0]
                assert block["words"] == job.result.lines[0].text and len(block["location"]) == 4
            elif fmt == "json":
                assert doc["schema"] == "desktop_ocr.result" and len(doc["lines"]) == n
    # overwrite asks first: "no" keeps the existing file untouched, "yes" replaces it
    target = tmp_path / "out-aws" / "a.aws.json"
    target.write_text("keep me", encoding="utf-8")
    asked = []
    window.export_batch("aws", tmp_path / "out-aws", confirm=lambda existing: asked.append(existing) or False)
    assert [p.name for p in asked[0]] == ["a.aws.json", "b.aws.json"]
    assert target.read_text(encoding="utf-8") == "keep me"
    window.export_batch("aws", tmp_path / "out-aws", confirm=lambda existing: True)
    assert json.loads(target.read_text(encoding="utf-8"))[0]["words"] == done[0].result.lines[0].text
    assert not list((tmp_path / "out-aws").glob(".*.part"))  # atomic writes leave no temp files


def test_threshold_greys_and_hides_low_lines(qtbot, window, tmp_path):
    wait_result(qtbot, window, lambda: drop_files(window, [drawn_page(tmp_path)]))
    result = window.current_job().result
    scores = sorted(line.score for line in result.lines)
    cut = scores[len(scores) // 2]  # about half the lines fall below
    window.threshold_slider.setValue(int(cut * 100) + 1)
    thr = window.threshold_slider.value() / 100
    low = [i for i, line in enumerate(result.lines) if line.score < thr]
    assert low, "the threshold should catch at least one line"
    items = window.canvas.items_by_index
    assert all(items[i].dimmed and items[i].pen().style() == Qt.PenStyle.DashLine for i in low)
    assert all(not it.dimmed for i, it in enumerate(items) if i not in low)
    window.hide_low_check.setChecked(True)
    assert all(not items[i].isVisible() for i in low)
    assert window.results.proxy.rowCount() == len(result.lines) - len(low)
    window.hide_low_check.setChecked(False)
    assert window.results.proxy.rowCount() == len(result.lines)
    assert window.settings.threshold() == pytest.approx(thr)


def test_zoom_fit_and_actual_size(qtbot, window, tmp_path):
    wait_result(qtbot, window, lambda: drop_files(window, [drawn_page(tmp_path)]))
    canvas = window.canvas
    canvas.actual_size()
    assert canvas.zoom() == pytest.approx(1.0)
    # one image pixel per physical pixel at 100%, whatever the device pixel ratio (and view rotation)
    t = canvas.transform()
    assert math.hypot(t.m11(), t.m12()) * canvas.devicePixelRatioF() == pytest.approx(1.0, rel=1e-6)
    before = canvas.zoom()
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    centre = QPointF(canvas.viewport().rect().center())
    wheel = QWheelEvent(centre, canvas.viewport().mapToGlobal(centre), QPoint(0, 0), QPoint(0, 120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(canvas.viewport(), wheel)
    assert canvas.zoom() == pytest.approx(before * 1.25, rel=1e-6)
    canvas.fit()
    page = canvas.mapFromScene(canvas.sceneRect()).boundingRect()
    assert page.width() <= canvas.viewport().width() and page.height() <= canvas.viewport().height()


@pytest.mark.realdata
def test_rotated_page_angle_and_upright_view(qtbot, window, eval_dir):
    image = eval_dir / "images" / "rotated__sroie_013_r180.jpg"
    job_id = wait_result(qtbot, window, lambda: drop_files(window, [image]))
    result = window.queue.job(job_id).result
    assert abs(abs(result.angle) - 180) < 3, result.angle
    assert f"{result.angle:+.1f}°" in window.status_angle.text()
    assert window.act_upright.isChecked()
    assert window.canvas.rotation() == pytest.approx(-result.angle)
    window.act_upright.trigger()
    assert window.canvas.rotation() == 0
    window.act_upright.trigger()
    assert window.canvas.rotation() == pytest.approx(-result.angle)


def test_ctrl_c_in_the_list_copies_the_selected_lines(qtbot, window, tmp_path):
    wait_result(qtbot, window, lambda: drop_files(window, [drawn_page(tmp_path)]))
    result = window.current_job().result
    view = window.results.view
    view.setFocus()
    window.results.select_rows([1, 2])
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == f"{result.lines[1].text}\n{result.lines[2].text}"
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert QGuiApplication.clipboard().text() == result.text


def test_open_url_dialog_and_pdf_page_picker(qtbot):
    from desktop_ocr.gui.dialogs import OpenUrlDialog, PdfPagePicker

    dlg = OpenUrlDialog()
    qtbot.addWidget(dlg)
    ok = dlg.buttons.button(dlg.buttons.StandardButton.Ok)
    for text, valid in (("ftp://example.com/a.png", False), ("not a url", False),
                        ("https://example.com/r.jpg", True), ("http://127.0.0.1:8000/x", True)):
        dlg.edit.setText(text)
        assert ok.isEnabled() == valid, text
    picker = PdfPagePicker("doc.pdf", 240)  # asked only for very long documents: every page at first
    qtbot.addWidget(picker)
    assert picker.pages() == list(range(1, 241))
    picker.list.clearSelection()
    for row in (0, 4, 239):
        picker.list.item(row).setSelected(True)
    assert picker.pages() == [1, 5, 240]
    short = PdfPagePicker("two.pdf", 3)
    qtbot.addWidget(short)
    assert short.pages() == [1, 2, 3]
