"""A form's labels set in two close rows of spaced characters (学  历 over 学  位, 全 日 制 over
教  育): the detector boxes both rows as one line, or scores the lower row's box doubtful beside
the upper one; each row is read (engine._split_rows, engine._short_spares, core/rowsplit.py) on
the page upright and skewed."""

from __future__ import annotations

import collections

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from desktop_ocr.core import rotation, rowsplit
from desktop_ocr.core.image import LoadedImage

from .drawing import cjk_font_path, tight_line

#: two-row labels of a form's left column, and the cells beside them
LABELS = [("学历", "学位"), ("政治", "面貌"), ("联系", "方式"), ("全日制", "教育")]
CELLS = ("本科 四川大学 2016", "硕士 北京大学 2019")
FIELDS = [("姓名", "张三", "性别", "女"), ("民族", "汉", "籍贯", "四川省"),
          ("参加工作时间", "2016", "健康状况", "良好")]


def _form(size: int, spacing: float, leading: float) -> np.ndarray:
    """A form: a title, then per label its two rows (characters ``spacing`` type sizes apart, the
    rows ``leading`` type sizes apart) beside two rows of a cell, ruled between the labels."""
    font = ImageFont.truetype(cjk_font_path(), size)
    img = Image.new("RGB", (1100, 120 + len(LABELS) * int(size * 3.2)), "white")
    draw = ImageDraw.Draw(img)
    draw.text((40, 20), "个人基本情况登记表 Personal record", fill="black", font=font)
    y = 30 + 2 * size
    for pair in LABELS:
        for i, label in enumerate(pair):
            x = 60.0
            for ch in label:
                draw.text((x, y + i * size * (1 + leading)), ch, fill="black", font=font)
                x += font.getlength(ch) + spacing * size
        for i, cell in enumerate(CELLS):
            draw.text((400, y + i * size * (1 + leading)), cell, fill="black", font=font)
        draw.line((30, y - size * 0.5, 1000, y - size * 0.5), fill="black", width=2)
        y += int(size * 3.2)
    return np.asarray(img).copy()


def _skewed(px: np.ndarray, angle: float) -> np.ndarray:
    if not angle:
        return px
    h, w = px.shape[:2]
    m, nw, nh = rotation.rotation_matrix(w, h, -angle)
    return np.ascontiguousarray(rotation.warp_image(px, m, (nw, nh)))


def _missing(lines) -> str:
    """The labels' characters the reading does not have, in any order."""
    want = collections.Counter("".join(a + b for a, b in LABELS))
    got = collections.Counter("".join("".join(ln.text.split()) for ln in lines))
    return "".join(sorted((want - got).elements()))


def test_two_row_labels_lose_no_character(engine):
    """Labels a type size and a half apart in rows 0.3 of it apart, 20 px type, the form skewed by
    5 degrees: every character is read (教育's 育 was lost), the cells beside them as before."""
    res = engine.recognize(LoadedImage(_skewed(_form(20, 1.5, 0.3), 5)))
    assert _missing(res.lines) == "", [ln.text for ln in res.lines]
    texts = ["".join(ln.text.split()) for ln in res.lines]
    for cell in CELLS:
        assert texts.count(cell.replace(" ", "")) == len(LABELS), texts


def test_a_label_of_two_rows_set_close_reads_both(engine):
    """Labels a type size apart in rows 0.15 of it apart, upright: 政 治 over 面 貌, both rows
    boxed as one line, read as 政治 only, now reads 面貌 too."""
    res = engine.recognize(LoadedImage(_form(20, 1.0, 0.15)))
    texts = ["".join(ln.text.split()) for ln in res.lines]
    assert "政治" in texts and "面貌" in texts, texts


def test_two_rows_boxed_as_one_are_read_row_by_row(engine):
    """学 历 over 学 位, the rows a fifth of a type size apart, on a form skewed by 5 degrees: the
    detector boxes both rows as one line (the recogniser read it as '学位' at 0.96); each row is
    read."""
    res = engine.recognize(LoadedImage(_skewed(_grid_form(), 5)))
    texts = ["".join(ln.text.split()) for ln in res.lines]
    assert "学历" in texts and "学位" in texts, texts
    first, second = (next(ln for ln in res.lines if "".join(ln.text.split()) == t) for t in ("学历", "学位"))
    # one above the other on the page, each no taller than a row
    assert np.mean([p[1] for p in first.polygon]) < np.mean([p[1] for p in second.polygon])
    for ln in (first, second):
        ys = [p[1] for p in ln.polygon]
        assert max(ys) - min(ys) < 2.0 * 30, ln.polygon


def _grid_form() -> np.ndarray:
    """学 历 over 学 位 (30 px type, a type size apart, rows 0.2 of it apart) in a form's cell."""
    font = ImageFont.truetype(cjk_font_path(), 30)
    img = Image.new("RGB", (1000, 700), "white")
    draw = ImageDraw.Draw(img)
    draw.text((60, 40), "2020年报名登记表", fill="black", font=font)
    y = 120
    for row in FIELDS:
        for k, text in enumerate(row):
            draw.text((60 + k * 220, y), text, fill="black", font=font)
        draw.line((40, y - 15, 960, y - 15), fill="black", width=2)
        y += 70
    draw.line((40, y - 15, 960, y - 15), fill="black", width=2)
    top = y + 20
    for i, pair in enumerate(("学历", "学位")):
        draw.text((80, top + i * 36), pair[0], fill="black", font=font)
        draw.text((140, top + i * 36), pair[1], fill="black", font=font)
    draw.text((300, top), "全日制教育", fill="black", font=font)
    draw.text((300, top + 36), "在职教育", fill="black", font=font)
    draw.text((60, top + 110), "通讯地址 四川省成都市龙泉驿区", fill="black", font=font)
    return np.asarray(img).copy()


def _table_form() -> np.ndarray:
    """A ruled table, 30 px type, one cell holding 学 历 over 学 位: characters a type size and a
    half apart, the rows a tenth of it apart (xfund val_5's label is set so)."""
    font = ImageFont.truetype(cjk_font_path(), 30)
    img = Image.new("RGB", (1100, 900), "white")
    draw = ImageDraw.Draw(img)
    draw.text((60, 30), "2020年报名登记表", fill="black", font=font)
    rows = [("姓名", "张三", "性别", "女"), ("民族", "汉", "籍贯", "四川省"), (None, "本科", "毕业院校", "四川大学"),
            ("参加工作时间", "2016", "健康状况", "良好"), ("现工作单位", "成都市第一中学", "报考职位", "教师")]
    y = 100
    for row in rows:
        for k in range(5):
            draw.line((40 + k * 240, y, 40 + k * 240, y + 90), fill="black", width=2)
        draw.line((40, y, 1000, y), fill="black", width=2)
        for k, text in enumerate(row):
            if text is None:
                for i, pair in enumerate(("学历", "学位")):
                    top = y + 45 - 30 * 1.05 + i * 30 * 1.1
                    draw.text((80, top), pair[0], fill="black", font=font)
                    draw.text((80 + 45, top), pair[1], fill="black", font=font)
            else:
                draw.text((60 + k * 240, y + 30), text, fill="black", font=font)
        y += 90
    draw.line((40, y, 1000, y), fill="black", width=2)
    return np.asarray(img).copy()


def test_a_label_of_two_rows_boxed_by_columns_reads_row_by_row(engine):
    """The ruled table skewed by -15 degrees: the detector boxes 学 历 over 学 位 by columns (学学
    as one box, 历 and 位 apart, which were joined into a column 历位); the label's box is read
    row by row."""
    res = engine.recognize(LoadedImage(_skewed(_table_form(), -15)))
    texts = ["".join(ln.text.split()) for ln in res.lines]
    assert "学历" in texts and "学位" in texts, texts
    assert not any(t in ("学学", "历位", "历", "位") for t in texts), texts
    first, second = (next(ln for ln in res.lines if "".join(ln.text.split()) == t) for t in ("学历", "学位"))
    assert not first.vertical and not second.vertical


def test_grid_groups_of_a_label_boxed_by_columns():
    """A column piece of two characters and the two characters beside it are one label; a column
    beside a line across, or a page of columns, is not."""
    boxes = [(100, 100, 130, 170), (145, 100, 175, 130), (145, 140, 175, 170)]  # 学学 | 历 over 位
    texts = ["学学", "历", "位"]
    page = [(300, 100 + 40 * k, 700, 130 + 40 * k) for k in range(12)]  # a form's lines across
    lines = ["成都市第一中学 本科"] * 12
    flags = [True] * 15
    assert rowsplit.grid_groups(boxes + page, texts + lines, flags) == [([0, 1, 2], 2)]
    # 历 and 位 as one line across beside the piece: no column of characters there
    assert rowsplit.grid_groups([boxes[0], (145, 100, 260, 130)] + page, ["学学", "历位"] + lines, flags[:14]) == []
    # digits beside the piece are not its label's characters
    assert rowsplit.grid_groups(boxes + page, ["学学", "1", "2"] + lines, flags) == []
    # a page of columns is vertical writing, not labels
    columns = [(100 + 45 * k, 100, 130 + 45 * k, 170) for k in range(8)]
    assert rowsplit.grid_groups(columns + page[:4], ["学学"] * 8 + lines[:4], [True] * 12) == []


def test_a_lower_row_boxed_doubtful_is_kept(engine):
    """The same form upright: the detector boxes 学位 apart but scores it under its threshold, and
    a doubtful box of two characters on a page of many lines was let go as a speck would be."""
    res = engine.recognize(LoadedImage(_grid_form()))
    texts = ["".join(ln.text.split()) for ln in res.lines]
    assert "学历" in texts and "学位" in texts, texts


@pytest.mark.parametrize("text", ["吕", "昌", "晶"])
def test_a_tall_line_of_one_row_is_not_cut_apart(engine, text):
    """A heading of one character made of boxes of ink one above the other, over twice the size
    of a form's lines (two bands of ink across its box): read whole, not as rows."""
    img = Image.fromarray(_grid_form())
    ImageDraw.Draw(img).text((650, 560), text, fill="black", font=ImageFont.truetype(cjk_font_path(), 72))
    res = engine.recognize(LoadedImage(np.asarray(img).copy()))
    texts = ["".join(ln.text.split()) for ln in res.lines]
    assert text in texts, texts


def test_row_bands_of_two_rows_and_of_one():
    """The ink's rows: two bands across a crop of two rows, cut between them; one across a line."""
    two = np.concatenate([tight_line("学 历", 30, 3), tight_line("学 位", 30, 3)], axis=0)
    bands = rowsplit.row_bands(rowsplit.ink_runs(two[:, :, ::-1]))
    assert len(bands) == 2
    (cut,) = rowsplit.row_cuts(bands, two.shape[0])
    assert bands[0][1] / two.shape[0] < cut < bands[1][0] / two.shape[0]
    top, bottom = rowsplit.sub_frames(np.array([[0, 0], [100, 0], [100, 80], [0, 80]], np.float32), [cut])
    assert top[2][1] == bottom[1][1] == np.float32(80 * cut)

    # the same two rows in a tall box's crop, margins above and below: each row is under a quarter of
    # the crop, and still a row of the height their ink spans
    margin = np.full((60, two.shape[1], 3), 255, np.uint8)
    loose = np.concatenate([margin, two, margin], axis=0)
    assert [(a - 60, b - 60) for a, b in rowsplit.row_bands(rowsplit.ink_runs(loose[:, :, ::-1]))] == bands
    assert all(b - a < rowsplit.SPLIT_BAND * loose.shape[0] for a, b in bands)
    # 二's two strokes are not two rows, however much margin
    er = tight_line("二", 30, 3)
    er = np.concatenate([margin[:, :er.shape[1]], er, margin[:, :er.shape[1]]], axis=0)
    assert len(rowsplit.row_bands(rowsplit.ink_runs(er[:, :, ::-1]))) < 2

    one = tight_line("全日制教育 2016", 30, 3)
    assert len(rowsplit.row_bands(rowsplit.ink_runs(one[:, :, ::-1]))) == 1
    light = 255 - one  # light print on dark
    assert len(rowsplit.row_bands(rowsplit.ink_runs(light[:, :, ::-1]))) == 1
