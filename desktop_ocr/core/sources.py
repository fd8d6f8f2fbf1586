"""Turn a source (path, bytes, ...) into a LoadedImage. Minimal first cut: local files and bytes."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from .errors import EmptyInput, ImageTooSmall, UndecodableImage
from .image import LoadedImage

MIN_SIDE = 15


def decode_bytes(data: bytes, source: str = "") -> LoadedImage:
    if not data:
        raise EmptyInput("the image is empty", source=source or None)
    try:
        with Image.open(io.BytesIO(data)) as im:
            fmt = (im.format or "").lower() or None
            im = ImageOps.exif_transpose(im)
            pixels = np.asarray(im.convert("RGB"))
    except Exception as exc:  # PIL raises many types for bad data
        raise UndecodableImage(f"cannot decode the image ({exc.__class__.__name__})", source=source or None) from exc
    h, w = pixels.shape[:2]
    if min(h, w) < MIN_SIDE:
        raise ImageTooSmall(f"image is {w}x{h} px; each side must be at least {MIN_SIDE} px", source=source or None)
    return LoadedImage(pixels=pixels, source=source, data=data, format=fmt)


def load_image(source: str | Path | bytes) -> LoadedImage:
    if isinstance(source, bytes):
        return decode_bytes(source, "<bytes>")
    path = Path(source)
    return decode_bytes(path.read_bytes(), str(path))
