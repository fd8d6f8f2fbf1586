"""The Chinese UI is whole: every text the window can show (lupdate's .ts) has a translation that keeps
its placeholders, and the shipped .qm holds exactly what the .ts says (lrelease was run after the
last edit). After changing a window text: resources/i18n/README.md's lupdate, translate, lrelease."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from desktop_ocr.gui.resources import resource_path

TS = resource_path("i18n", "desktop_ocr_zh_CN.ts")
QM = resource_path("i18n", "desktop_ocr_zh_CN.qm")
PLACEHOLDER = re.compile(r"%(?:\d+|n)|\{[A-Za-z_][A-Za-z0-9_]*\}")


def _messages():
    """(context, source, translation element) of every live message (not vanished or obsolete)."""
    root = ET.parse(TS).getroot()
    for ctx in root.iter("context"):
        name = ctx.findtext("name")
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            if tr is not None and tr.get("type") in ("vanished", "obsolete"):
                continue
            yield name, msg.findtext("source") or "", tr, msg.get("numerus") == "yes", msg.findtext("comment")


def _texts(tr, numerus: bool) -> list[str]:
    if tr is None:
        return []
    if numerus:
        return [f.text or "" for f in tr.findall("numerusform")]
    return [tr.text or ""]


def test_every_window_text_has_a_finished_chinese_translation_with_its_placeholders():
    unfinished, broken = [], []
    for ctx, source, tr, numerus, _ in _messages():
        texts = _texts(tr, numerus)
        if tr is None or tr.get("type") == "unfinished" or not any(t.strip() for t in texts):
            unfinished.append(f"{ctx}: {source}")
            continue
        want = sorted(PLACEHOLDER.findall(source))
        for text in texts:
            if sorted(PLACEHOLDER.findall(text)) != want:
                broken.append(f"{ctx}: {source!r} -> {text!r}")
    assert not unfinished, f"{len(unfinished)} untranslated: {unfinished[:10]}"
    assert not broken, f"placeholders differ: {broken[:10]}"


def test_the_shipped_qm_is_built_from_the_ts():
    from PySide6.QtCore import QTranslator

    tr = QTranslator()
    assert tr.load(str(QM))
    stale = []
    for ctx, source, el, numerus, comment in _messages():
        if numerus or el is None:
            continue
        if tr.translate(ctx, source, comment) != (el.text or ""):
            stale.append(f"{ctx}: {source}")
    assert not stale, f"run pyside6-lrelease (resources/i18n/README.md): {stale[:10]}"


@pytest.mark.parametrize("ctx", ["Errors", "MainWindow", "CloudSettingsDialog"])
def test_the_contexts_the_hardening_added_texts_to_are_in_the_ts(ctx):
    assert any(c == ctx for c, *_ in _messages())


def test_the_ts_holds_every_text_the_sources_have(tmp_path):
    """lupdate run now over the sources (the command in resources/i18n/README.md) finds nothing the
    shipped .ts lacks: a new window text cannot ship untranslated because nobody ran lupdate."""
    import glob
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    if not lupdate.exists():
        lupdate = Path(shutil.which("pyside6-lupdate") or "pyside6-lupdate")
    repo = Path(__file__).resolve().parent.parent
    sources = sorted(glob.glob(str(repo / "desktop_ocr" / "gui" / "*.py"))) + [
        str(repo / "desktop_ocr" / "vendors.py"), str(repo / "desktop_ocr" / "formats" / "__init__.py")]
    fresh = tmp_path / "fresh.ts"
    shutil.copy(TS, fresh)
    subprocess.run([str(lupdate), *sources, "-ts", str(fresh)], check=True, capture_output=True, timeout=300)

    def live(path):
        root = ET.parse(path).getroot()
        return {(ctx.findtext("name"), msg.findtext("source"))
                for ctx in root.iter("context") for msg in ctx.iter("message")
                if (msg.find("translation") is None
                    or msg.find("translation").get("type") not in ("vanished", "obsolete"))}

    missing = sorted(live(fresh) - live(TS))
    assert not missing, f"run lupdate and translate (resources/i18n/README.md): {missing[:10]}"
