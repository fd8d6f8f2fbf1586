"""Reported line boxes fit the printed text (lineframe.tighten): lines are cropped for recognition
with the detector's margin (unclip 1.6) and ordered on those boxes, but reported as the detector's
box at REPORT_UNCLIP."""

from __future__ import annotations

import numpy as np
import pytest

from desktop_ocr.core import engine as engine_mod
from desktop_ocr.core import lineframe
from desktop_ocr.core.image import LoadedImage
from desktop_ocr.core.recognizer import RecognizeOptions

from .drawing import render_lines, rgb_array


def _boxes_at(models, bgr: np.ndarray, ratio: float) -> list[np.ndarray]:
    """The real detector's boxes on ``bgr`` with its post-processing set to ``ratio``."""
    post = models.det.postprocess_op
    old = post.unclip_ratio
    post.unclip_ratio = ratio
    try:
        found, _ = models.detect(bgr, "min", engine_mod.DET_MIN_SIDE)
    finally:
        post.unclip_ratio = old
    return [np.asarray(b, dtype=np.float64) for b in found]


def test_a_loose_box_shrunk_is_the_detectors_own_tight_box(engine):
    """The geometry of lineframe.tight_inset against the detector itself: the same probability map
    post-processed at 1.6 and at 1.4 gives boxes that it turns one into the other within rounding."""
    page = render_lines(["发票号码 No. 20240521", "Total 128.50 元", "短"], font_size=30)
    bgr = np.ascontiguousarray(rgb_array(page)[:, :, ::-1])
    models = engine._load()
    grown = models.unclip_ratio
    loose = _boxes_at(models, bgr, grown)
    tight = _boxes_at(models, bgr, engine_mod.REPORT_UNCLIP)
    assert len(loose) == len(tight) == 3
    for box in loose:
        centre = box.mean(axis=0)
        twin = min(tight, key=lambda t: np.linalg.norm(t.mean(axis=0) - centre))
        delta = lineframe.tight_inset(box, grown, engine_mod.REPORT_UNCLIP)
        derived = np.array(lineframe.inset(box, delta, delta))
        assert np.abs(derived - twin).max() <= 1.5, (box, twin, derived)
        assert np.ptp(derived[:, 1]) < np.ptp(box[:, 1]) - 1.0  # and it did move in


def test_reported_lines_hug_their_ink_and_read_as_before(engine):
    page = render_lines(["识别汉字 OCR 2026", "Amount: 1,234.56"], font_size=36)
    rgb = rgb_array(page)
    res = engine.recognize(LoadedImage(rgb.copy()), RecognizeOptions(chars=True))
    assert [ln.text.replace(" ", "") for ln in res.lines] == ["识别汉字OCR2026", "Amount:1,234.56"]
    ink = rgb.min(axis=2) < 128
    spare = []
    for ln in res.lines:
        pts = np.asarray(ln.polygon)
        x0, y0 = pts.min(axis=0)
        x1, y1 = pts.max(axis=0)
        # the line's ink: rows of ink within 10 px of the box (the next line is 25+ px away)
        rows = np.nonzero(ink[int(y0) - 10:int(y1) + 10, int(x0):int(x1)].any(axis=1))[0] + int(y0) - 10
        top, bottom = rows.min(), rows.max() + 1
        assert y0 <= top + 1 and y1 >= bottom - 1  # the box holds all of its line's ink
        spare.append((y1 - y0) / (bottom - top))
        for c in ln.chars or []:  # the characters' boxes share the line's top and bottom
            cy = np.asarray(c.polygon)[:, 1]
            assert cy.min() >= y0 - 0.5 and cy.max() <= y1 + 0.5
    # and little more: 1.24 times the ink's height here (the detector's own 1.6 margin: 1.34)
    assert np.mean(spare) <= 1.28, spare


@pytest.mark.parametrize("frame", [
    [(0, 0), (3, 0), (3, 0.5), (0, 0.5)],  # degenerate
    [(0, 0), (10, 0), (10, 10), (0, 10)],  # a square still shrinks, on every side alike
])
def test_degenerate_frames_stay_and_squares_shrink_evenly(frame):
    f = [np.asarray(p, dtype=np.float64) for p in frame]
    delta = lineframe.tight_inset(f, 1.6, 1.4)
    out = np.array(lineframe.inset(f, delta, delta))
    if frame[2][1] < 1:
        assert np.array_equal(out, np.array(f))
    else:
        d = out[0] - f[0]
        assert d[0] == pytest.approx(d[1]) and 0 < d[0] < 2.5
        assert np.allclose(out.mean(axis=0), np.array(f).mean(axis=0))


def test_single_line_mode_reports_the_whole_image(engine):
    page = render_lines(["整行 single line"], font_size=32, margin=6)
    rgb = rgb_array(page)
    res = engine.recognize(LoadedImage(rgb.copy()), RecognizeOptions(single_line=True))
    h, w = rgb.shape[:2]
    assert res.lines and res.lines[0].polygon == [(0.0, 0.0), (float(w), 0.0), (float(w), float(h)), (0.0, float(h))]
