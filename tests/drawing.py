"""Test images we draw ourselves: printed Chinese/English lines in a real CJK font."""

from __future__ import annotations

import glob
from functools import cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT_GLOBS = [
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/**/wqy-zenhei.ttc",
    "/usr/share/fonts/**/*CJK*.tt[cf]",
]


@cache
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


def tall_strip(width: int = 800, height: int = 12000, lines: int = 24, font_size: int = 20,
               spacing: int = 495):
    """A long receipt-like strip of small lines spread over its height (several fall into tile
    overlaps). Returns the image and, per line, its text and drawn bbox (x0, y0, x1, y1)."""
    img = Image.new("RGB", (width, height), "white")
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(cjk_font_path(), font_size)
    drawn = []
    for i in range(lines):
        y = 120 + i * spacing
        s = f"第{i + 1}行 Item {i + 1:02d} 数量 {3 * i + 1} 单价 {i * 7 + 0.5:.2f}"
        d.text((30, y), s, fill="black", font=font)
        drawn.append((s, d.textbbox((30, y), s, font=font)))
    return img, drawn
