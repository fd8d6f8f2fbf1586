"""Application-level behaviour: translations, settings that persist, the crash dialog, the self-test."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QStandardPaths

from tests.gui_support import RESULT_TIMEOUT_MS, drawn_page, drop_files, wait_result

REPO = Path(__file__).resolve().parent.parent


def test_shipped_translation_and_resources_exist():
    from desktop_ocr.gui.resources import resource_path, sample_image

    assert sample_image().is_file() and resource_path("icon.png").is_file()
    qm = resource_path("i18n", "desktop_ocr_zh_CN.qm")
    assert qm.is_file() and qm.stat().st_size > 1000


def test_language_menu_switches_to_chinese_and_back(qtbot, window, tmp_path):
    wait_result(qtbot, window, lambda: drop_files(window, [drawn_page(tmp_path)]))
    assert window.menu_file.title() == "&File"
    window.language_actions["zh_CN"].trigger()
    try:
        # Qt posts LanguageChange to every window; they re-set their texts when it arrives
        qtbot.waitUntil(lambda: window.menu_file.title() == "文件(&F)", timeout=5000)
        assert window.act_open.text() == "打开(&O)…"
        assert window.batch.cancel_button.text() == "取消"
        assert window.status_lines.text().endswith("行")
        assert "引擎" in window.status_engine.text()
        horizontal = __import__("PySide6.QtCore").QtCore.Qt.Orientation.Horizontal
        assert window.results.model.headerData(1, horizontal) == "文本"
        assert "完成" in window.batch.list.item(0).text()
        assert window.settings.language() == "zh_CN"
    finally:
        window.language_actions["en"].trigger()
    qtbot.waitUntil(lambda: window.menu_file.title() == "&File", timeout=5000)
    assert window.act_open.text() == "&Open…"


def test_system_locale_picks_chinese(tmp_path):
    code = ("from desktop_ocr.gui.app import make_app; from desktop_ocr.gui import i18n; "
            "app = make_app(); print(i18n.install('system'), i18n.install('en'))")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LANG="zh_CN.UTF-8", LC_ALL="zh_CN.UTF-8",
               LANGUAGE="zh_CN")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["zh_CN", "en"], out.stderr


def test_settings_persist_between_windows(qtbot, tmp_path, engine):
    from desktop_ocr.gui.main_window import MainWindow
    from desktop_ocr.gui.settings import Settings

    ini = str(tmp_path / "settings.ini")
    page = drawn_page(tmp_path)
    first = MainWindow(Settings(QSettings(ini, QSettings.Format.IniFormat)), interactive=False)
    first.host.adopt("local", engine)
    qtbot.addWidget(first)
    first.resize(711, 533)  # the offscreen screen is 800x600
    first.show()
    wait_result(qtbot, first, lambda: first.open_paths([str(page)]))
    first.threshold_slider.setValue(83)
    first.hide_low_check.setChecked(True)
    first.export_current("huawei", tmp_path / "out.json")
    first.close()

    second = MainWindow(Settings(QSettings(ini, QSettings.Format.IniFormat)), interactive=False)
    qtbot.addWidget(second)
    assert second.threshold_slider.value() == 83 and second.hide_low_check.isChecked()
    assert second.canvas.threshold == pytest.approx(0.83)
    assert second.settings.recent_files()[0] == str(page)
    assert [a.text() for a in second.menu_recent.actions()][0] == str(page)
    second.host.adopt("local", engine)
    second.show()
    with qtbot.waitSignal(second.result_shown, timeout=RESULT_TIMEOUT_MS):
        second.menu_recent.actions()[0].trigger()  # File > Open Recent reopens it
    assert second.current_job().name == str(page)
    assert second.settings.export_format() == "huawei"
    assert "Huawei" in second.export_button_action.text()
    assert second.settings.last_folder() == str(tmp_path)
    assert (second.width(), second.height()) == (711, 533)
    second.close()


def test_unhandled_exception_shows_dialog_and_is_logged(qtbot, tmp_path):
    from desktop_ocr.gui import app

    QStandardPaths.setTestModeEnabled(True)
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        path = app.setup_logging()
        from desktop_ocr.backends.credentials import register_secret

        register_secret("SECRETtoken0123456789")
        try:
            raise ZeroDivisionError("a bug in a slot, SECRETtoken0123456789 in hand")
        except ZeroDivisionError:
            box = app.report_exception(*sys.exc_info())
        qtbot.addWidget(box)
        assert box.isVisible() and not box.isModal()
        # one sentence for the user; the exception and its traceback behind "Show Details"
        assert "window keeps working" in box.text() and "Traceback" not in box.text()
        assert "ZeroDivisionError: a bug in a slot" in box.detailedText()
        assert "Traceback" in box.detailedText() and str(path) in box.detailedText()
        assert "SECRETtoken0123456789" not in box.detailedText() + box.text()
        for h in root.handlers:
            h.flush()
        logged = path.read_text(encoding="utf-8")
        assert "unhandled exception" in logged and "a bug in a slot" in logged
        box.close()
    finally:
        for h in root.handlers[:]:
            if h not in before:
                root.removeHandler(h)
                h.close()
        QStandardPaths.setTestModeEnabled(False)


@pytest.mark.gui  # the window lives in a child process: no qtbot to mark it
def test_self_test_command_opens_recognises_and_closes(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "cfg"),
               XDG_DATA_HOME=str(tmp_path / "data"))
    out = subprocess.run([sys.executable, "-m", "desktop_ocr", "--self-test"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=RESULT_TIMEOUT_MS / 1000)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "self-test: ok" in out.stdout and "lines on the sample image" in out.stdout
    assert (tmp_path / "data" / "desktop_ocr" / "desktop_ocr" / "desktop_ocr.log").is_file()
