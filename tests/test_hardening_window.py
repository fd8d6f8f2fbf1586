"""Issue #12, the window's side: what it shows, copies and exports, in the user's language.

Errors are one translated sentence per error key (gui.error_text) with the English details behind
the message bar's Details button; a cloud backend is never called "ready" before anything answered,
and Cloud Settings can test the connection (against the loopback fakes); copies and exports are what
the window shows (Hide low); Copy JSON is always JSON; the save dialog opens in the image's folder
with a per-format name; every text that comes from below the GUI passes through translation
(observed with a pseudo-translator installed for the test).
"""

from __future__ import annotations

import contextlib
import gc
import json
import socket
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, QTranslator
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QFormLayout, QLabel, QWidget

from desktop_ocr import formats, vendors
from tests.fakes.kits import ALL_SECRETS, KITS
from tests.gui_support import RESULT_TIMEOUT_MS, drawn_page, drop_files, wait_result
from tests.test_cloud_gui import PLAIN, fill_dialog, secrets_of

MARK = "译·"  # what the pseudo-translator puts in front of every text it translates


class PseudoTranslator(QTranslator):
    """Translates every text of the given contexts (all when None) to MARK + the source text: a text
    that reaches the screen without MARK did not go through translation."""

    def __init__(self, contexts: set[str] | None = None):
        super().__init__()
        self.contexts = contexts
        self.seen: list[tuple[str, str]] = []

    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: ARG002 - Qt's signature
        if self.contexts is not None and context not in self.contexts:
            return None
        self.seen.append((context, source_text))
        return MARK + source_text

    def isEmpty(self) -> bool:  # noqa: N802 - Qt's name
        return False


@pytest.fixture
def pseudo(qapp):
    with installed(PseudoTranslator()) as tr:
        yield tr


@contextlib.contextmanager
def installed(tr: QTranslator):
    """``tr`` installed for the block, Python's garbage collector off meanwhile: Qt calls our Python
    translate() holding its translators' lock, and a collection run from there that destroys an old
    QTranslator (whose destructor takes that lock to remove itself) would deadlock the process."""
    gc.collect()
    gc.disable()
    app = QCoreApplication.instance()
    app.installTranslator(tr)
    try:
        yield tr
    finally:
        app.removeTranslator(tr)
        gc.enable()
        gc.collect()


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (bound, then closed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def configure(qtbot, win, vendor: str, fake, **secrets_over) -> None:
    dlg = win.open_cloud_settings()
    fill_dialog(qtbot, dlg, vendor, PLAIN[vendor](fake), {**secrets_of(KITS[vendor], fake), **secrets_over})


# -- 1. errors: one translated sentence, the details on demand -------------------------------------


def _bad_http_server(answer: bytes):
    """A raw socket server on 127.0.0.1 that answers every connection with ``answer`` and closes."""
    import threading

    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()

    def serve():
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                conn.sendall(answer)

    threading.Thread(target=serve, daemon=True).start()
    return srv


def test_error_text_words_real_errors_by_key_in_the_users_language(qapp, pseudo):
    from desktop_ocr.core import sources
    from desktop_ocr.core.errors import OcrError
    from desktop_ocr.gui import error_text

    srv = _bad_http_server(b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\nshort")  # a lying Content-Length
    port = srv.getsockname()[1]
    try:
        with pytest.raises(OcrError) as info:
            sources.load_image(f"http://127.0.0.1:{port}/receipt.png")
    finally:
        srv.close()
    exc = info.value
    assert exc.key == "download_failed.truncated"
    text = error_text.summary(exc)
    assert text.startswith(MARK) and ("Errors", "The download from {host} broke off before the end.") in pseudo.seen
    assert f"127.0.0.1:{port}" in text and "{" not in text
    assert "5000" in error_text.details(exc)  # the English technical text keeps the numbers
    # a key with no entry of its own falls back to its class's sentence, never to the English message
    odd = OcrError("something English", reason="never_heard_of")
    assert error_text.summary(odd) == MARK + "The operation failed."
    # a missing value never shows as a placeholder: the next variant is used
    from desktop_ocr.core.errors import BackendError

    bare = BackendError("cannot reach it", reason="no_connection")
    assert error_text.summary(bare) == MARK + ("Cannot reach the cloud service: check the network connection "
                                                "and the endpoint.")
    assert "{" not in error_text.summary(bare, vendor="tencent")
    assert vendors.get("tencent").title in error_text.summary(bare, vendor="tencent")


def test_every_error_template_is_extractable_and_never_shows_a_placeholder(qapp, pseudo):
    import ast
    import inspect

    from desktop_ocr.core.errors import OcrError
    from desktop_ocr.gui import error_text

    # lupdate finds a text by its QT_TRANSLATE_NOOP("Errors", "literal") call: every template is one
    tree = ast.parse(inspect.getsource(error_text))
    marked = {ast.literal_eval(node.args[1]) for node in ast.walk(tree)
              if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "QT_TRANSLATE_NOOP"
              and ast.literal_eval(node.args[0]) == "Errors"}
    templates = {t for variants in error_text.CATALOG.values() for t in variants}
    assert templates <= marked
    for key in error_text.CATALOG:
        code, _, reason = key.partition(".")
        exc = OcrError("English", reason=reason or None)
        exc.code = code  # the key as the class of that code raises it
        text = error_text.summary(exc)  # no params at all: a variant or the class's sentence, never "{x}"
        assert text.startswith(MARK) and "{" not in text and "English" not in text, (key, text)


def test_a_cloud_error_is_one_sentence_with_the_vendors_details_behind_details(qtbot, window, engine, tmp_path):
    win, kit = window, KITS["tencent"]
    with kit.make_fake(engine) as fake:
        configure(qtbot, win, "tencent", fake, secret_key="wrongTencentKey-0123456789abcdef")
        win.backend_combo.setCurrentIndex(win.backend_combo.findData("tencent"))
        with qtbot.waitSignal(win.error_shown, timeout=RESULT_TIMEOUT_MS) as blocker:
            drop_files(win, [drawn_page(tmp_path, name="b.png")])
    message, bar = blocker.args[0], win.message_bar
    assert message == bar.text()
    assert "b.png" in message and "refused the keys (AuthFailure.SignatureFailure)" in message
    assert "credentials could not be validated" not in message  # the vendor's English: in the details
    details = bar.details()
    assert "credentials could not be validated" in details and "AuthFailure.SignatureFailure" in details
    assert "request id" in details
    assert bar.details_button.isVisible() and not bar.details_label.isVisible()
    bar.details_button.click()
    assert bar.details_label.isVisible() and bar.details_label.text() == details
    for secret in (*ALL_SECRETS, "wrongTencentKey"):
        assert secret not in message and secret not in details
    assert "refused the keys" in win.batch.item_for(win.current_id).text()  # the list says it the same way


def test_no_connection_is_one_sentence_not_library_text(qtbot, window, tmp_path):
    win = window
    port = closed_port()
    dlg = win.open_cloud_settings()
    fill_dialog(qtbot, dlg, "huawei", {"endpoint": f"http://127.0.0.1:{port}", "region": "cn-north-4",
                                        "project_id": "0a1b2c3d4e5f60718293a4b5c6d7e8f9"},
                {"token": "MIIFAKEhuaweiIAMtoken0123456789"})
    win.backend_combo.setCurrentIndex(win.backend_combo.findData("huawei"))
    with qtbot.waitSignal(win.error_shown, timeout=RESULT_TIMEOUT_MS) as blocker:
        drop_files(win, [drawn_page(tmp_path)])
    message, details = blocker.args[0], win.message_bar.details()
    assert f"Cannot reach Huawei Cloud OCR at 127.0.0.1:{port}" in message
    for raw in ("HTTPConnectionPool", "Max retries", "NewConnectionError", "Errno", "Traceback"):
        assert raw not in message and raw not in details
    assert "MIIFAKEhuaweiIAMtoken" not in message + details
    assert "last call failed" in win.status_engine.text()


def test_a_failed_pdf_or_file_names_the_file_once_with_a_translated_reason(qtbot, window, tmp_path, pseudo):
    win = window
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    with qtbot.waitSignal(win.error_shown, timeout=RESULT_TIMEOUT_MS) as blocker:
        drop_files(win, [broken])
    message = blocker.args[0]
    assert message.startswith(MARK) and "broken.jpg" in message
    reason = message.split("broken.jpg", 1)[1]
    assert reason.count(MARK) == 1  # the reason is a translated sentence, not the loader's English
    assert "damaged" in win.message_bar.details() or "JPEG" in win.message_bar.details()


# -- 2. no claim of readiness before a call; Test connection ---------------------------------------


def test_status_says_not_checked_until_the_service_answered(qtbot, window, engine, tmp_path):
    win, kit = window, KITS["tencent"]
    with kit.make_fake(engine) as fake:
        configure(qtbot, win, "tencent", fake)
        # (the local engine's own warm-up may report ready meanwhile: wait for this backend's)
        with qtbot.waitSignal(win.host.ready, timeout=RESULT_TIMEOUT_MS, check_params_cb=lambda n: n == "tencent"):
            win.backend_combo.setCurrentIndex(win.backend_combo.findData("tencent"))
        status = win.status_engine.text()
        assert "not checked" in status and "ready" not in status and "Tencent Cloud OCR" in status
        assert not fake.requests  # nothing was sent: nothing is known
        wait_result(qtbot, win, lambda: drop_files(win, [drawn_page(tmp_path)]))
        assert "connected" in win.status_engine.text()
        configure(qtbot, win, "tencent", fake)  # new settings: unknown again
        qtbot.waitUntil(lambda: "not checked" in win.status_engine.text(), timeout=RESULT_TIMEOUT_MS)


def test_test_connection_in_cloud_settings_against_the_fake(qtbot, window, engine):
    win, kit = window, KITS["tencent"]
    with kit.make_fake(engine) as fake:
        dlg = win.open_cloud_settings()
        result = dlg.findChild(QLabel, "tencent:test-result")
        assert "not been tested" in result.text() and "No keys" in result.text()
        # typed values are tested before they are saved; a slow service never holds the dialog
        for key, value in {**PLAIN["tencent"](fake), **secrets_of(kit, fake)}.items():
            w = dlg.findChild(QWidget, f"tencent:{key}")
            w.clear()
            qtbot.keyClicks(w, value)
        fake.fail_next("slow", 1, 1.5)
        with qtbot.waitSignal(dlg.connection_tested, timeout=RESULT_TIMEOUT_MS) as blocker:
            dlg.test_buttons["tencent"].click()
            assert not dlg.test_buttons["tencent"].isEnabled() and "Testing" in result.text()
            region = dlg.findChild(QWidget, "tencent:region")
            qtbot.keyClicks(region, "x")  # the dialog takes input meanwhile
            assert region.text() == "ap-guangzhoux"
            qtbot.keyClick(region, Qt.Key.Key_Backspace)
        assert blocker.args == ["tencent", True, False]  # ok, but not the saved settings
        assert "Connected" in result.text() and "Tencent Cloud OCR" in result.text()
        assert dlg.test_buttons["tencent"].isEnabled() and len(fake.requests) == 1
        # a wrong key: the vendor refused it, said in one sentence; the key itself never shown
        w = dlg.findChild(QWidget, "tencent:secret_key")
        w.clear()
        qtbot.keyClicks(w, "wrongTencentKey-0123456789abcdef")
        with qtbot.waitSignal(dlg.connection_tested, timeout=RESULT_TIMEOUT_MS) as blocker:
            dlg.test_buttons["tencent"].click()
        assert blocker.args[1] is False
        assert "refused the keys (AuthFailure.SignatureFailure)" in result.text()
        assert "credentials could not be validated" in result.toolTip()
        assert "wrongTencentKey" not in result.text() + result.toolTip()
        dlg.reject()
    # a closed port: no connection, one sentence
    port = closed_port()
    dlg = win.open_cloud_settings()
    for key, value in {"endpoint": f"http://127.0.0.1:{port}", "secret_id": "AKIDx0000000000001",
                       "secret_key": "k-0123456789abcdef"}.items():
        w = dlg.findChild(QWidget, f"tencent:{key}")
        w.clear()
        qtbot.keyClicks(w, value)
    with qtbot.waitSignal(dlg.connection_tested, timeout=RESULT_TIMEOUT_MS):
        dlg.test_buttons["tencent"].click()
    text = dlg.test_results["tencent"].text()
    assert f"Cannot reach Tencent Cloud OCR at 127.0.0.1:{port}" in text
    assert "HTTPConnectionPool" not in text + dlg.test_results["tencent"].toolTip()
    dlg.reject()


def test_closing_cloud_settings_during_a_test_leaves_nothing_waiting(qtbot, window, engine):
    import threading

    win, kit = window, KITS["tencent"]
    with kit.make_fake(engine) as fake:
        dlg = win.open_cloud_settings()
        for key, value in {**PLAIN["tencent"](fake), **secrets_of(kit, fake)}.items():
            w = dlg.findChild(QWidget, f"tencent:{key}")
            w.clear()
            qtbot.keyClicks(w, value)
        fake.fail_next("slow", 1, 1.0)
        dlg.test_buttons["tencent"].click()
        dlg.reject()  # closed while the service has not answered: the window does not wait for it
        dlg.deleteLater()
        qtbot.waitUntil(lambda: not any(t.name == "test-connection-tencent" for t in threading.enumerate()),
                        timeout=RESULT_TIMEOUT_MS)  # the test ends on its own, its answer dropped
        assert len(fake.requests) == 1
        dlg = win.open_cloud_settings()  # a new dialog tests again (the typed keys were not saved)
        for key, value in {**PLAIN["tencent"](fake), **secrets_of(kit, fake)}.items():
            w = dlg.findChild(QWidget, f"tencent:{key}")
            w.clear()
            qtbot.keyClicks(w, value)
        with qtbot.waitSignal(dlg.connection_tested, timeout=RESULT_TIMEOUT_MS) as blocker:
            dlg.test_buttons["tencent"].click()
        assert blocker.args[1] is True
        dlg.reject()


def test_a_passing_test_of_the_saved_settings_is_what_the_status_bar_says(qtbot, window, engine):
    win, kit = window, KITS["huawei"]
    with kit.make_fake(engine) as fake:
        configure(qtbot, win, "huawei", fake)
        # (the local engine's own warm-up may report ready meanwhile: wait for this backend's)
        with qtbot.waitSignal(win.host.ready, timeout=RESULT_TIMEOUT_MS, check_params_cb=lambda n: n == "huawei"):
            win.backend_combo.setCurrentIndex(win.backend_combo.findData("huawei"))
        assert "not checked" in win.status_engine.text()
        dlg = win.open_cloud_settings()
        assert "Keys are set" in dlg.test_results["huawei"].text()
        with qtbot.waitSignal(dlg.connection_tested, timeout=RESULT_TIMEOUT_MS) as blocker:
            dlg.test_buttons["huawei"].click()
        assert blocker.args == ["huawei", True, True]
        assert "connected" in win.status_engine.text()
        dlg.reject()


# -- 3. copies and exports are what the window shows -----------------------------------------------


def test_copy_json_is_json_even_after_a_plain_text_export(qtbot, window, tmp_path):
    wait_result(qtbot, window, lambda: drop_files(window, [drawn_page(tmp_path)]))
    window.export_current("tencent", tmp_path / "r.tencent.json")
    window.export_current("text", tmp_path / "r.txt")
    assert window.settings.export_format() == "text"
    window.copy_json()
    doc = json.loads(QGuiApplication.clipboard().text())  # not the plain text of the last export
    assert "TextDetections" in doc["Response"]  # the last JSON format used
    assert "Tencent Cloud OCR JSON" in window.act_copy_json.text()
    assert "Tencent Cloud OCR JSON" in window.message_bar.text()


def test_hide_low_copies_and_exports_only_the_lines_shown(qtbot, window, tmp_path):
    pages = [drawn_page(tmp_path, name="a.png"),
             drawn_page(tmp_path, ["第二页 Page two", "Amount 金额 36.00"], name="b.png")]
    with qtbot.waitSignal(window.queue.idle, timeout=RESULT_TIMEOUT_MS):
        window.open_paths([str(p) for p in pages])
    job = next(j for j in window.queue.jobs if j.name.endswith("a.png"))
    window.show_job(job.id)
    result = job.result
    scores = sorted(ln.score for ln in result.lines)
    window.threshold_slider.setValue(int(scores[0] * 100) + 1)  # the lowest-scored line(s) fall below
    window.hide_low_check.setChecked(True)
    thr = window.threshold_slider.value() / 100
    shown = [ln.text for ln in result.lines if ln.score >= thr]
    hidden = len(result.lines) - len(shown)
    assert 0 < hidden and shown and window.results.proxy.rowCount() == len(shown)
    window.copy_all()
    assert [t for t in QGuiApplication.clipboard().text().splitlines() if t] == shown
    assert "left out" in window.message_bar.text()
    window.results.view.clearSelection()
    window.canvas.select_lines([])
    window.act_copy.trigger()  # nothing selected: the lines shown
    assert [t for t in QGuiApplication.clipboard().text().splitlines() if t] == shown
    window.copy_json()
    assert [ln["text"] for ln in json.loads(QGuiApplication.clipboard().text())["lines"]] == shown
    out = window.export_current("aws", tmp_path / "a.aws.json")
    assert [e["words"] for e in json.loads(out.read_text(encoding="utf-8"))] == shown
    assert f"{hidden} line" in window.message_bar.text() and "left out" in window.message_bar.text()
    written = window.export_batch("json", tmp_path / "batch", confirm=lambda existing: False)
    by_name = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in written}
    assert [ln["text"] for ln in by_name["a.json"]["lines"]] == shown
    assert len(result.lines) == len(shown) + hidden  # the result itself keeps every line
    window.hide_low_check.setChecked(False)
    window.copy_all()
    assert QGuiApplication.clipboard().text() == result.text


# -- 4. the Chinese UI: every text from below the GUI goes through translation ---------------------


def _form_labels(dlg) -> list[str]:
    out = []
    for form in dlg.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            if item is not None and isinstance(item.widget(), QLabel) and item.widget().text():
                out.append(item.widget().text())
    return out


def test_cloud_settings_labels_pass_through_the_vendors_context(qtbot, window):
    with installed(PseudoTranslator({vendors.TR_CONTEXT})):
        dlg = window.open_cloud_settings()
        labels = _form_labels(dlg)
        expected = {f.label for spec in vendors.specs() for f in spec.fields}
        assert labels and all(text.startswith(MARK) for text in labels), labels
        assert {text[len(MARK):] for text in labels} == expected
        assert all(dlg.tabs.tabText(i).startswith(MARK) for i in range(dlg.tabs.count()))
        dlg.reject()


def test_texts_from_below_the_gui_are_translated(qtbot, window, tmp_path, pseudo):
    from desktop_ocr.gui.cloud_settings import CloudSettingsDialog
    from desktop_ocr.gui.compare import CompareDialog

    QCoreApplication.sendEvent(window, QEvent(QEvent.Type.LanguageChange))  # as i18n.install does
    combo = window.backend_combo
    assert all(combo.itemText(i).startswith(MARK) for i in range(combo.count())), \
        [combo.itemText(i) for i in range(combo.count())]
    assert window.status_engine.text().count(MARK) >= 2  # "Engine: %1 (%2)" and the backend's name
    dlg = CloudSettingsDialog(window.cloud_settings, window)
    for label in dlg.findChildren(QLabel):
        if label.text() and label.isVisibleTo(dlg):
            assert MARK in label.text(), label.text()
    dlg.reject()
    cmp = CompareDialog(window.host, window, "tencent")
    assert cmp.local.title.text().startswith(MARK) and cmp.cloud.title.text().startswith(MARK)
    assert all(cmp.cloud_combo.itemText(i).startswith(MARK) for i in range(cmp.cloud_combo.count()))
    cmp.close()
    # a compare side that fails says why in a translated sentence (no keys for tencent here)
    wait_result(qtbot, window, lambda: drop_files(window, [drawn_page(tmp_path)]))
    cmp = window.open_compare("tencent")
    with qtbot.waitSignal(cmp.compared, timeout=RESULT_TIMEOUT_MS):
        pass
    state = cmp.cloud.state.text()
    assert state.startswith(MARK) and "SecretId" in state, state
    assert state.split(":", 1)[1].lstrip().startswith(MARK)  # the reason: a translated sentence too
    assert "SecretId" in cmp.cloud.state.toolTip()  # the English details
    cmp.close()


# -- 5. the save dialog: the image's folder, a per-format name -------------------------------------


def _answer_save_dialog(seen: list, answer: str | None) -> None:
    """Read the modal save dialog when it opens (its folder and proposed name), then answer it."""
    def poll():
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, QFileDialog):
            QTimer.singleShot(20, poll)
            return
        seen.append((Path(dlg.directory().absolutePath()), Path(dlg.selectedFiles()[0]).name))
        if answer is None:
            dlg.reject()
        else:
            dlg.selectFile(answer)
            dlg.accept()

    QTimer.singleShot(0, poll)


def test_save_dialog_opens_in_the_images_folder_with_a_name_per_format(qtbot, window, tmp_path):
    first, second = tmp_path / "shop", tmp_path / "elsewhere"
    first.mkdir()
    second.mkdir()
    receipt = drawn_page(first, name="receipt.png")
    other = drawn_page(second, name="other.png")
    wait_result(qtbot, window, lambda: window.open_paths([str(receipt)]))
    wait_result(qtbot, window, lambda: window.open_paths([str(other)]))
    qtbot.waitUntil(lambda: Path(window.settings.last_folder()) == second)  # the last opened folder
    job = next(j for j in window.queue.jobs if j.name.endswith("receipt.png"))
    window.show_job(job.id)
    seen: list = []
    for fmt in ("aws", "tencent", "json", "text"):
        _answer_save_dialog(seen, None)
        assert window.export_current(fmt) is None  # cancelled: nothing written
    assert [folder for folder, _ in seen] == [first.resolve()] * 4
    assert [name for _, name in seen] == ["receipt.aws.json", "receipt.tencent.json", "receipt.json", "receipt.txt"]
    assert len({name for _, name in seen}) == 4
    _answer_save_dialog(seen, str(first / "receipt.huawei.json"))
    written = window.export_current("huawei")
    assert written == first / "receipt.huawei.json" and "words_block_list" in written.read_text(encoding="utf-8")
    # the batch export names its files the same way
    out = window.export_batch("aws", tmp_path / "out", confirm=lambda existing: False)
    assert sorted(p.name for p in out) == ["other.aws.json", "receipt.aws.json"]
    assert formats.file_suffix("tencent-legacy") == ".tencent-legacy.json"
