"""Scanned forms of the evaluation set (FUNSD): a table's headings printed on a halftone band,
lines the finer pass over small print loses, and cells the detector joins across a ruled line."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from desktop_ocr.core.image import LoadedImage

pytestmark = pytest.mark.realdata


def _texts(engine, eval_dir, stem) -> list[str]:
    path = next((eval_dir / "images").glob(stem + ".*"))
    res = engine.recognize(LoadedImage(np.asarray(Image.open(path).convert("RGB")).copy()))
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
