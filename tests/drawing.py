"""Test images we draw ourselves: printed Chinese/English lines in a real CJK font."""

from __future__ import annotations

import glob
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT_GLOBS = [
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/**/wqy-zenhei.ttc",
    "/usr/share/fonts/**/*CJK*.tt[cf]",
]


@lru_cache(maxsize=None)
def cjk_font_path() -> str:
    for pattern in FONT_GLOBS:
        hits = sorted(glob.glob(pattern, recursive=True))
        if hits:
            return hits[0]
    raise RuntimeError("no CJK font found: run scripts/setup.sh (installs fonts-wqy-zenhei)")


def render_lines(lines: list[str], *, font_size: int = 36, margin: int = 40, spacing: float = 1.8,
                 width: int | None = None) -> Image.Image:
    """White page with each string on its own line, black text, left-aligned."""
    font = ImageFont.truetype(cjk_font_path(), font_size)
    text_w = max(int(font.getlength(s)) for s in lines)
    w = width or text_w + 2 * margin
    h = int(margin * 2 + font_size * spacing * len(lines))
    img = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(img)
    for i, s in enumerate(lines):
        d.text((margin, margin + i * font_size * spacing), s, fill="black", font=font)
    return img


def to_png_bytes(img: Image.Image) -> bytes:
    import io

    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def rgb_array(img: Image.Image) -> np.ndarray:
    return np.asarray(img.convert("RGB"))
