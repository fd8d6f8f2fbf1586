"""packaging/icu_slim.py: the bundle's ICU data cut to what Qt uses, checked by asking ICU itself.

Each check builds a data library from the developer venv's PySide6 ICU (the one the bundle ships),
loads it with LD_PRELOAD into a fresh process next to the stock libicuuc/libicui18n and runs
tests/icu_probe.py: code-page round trips, collation order and time-zone names, against the stock data.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "packaging"))
import icu_slim  # noqa: E402

from tests.icu_probe import run_probe  # noqa: E402

PySide6 = pytest.importorskip("PySide6")
QT_LIB = Path(PySide6.__file__).parent / "Qt" / "lib"
STOCK = next(p for p in QT_LIB.glob("libicudata.so.[0-9]*"))
pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="icu_slim needs gcc (scripts/setup.sh)")


@pytest.fixture(scope="module")
def stock():
    return run_probe(QT_LIB)


@pytest.fixture(scope="module")
def slim(tmp_path_factory):
    lib = tmp_path_factory.mktemp("icu") / STOCK.name
    shutil.copy2(STOCK, lib)
    counts = icu_slim.slim(lib)
    return lib, counts, run_probe(QT_LIB, preload=lib)


def test_slim_library_is_loaded_and_much_smaller(slim):
    lib, (items_before, items_after, size_before, size_after), answers = slim
    assert answers["libicudata"] == [str(lib)]
    assert size_before > 25_000_000 and size_after < 10_000_000, (size_before, size_after)
    assert items_after < items_before / 3


def test_code_pages_of_the_web_and_desktops_convert_as_before(slim, stock):
    _, _, answers = slim
    for name in ["GBK", "GB18030", "GB2312", "Big5", "Shift_JIS", "EUC-JP", "EUC-KR", "windows-1251",
                 "KOI8-R", "ISO-2022-CN"]:
        assert answers["codepages"][name] == stock["codepages"][name], name
        assert answers["codepages"][name]["back"], name
    assert stock["codepages"]["GBK"] == {"bytes": "c4e3bac3a3accac0bde7", "back": "你好，世界"}


def test_dropped_code_pages_are_reported_missing_not_crashing(slim, stock):
    _, _, answers = slim
    for name in ["IBM-930", "EUC-TW"]:
        assert stock["codepages"][name] is not None
        assert answers["codepages"][name] is None


def test_chinese_and_english_collation_unchanged_other_locales_fall_back_to_root(slim, stock):
    _, _, answers = slim
    assert answers["collation"]["zh"] == stock["collation"]["zh"]
    assert answers["collation"]["zh"].startswith("啊吧擦")  # pinyin order: a, ba, ca
    assert answers["collation"]["en"] == stock["collation"]["en"]
    # Japanese tailoring gone: the root (Unicode default) order, the same as English.
    assert stock["collation"]["ja"] != stock["collation"]["en"]
    assert answers["collation"]["ja"] == stock["collation"]["en"]


def test_time_zone_names_for_the_app_languages_unchanged(slim, stock):
    _, _, answers = slim
    assert answers["zone_names"]["zh_CN"] == stock["zone_names"]["zh_CN"] == "中国标准时间"
    assert answers["zone_names"]["en_US"] == stock["zone_names"]["en_US"] == "China Standard Time"
    assert answers["zone_names"]["de_DE"] == "China Standard Time"  # root/English fallback


def test_package_writer_keeps_every_item_byte_for_byte():
    blob = icu_slim._elf_symbol(STOCK, "icudt" + STOCK.name.rsplit(".", 1)[-1] + "_dat")
    header, items = icu_slim.read_package(blob)
    rewritten = icu_slim.write_package(header, items)
    assert icu_slim.read_package(rewritten) == (header, items)
    assert len(items) > 3000 and any(name.endswith("/coll/zh.res") for name, _ in items)


def test_refuses_what_is_not_icu_data(tmp_path):
    with pytest.raises(ValueError):
        icu_slim.read_package(b"\x20\x00\xda\x27" + b"\0" * 8 + b"XXXX" + b"\0" * 100)
    bogus = tmp_path / "libicudata.so.73"
    bogus.write_bytes(b"not an elf file")
    with pytest.raises(ValueError):
        icu_slim.slim(bogus)
