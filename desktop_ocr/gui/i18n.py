"""Translations: English source strings, Simplified Chinese shipped as resources/i18n/desktop_ocr_zh_CN.qm.

The language follows the system locale unless the View > Language menu chose one. Switching at run
time sends QEvent.LanguageChange to every widget; ours re-set their texts in ``retranslate()``.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from .resources import resource_path

LANGUAGES = ("en", "zh_CN")

_installed: list[QTranslator] = []


def resolve(lang: str) -> str:
    """'system' -> the supported language closest to the system locale."""
    if lang in LANGUAGES:
        return lang
    name = QLocale.system().name()  # e.g. zh_CN, zh_TW, en_US
    return "zh_CN" if name.startswith("zh") else "en"


def install(lang: str) -> str:
    """Install the translators for ``lang`` ('system', 'en', 'zh_CN'); returns the language in effect."""
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("i18n.install() needs the QApplication to exist")
    effective = resolve(lang)
    for tr in _installed:
        app.removeTranslator(tr)
    _installed.clear()
    if effective != "en":
        ours = QTranslator(app)
        if ours.load(str(resource_path("i18n", f"desktop_ocr_{effective}.qm"))):
            app.installTranslator(ours)
            _installed.append(ours)
        qt = QTranslator(app)  # Qt's own strings (standard dialog buttons)
        if qt.load(f"qtbase_{effective}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(qt)
            _installed.append(qt)
    return effective
