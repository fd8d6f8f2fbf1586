"""Sparse photos (signs, street scenes) of the evaluation set: words the detector finds at one
scale and not at another are found by the second, coarser pass (engine._coarser), and what that
pass adds stands beside the first pass's lines, never over them."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from desktop_ocr.core.image import LoadedImage

pytestmark = pytest.mark.realdata


def _read(engine, eval_dir, stem):
    path = next((eval_dir / "images").glob(stem + ".*"))
    return engine.recognize(LoadedImage(np.asarray(Image.open(path).convert("RGB")).copy()))


def _box(line) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in line.polygon], [p[1] for p in line.polygon]
    return min(xs), min(ys), max(xs), max(ys)


def _overlap(a, b) -> float:
    """Intersection over the smaller box's area."""
    iw = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    ih = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    small = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return iw * ih / max(small, 1e-6)


def test_an_exit_sign_missed_at_the_automatic_size_is_found_coarser(engine, eval_dir):
    """icdar2015 img_2: the detector finds the small EXIT sign (about 33 x 24 px) at 0.5-0.75 of
    the automatic size only; the I2R sign beside it at the automatic size only."""
    res = _read(engine, eval_dir, "icdar2015__img_2")
    exits = [ln for ln in res.lines if ln.text.strip().upper() == "EXIT"]
    assert exits, [ln.text for ln in res.lines]
    x0, y0, x1, y1 = _box(exits[0])
    assert 590 <= x0 and x1 <= 645 and 165 <= y0 and y1 <= 205, _box(exits[0])


def test_a_sign_s_marginal_characters_are_found_and_its_large_lettering_is_not_merged(engine, eval_dir):
    """rects 000002: the characters 青 (above 椒, a column 青椒) and 鸭 at the sign's right edge are
    found by the coarser pass; the same pass's box over the sign's calligraphy also swallows the
    romanised line the first pass read, so it is not taken (one crop would hold two lines)."""
    res = _read(engine, eval_dir, "rects__000002")
    texts = [ln.text for ln in res.lines]
    assert "青椒" in texts, texts
    assert any("鸭" in t or "鴨" in t for t in texts), texts
    boxes = [_box(ln) for ln in res.lines]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert _overlap(a, b) < 0.2, (texts, boxes)


@pytest.mark.parametrize("skew", [10, -10])
def test_an_exit_sign_the_detector_doubts_once_skewed_is_read_where_it_stands(engine, eval_dir, skew):
    """icdar2015 img_2 skewed by 10 either way (resampled as the benchmark skews it): no box of the
    first pass and none the coarser pass scores at the detector's threshold is the sign; it scores
    0.3-0.5 there, reads 'EXIT' at 0.99 and stands apart from every line kept, so it is read. The
    box over the whole photo that pass also doubts reads as nothing and hides nothing."""
    from desktop_ocr.core import rotation

    path = next((eval_dir / "images").glob("icdar2015__img_2.*"))
    rgb = np.asarray(Image.open(path).convert("RGB"))
    h, w = rgb.shape[:2]
    m, nw, nh = rotation.rotation_matrix(w, h, skew)
    res = engine.recognize(LoadedImage(rotation.warp_image(rgb, m, (nw, nh)).copy()))
    exits = [ln for ln in res.lines if ln.text.strip().upper() == "EXIT"]
    assert exits, [ln.text for ln in res.lines]
    cx, cy = (m @ np.array([617.0, 185.0, 1.0]))[:2]  # the sign's centre upright, carried along
    x0, y0, x1, y1 = _box(exits[0])
    assert x0 <= cx <= x1 and y0 <= cy <= y1, (_box(exits[0]), (cx, cy))

