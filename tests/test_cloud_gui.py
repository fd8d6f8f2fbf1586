"""The window with cloud backends: the settings dialog (keys to the credential store, never to
QSettings), each backend recognising a drawn page through its fake, a wrong key shown with the
vendor's message while the window keeps working, and compare mode."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLineEdit, QWidget

from desktop_ocr import formats, vendors
from desktop_ocr.backends.credentials import default_store
from desktop_ocr.core.model import OcrResult, TextLine
from tests.fakes.kits import ALL_SECRETS, KITS
from tests.gui_support import RESULT_TIMEOUT_MS, drawn_page, drop_files, line_items, wait_result

PLAIN = {  # what the form's non-secret fields get, per vendor (the fake's address among them)
    "aws": lambda f: {"endpoint": f.endpoint, "auth": "iam", "region": "us-east-1"},
    "tencent": lambda f: {"endpoint": f.url, "region": "ap-guangzhou"},
    "tencent-legacy": lambda f: {"endpoint": f.url, "appid": "1250000000"},
    "huawei": lambda f: {"endpoint": f.url, "region": "cn-north-4",
                         "project_id": KITS["huawei"].settings(f)["project_id"]},
}


def secrets_of(kit, fake) -> dict:
    s = kit.settings(fake)
    secret = vendors.get(kit.name).secret_fields
    return {k: (v.reveal() if hasattr(v, "reveal") else v) for k, v in s.items() if k in secret}


def fill_dialog(qtbot, dlg, name: str, plain: dict, secrets: dict) -> None:
    for key, value in {**plain, **secrets}.items():
        w = dlg.findChild(QWidget, f"{name}:{key}")
        if isinstance(w, QComboBox):
            w.setCurrentText(value)
        else:
            w.clear()
            qtbot.keyClicks(w, value)
    dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()


@pytest.fixture
def cloud_window(window):
    """The window (it owns its cloud features); its keys go to the test's in-memory keyring (conftest.py)."""
    return window


@pytest.mark.parametrize("vendor", list(KITS))
def test_window_recognizes_through_each_cloud_backend(qtbot, cloud_window, engine, tmp_path, vendor):
    win, kit = cloud_window, KITS[vendor]
    with kit.make_fake(engine) as fake:
        dlg = win.open_cloud_settings()
        fill_dialog(qtbot, dlg, vendor, PLAIN[vendor](fake), secrets_of(kit, fake))
        settings_text = (tmp_path / "settings.ini").read_text(encoding="utf-8")
        assert "127.0.0.1" in settings_text  # the endpoint is an ordinary setting...
        for secret in ALL_SECRETS:
            assert secret not in settings_text  # ...the keys are not
        win.backend_combo.setCurrentIndex(win.backend_combo.findData(vendor))
        page = drawn_page(tmp_path)
        job_id = wait_result(qtbot, win, lambda: drop_files(win, [page]))
        job = win.queue.job(job_id)
        assert job.result.engine == vendor
        assert "INV-2024-0815" in job.result.text
        assert len(line_items(win)) == len(job.result.lines) > 0
        assert vendors.get(vendor).title in win.status_engine.text() and "connected" in win.status_engine.text()
        assert len(fake.requests) == 1
        for name in formats.names():
            text = formats.export_text(job.result, name)
            assert "INV-2024-0815" in text
            for secret in ALL_SECRETS:
                assert secret not in text


def test_wrong_key_shows_the_vendor_error_and_the_window_keeps_working(qtbot, cloud_window, engine, tmp_path):
    win, kit = cloud_window, KITS["tencent"]
    with kit.make_fake(engine) as fake:
        first = wait_result(qtbot, win, lambda: drop_files(win, [drawn_page(tmp_path, name="a.png")]))
        dlg = win.open_cloud_settings()
        fill_dialog(qtbot, dlg, "tencent", PLAIN["tencent"](fake),
                    {**secrets_of(kit, fake), "secret_key": "wrongTencentKey-0123456789abcdef"})
        win.backend_combo.setCurrentIndex(win.backend_combo.findData("tencent"))
        with qtbot.waitSignal(win.error_shown, timeout=RESULT_TIMEOUT_MS) as blocker:
            drop_files(win, [drawn_page(tmp_path, name="b.png")])
        message, details = blocker.args[0], win.message_bar.details()
        assert "refused the keys (AuthFailure.SignatureFailure)" in message  # one sentence, the vendor's code
        assert "[AuthFailure.SignatureFailure]" in details and "credentials could not be validated" in details
        assert "wrongTencentKey" not in message + details
        assert "INV-2024-0815" in win.queue.job(first).result.text  # the earlier result is still there
        # The window keeps working: fix the key, the same backend recognises.
        dlg = win.open_cloud_settings()
        fill_dialog(qtbot, dlg, "tencent", {}, {"secret_key": secrets_of(kit, fake)["secret_key"]})
        job_id = wait_result(qtbot, win, lambda: drop_files(win, [drawn_page(tmp_path, name="c.png")]))
        assert win.queue.job(job_id).result.engine == "tencent"


@pytest.mark.parametrize("usable", [True, False], ids=["keyring", "no-keyring"])
def test_settings_dialog_says_where_keys_live_and_never_shows_them(qtbot, window, memory_keyring, usable):
    import keyring
    from keyring.backends import fail

    if not usable:  # a headless machine without a Secret Service (conftest restores the keyring after)
        keyring.set_keyring(fail.Keyring())
    win = window  # its CloudSettings builds the process-wide store on first use, on the keyring in effect
    default_store().save("huawei", {"ak": "HWSTOREDAK0001", "sk": "storedHuaweiSk-0123456789"})
    in_keyring = memory_keyring.get_password("desktop-ocr", "huawei:sk")
    assert in_keyring == ("storedHuaweiSk-0123456789" if usable else None)
    dlg = win.open_cloud_settings()
    status = dlg.status.text()
    if usable:
        assert "kept in the system keyring" in status and "session only" not in status
    else:
        assert "No system keyring" in status and "in memory for this session only" in status
    sk = dlg.inputs["huawei"]["sk"]
    assert sk.echoMode() == QLineEdit.EchoMode.Password and sk.text() == ""
    assert "stored" in sk.placeholderText()
    dlg.forget_buttons["huawei"].click()
    assert default_store().load("huawei") == {}
    dlg.reject()


def _line(text, y):
    return TextLine(text=text, polygon=[(10, y), (200, y), (200, y + 30), (10, y + 30)], score=0.9)


def test_differences_pair_lines_by_position():
    from desktop_ocr.gui.compare import differences

    a = OcrResult(300, 200, [_line("发票 No.1", 10), _line("Total 128.50", 60), _line("only local", 110)])
    b = OcrResult(300, 200, [_line("发票 No．1", 12), _line("Total 128.60", 61)])  # full-width dot = same
    da, db, rows = differences(a, b)
    assert da == {1, 2} and db == {1}
    assert ("Total 128.50", "Total 128.60") in rows and ("only local", "") in rows


def test_compare_mode_highlights_the_lines_that_differ(qtbot, cloud_window, engine, tmp_path):
    win, kit = cloud_window, KITS["huawei"]
    with kit.make_fake(engine) as fake:
        def misread(result):  # play a vendor that reads the total differently
            for ln in result.lines:
                if "128" in ln.text:
                    ln.text = ln.text.replace("128.50", "123.50")
            return result

        fake.edit_result = misread
        dlg = win.open_cloud_settings()
        fill_dialog(qtbot, dlg, "huawei", PLAIN["huawei"](fake), secrets_of(kit, fake))
        wait_result(qtbot, win, lambda: drop_files(win, [drawn_page(tmp_path)]))
        win.backend_combo.setCurrentIndex(win.backend_combo.findData("local"))
        cmp = win.open_compare()  # the configured cloud service is the default choice
        assert cmp.cloud_combo.currentData() == "huawei"
        with qtbot.waitSignal(cmp.compared, timeout=RESULT_TIMEOUT_MS) as blocker:
            pass
        assert blocker.args[0] == 1
        assert len(cmp.local.marks) == 1 and len(cmp.cloud.marks) == 1
        assert "123.50" in cmp.cloud.marks[0].toolTip() and "128.50" in cmp.local.marks[0].toolTip()
        assert cmp.diff_list.count() == 1
        cmp.resize(1400, 700)
        cmp.show()
        qtbot.waitExposed(cmp)
        cmp.grab().save(str(tmp_path / "compare.png"))
        cmp.close()


def test_compare_with_a_failing_cloud_side_keeps_the_local_side(qtbot, cloud_window, tmp_path):
    win = cloud_window
    wait_result(qtbot, win, lambda: drop_files(win, [drawn_page(tmp_path)]))
    cmp = win.open_compare("tencent")  # no keys configured
    with qtbot.waitSignal(cmp.compared, timeout=RESULT_TIMEOUT_MS) as blocker:
        pass
    assert blocker.args[0] == -1
    assert cmp.local.result is not None and len(cmp.local.result.lines) > 0
    assert "failed" in cmp.cloud.state.text() and "SecretId" in cmp.cloud.state.text()
    cmp.close()


def test_choosing_an_unconfigured_backend_says_what_is_missing(qtbot, cloud_window, tmp_path):
    win = cloud_window
    with qtbot.waitSignal(win.error_shown, timeout=RESULT_TIMEOUT_MS) as blocker:
        win.backend_combo.setCurrentIndex(win.backend_combo.findData("aws"))
    message, details = blocker.args[0], win.message_bar.details()
    assert "AWS General OCR is not set up: Invoke URL missing or wrong" in message  # the field as the dialog names it
    assert "endpoint URL" in details and "ValueError" not in message + details
    win.backend_combo.setCurrentIndex(win.backend_combo.findData("local"))  # and local still works
    job_id = wait_result(qtbot, win, lambda: drop_files(win, [drawn_page(tmp_path)]))
    assert win.queue.job(job_id).result.engine == "local"


def test_settings_dialog_says_when_the_environment_overrides_stored_keys(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QLabel

    default_store().save("tencent", {"secret_id": "AKIDstored0000001", "secret_key": "storedKey-0123456789"})
    dlg = window.open_cloud_settings()
    assert dlg.findChild(QLabel, "tencent:env-note") is None  # only the keyring has keys: no note
    dlg.reject()
    monkeypatch.setenv("TENCENTCLOUD_SECRET_ID", "AKIDenv0000000001")
    monkeypatch.setenv("TENCENTCLOUD_SECRET_KEY", "envKey-0123456789")
    dlg = window.open_cloud_settings()
    note = dlg.findChild(QLabel, "tencent:env-note").text()
    assert "TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY" in note and "SESSION_TOKEN" not in note
    assert dlg.findChild(QLabel, "huawei:env-note") is None
    # and the window really uses the environment's keys, as the command line does
    assert window.cloud_settings.settings_for("tencent")["secret_id"].reveal() == "AKIDenv0000000001"
    dlg.reject()
