"""Large images: tiles that cover the image, merging of boxes seen by two tiles, and a real
800 x 12000 strip of small text recognised completely with correct coordinates."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from desktop_ocr.core import tiling
from desktop_ocr.core.image import LoadedImage
from desktop_ocr.core.recognizer import RecognizeOptions

from .drawing import cjk_font_path, tall_strip


def _quad(x0, y0, x1, y1):
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32)


def test_tiles_cover_the_image_with_overlap():
    for w, h in [(800, 12000), (5000, 3000), (2600, 2600), (1000, 800)]:
        tiles = tiling.plan_tiles(w, h)
        cover = np.zeros((h // 10 + 1, w // 10 + 1), bool)
        for t in tiles:
            assert 0 <= t.x0 < t.x1 <= w and 0 <= t.y0 < t.y1 <= h
            assert t.x1 - t.x0 <= tiling.TILE_SIZE and t.y1 - t.y0 <= tiling.TILE_SIZE
            cover[t.y0 // 10:t.y1 // 10, t.x0 // 10:t.x1 // 10] = True
        assert cover[: h // 10, : w // 10].all()
        ys = sorted({t.y0 for t in tiles})
        ends = sorted({t.y1 for t in tiles})
        for nxt, end in zip(ys[1:], ends):
            assert end - nxt >= tiling.TILE_OVERLAP  # neighbours overlap by at least that much


def test_tile_count_is_bounded_by_scaling():
    assert tiling.tiling_scale(800, 12000) == 1.0
    s = tiling.tiling_scale(20000, 20000)
    assert s < 1.0 and len(tiling.plan_tiles(int(20000 * s), int(20000 * s))) <= tiling.MAX_TILES


def test_merge_drops_duplicates_and_cut_pieces():
    top = tiling.Tile(0, 0, 800, 1600)
    bottom = tiling.Tile(0, 1300, 800, 2900)
    pieces = [
        (_quad(50, 1400, 600, 1430), 0.9, top),  # whole in both tiles
        (_quad(50, 1401, 601, 1431), 0.8, bottom),
        (_quad(50, 1585, 500, 1600), 0.7, top),  # cut by the top tile's lower edge ...
        (_quad(50, 1585, 500, 1612), 0.9, bottom),  # ... whole in the bottom tile
        (_quad(50, 100, 300, 130), 0.9, top),
    ]
    quads, scores = tiling.merge_tile_boxes(pieces, 800, 2900)
    rects = sorted((int(q[:, 1].min()), int(q[:, 1].max())) for q in quads)
    assert len(rects) == 3  # one box per line: the duplicate and the cut piece are gone
    assert rects[0] == (100, 130)
    assert abs(rects[1][0] - 1400) <= 1 and abs(rects[1][1] - 1430) <= 1
    assert rects[2] == (1585, 1612)  # the whole version, not the piece cut at y=1600


def test_merge_joins_a_line_cut_by_a_vertical_border():
    left = tiling.Tile(0, 0, 1600, 1000)
    right = tiling.Tile(1344, 0, 2944, 1000)
    pieces = [(_quad(1000, 500, 1600, 530), 0.9, left), (_quad(1344, 501, 2100, 531), 0.9, right)]
    quads, _ = tiling.merge_tile_boxes(pieces, 2944, 1000)
    assert len(quads) == 1
    q = quads[0]
    assert q[:, 0].min() <= 1001 and q[:, 0].max() >= 2099


def test_merge_keeps_a_whole_line_inside_a_taller_piece_cut_from_it():
    # measured on a real form skewed by 15 and deskewed (2411 x 2705, tiles at x 0 and 811): the
    # left tile found '2. 高等职业教育...' whole (796-1103, 20 px tall); the right tile cut it at
    # its left edge (816-1103) but boxed it 24 px tall, so the piece was the larger box and the
    # whole line, lying mostly inside it, was dropped as a duplicate: the line lost its '2.'
    left = tiling.Tile(0, 0, 1600, 1600)
    right = tiling.Tile(811, 0, 2411, 1600)
    pieces = [(_quad(796, 726, 1103, 746), 0.9, left), (_quad(813, 723, 1103, 747), 0.9, right),
              (_quad(900, 900, 1000, 930), 0.9, left), (_quad(900, 899, 1000, 931), 0.9, right)]
    quads, _ = tiling.merge_tile_boxes(pieces, 2411, 1600)
    rects = sorted((round(float(q[:, 0].min())), round(float(q[:, 1].min())), round(float(q[:, 0].max())))
                   for q in quads)
    assert len(rects) == 2, rects  # one box per line
    assert rects[0][0] <= 797 and rects[0][2] >= 1102  # the line from its start, not from the border
    assert rects[1][0] == 900 and rects[1][2] == 1000  # a duplicate seen whole by both stays as it was


def test_merge_joins_a_column_cut_by_a_horizontal_border():
    # measured on a real form skewed by 15 and deskewed (2428 x 2717, tiles at y 0 and 1117): the
    # upper tile found a vertical label column as one box (1020-1254) and its last characters
    # apart; the lower tile cut it at its top edge (1117-1324). They overlapped by 137 px, just
    # under the share that drops one as a duplicate, and both were read: '填起' twice
    upper = tiling.Tile(0, 0, 1600, 1600)
    lower = tiling.Tile(0, 1117, 1600, 2717)
    pieces = [(_quad(717, 1020, 753, 1254), 0.75, upper), (_quad(719, 1240, 750, 1291), 0.64, upper),
              (_quad(718, 1276, 750, 1322), 0.70, upper), (_quad(713, 1117, 753, 1324), 0.70, lower),
              (_quad(704, 935, 767, 977), 0.85, upper)]  # the cell's label above, apart
    quads, _ = tiling.merge_tile_boxes(pieces, 1600, 2717)
    rects = sorted((int(q[:, 1].min()), int(q[:, 1].max())) for q in quads)
    assert len(rects) == 2, rects
    assert rects[0] == (935, 977)
    assert rects[1][0] <= 1021 and rects[1][1] >= 1323  # one box down the whole column


def test_merge_does_not_join_two_lines_one_above_the_other_as_a_column():
    # the ends of two short lines set close, one above the other (their unclipped boxes overlap
    # by a few pixels), both cut by the right tile's left edge: as wide as each other and
    # overlapping down the page, but wide boxes, two lines and not one column
    right = tiling.Tile(1344, 0, 2944, 1000)
    pieces = [(_quad(1344, 500, 1420, 530), 0.9, right), (_quad(1344, 522, 1410, 552), 0.9, right)]
    quads, _ = tiling.merge_tile_boxes(pieces, 2944, 1000)
    assert len(quads) == 2


@pytest.mark.parametrize("skew", [0, 5, -8])
def test_a_large_page_of_vertical_writing_reads_each_column_once(engine, skew):
    # 1400 x 3300 px: tiled, its tiles' borders at y 850, 1600, 1700 and 2450 cross every column of
    # 60 characters (150-2790 px). Before cut columns were joined as cut lines are, the six
    # columns came back as twelve overlapping pieces, each read, so most characters twice.
    # Skewed, the rectangles round neighbouring columns' pieces overlap, though the pieces do not:
    # joined as pieces of one row, the page came back as two or three blobs (9 characters at 5
    # degrees) or, at -8, as a page turned by 82
    text = ("天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏闰余成岁律吕调阳云腾致雨露结为霜金生丽水"
            "玉出昆冈剑号巨阙珠称夜光果珍李柰菜重芥姜海咸河淡鳞潜羽翔龙师火帝鸟官人皇始制文字乃服衣裳")
    font = ImageFont.truetype(cjk_font_path(), 36)
    img = Image.new("RGB", (1400, 3300), "white")
    d = ImageDraw.Draw(img)
    columns = [text[k * 4:k * 4 + 60] for k in range(6)]
    for k, column in enumerate(columns):  # right to left
        x = 1400 - 150 - 120 * (k + 1)
        for j, ch in enumerate(column):
            d.text((x, 150 + 44 * j), ch, fill="black", font=font)
    if skew:
        img = img.rotate(-skew, expand=True, fillcolor="white", resample=Image.BICUBIC)
    assert tiling.needs_tiling(*img.size)
    res = engine.recognize(LoadedImage(np.asarray(img).copy()))
    assert abs(res.angle - skew) <= 1.0, res.angle
    assert [ln.text for ln in res.lines] == columns
    assert all(ln.vertical for ln in res.lines)


def test_tall_strip_is_read_completely(engine):
    img, drawn = tall_strip()
    w, h = img.size
    expected = [(text.replace(" ", ""), box) for text, box in drawn]
    res = engine.recognize(LoadedImage(np.asarray(img).copy()), RecognizeOptions())
    assert (res.width, res.height) == (w, h)
    assert [ln.text.replace(" ", "") for ln in res.lines] == [s for s, _ in expected]
    for ln, (_, (x0, y0, x1, y1)) in zip(res.lines, expected):
        bx0, by0, bx1, by1 = ln.bbox()
        assert abs(bx0 - x0) < 8 and abs(bx1 - x1) < 8
        assert abs((by0 + by1) / 2 - (y0 + y1) / 2) < 6


def test_headline_taller_than_the_tile_overlap_is_read_whole(engine):
    # 2944 px tall: tiles [0, 1600] and [1344, 2944] overlap by exactly TILE_OVERLAP; the 300 px
    # headline straddles both borders, so no tile holds it whole: the whole-image pass must
    img = Image.new("RGB", (2600, 2944), "white")
    d = ImageDraw.Draw(img)
    big = ImageFont.truetype(cjk_font_path(), 320)
    small = ImageFont.truetype(cjk_font_path(), 22)
    d.text((100, 1300), "大标题 SALE", fill="black", font=big)
    for i in range(5):
        d.text((100, 300 + i * 40), f"small line {i} 小字", fill="black", font=small)
        d.text((100, 2300 + i * 40), f"bottom line {i} 底部", fill="black", font=small)
    res = engine.recognize(LoadedImage(np.asarray(img).copy()))
    texts = [ln.text.replace(" ", "") for ln in res.lines]
    assert texts[:5] == [f"smallline{i}小字" for i in range(5)]
    assert texts[-5:] == [f"bottomline{i}底部" for i in range(5)]
    assert "".join(texts[5:-5]) == "大标题SALE"  # no duplicated fragments from the tiles


def test_lines_starting_just_left_of_a_tile_border_keep_their_start(engine):
    # 2700 px wide: tiles [0, 1600] and [1100, 2700]; twenty numbered lines start 14-0 px left of
    # the border at x 1100. The left tile finds each line whole; the right one cuts off its number
    # and, for some, boxes the rest a pixel or two taller, so the piece was the larger box and the
    # whole line, lying mostly inside it, was dropped as a duplicate: 4 of the 20 lines came back
    # without their number
    assert [(t.x0, t.x1) for t in tiling.plan_tiles(2700, 1400)] == [(0, 1600), (1100, 2700)]
    font = ImageFont.truetype(cjk_font_path(), 22)
    img = Image.new("RGB", (2700, 1400), "white")
    d = ImageDraw.Draw(img)
    items = [f"{k + 1}. 高等职业教育创新强校工程奖补资金第{k + 1}项" for k in range(20)]
    for k, text in enumerate(items):
        d.text((1086 + (k % 10) * 2, 60 + k * 60), text, font=font, fill="black")
    res = engine.recognize(LoadedImage(np.asarray(img).copy()))
    assert [ln.text.replace(" ", "") for ln in res.lines] == [t.replace(" ", "") for t in items]
