"""The decoded image handed from the sources to the recognisers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class LoadedImage:
    """An upright (EXIF applied) RGB image plus where it came from.

    ``data`` is the original encoded bytes when we have them (cloud backends upload those as-is
    when the vendor accepts the format); ``pixels`` is always RGB uint8, shape (h, w, 3).
    """

    pixels: np.ndarray
    source: str = ""
    data: bytes | None = None
    format: str | None = None  # "jpeg", "png", ... as decoded
    page: int | None = None  # PDF page (1-based) when the source was a PDF

    @property
    def width(self) -> int:
        return int(self.pixels.shape[1])

    @property
    def height(self) -> int:
        return int(self.pixels.shape[0])
