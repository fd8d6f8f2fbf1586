"""Vertical writing (core/vertical.py): columns of upright Chinese characters read top to bottom,
columns right to left, on the real engine with pages drawn in a CJK font. Such a page is upright
(angle 0), not a page turned by 90 degrees; a horizontal heading above the columns comes first;
vertical lines are marked in the JSON; a page of horizontal text turned by 90 stays turned."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from desktop_ocr.core import layout, vertical
from desktop_ocr.core.image import LoadedImage
from desktop_ocr.core.model import OcrResult, TextLine
from desktop_ocr.core.recognizer import RecognizeOptions
from desktop_ocr.formats.text import layout_text
from tests.outputs import edit_distance

from .drawing import cjk_font_path, render_lines

# (punctuation inside the columns: drawn with a horizontal font, a full stop sits at the bottom
# left of its cell, and one ending a column is found as a box of its own)
COLUMNS = ["二〇二六年三月八日，晴", "小明去了北京的图书馆", "借了3本书、一支笔", "天地玄黄宇宙洪荒日月",
           "一二三四五六七八九十"]
HEADING = "千字文 第一章"
SIZE = 32
PITCH = 37  # a character per 37 px down a column
GAP = 58  # px from one column to the next
MARGIN = 40


def _vertical_page(columns: list[str], heading: str | None = None) -> Image.Image:
    """Columns drawn right to left, a character per cell, each centred in its column; an optional
    horizontal heading centred above them."""
    font = ImageFont.truetype(cjk_font_path(), SIZE)
    top = MARGIN + (int(SIZE * 2.5) if heading else 0)
    w = 2 * MARGIN + GAP * len(columns)
    h = top + PITCH * max(len(c) for c in columns) + MARGIN
    img = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(img)
    if heading:
        d.text(((w - font.getlength(heading)) / 2, MARGIN), heading, fill="black", font=font)
    for k, s in enumerate(columns):
        x = w - MARGIN - GAP * (k + 1) + (GAP - SIZE) // 2
        for j, ch in enumerate(s):
            d.text((x + (SIZE - font.getlength(ch)) / 2, top + PITCH * j), ch, fill="black", font=font)
    return img


def _column_x(page: Image.Image, k: int) -> tuple[float, float]:
    """The x extent of the k-th column (right to left) as drawn."""
    x = page.width - MARGIN - GAP * (k + 1)
    return float(x), float(x + GAP)




def _read(engine, page: Image.Image, **opts) -> OcrResult:
    return engine.recognize(LoadedImage(np.asarray(page.convert("RGB")).copy()), RecognizeOptions(**opts))


def _check_columns(lines: list[TextLine], page: Image.Image) -> None:
    """One line per column, right to left, the text within one edit of the column's, each marked
    vertical with its polygon on the column, top-left first."""
    got = [ln.text.replace(" ", "") for ln in lines]
    assert len(got) == len(COLUMNS), got
    for k, (ln, want) in enumerate(zip(lines, COLUMNS)):
        assert edit_distance(ln.text.replace(" ", ""), want) <= 1, (got, COLUMNS)
        assert ln.vertical
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = ln.polygon
        assert x0 < x1 and y1 < y2 and x2 > x3 and y3 > y0  # top-left, top-right, bottom-right, bottom-left
        lo, hi = _column_x(page, k)
        assert lo <= min(x0, x3) and max(x1, x2) <= hi, (k, ln.polygon)
        assert y3 - y0 > 2 * (x1 - x0)


@pytest.fixture(scope="module")
def page() -> Image.Image:
    return _vertical_page(COLUMNS)


@pytest.fixture(scope="module")
def result(engine, page) -> OcrResult:
    return _read(engine, page, chars=True)


def test_vertical_page_reads_columns_right_to_left_upright(result, page):
    assert result.angle_detected
    assert result.angle == 0.0
    _check_columns(result.lines, page)
    assert len({ln.paragraph for ln in result.lines}) == 1


def test_vertical_char_boxes_go_down_their_column(result, page):
    """Per-character boxes: from the character cells, one per Chinese character, top to bottom
    inside the column's polygon."""
    for ln in result.lines:
        assert ln.chars, ln.text
        assert "".join(c.text for c in ln.chars).replace(" ", "") == ln.text.replace(" ", "")
        xs = [p[0] for p in ln.polygon]
        ys = [p[1] for p in ln.polygon]
        tops = []
        for c in ln.chars:
            assert c.polygon is not None and len(c.polygon) == 4
            cx = [p[0] for p in c.polygon]
            cy = [p[1] for p in c.polygon]
            assert min(xs) - 1 <= min(cx) and max(cx) <= max(xs) + 1
            assert min(ys) - 1 <= min(cy) and max(cy) <= max(ys) + 1
            assert max(cy) - min(cy) < 2.0 * PITCH  # about one character tall
            tops.append(min(cy))
        assert tops == sorted(tops), ln.text


def test_mixed_page_heading_first_then_columns(engine):
    page = _vertical_page(COLUMNS, heading=HEADING)
    res = _read(engine, page)
    assert res.angle == 0.0
    head, *cols = res.lines
    assert head.text.replace(" ", "") == HEADING.replace(" ", "")
    assert not head.vertical
    _check_columns(cols, page)
    assert head.paragraph != cols[0].paragraph
    # the layout text mode writes the heading, then a column per line, right to left
    text = layout_text(res).split("\n")
    assert text[0].strip().replace(" ", "") == HEADING.replace(" ", "")
    assert [edit_distance(t.replace(" ", ""), c) <= 1 for t, c in zip(text[1:], COLUMNS)] == [True] * len(COLUMNS)


def test_vertical_page_turned_by_90(engine, page):
    """The vertical page turned 90 degrees clockwise: the columns are rows read right to left, their
    characters lying on their right side. That reads as a page turned by 180 whose rows hold
    characters lying on their left side (the recogniser reads those like upright ones): the columns'
    texts in their order, not marked vertical, angle 180, each polygon starting at its row's right
    end (where the reading starts in the image)."""
    turned = page.rotate(-90, expand=True)
    res = _read(engine, turned)
    assert res.angle == 180.0
    got = [ln.text.replace(" ", "") for ln in res.lines]
    assert len(got) == len(COLUMNS), got
    assert all(edit_distance(g, c) <= 2 for g, c in zip(got, COLUMNS)), got
    for ln in res.lines:
        assert not ln.vertical
        (x0, _), (x1, _) = ln.polygon[:2]
        assert x0 > x1


@pytest.mark.parametrize("skew", [-8, 12, -15])
def test_vertical_page_skewed_reads_columns_at_its_skew(engine, page, skew):
    # skewed by 8 degrees or more, a column's stacked reading (cells cut across the image) cuts
    # its leaning characters in two, so the columns were not recognised as such on the page as
    # given: the page was taken for one turned by 90 + skew (81.99 for -8), its columns read as
    # sideways lines. Checked again with the skew taken out, they are columns
    res = _read(engine, page.rotate(-skew, expand=True, fillcolor="white", resample=Image.BICUBIC))
    assert abs(res.angle - skew) <= 2.0, res.angle
    got = [ln.text.replace(" ", "") for ln in res.lines]
    assert len(got) == len(COLUMNS), got
    assert all(edit_distance(g, c) <= 1 for g, c in zip(got, COLUMNS)), got
    assert all(ln.vertical for ln in res.lines)


def test_horizontal_page_turned_by_90_stays_turned(engine):
    lines = ["第一章 光学字符识别", "识别结果按阅读顺序输出", "合计金额：1,234.50"]
    page = render_lines(lines, font_size=30)
    for angle in (90, 270):
        res = _read(engine, page.rotate(-angle, expand=True))
        assert res.angle == pytest.approx(90.0 if angle == 90 else -90.0, abs=1.0)
        assert [ln.text.replace(" ", "") for ln in res.lines] == [s.replace(" ", "") for s in lines]
        assert not any(ln.vertical for ln in res.lines)


def test_vertical_json_round_trip():
    col = TextLine("床前明月光", [(10, 10), (40, 10), (40, 160), (10, 160)], 0.9, vertical=True)
    row = TextLine("静夜思", [(10, 0), (90, 0), (90, 8), (10, 8)], 0.8)
    res = OcrResult(width=100, height=200, lines=[row, col])
    d = res.to_dict()
    assert "vertical" not in d["lines"][0]  # horizontal lines: the JSON as before
    assert d["lines"][1]["vertical"] is True
    back = OcrResult.from_dict(json.loads(json.dumps(d, ensure_ascii=False)))
    assert back == res
    assert [ln.vertical for ln in back.lines] == [False, True]
    assert json.dumps(back.to_dict()) == json.dumps(d)


def test_cells_one_per_character(page):
    """The cell cutter on one drawn column: a cell per character (二 and 三 not split, the small
    comma and full stop in cells of their own)."""
    arr = np.asarray(page.convert("RGB"))[:, :, ::-1]
    for k, s in enumerate(COLUMNS):
        x0, x1 = _column_x(page, k)
        top, bottom = MARGIN - 4, MARGIN + PITCH * len(s) + 4
        quad = np.array([[x0 + 8, top], [x1 - 8, top], [x1 - 8, bottom], [x0 + 8, bottom]], dtype=np.float32)
        cut = vertical.column_crop(arr, quad)
        assert cut is not None
        spans = vertical.cells(cut[0])
        assert len(spans) == len(s), (s, spans)
        assert all(b > a for a, b in spans)


def test_reading_order_puts_vertical_columns_right_to_left():
    heading = (100.0, 10.0, 300.0, 40.0)
    cols = [(300.0 - 60 * k, 60.0, 330.0 - 60 * k, 400.0) for k in range(4)]  # right to left
    boxes = [cols[2], heading, cols[0], cols[3], cols[1]]
    order, para = layout.reading_order(boxes, [True, False, True, True, True])
    assert order == [1, 2, 4, 0, 3]
    assert para[1] != para[2]
    # without the flags: left to right as before
    assert layout.reading_order(boxes)[0] == [1, 3, 0, 4, 2]


def test_searchable_pdf_lays_a_column_down_its_polygon(tmp_path):
    """A vertical line without character boxes: the invisible text runs down the column, a
    character per cell (not squeezed across the column's width)."""
    from desktop_ocr.formats.pdf import Page, read_text_layer, write_searchable_pdf

    col = TextLine("床前明月光", [(100, 20), (140, 20), (140, 220), (100, 220)], 0.9, vertical=True)
    row = TextLine("静夜思", [(20, 240), (140, 240), (140, 280), (20, 280)], 0.9)
    res = OcrResult(width=200, height=300, lines=[col, row])
    out = write_searchable_pdf([Page(res, pixels=np.full((300, 200, 3), 255, np.uint8))], tmp_path / "v.pdf")
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(out))
    dpi = 72 * res.width / doc[0].get_width()
    doc.close()
    found = read_text_layer(out, 0, dpi=dpi)
    assert found is not None
    # PDFium breaks the column into a line per character (each sits below the one before)
    chars = [c for ln in found.lines for c in (ln.chars or []) if c.text in col.text]
    assert "".join(c.text for c in chars) == "床前明月光"
    centres = [(sum(p[0] for p in c.polygon) / 4, sum(p[1] for p in c.polygon) / 4)
               for c in chars if c.polygon]
    assert len(centres) == 5
    assert all(100 <= x <= 140 for x, _ in centres), centres
    ys = [y for _, y in centres]
    assert ys == sorted(ys) and ys[-1] - ys[0] > 120, centres


def _form_with_spaced_labels() -> Image.Image:
    """A form drawn here: three rows of label/value cells whose one-character values (男, 汉, 是)
    stand in one column, a photo cell with 二寸照片 set down it one character at a time, and a
    remarks cell whose label 备注 is spread over its height."""
    f = ImageFont.truetype(cjk_font_path(), 28)
    img = Image.new("RGB", (760, 420), "white")
    d = ImageDraw.Draw(img)
    rows = [("性别", "男", "工作单位", "上海浦东新区"), ("民族", "汉", "联系电话", "021-62345678"),
            ("党员", "是", "毕业院校", "复旦大学")]
    for r, cells in enumerate(rows):
        y = 30 + 60 * r
        for x0, x1, t in zip((30, 150, 230, 390), (150, 230, 390, 620), cells):
            d.rectangle((x0, y, x1, y + 60), outline="black", width=2)
            d.text((x0 + 14, y + 14), t, font=f, fill="black")
    d.rectangle((620, 30, 730, 210), outline="black", width=2)
    for k, ch in enumerate("二寸照片"):
        d.text((661, 44 + 40 * k), ch, font=f, fill="black")
    d.rectangle((30, 210, 150, 390), outline="black", width=2)
    d.rectangle((150, 210, 730, 390), outline="black", width=2)
    for k, ch in enumerate("备注"):
        d.text((76, 236 + 84 * k), ch, font=f, fill="black")
    d.text((170, 286), "表内信息均真实有效", font=f, fill="black")
    return img


def test_a_label_set_down_a_form_cell_one_character_at_a_time_reads_as_one_vertical_line(engine):
    """The detector finds 二寸照片 and 备注 as one box per character; each is read as one vertical
    line (top to bottom, a character box each) in its place, while the table's one-character values
    男/汉/是, one above the other in their column, stay the values of their own rows."""
    res = _read(engine, _form_with_spaced_labels(), chars=True)
    assert res.angle == 0.0
    texts = [ln.text for ln in res.lines]
    assert "二寸照片" in texts and "备注" in texts, texts
    for label in ("二寸照片", "备注"):
        ln = res.lines[texts.index(label)]
        assert ln.vertical
        assert [c.text for c in ln.chars] == list(label)
        tops = [min(p[1] for p in c.polygon) for c in ln.chars]
        assert tops == sorted(tops)
        (x0, y0), (x1, _), (_, y2), _ = ln.polygon
        assert y2 - y0 > 2.5 * (x1 - x0)  # a column, as it stands
    for value in ("男", "汉", "是"):
        assert value in texts and not res.lines[texts.index(value)].vertical, texts
    assert texts.index("性别") + 1 == texts.index("男") and texts.index("民族") + 1 == texts.index("汉")
    # the layout text mode writes each label across, in the row level with its middle
    rows = [row.split() for row in layout_text(res).split("\n")]
    assert ["民族", "汉", "联系电话", "021-62345678", "二寸照片"] in rows, rows
    assert ["备注", "表内信息均真实有效"] in rows, rows


def _form_with_a_label_in_two_parts() -> Image.Image:
    """A form drawn here: a tall label cell on the left whose label 从高中填起本人简历 is set tight at
    first and then spread out (the detector finds 从高中填起本人 as one tall box and 简 and 历 one box
    each), a vertical label 家庭主要成员 on the right, rows of cells between them."""
    f = ImageFont.truetype(cjk_font_path(), 28)
    img = Image.new("RGB", (760, 560), "white")
    d = ImageDraw.Draw(img)

    def column(x: int, y: int, text: str, step: int) -> int:
        for ch in text:
            d.text((x, y), ch, font=f, fill="black")
            y += step
        return y

    d.rectangle((30, 30, 110, 520), outline="black", width=2)
    column(56, column(56, 50, "从高中填起本人", 31) + 60, "简历", 75)
    d.rectangle((650, 30, 730, 520), outline="black", width=2)
    column(676, 60, "家庭主要成员", 31)
    rows = [("起止年月", "工作单位"), ("2001009-201206", "上海中学"), ("201209-201606", "苏州大学")]
    for r, (a, b) in enumerate(rows):
        y = 30 + 60 * r
        d.rectangle((110, y, 400, y + 60), outline="black", width=2)
        d.rectangle((400, y, 650, y + 60), outline="black", width=2)
        d.text((124, y + 14), a, font=f, fill="black")
        d.text((414, y + 14), b, font=f, fill="black")
    return img


def test_a_label_found_as_a_column_and_then_character_by_character_reads_as_one_line(engine):
    res = _read(engine, _form_with_a_label_in_two_parts(), chars=True)
    texts = [ln.text for ln in res.lines]
    assert "从高中填起本人简历" in texts and "简历" not in texts, texts
    ln = res.lines[texts.index("从高中填起本人简历")]
    assert ln.vertical
    assert "".join(c.text for c in ln.chars) == ln.text
    tops = [min(p[1] for p in c.polygon) for c in ln.chars]
    assert tops == sorted(tops)
    (x0, y0), (x1, _), (_, y2), _ = ln.polygon
    assert y0 < 60 and y2 > 430 and x1 - x0 < 60  # the whole label, top to bottom, as it stands
    assert "家庭主要成员" in texts


def _form_with_a_spread_label_beside_rows() -> Image.Image:
    """A form drawn here: the label 学习工作简历 down a tall cell on the left, spread over it (学, 习
    and 工 far apart, 作简 set close, 历 far below), the rows of the history it names on the
    right, without borders between them: 学 stands level with the first row and 习 with the third,
    as a table's values stand level with their rows."""
    f = ImageFont.truetype(cjk_font_path(), 28)
    img = Image.new("RGB", (720, 520), "white")
    d = ImageDraw.Draw(img)
    d.rectangle((30, 30, 110, 490), outline="black", width=2)
    d.rectangle((110, 30, 690, 490), outline="black", width=2)
    for ch, y in zip("学习工作简历", (50, 125, 200, 275, 306, 420)):
        d.text((56, y), ch, font=f, fill="black")
    for k, (when, where) in enumerate([("2015.6-至今", "晶科电力科技"), ("2011.9-2015.6", "山西大学"),
                                       ("2008.9-2011.6", "哈尔滨第二中学")]):
        d.text((130, 50 + 40 * k), when, font=f, fill="black")
        d.text((400, 50 + 40 * k), where, font=f, fill="black")
    return img


@pytest.mark.parametrize("turn", [0, 90, -8])
def test_a_label_spread_beside_a_table_s_rows_and_found_in_pieces_reads_as_one_line(engine, turn):
    """The detector finds such a label as lone characters and a piece of two: the characters
    level with rows alone would be a table's values; with the piece and the character below it
    they are one column, read top to bottom, on the page upright, turned or skewed."""
    res = _read(engine, _form_with_a_spread_label_beside_rows().rotate(-turn, expand=True, fillcolor="white"))
    assert res.angle == pytest.approx(turn, abs=0.5)
    texts = [ln.text.replace(" ", "") for ln in res.lines]
    assert "学习工作简历" in texts, texts
    assert not any(t in texts for t in ("学", "习", "工", "历", "作简")), texts
    assert res.lines[texts.index("学习工作简历")].vertical
    for row in ("2015.6-至今", "晶科电力科技", "2011.9-2015.6", "山西大学"):
        assert row in texts, texts


def test_char_stacks_joins_a_spaced_column_and_not_a_table_s_rows():
    """Geometry only: four lone characters down one axis, nothing level beside them, are one column;
    the same four each level with a label of their own beside them are a table's values."""
    column = [(100, 40 + 40 * k, 130, 70 + 40 * k) for k in range(4)]
    texts = list("二寸照片")
    assert vertical.char_stacks(column, texts) == [[0, 1, 2, 3]]
    labels = [(20, 40 + 40 * k, 80, 70 + 40 * k) for k in range(4)]
    assert vertical.char_stacks(column + labels, texts + ["性别", "民族", "党员", "学历"]) == []
    # lone characters of other sizes, or off the axis, are not one column either
    assert vertical.char_stacks([(100, 40, 130, 70), (100, 80, 160, 140)], ["二", "寸"]) == []
    assert vertical.char_stacks([(100, 40, 130, 70), (130, 80, 160, 110)], ["二", "寸"]) == []


def test_char_stacks_takes_a_column_s_piece_found_as_one_box():
    """Geometry only: lone characters, a tall box of two (a piece of the column found as one) and a
    character below it are one column, though two of the lone ones stand level with rows beside
    them; the lone ones alone would be a table's values, and two pieces without a lone character
    are left to the detector (two tiers of a vertical page's columns)."""
    column = [(100, 40, 130, 70), (100, 115, 130, 145), (100, 190, 130, 220), (100, 265, 130, 330),
              (100, 395, 130, 425)]
    texts = ["学", "习", "工", "作简", "历"]
    rows = [(150, 40, 330, 70), (150, 115, 330, 145)]
    assert vertical.char_stacks(column + rows, texts + ["2015.6-至今", "2008.9-2011.6"]) == [[0, 1, 2, 3, 4]]
    assert vertical.char_stacks(column[:3] + rows, texts[:3] + ["2015.6-至今", "2008.9-2011.6"]) == []
    assert vertical.char_stacks([(100, 40, 130, 100), (100, 130, 130, 190)], ["天地", "玄黄"]) == []
    # a box of two that is not tall (a word across) is no piece of a column
    assert vertical.char_stacks([(100, 40, 130, 70), (100, 100, 160, 130)], ["作", "简历"]) == []


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_a_turned_form_with_vertical_labels_reads_as_upright(engine, turn):
    # turned back exactly, the page is read as the same page upright: its labels set down their
    # cells are vertical lines there too, whole and in the same places of the reading order
    page = _form_with_a_label_in_two_parts()
    upright = _read(engine, page)
    turned = _read(engine, page.rotate(-turn, expand=True))
    assert turned.angle == float(turn if turn <= 180 else turn - 360)
    assert [(ln.text, ln.vertical) for ln in turned.lines] == [(ln.text, ln.vertical) for ln in upright.lines]


def test_ideographs_are_chinese_characters_only_spaces_left_out():
    """vertical.ideographs, what the column, grid and spare-row rules ask of a line's text."""
    assert all(vertical.ideographs(t) for t in ["学历", "学 位", "王㑇", "\uf92c"])
    assert not any(vertical.ideographs(t) for t in ["", "  ", "学位:", "学，", "１２", "かな", "A4纸", "〇"])
    assert vertical.ideographs("学 位", 2) and not vertical.ideographs("学", 2) and not vertical.ideographs("学5", 2)
