"""The "layout" text mode (formats.text.joined(result, "layout")): a receipt's rows stay on one line
with their columns aligned (east-asian width aware), upright, turned and skewed, on the real engine;
constructed results for side-by-side tables, blank-line gaps, codes and vertical CJK columns."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from desktop_ocr.core.image import LoadedImage
from desktop_ocr.core.model import OcrResult, TextLine
from desktop_ocr.formats import text as text_format
from desktop_ocr.formats.text import JOIN_MODES, display_width, joined

from .drawing import cjk_font_path

HEADER = ("商品", "数量", "金额")
ROWS = [("苹果", "2", "¥8.00"), ("Milk 牛奶", "1", "¥12.50"), ("香蕉 Banana", "3", "¥6.90"),
        ("面包", "1", "¥15.00"), ("Eggs 鸡蛋", "12", "¥18.60"), ("矿泉水", "6", "¥9.00")]
TOTAL = ("合计 Total", "¥70.00")


def _receipt() -> Image.Image:
    font = ImageFont.truetype(cjk_font_path(), 32)
    img = Image.new("RGB", (620, 560), "white")
    d = ImageDraw.Draw(img)
    for x, s in zip((40, 300, 420), HEADER):
        d.text((x, 30), s, fill="black", font=font)
    for i, row in enumerate(ROWS):
        for x, s in zip((40, 300, 420), row):
            d.text((x, 100 + i * 58), s, fill="black", font=font)
    d.text((40, 480), TOTAL[0], fill="black", font=font)
    d.text((420, 480), TOTAL[1], fill="black", font=font)
    return img


def _read(engine, img: Image.Image) -> OcrResult:
    return engine.recognize(LoadedImage(np.asarray(img.convert("RGB")).copy()))


def _row_columns(text: str, cells: tuple[str, ...]) -> tuple[int, ...]:
    """The one text line holding ``cells`` in that order (a gap of 2+ spaces before each cell after
    the first); the display column where each cell starts."""
    hits = [ln for ln in text.splitlines() if ln.lstrip().startswith(cells[0])]
    assert len(hits) == 1, (cells, text)
    line = hits[0]
    cols = []
    at = 0
    for k, cell in enumerate(cells):
        i = line.index(cell, at)
        if k:
            assert line[at:i].strip() == "" and i - at >= 2, (cells, line)  # only spaces between
        cols.append(display_width(line[:i]))
        at = i + len(cell)
    assert line[at:].strip() == "", (cells, line)
    return tuple(cols)


def _check_receipt(text: str) -> None:
    header = _row_columns(text, HEADER)
    rows = [_row_columns(text, row) for row in ROWS]
    total = _row_columns(text, TOTAL)
    # quantity and price columns start at the same display column on every row
    assert {c[1] for c in rows} | {header[1]} == {header[1]}, text
    assert {c[2] for c in rows} | {header[2], total[1]} == {header[2]}, text
    # rows top to bottom
    order = [text.index(r[0]) for r in (HEADER, *ROWS, TOTAL)]
    assert order == sorted(order)


def test_layout_is_a_join_mode():
    assert JOIN_MODES == ("lines", "paragraphs", "one_line", "layout")
    assert joined(OcrResult(width=10, height=10), "layout") == ""


@pytest.fixture(scope="module")
def receipt() -> Image.Image:
    return _receipt()


@pytest.fixture(scope="module")
def upright_text(engine, receipt) -> str:
    return joined(_read(engine, receipt), "layout")


def test_receipt_rows_stay_together_with_columns_aligned(engine, receipt, upright_text):
    print(upright_text)
    _check_receipt(upright_text)
    # the plain "lines" text does not keep them together: item and price on different lines
    lines = joined(_read(engine, receipt), "lines").splitlines()
    for item, _qty, price in ROWS:
        assert not any(item in ln and price in ln for ln in lines)
    assert "苹果" in lines and "¥8.00" in lines


@pytest.mark.parametrize("skew", [0.0, 6.0])
def test_turned_and_skewed_receipt_gives_the_same_rows(engine, receipt, upright_text, skew):
    turned = Image.fromarray(np.ascontiguousarray(np.rot90(np.asarray(receipt))))
    if skew:
        turned = turned.rotate(skew, expand=True, fillcolor="white", resample=Image.BICUBIC)
    res = _read(engine, turned)
    assert abs(abs(res.angle) - 90.0 - skew) < 2.5, res.angle
    got = joined(res, "layout")
    print(got)
    _check_receipt(got)
    squeeze = [" ".join(ln.split()) for ln in got.splitlines() if ln.strip()]
    assert squeeze == [" ".join(ln.split()) for ln in upright_text.splitlines() if ln.strip()]


# -- constructed results --------------------------------------------------------------------------

CELL = 10.0  # px per display column in the constructed pages (a CJK character is 20 px)


def _line(text: str, x: float, y: float, h: float = 20.0, code: str | None = None,
          w: float | None = None) -> TextLine:
    w = display_width(text) * CELL if w is None else w
    return TextLine(text=text, polygon=[(x, y), (x + w, y), (x + w, y + h), (x, y + h)], code=code)


def _column(text: str, x: float, y: float, *, engine_order: bool = True) -> TextLine:
    """A vertical column 20 px wide, a character per 20 px down; polygon from the top right going
    down (as the engine gives a tall box) or from the top left."""
    x1, y1 = x + 20.0, y + 20.0 * len(text)
    tl, tr, br, bl = (x, y), (x1, y), (x1, y1), (x, y1)
    return TextLine(text=text, polygon=[tr, br, bl, tl] if engine_order else [tl, tr, br, bl])


def _result(lines: list[TextLine], angle: float = 0.0) -> OcrResult:
    return OcrResult(width=1200, height=1000, lines=lines, angle=angle, angle_detected=True)


def test_two_tables_side_by_side_share_rows_and_columns_line_up():
    left = [("编号", "名称"), ("1", "Apple"), ("22", "梨")]
    right = [("Qty", "Price"), ("10", "¥3.5"), ("7", "¥12.25")]
    lines = []
    for i, ((a, b), (c, d)) in enumerate(zip(left, right)):
        y = 100 + 30 * i
        lines += [_line(a, 40, y), _line(b, 140, y), _line(c, 600, y), _line(d, 700, y)]
    text = joined(_result(lines), "layout")
    out = text.splitlines()
    assert len(out) == 3, text
    for row, (a, b), (c, d) in zip(out, left, right):
        assert row.split() == [a, b, c, d]
    # every table column starts at one display column on all rows: x / 10 px
    for row, cells in zip(out, [(*lt, *rt) for lt, rt in zip(left, right)]):
        starts = [display_width(row[:row.index(c)]) for c in cells]
        assert starts == [0, 10, 56, 66], (row, starts)


def test_a_large_gap_leaves_a_blank_line_and_a_small_one_does_not():
    lines = [_line("第一行", 40, 100), _line("second row", 40, 130), _line("后面一段", 40, 230),
             _line("next", 40, 260)]
    assert joined(_result(lines), "layout") == "第一行\nsecond row\n\n后面一段\nnext"


def test_a_code_stays_on_its_own_line():
    lines = [_line("扫码付款 Pay here", 40, 100), _line("¥20.00", 300, 100),
             _line("https://example.com/p?id=1", 500, 80, h=100, w=100, code="QRCode"),
             _line("谢谢惠顾", 40, 130)]
    out = joined(_result(lines), "layout").splitlines()
    assert "https://example.com/p?id=1" in out
    assert [ln.split() for ln in out if "example" not in ln] == [["扫码付款", "Pay", "here", "¥20.00"], ["谢谢惠顾"]]


def test_empty_and_blank_results_give_no_text():
    assert joined(_result([]), "layout") == ""
    assert joined(_result([_line("  ", 40, 100)]), "layout") == ""


def test_a_turned_page_is_grouped_in_its_upright_frame():
    """The receipt of a constructed page turned 90 degrees clockwise: x -> y, y -> -x."""
    def turn(ln: TextLine) -> TextLine:
        return TextLine(text=ln.text, polygon=[(1000 - y, x) for x, y in ln.polygon])

    upright = [_line("苹果", 40, 100), _line("2", 300, 101), _line("¥8.00", 420, 99),
               _line("Milk 牛奶", 40, 130), _line("12", 300, 130), _line("¥12.50", 420, 131)]
    expected = joined(_result(upright), "layout")
    assert expected.splitlines()[0].split() == ["苹果", "2", "¥8.00"]
    assert joined(_result([turn(ln) for ln in upright], angle=90.0), "layout") == expected


@pytest.mark.parametrize("engine_order", [True, False])
def test_vertical_columns_right_to_left_after_a_heading(engine_order):
    cols = ["床前明月光", "疑是地上霜", "举头望明月", "低头思故乡"]
    lines = [_column(s, 400 - 90 * k, 100, engine_order=engine_order) for k, s in enumerate(cols)]
    lines = [lines[2], lines[0], lines[3], lines[1]]  # the result's order does not matter
    heading = _line("静夜思", 150, 20, h=40)
    footer = _line("李白 Li Bai", 100, 330)
    got = joined(_result([footer, *lines, heading]), "layout")
    # the heading keeps its indent from the footer's left edge; a blank line before the far footer
    assert got.split("\n") == ["     静夜思", *cols, "", "李白 Li Bai"], got


def test_vertical_columns_from_the_engine(engine):
    """A drawn page of four vertical columns under a horizontal title. The engine finds one tall box
    per column, reads it as vertical writing on an upright page (angle 0, core/vertical.py), and
    the layout text reads the columns right to left."""
    font = ImageFont.truetype(cjk_font_path(), 32)
    page = Image.new("RGB", (500, 560), "white")
    d = ImageDraw.Draw(page)
    d.text((150, 20), "静夜思", fill="black", font=font)
    cols = ["床前明月光", "疑是地上霜", "举头望明月", "低头思故乡"]
    for k, s in enumerate(cols):
        for j, ch in enumerate(s):
            d.text((400 - 90 * k, 100 + 40 * j), ch, fill="black", font=font)
    res = _read(engine, page)
    assert sorted(ln.text for ln in res.lines) == sorted(["静夜思", *cols])
    for ln in res.lines:
        x0, y0, x1, y1 = ln.bbox()
        assert (y1 - y0 > 2 * (x1 - x0)) == (ln.text in cols)  # usable column boxes
    assert res.angle == 0.0
    assert [ln.text for ln in res.lines] == ["静夜思", *cols]  # the engine's own order: columns right to left
    assert [ln.vertical for ln in res.lines] == [False] + [True] * len(cols)
    assert text_format.layout_text(res).split("\n") == ["静夜思", *cols]


def test_a_label_set_down_a_form_cell_is_written_across_in_its_row():
    # a form: three rows of cells and, in a tall cell on their right, 二寸照片 set down one
    # character under another (a vertical line). It is written across, at its place in the row
    # level with its middle, not on a line of its own at the left margin
    rows = [("姓名", "张三"), ("性别", "男"), ("民族", "汉")]
    lines = [_line(t, x, 100 + 40 * i) for i, row in enumerate(rows) for t, x in zip(row, (40, 200))]
    label = _column("二寸照片", 400, 110)  # 110..190: its middle level with the middle row
    label.vertical = True
    out = joined(_result([*lines, label]), "layout").split("\n")
    assert len(out) == 3, out
    assert out[1].split() == ["性别", "男", "二寸照片"], out
    assert display_width(out[1][:out[1].index("二寸照片")]) > display_width(out[0]), out
    # the engine marks a short label vertical whatever its shape: 照片, as tall as two characters
    short = _column("照片", 400, 130)
    short.vertical = True
    assert joined(_result([*lines, short]), "layout").split("\n")[1].split() == ["性别", "男", "照片"]
    # a lone column with nothing running across beside it stays a column (a heading above it)
    alone = joined(_result([_line("标题", 40, 20), _column("床前明月光", 60, 60)]), "layout")
    assert alone.split("\n") == ["标题", "床前明月光"], alone


def test_a_label_written_over_two_lines_in_a_cell_is_written_top_line_first():
    # 出生 over 年月 in one cell of a row (年月 starting a pixel further left), the value beside
    lines = [_line("姓名", 40, 100), _line("夏金陵", 140, 100), _line("出生", 301, 94, h=14),
             _line("年月", 300, 108, h=14), _line("19940724", 400, 100)]
    out = joined(_result(lines), "layout").split("\n")
    assert [row.split() for row in out] == [["姓名", "夏金陵", "出生", "年月", "19940724"]], out
    # side by side, left to right whatever their height
    side = joined(_result([_line("年月", 300, 104), _line("出生", 360, 100)]), "layout")
    assert side.split() == ["年月", "出生"], side


def test_a_sloped_tax_table_is_written_as_its_two_rows():
    """A receipt's tax table whose rows slope (sroie__100's boxes as the engine gives them: each
    word level, a few px higher than the one to its left, so the heading row's boxes span enough
    to take in the values): its headings on one text line and its values on the next, each under
    its heading (it was one line: Tax Code SR % 6 Amt (RM) 700 Tax(RM) 042)."""
    boxes = [("Tax Code", 168, 1290, 307, 1332), ("%", 363, 1290, 398, 1328), ("Amt (RM)", 455, 1284, 590, 1322),
             ("Tax(RM)", 628, 1277, 761, 1320), ("SR", 171, 1325, 226, 1366), ("6", 367, 1320, 397, 1358),
             ("7.00", 518, 1314, 592, 1356), ("0.42", 688, 1309, 761, 1351)]
    lines = [_line(t, x0, y0, h=y1 - y0, w=x1 - x0) for t, x0, y0, x1, y1 in boxes]
    out = joined(_result(lines), "layout").split("\n")
    assert [row.split() for row in out] == [["Tax", "Code", "%", "Amt", "(RM)", "Tax(RM)"],
                                            ["SR", "6", "7.00", "0.42"]], out
    assert out[1].index("0.42") >= out[0].index("Tax(RM)") - 1, out
