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
