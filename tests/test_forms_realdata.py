"""Scanned forms of the evaluation set (FUNSD, XFUND): a table's headings printed on a halftone
band, lines the finer pass over small print loses, cells the detector joins across a ruled line,
and a label of two rows boxed as one on the form skewed."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from desktop_ocr.core import rotation
from desktop_ocr.core.image import LoadedImage

pytestmark = pytest.mark.realdata


def _texts(engine, eval_dir, stem, skew: float = 0.0) -> list[str]:
    """The lines read on the page, skewed clockwise by ``skew`` degrees first (as bench_accuracy turns it)."""
    path = next((eval_dir / "images").glob(stem + ".*"))
    px = np.asarray(Image.open(path).convert("RGB")).copy()
    if skew:
        h, w = px.shape[:2]
        m, nw, nh = rotation.rotation_matrix(w, h, -skew)
        px = np.ascontiguousarray(rotation.warp_image(px, m, (nw, nh)))
    res = engine.recognize(LoadedImage(px))
    return [ln.text.replace(" ", "") for ln in res.lines]


def test_a_tables_headings_on_a_halftone_band_are_read(engine, eval_dir):
    """funsd 0069: the headings of its two tables stand on a band of halftone dots. The detector
    doubts NAME OF ACCOUNT there (scored under its threshold: read as a spare box, engine
    _detect_doubtful), and the finer pass over the form's small print loses STORES and VOLUME,
    which the first pass found (read as spare boxes too)."""
    texts = _texts(engine, eval_dir, "funsd__82200067_0069")
    assert sum(t.startswith("NAME") and "ACC" in t for t in texts) == 2, texts
    assert any(t.endswith("STORES") and len(t) <= 7 for t in texts), texts
    assert "VOLUME" in texts, texts


def test_a_word_the_detector_doubts_on_a_form_is_read(engine, eval_dir):
    """funsd 2958: TEST MARKET GEOGRAPHY's last word is scored under the detector's threshold."""
    texts = _texts(engine, eval_dir, "funsd__82252956_2958")
    assert any("GEOGRAPHY" in t for t in texts), texts


def test_two_headings_joined_across_a_column_rule_are_read_apart(engine, eval_dir):
    """funsd 3247: IND/LOR and NO. OF, each in its own cell of a table's heading, are one box to
    the detector, across the ruled line between them."""
    texts = _texts(engine, eval_dir, "funsd__82253245_3247")
    assert "IND/LOR" in texts, texts
    assert not any("IND" in t and "OF" in t for t in texts), texts


@pytest.mark.parametrize("skew", [5, -5, 10, -10, 15])
def test_a_two_row_label_on_a_skewed_form_reads_row_by_row(engine, eval_dir, skew):
    """xfund val_5: its 学 历 over 学 位 label, skewed by 5 or 15 degrees, is one box over both rows
    (read 学位, or 学历位), its crop over 100 px tall with each row 25 px of it; the rows are told
    by the height their ink spans (rowsplit.row_bands), and 历, boxed apart as well, is not read
    twice. Skewed by 10 degrees, it is boxed by columns (学学, and 历 and 位 apart, joined as a
    column 历位), and read by rows (rowsplit.grid_groups)."""
    texts = _texts(engine, eval_dir, "xfund_zh__zh_val_5", skew)
    assert "学历" in texts and "学位" in texts, texts
    assert not any(len(t) > 2 and set(t) <= set("学历位") for t in texts), texts
    assert not any(t in ("历", "位", "学学", "历位") for t in texts), texts
