"""Reading order and paragraphs: synthetic boxes for the rules, a drawn page through the engine."""

from __future__ import annotations

import itertools

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from desktop_ocr.core.image import LoadedImage
from desktop_ocr.core.layout import reading_order

from .drawing import cjk_font_path


def test_rows_top_to_bottom_left_to_right():
    # a receipt: item left, price right, slightly different heights and tops
    boxes = [(400, 102, 480, 128), (20, 100, 300, 130), (20, 150, 260, 178), (410, 149, 480, 180),
             (20, 10, 480, 50)]
    order, _ = reading_order(boxes)
    assert order == [4, 1, 0, 2, 3]


def test_two_prose_columns_read_column_by_column():
    left = [(20, 100 + 40 * i, 300, 130 + 40 * i) for i in range(5)]
    right = [(340, 100 + 40 * i, 620, 130 + 40 * i) for i in range(5)]
    title = [(20, 20, 620, 60)]
    boxes = right + title + left  # input order must not matter
    order, para = reading_order(boxes)
    assert order == [5] + [6 + i for i in range(5)] + [i for i in range(5)]
    assert para[5] < para[6] < para[0]  # title, left column, right column: separate paragraphs


def test_form_key_value_pairs_stay_in_rows():
    keys = [(20, 100 + 40 * i, 120, 130 + 40 * i) for i in range(5)]
    values = [(300, 100 + 40 * i, 600, 130 + 40 * i) for i in range(5)]
    order, _ = reading_order(keys + values)
    assert order == [j for i in range(5) for j in (i, 5 + i)]


def test_paragraphs_from_gaps_and_indentation():
    h = 30
    boxes = [
        (20, 0, 600, h), (20, 40, 600, 40 + h), (20, 80, 300, 80 + h),  # para 0, last line short
        (70, 120, 600, 120 + h), (20, 160, 600, 160 + h),  # indented first line: para 1
        (20, 260, 600, 260 + h), (20, 300, 500, 300 + h),  # after a wide gap: para 2
    ]
    order, para = reading_order(boxes)
    assert order == list(range(7))
    assert para == [0, 0, 0, 1, 1, 2, 2]


def test_empty():
    assert reading_order([]) == ([], [])


def test_engine_numbers_paragraphs_on_a_drawn_page(engine):
    font = ImageFont.truetype(cjk_font_path(), 28)
    img = Image.new("RGB", (900, 560), "white")
    d = ImageDraw.Draw(img)
    rows = [(40, 40, "第一段第一行文字内容比较长一些"), (40, 85, "第一段第二行"),
            (40, 220, "第二段开始的一行文字"), (40, 265, "第二段的最后一行")]
    for x, y, s in rows:
        d.text((x, y), s, fill="black", font=font)
    d.text((40, 420), "Left column", fill="black", font=font)
    d.text((600, 420), "Right 12.50", fill="black", font=font)
    res = engine.recognize(LoadedImage(np.asarray(img).copy()))
    texts = [ln.text.replace(" ", "") for ln in res.lines]
    assert texts == ["第一段第一行文字内容比较长一些", "第一段第二行", "第二段开始的一行文字", "第二段的最后一行",
                     "Leftcolumn", "Right12.50"]
    paras = [ln.paragraph for ln in res.lines]
    assert paras[0] == paras[1] == 0
    assert paras[2] == paras[3] == 1
    assert paras[4] == paras[5] == 2
    assert res.text.split("\n\n")[1].replace(" ", "") == "第二段开始的一行文字\n第二段的最后一行"


def test_a_two_line_label_beside_a_centred_value_keeps_its_lines_in_order():
    """A form row: a label of two lines (Chinese over English) with its value centred on the pair.
    The value overlaps both lines, which must not join them into one row read left to right (the
    English line first, as it starts further left)."""
    boxes = [(176, 371, 351, 405), (747, 374, 963, 405),  # 从业人数, 其中：外籍人员人数
             (485, 391, 530, 424), (1099, 393, 1144, 427),  # the values 78 and 26
             (150, 404, 374, 438), (746, 405, 964, 439)]  # Number of employees, Number of foreigners
    for shift in (-6, 0, 6):  # the value a little higher or lower (a page skewed and deskewed)
        moved = [(x0, y0 + shift, x1, y1 + shift) if i in (2, 3) else (x0, y0, x1, y1)
                 for i, (x0, y0, x1, y1) in enumerate(boxes)]
        order, _ = reading_order(moved)
        assert order.index(0) < order.index(4) and order.index(1) < order.index(5), (shift, order)


def test_a_label_written_over_two_lines_in_a_row_of_cells_is_read_whole_in_its_place():
    """A table's header row where one cell's label is set over two lines (年 over 龄, centred on
    the row's other labels): the label is read top line then bottom line, in its place in the row,
    before the cell to its right and before the next row (it was read 年, 工作单位, ... 龄)."""
    boxes = [(308, 1092, 384, 1132), (422, 1091, 496, 1131),  # 称呼 姓名
             (541, 1077, 571, 1114), (538, 1109, 571, 1147),  # 年 over 龄
             (787, 1091, 1044, 1131),  # 工作单位
             (291, 1149, 358, 1192), (402, 1152, 498, 1196), (518, 1150, 561, 1188)]  # 父亲 夏自文 51
    order, _ = reading_order(boxes)
    assert order == [0, 1, 2, 3, 4, 5, 6, 7]


def test_a_two_line_label_whose_value_reaches_half_way_into_its_second_line_is_read_whole():
    """A form skewed by 5 degrees and deskewed (xfund_zh val_7 of the evaluation set, boxes as the
    engine gives them): the values beside a label set over two lines reach just under half way
    down its second line, so the second line overlapped the row by a pixel too little and was read
    after the whole row (毕业院校, 苏州大学, 学历, 本科学士, 及专业, 学位); upright it was read whole."""
    boxes = [(357.9, 523.1, 463.3, 559.5), (492.7, 533.3, 616.2, 576.5),  # 毕业院校 苏州大学
             (935.6, 521.9, 994.5, 561.7), (1047.7, 536.7, 1168.9, 576.5),  # 学历 本科学士
             (367.0, 557.2, 455.3, 597.0), (935.6, 557.2, 995.6, 595.8)]  # 及专业 (under 毕业院校) 学位
    order, _ = reading_order(boxes)
    assert order == [0, 4, 1, 2, 5, 3]
    boxes = [(377.2, 1328.1, 437.2, 1366.8), (467.8, 1335.0, 536.9, 1379.3),  # 主要 母亲
             (713.6, 1345.2, 758.9, 1382.7), (377.2, 1364.5, 437.2, 1403.2)]  # 49 成员 (under 主要)
    order, _ = reading_order(boxes)
    assert order == [0, 3, 1, 2]


def test_receipt_lines_whose_boxes_overlap_are_still_read_row_by_row():
    """Items under each other whose boxes overlap by a third of a line, each with its price level
    with it: a price is level with its item, not centred between it and the next item, so the
    next item is not taken for its item's second line."""
    boxes = []
    for r in range(5):
        y = 100 + 20 * r
        boxes += [(20, y, 300, y + 30), (400, y + 1, 480, y + 29)]
    order, _ = reading_order(boxes)
    assert order == list(range(len(boxes)))


def test_a_note_under_a_date_is_not_taken_for_the_date_s_second_line_beside_a_taller_date():
    """A form's signature row (xfund_zh val_3 of the evaluation set, upright, boxes as the engine
    gives them): 年11月12日 with (盖章) under it, and beside it a taller 2019年11月12日 that reaches
    below the first date. That date is level with the first, not centred on the pair, so the row
    is read first and the notes under it after."""
    boxes = [(449.2, 1339.0, 631.2, 1374.7), (914.2, 1323.1, 1167.2, 1385.6),  # 年11月12日 2019年11月12日
             (499.2, 1369.7, 612.3, 1407.9), (1031.2, 1371.6, 1140.3, 1406.9)]  # (盖章) (盖章)
    order, _ = reading_order(boxes)
    assert order == [0, 1, 2, 3]


def test_a_label_centred_on_two_rows_of_options_leaves_the_rows_read_one_after_the_other():
    """A form's project type (xfund_zh val_11 of the evaluation set, upright, boxes as the engine
    gives them): the label 项目类型 is centred on two rows of check-box options to its right. The
    options' second row is not the first option's second line: the first row is read across
    before it (the label's own place is not asserted here)."""
    boxes = [(203.85, 333.31, 294.1, 365.05), (353.73, 318.82, 558.74, 347.15),  # 项目类型 R研究开发类项目
             (579.75, 318.79, 723.97, 346.97), (784.76, 319.13, 927.98, 347.3),  # 市场销售类项目 合同开发类项目
             (988.75, 318.63, 1132.99, 347.45),  # 合同维护类项目
             (375.31, 357.64, 467.07, 391.9), (508.07, 359.14, 559.33, 391.56)]  # 模块开发 其它 (under R研究...)
    order, _ = reading_order(boxes)
    assert min(order.index(5), order.index(6)) > max(order.index(i) for i in (1, 2, 3, 4))


def test_two_columns_of_prose_set_half_a_line_apart_are_not_taken_for_labels_of_two_lines():
    """A report's two columns of prose whose lines are set half a line apart (xfund_zh val_1 skewed
    by -5 and deskewed; the column cut does not split that page): a line of one column reaches
    half way into the next line of the other, as a value centred on a label of two lines does, but
    long lines are not labels: the rows are read as they come, one line at a time."""
    boxes = [(919, 967, 1285, 991), (469, 998, 906, 1017), (918, 987, 1352, 1010),
             (469, 1016, 866, 1036), (918, 1007, 1106, 1029), (919, 1027, 1092, 1047)]
    order, _ = reading_order(boxes)
    assert order == [0, 1, 2, 3, 4, 5]  # the left column's next line was read before the right one's line


def test_a_dense_table_is_still_read_row_by_row():
    """Rows of one-line cells set close together (a gap of a tenth of a line) are not cells of two
    lines: each row is read across before the next."""
    rows = [(100 + 22 * r, 120 + 22 * r) for r in range(5)]
    boxes = [(x0, y0, x1, y1) for y0, y1 in rows for x0, x1 in ((50, 140), (200, 260), (320, 400))]
    order, _ = reading_order(boxes)
    assert order == list(range(len(boxes)))


def test_a_big_title_over_a_smaller_line_stays_in_its_own_row():
    """A line under a much taller one (a shop sign's big name over its slogan) is not the big
    line's second line: only lines of about the same height make a cell of two lines."""
    boxes = [(397, 101, 470, 230), (505, 62, 1460, 279), (1618, 178, 1745, 239),  # tall, title, small
             (183, 259, 469, 302)]  # the slogan under the first
    order, _ = reading_order(boxes)
    assert order.index(3) == 3


def test_a_sloped_tax_table_is_read_row_by_row():
    """A receipt photo's tax table whose rows slope by about 1.6 degrees (boxes as the engine
    gives them for sroie__100 of the evaluation set): each value's box overlaps the heading row
    enough to be taken into it, under its heading. The headings are read across, then the values
    (it was read Tax Code, SR, %, 6, Amt, 700, Tax, 042: column by column)."""
    boxes = [(168, 1290, 307, 1332), (363, 1290, 398, 1328), (455, 1284, 590, 1322), (628, 1277, 761, 1320),
             (171, 1325, 226, 1366), (367, 1320, 397, 1358), (518, 1314, 592, 1356), (688, 1309, 761, 1351)]
    order, _ = reading_order(boxes)
    assert order == [0, 1, 2, 3, 4, 5, 6, 7]



def test_the_engine_reads_a_receipt_s_sloping_tax_table_row_by_row(engine):
    """A drawn receipt whose tax table alone slopes (its words climb 3 px in every 100 px, as on
    a receipt photographed curled; the page's long lines are level, so nothing is deskewed): the
    engine reads the headings across, then the values."""
    font = ImageFont.truetype(cjk_font_path(), 24)
    img = Image.new("RGB", (760, 520), "white")
    d = ImageDraw.Draw(img)
    for y, s in ((40, "SIMPLIFIED TAX INVOICE 2017"), (90, "Total Sales (Inclusive of GST) 7.42"),
                 (140, "GST SUMMARY"), (330, "THANK YOU PLEASE COME AGAIN")):
        d.text((60, y), s, fill="black", font=font)
    for x, head, value in ((60, "Tax Code", "SR"), (260, "%", "6"), (380, "Amt (RM)", "7.00"),
                           (560, "Tax(RM)", "0.42")):
        rise = 0.03 * (x - 60)
        d.text((x, 200 - rise), head, fill="black", font=font)
        d.text((x + 10, 228 - rise), value, fill="black", font=font)
    res = engine.recognize(LoadedImage(np.asarray(img).copy()))
    texts = [ln.text.replace(" ", "") for ln in res.lines]
    assert texts[3:11] == ["TaxCode", "%", "Amt(RM)", "Tax(RM)", "SR", "6", "7.00", "0.42"]


def test_a_two_line_label_and_its_centred_value_read_the_same_a_pixel_or_two_either_way():
    """The form row above as the engine boxes it on xfund_zh val_9 of the evaluation set upright,
    then with its boxes a few pixels taller (as on the same page skewed and deskewed) and the
    value and the label's second line a pixel or two higher or lower. The value overlaps each
    of the label's lines by about half its height: the row was read label, label, English,
    value, English, value on some of these copies and label, English, value on the others. Its
    value is centred on the label's two lines, so each label is read with its second line and
    then its value, on every copy."""
    boxes = [(176, 371, 351, 405), (747, 374, 963, 405),  # 从业人数, 其中：外籍人员人数
             (485, 391, 530, 424), (1099, 393, 1144, 427),  # the values 78 and 26
             (150, 404, 374, 438), (746, 405, 964, 439)]  # Number of employees, Number of foreigners
    for grow, value, second in itertools.product((0, 2, 4), (-2, 0, 2), (-2, 0, 2)):
        moved = [(x0, y0 - grow + (value if i in (2, 3) else second if i in (4, 5) else 0),
                  x1, y1 + grow + (value if i in (2, 3) else second if i in (4, 5) else 0))
                 for i, (x0, y0, x1, y1) in enumerate(boxes)]
        order, _ = reading_order(moved)
        assert order == [0, 4, 2, 1, 5, 3], (grow, value, second, order)


def test_lines_of_two_rows_of_a_grid_are_not_taken_for_one_label_by_a_value_between_them():
    """xfund_zh val_5's grid, boxes as the engine gives them: 健康状况 and 熟悉专业 are labels of
    two rows, one under the other 16 px apart; 良好, the first one's value, sits lower than it,
    part way towards the second. And 2016, to the right of 政治 over 面貌 (one label over two
    touching lines), is the value of 参加工作时间 between them, which has the next row's label
    under it. Each row keeps its own label, each value its own."""
    boxes = [(762, 698, 880, 740), (927, 717, 1010, 759),  # 健康状况 良好
             (763, 756, 880, 797), (1000, 760, 1100, 798),  # 熟悉专业 and its value
             (210, 681, 270, 721), (211, 716, 270, 758),  # 政治 over 面貌
             (330, 705, 400, 747), (449, 700, 620, 738), (638, 705, 720, 748),  # 党员 参加工作时间 2016
             (477, 756, 600, 796)]  # 外语语种, the next row's label under 参加工作时间
    order, _ = reading_order(boxes)
    assert order.index(2) > order.index(1) and order.index(3) > order.index(2)  # 熟悉专业 after 良好
    assert order.index(5) == order.index(4) + 1 and order.index(6) == order.index(5) + 1  # 政治 面貌 党员
    assert order.index(8) == order.index(7) + 1  # 参加工作时间 2016
    assert order.index(9) > order.index(8)  # then the next row


def _bilingual_form() -> Image.Image:
    """A form whose labels are set over two lines, Chinese over a smaller English line, each
    with its value to the right centred on the pair."""
    zh, en = ImageFont.truetype(cjk_font_path(), 26), ImageFont.truetype(cjk_font_path(), 22)
    img = Image.new("RGB", (1100, 520), "white")
    d = ImageDraw.Draw(img)
    d.text((60, 40), "企业基本情况表", fill="black", font=zh)
    rows = ((130, ("从业人数", "Number of employees", "78"), ("其中：外籍人员人数", "Number of foreigners", "26")),
            (250, ("注册资本", "Registered capital", "500"), ("实收资本", "Paid-in capital", "300")))
    for y, *cells in rows:
        for (label, english, value), x, vx in zip(cells, (60, 560), (360, 900)):
            d.text((x, y), label, fill="black", font=zh)
            d.text((x, y + 30), english, fill="black", font=en)
            d.text((vx, y + 16), value, fill="black", font=zh)
    d.text((60, 420), "填表日期：2019年8月9日", fill="black", font=zh)
    return img


def test_the_engine_reads_a_bilingual_form_in_one_order_upright_and_skewed(engine):
    """Each label, its English line, then its value, on the form upright and skewed either way.
    Skewed by -5 it was read 从业人数, 78, 其中…, Number of foreigners, 26 and only then Number
    of employees: the deskewed page boxed 从业人数 1.5 times as tall as its English line, so the
    English line was not taken for its second line."""
    want = ["企业基本情况表", "从业人数", "Numberofemployees", "78", "其中：外籍人员人数", "Numberofforeigners", "26",
            "注册资本", "Registeredcapital", "500", "实收资本", "Paid-incapital", "300", "填表日期：2019年8月9日"]
    img = _bilingual_form()
    for skew in (0, -5, 5, -10):
        page = img.rotate(-skew, expand=True, fillcolor="white", resample=Image.BICUBIC) if skew else img
        res = engine.recognize(LoadedImage(np.asarray(page).copy()))
        assert [ln.text.replace(" ", "") for ln in res.lines] == want, skew


def test_a_line_level_with_a_two_line_label_joins_its_row_a_pixel_short_of_half():
    """xfund_zh val_10 skewed by -5 and deskewed, boxes as the engine gives them: 上级单位名称, a
    label at the left, overlaps the first line of the label 上级单位 over 组织机构代码 (its value
    与上级单位关系 centred on both) by half its height less half a pixel. That label's row reaches
    over both its lines from the start, so 上级单位名称 is read first in it, as upright."""
    boxes = [(104, 956, 256, 991), (524, 937, 630, 973), (499, 973, 651, 1008),  # 上级单位名称 上级单位 组织机构代码
             (899, 956, 1070, 991), (143, 1019, 212, 1067)]  # 与上级单位关系 序号
    order, _ = reading_order(boxes)
    assert order == [0, 1, 2, 3, 4]


def test_a_label_s_first_line_is_not_the_next_line_of_the_cell_above_it():
    """xfund_zh val_5 skewed by -5 and deskewed: 政治 over 面貌 (one label, its value 党员 centred
    on both) stands 14 px under 国籍, the label of the row above. Taken for 国籍's second line, it
    made one row of both rows (国籍, 政治, 面貌, 党员, 中国, 民族, ...), the photograph's box beside
    them joining the two."""
    boxes = [(210, 629, 304, 669), (334, 638, 404, 681), (488, 627, 586, 668),  # 国籍 中国 民族
             (624, 631, 668, 670), (770, 624, 870, 670), (900, 638, 1018, 677),  # 汉 籍贯 黑龙江省
             (208, 683, 304, 724), (208, 718, 304, 759), (328, 704, 396, 748),  # 政治 面貌 党员
             (448, 700, 622, 738), (632, 707, 708, 747),  # 参加工作时间 2016
             (760, 700, 880, 739), (922, 716, 990, 759),  # 健康状况 良好
             (1060, 659, 1154, 703)]  # 贴照片, a photograph's box down the right, between the rows
    order, _ = reading_order(boxes)
    assert order[:6] == [0, 1, 2, 3, 4, 5], order
    assert [i for i in order if i != 13][6:] == [6, 7, 8, 9, 10, 11, 12], order


# ReCTS 000003 (a shop sign), boxes as the engine gives them upright and skewed by +5 then
# deskewed: 聚百 蝦兵蟹煲 雪花 / 这是可以先吃 勇闯天涯 / 后涮的干锅菜 加盟电话 郑州总店 / 千锅虾
SIGN_UPRIGHT = [(400, 101, 479, 243), (503, 60, 1474, 309), (1621, 198, 1752, 266),
                (186, 261, 475, 310), (1595, 251, 1795, 325), (217, 311, 499, 364),
                (543, 292, 1209, 369), (1184, 298, 1448, 361), (892, 483, 1385, 555)]
SIGN_SKEWED = [(398, 99, 476, 241), (501, 57, 1472, 303), (1619, 192, 1751, 261),
               (184, 258, 473, 308), (1593, 245, 1794, 320), (216, 309, 498, 361),
               (542, 290, 1206, 365), (1188, 291, 1446, 356), (893, 479, 1383, 551)]


def test_lines_about_level_are_placed_left_to_right_so_a_tilt_of_a_pixel_decides_nothing():
    """Upright, 这是可以先吃 (centre 285.5) is placed before 勇闯天涯 (288) and starts the row
    勇闯天涯 joins. Deskewed, 勇闯天涯's centre comes half a pixel above; placed first, it was
    taken for the next line of 雪花 over it, and the page read 雪花 勇闯天涯 这是可以先吃. Lines
    whose centres are that close are placed as a level row's are: left to right."""
    upright, _ = reading_order(SIGN_UPRIGHT)
    skewed, _ = reading_order(SIGN_SKEWED)
    assert skewed == upright == [0, 1, 2, 3, 4, 5, 6, 7, 8]


def test_a_tall_line_widening_a_row_does_not_pull_the_next_row_s_line_into_it():
    """加盟电话 overlaps the extent of the row 这是可以先吃 勇闯天涯 (widened by the taller
    勇闯天涯) by a little over half, but neither of its lines by half: it starts the next row,
    with 后涮的干锅菜 and 郑州总店, instead of joining the row above; once taken into it, that row
    also swallowed 后涮的干锅菜 as 这是可以先吃's second line and put 勇闯天涯 after 郑州总店."""
    row = [SIGN_UPRIGHT[i] for i in (3, 4, 6)]  # 这是可以先吃 勇闯天涯 加盟电话
    order, _ = reading_order(row)
    assert order == [0, 1, 2]
    assert reading_order(SIGN_UPRIGHT)[0] == [0, 1, 2, 3, 4, 5, 6, 7, 8]
