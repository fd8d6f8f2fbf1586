"""The vendor registry (desktop_ocr.vendors): every front end is generated from it, and a fifth
vendor is one module (tests/acme_vendor.py: recogniser + format) plus one registry entry.
Also the one credential precedence every front end uses (backends.credentials.resolve)."""

from __future__ import annotations

import json

import pytest

from desktop_ocr import backends, formats, vendors
from desktop_ocr.backends.credentials import Secret, default_store, resolve, secrets_source
from tests import acme_vendor
from tests.drawing import render_lines


@pytest.fixture
def acme():
    spec = vendors.register(acme_vendor.SPEC)  # the one registry entry
    yield spec
    vendors.unregister("acme")


@pytest.fixture
def acme_page(tmp_path):
    path = tmp_path / "acme.png"
    render_lines(["Acme 发票 No. 7781", "合计 ¥ 64.00"], font_size=40).save(path)
    return path


def test_built_in_vendors_are_registered_with_their_parts():
    assert vendors.names() == ("aws", "tencent", "tencent-legacy", "huawei")
    for spec in vendors.specs():
        assert spec.recognizer_class().name == spec.name
        assert isinstance(spec.format_module(), formats.FormatModule)
        assert hasattr(spec.verifier_module(), "verify")
        assert spec.secret_fields and all(spec.field(k).env for k in spec.secret_fields)
    assert vendors.get("tencent").classify("AuthFailure.SignatureExpire") == "auth"
    assert vendors.get("tencent").classify("LimitExceeded.TooLargeFileError") is None  # a size, not a rate
    assert vendors.get("tencent-legacy").classify(15) == "rate" and vendors.get("tencent-legacy").classify(150) is None
    assert vendors.get("huawei").classify("APIG.0308") == "rate"


def test_every_format_module_satisfies_the_protocol():
    for name in formats.names():
        assert isinstance(formats.get(name), formats.FormatModule), name
    with pytest.raises(ValueError, match="no line positions"):
        formats.get("text").load("some text")


def test_fifth_vendor_reaches_cli_formats_and_backends(acme, acme_page, monkeypatch, capsys):
    from desktop_ocr.cli import build_recognize_parser, main

    assert "acme" in backends.names() and "acme" in formats.names()
    help_text = build_recognize_parser().format_help()
    assert "--acme-zone" in help_text and "ACME_API_KEY" in help_text
    monkeypatch.setenv("ACME_API_KEY", "acme-key-0123456789")
    assert main(["recognize", str(acme_page), "--backend", "acme", "--acme-zone", "z9", "--format", "acme"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["acme"]["zone"] == "z9"
    assert "".join(line["text"] for line in out["acme"]["lines"]).replace(" ", "").count("64.00") == 1
    result = formats.get("acme").load(out)  # and back: the format goes both ways
    assert result.engine == "acme" and len(result.lines) == len(out["acme"]["lines"])


def test_fifth_vendor_without_its_key_is_a_usage_error_naming_the_variable(acme, acme_page, monkeypatch, capsys):
    from desktop_ocr.cli import main

    monkeypatch.delenv("ACME_API_KEY", raising=False)
    assert main(["recognize", str(acme_page), "--backend", "acme"]) == 2
    assert "Acme OCR needs an API key (ACME_API_KEY)" in capsys.readouterr().err


def test_fifth_vendor_error_codes_come_from_its_entry(acme):
    err = formats.get("acme").load_error({"error": {"code": "Acme.Auth", "message": "bad key"}}, 401)
    assert type(err).__name__ == "AuthFailed" and err.vendor_code == "Acme.Auth"
    again = formats.get("tencent").dump_error(err)  # re-exported as another vendor's auth error
    assert again["Response"]["Error"]["Code"] == "AuthFailure.SignatureFailure"


@pytest.mark.gui
def test_fifth_vendor_reaches_the_window(acme, qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from desktop_ocr.gui.main_window import MainWindow
    from desktop_ocr.gui.settings import Settings

    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    win = MainWindow(settings, interactive=False)
    qtbot.addWidget(win)
    assert win.backend_combo.findData("acme") >= 0
    assert "Acme OCR JSON…" in win.export_actions["acme"].text()
    dlg = win.open_cloud_settings()
    titles = [dlg.tabs.tabText(i) for i in range(dlg.tabs.count())]
    assert titles[-1] == "Acme OCR"
    dlg.inputs["acme"]["zone"].setText("z3")
    dlg.inputs["acme"]["api_key"].setText("acme-dialog-key-0001")
    dlg.accept()
    assert "acme-dialog-key-0001" not in (tmp_path / "s.ini").read_text(encoding="utf-8")
    assert win.cloud_settings.settings_for("acme")["zone"] == "z3"
    assert win.cloud_settings.settings_for("acme")["api_key"].reveal() == "acme-dialog-key-0001"
    win.close()


def test_precedence_explicit_then_environment_then_keyring():
    store = default_store()
    store.save("tencent", {"secret_id": "AKIDstored0000001", "secret_key": "storedKey-0123456789"})
    # only the keyring has keys
    got = resolve("tencent", {}, environ={})
    assert got["secret_id"].reveal() == "AKIDstored0000001" and secrets_source("tencent", {}) == "keyring"
    assert got["action"] == "GeneralAccurateOCR"  # the registry default fills what nobody gave
    # the environment's keys win over the keyring's, as one set: never an id from one, a key from the other
    env = {"TENCENTCLOUD_SECRET_ID": "AKIDenv0000000001"}
    got = resolve("tencent", {}, environ=env)
    assert got["secret_id"].reveal() == "AKIDenv0000000001" and "secret_key" not in got
    assert secrets_source("tencent", env) == "environment"
    # explicit values win over both; empty explicit values count as not given
    got = resolve("tencent", {"region": "ap-shanghai", "endpoint": "", "secret_key": "given-0123456789"},
                  environ=env)
    assert got["region"] == "ap-shanghai" and "endpoint" not in got
    assert got["secret_key"] == Secret("given-0123456789") and "secret_id" not in got
    # a non-secret from the environment (Huawei's project id) loses to a given one
    assert resolve("huawei", {}, environ={"HUAWEICLOUD_SDK_PROJECT_ID": "p-env"})["project_id"] == "p-env"
    assert resolve("huawei", {"project_id": "p-given"},
                   environ={"HUAWEICLOUD_SDK_PROJECT_ID": "p-env"})["project_id"] == "p-given"


def test_every_registry_text_the_window_shows_has_a_chinese_translation():
    from PySide6.QtCore import QTranslator

    from desktop_ocr.gui.resources import resource_path

    tr = QTranslator()
    assert tr.load(str(resource_path("i18n", "desktop_ocr_zh_CN.qm")))
    texts = [(vendors.TR_CONTEXT, t) for spec in vendors.specs()
             for t in (spec.title, spec.format_title, *(f.label for f in spec.fields))]
    texts += [formats.label(name) for name in ("json", "text")]
    missing = [t for t in texts if not tr.translate(*t)]
    assert not missing, f"run the lupdate/lrelease of resources/i18n/README.md: {missing}"
    assert tr.translate(vendors.TR_CONTEXT, "Huawei Cloud OCR") == "华为云 OCR"
