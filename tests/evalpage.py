"""Ground-truth page text for the evaluation set, shared by the real-data tests and the benchmark."""

from __future__ import annotations

import numpy as np

from desktop_ocr.core import rotation


def dontcare(line: dict) -> bool:
    """Whether a ground-truth line is a region its annotators could not read (the scorer's rule)."""
    return bool(line.get("ignore")) or line.get("text") == "###"


def gt_page(scorer, gt: dict, matrix=None):
    """GT text in the scorer's reading order of the UPRIGHT page (polygons turned by ``matrix``),
    and the scorer's normaliser for this image's text conventions."""
    hint = gt.get("text_compare") or {}
    norm = scorer.make_normalizer(bool(hint.get("casefold")), hint.get("strip_chars") or "")
    care = [ln for ln in gt["lines"] if not dontcare(ln)]
    polys = []
    for ln in care:
        pts = np.array(ln["polygon"], dtype=float)
        if matrix is not None:
            pts = rotation.apply_matrix(pts, matrix)
        polys.append(scorer.to_polygon(pts.tolist()))
    return "".join(norm(care[i]["text"]) for i in scorer.reading_order(polys)), norm
