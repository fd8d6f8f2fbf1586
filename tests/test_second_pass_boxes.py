"""Which boxes of a second detection pass stand apart from the first pass's (engine._uncovered,
engine._missed, engine._not_found): a pass at another scale finds most lines again, and
sometimes one box over two lines the first pass read separately; only what the first pass has
nothing of is added. A finer pass that lost words of a line gives way to the first pass's box of
it (engine._gapped, engine._fine_losses). Spare lines over the same text are kept once
(engine._distinct)."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from desktop_ocr.core import engine as engine_mod
from desktop_ocr.core.model import TextLine

from .drawing import cjk_font_path


def _quad(x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float64)


FIRST = [_quad(100, 100, 400, 140), _quad(100, 200, 300, 230)]


def _kept(new: list[np.ndarray]) -> list[tuple[float, ...]]:
    return [tuple(q[0]) + tuple(q[2]) for q in engine_mod._uncovered(new, FIRST)]


def test_a_line_found_again_is_not_added():
    assert _kept([_quad(98, 102, 405, 138)]) == []


def test_a_box_over_a_first_pass_line_is_not_added():
    """A coarse box taking a line together with the large lettering above it covers the line
    whole, though the line is a small part of the box."""
    assert _kept([_quad(80, 20, 420, 145)]) == []


def test_a_piece_of_a_first_pass_line_is_not_added():
    assert _kept([_quad(300, 105, 380, 135)]) == []


def test_a_word_apart_is_added_and_a_touching_one_too():
    apart = _quad(600, 100, 680, 130)
    touching = _quad(390, 100, 500, 140)  # overlaps the first line by 10 of its 110 px
    assert _kept([apart, touching]) == [(600, 100, 680, 130), (390, 100, 500, 140)]


def test_with_no_first_pass_box_everything_is_added():
    new = [_quad(0, 0, 10, 10)]
    assert [q.tolist() for q in engine_mod._uncovered(new, [])] == [new[0].tolist()]


def test_a_carried_box_is_kept_only_where_the_redetection_found_nothing():
    """_missed (a skewed photo whose deskewed pass lost most boxes): the boxes of the first pass
    over which the second found nothing are kept as lines; when the second found half or more,
    they are spare (read, and kept only where they read surely)."""
    carried = [_quad(0, 0, 100, 20), _quad(0, 50, 100, 70), _quad(0, 100, 100, 120)]
    found = [_quad(2, 1, 98, 19)]
    kept, spare = engine_mod._missed(carried, found)
    assert [q[0, 1] for q in kept] == [50, 100] and spare == []
    kept, spare = engine_mod._missed(carried, found + [_quad(0, 50, 100, 70)])
    assert kept == [] and [q[0, 1] for q in spare] == [100]
    kept, spare = engine_mod._missed(carried, carried)
    assert kept == [] and spare == []
    # a page of more lines (a form, a receipt): the lines the second pass lost are spare too (read,
    # and kept where they read surely and say SPARE_MIN_CHARS characters: engine._read_page)
    page = [_quad(0, 30 * k, 200, 30 * k + 20) for k in range(engine_mod.COARSE_MAX_BOXES + 4)]
    kept, spare = engine_mod._missed(page, page[:-3])
    assert kept == [] and [q[0, 1] for q in spare] == [30 * k for k in range(engine_mod.COARSE_MAX_BOXES + 1,
                                                                              engine_mod.COARSE_MAX_BOXES + 4)]


def test_a_line_between_two_found_again_is_not_found_by_their_boxes():
    """On a deskewed form the second pass can lose a line between two it finds, whose boxes reach
    into the lost line's by a fifth to a quarter of its height (xfund val_6 at +5): they are
    other lines, not this one found again. Pieces of the line itself are it found again."""
    lost = _quad(629, 1118, 1280, 1154)
    above, below = _quad(627, 1082, 1334, 1126), _quad(629, 1146, 1280, 1185)
    assert [q.tolist() for q in engine_mod._not_found([lost], [above, below])] == [lost.tolist()]
    # the same line found in four pieces, each under MISSED_OVERLAP of it, together over it
    pieces = [_quad(629 + 165 * k, 1119, 729 + 165 * k, 1153) for k in range(4)]
    assert engine_mod._not_found([lost], [above, below] + pieces) == []
    # a column: the boxes spanning its width are of it, a column beside it is not
    column, beside = _quad(100, 100, 130, 400), _quad(122, 100, 160, 400)
    assert [q.tolist() for q in engine_mod._not_found([column], [beside])] == [column.tolist()]
    assert engine_mod._not_found([column], [_quad(98, 90, 132, 260)]) == []


def test_a_first_pass_line_under_a_tall_patch_of_the_second_pass_is_not_found_again():
    """On a deskewed street photo the detector takes a textured wall for text: a box five times as
    tall as the word it covers is not that word found again; a box over two lines of its height is."""
    word, other = _quad(230, 400, 380, 460), _quad(600, 100, 900, 150)
    wall, again = _quad(320, 260, 1270, 590), _quad(605, 102, 898, 149)
    assert [q.tolist() for q in engine_mod._not_found([word, other], [wall, again])] == [word.tolist()]
    assert engine_mod._not_found([word], [_quad(220, 395, 390, 520)]) == []
    # a form's column of characters, found one by one on the skewed page and as one tall box
    # once deskewed, is found again: that box is elongated, not a patch
    cells = [_quad(940, 973 + 25 * k, 967, 995 + 25 * k) for k in range(4)]
    assert engine_mod._not_found(cells, [_quad(936, 970, 969, 1090)]) == []


def test_a_first_pass_line_the_finer_boxes_leave_a_stretch_of_is_gapped():
    """_gapped: a line whose finer boxes of the same line leave FINE_GAP of its heights uncovered,
    at an end or between two (the line below, reaching into it, covers none of it); a word space
does not count, nor a line no finer box touches (_missed's concern), nor a column."""
    line = _quad(100, 100, 700, 120)  # 20 px tall
    gap = engine_mod.FINE_GAP

    def gapped(boxes):
        return len(engine_mod._gapped([line], boxes, gap)) == 1

    assert gapped([_quad(100, 101, 300, 119), _quad(500, 101, 700, 119)])  # 200 px lost between
    assert gapped([_quad(100, 101, 600, 119)])  # its last 100 px lost
    assert not gapped([_quad(100, 101, 390, 119), _quad(400, 101, 700, 119)])  # a word space
    assert gapped([_quad(100, 101, 300, 119), _quad(300, 114, 700, 140)])  # the line below covers none of it
    assert not gapped([])
    assert engine_mod._gapped([_quad(100, 100, 120, 180)], [_quad(100, 100, 120, 120)], gap) == []  # a column


def test_a_line_the_finer_pass_lost_words_of_is_read_whole(engine):
    """_fine_losses, with the real recogniser: the finer pass's boxes of a line's first and last
    words alone give way to the first pass's box of the whole line, which says more; where they
    cover the line (or the first pass's box holds blank paper beyond them), they stand."""
    font = ImageFont.truetype(cjk_font_path(), 24)
    img = Image.new("RGB", (900, 200), "white")
    d = ImageDraw.Draw(img)
    d.text((40, 40), "SALES REPORT FOR THE NORTH REGION 2024", font=font, fill="black")
    d.text((40, 120), "TOTAL", font=font, fill="black")
    bgr = np.ascontiguousarray(np.asarray(img)[:, :, ::-1])
    x1 = 40 + d.textlength("SALES REPORT FOR THE NORTH REGION 2024", font=font)
    whole = _quad(34, 36, x1 + 6, 70).astype(np.float32)
    first_word = _quad(34, 37, 40 + d.textlength("SALES ", font=font), 69).astype(np.float32)
    last_word = _quad(x1 - d.textlength("2024", font=font) - 4, 37, x1 + 6, 69).astype(np.float32)
    total = _quad(34, 116, 40 + d.textlength("TOTAL", font=font) + 6, 150).astype(np.float32)
    blank = _quad(34, 115, 400, 151).astype(np.float32)  # TOTAL and blank paper beyond it
    with engine._lock:
        out = engine._fine_losses(bgr, [whole, blank], [first_word, last_word, total])
    boxes = sorted(tuple(np.round(q[0]).tolist()) for q in out)
    assert boxes == sorted([tuple(np.round(whole[0]).tolist()), tuple(np.round(total[0]).tolist())]), boxes
    with engine._lock:  # the finer pass found the line whole: nothing to take back
        again = engine._fine_losses(bgr, [whole], [whole.copy(), total])
    assert len(again) == 2


def _line(text: str, score: float, x0: float, y0: float, x1: float, y1: float) -> TextLine:
    return TextLine(text, [(x0, y0), (x1, y0), (x1, y1), (x0, y1)], score)


def test_a_word_read_from_two_spare_boxes_is_kept_once():
    """A box carried from the skewed page and a doubtful one of the page deskewed, over the same
    word (funsd 0069 at +15 read VOLUME twice): the surer reading stays, in its place."""
    before = _line("NAME", 0.97, 600, 756, 660, 773)
    wide = _line("VOLUME", 0.992, 783, 756, 848, 774)
    tight = _line("VOLUME", 0.998, 800, 759, 848, 773)
    assert engine_mod._distinct([before, wide, tight]) == [before, tight]


def test_a_spare_piece_of_a_spare_line_read_whole_goes():
    whole = _line("Texaco - Portland", 0.95, 100, 100, 300, 120)
    piece = _line("Portland", 0.99, 210, 101, 300, 119)
    assert engine_mod._distinct([piece, whole]) == [whole]


def test_spare_lines_of_neighbouring_rows_and_words_are_all_kept():
    """Rows whose boxes reach into each other by a quarter of their height, and words side by
    side whose boxes touch, are not one line found twice."""
    lines = [_line("# REPS:", 0.9, 100, 100, 160, 120), _line("6", 0.95, 158, 100, 170, 120),
             _line("DIVISION:", 0.93, 100, 115, 180, 135)]
    assert engine_mod._distinct(lines) == lines


def test_a_short_spare_label_of_rare_characters_is_kept_as_one_of_common_ones():
    """_short_spares (a form's label row whose box the detector scored doubtful): a row of
    Chinese characters outside the common block (㑇, of Extension A, which the recogniser
    reads) is kept as 学位 is; one with a digit in it is a speck read as one, and one inside a
    line kept is a piece of that line found again."""
    kept = [_line(f"第{i}行的内容", 0.99, 100, 100 + 60 * i, 400, 130 + 60 * i) for i in range(6)]
    rare = _line("王㑇", 0.98, 20, 460, 80, 490)
    common = _line("学位", 0.97, 20, 520, 80, 550)
    speck = _line("王5", 0.99, 20, 580, 80, 610)
    piece = _line("内容", 0.99, 300, 100, 360, 130)
    assert engine_mod._short_spares([speck, rare, piece, common], kept, least=3) == [rare, common]
