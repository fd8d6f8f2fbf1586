"""Whether two boxes stand on one row (core/boxes.level), the one test the steps that join comb
cells, bridge a broken line and join a line cut by a tile's border all ask, each with its own
tolerances."""

from __future__ import annotations

import numpy as np
import pytest

from desktop_ocr.core import boxes, bridge, combs, tiling


@pytest.mark.parametrize(("a", "b", "want"), [
    ((0, 100, 50, 130), (60, 102, 120, 131), True),  # level neighbours
    ((0, 100, 50, 130), (60, 120, 120, 150), False),  # the next row, a third overlapping
    ((0, 100, 50, 130), (60, 90, 120, 160), False),  # a box over twice as tall
    ((0, 100, 50, 130), (60, 100, 120, 100), False),  # a box of no height
    ((0, 100, 50, 100), (60, 100, 120, 100), False),  # two of no height, on one y
])
def test_level(a, b, want) -> None:
    assert boxes.level(a, b, 1.5, 0.6) is want


def test_level_is_symmetric_and_bounded_by_both_tolerances() -> None:
    a, b = (0.0, 100.0, 50.0, 120.0), (60.0, 106.0, 120.0, 126.0)  # overlapping by 14 of 20 px
    assert boxes.level(a, b, 1.5, 0.7) and boxes.level(b, a, 1.5, 0.7)
    assert not boxes.level(a, b, 1.5, 0.71)
    tall = (60.0, 100.0, 120.0, 131.0)  # 31 px against 20
    assert boxes.level(a, tall, 1.6, 0.6) and not boxes.level(a, tall, 1.5, 0.6)


def test_each_step_keeps_its_own_tolerance() -> None:
    """A neighbour overlapping by 0.65 of the height: a comb's cell and a tile's piece share the
    row (0.6), a broken line's piece does not (0.7); one 1.55 times as tall shares only a tile's."""
    a, b = (0.0, 100.0, 40.0, 120.0), (45.0, 107.0, 85.0, 127.0)
    assert combs._same_row(a, b)
    assert tiling._same_row(a, b)
    assert bridge.row_pairs([a, b]) == []
    assert bridge.row_pairs([a, (45.0, 104.0, 85.0, 124.0)]) == [(0, 1)]
    tall = (45.0, 100.0, 85.0, 131.0)
    assert tiling._same_row(a, tall) and not combs._same_row(a, tall)


def _quad(x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32)


def test_shared_measures_the_smaller_box_against_each_box_at_once() -> None:
    line = _quad(0, 0, 100, 20)
    others = boxes.bounds([_quad(10, 2, 30, 18),  # a word inside the line
                           _quad(50, 10, 150, 30),  # a box as large, over a quarter of it
                           _quad(0, 40, 100, 60)])  # the next line
    assert others.shape == (3, 4)
    assert boxes.shared(line, others).tolist() == pytest.approx([1.0, 0.25, 0.0])
    inter, area = boxes.intersections(line, others)
    assert area == 2000 and inter.tolist() == pytest.approx([320.0, 500.0, 0.0])
    assert boxes.bounds([]).shape == (0, 4)
