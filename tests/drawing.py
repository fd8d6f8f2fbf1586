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


def tight_line(text: str, font_size: int, margin: int, bg="white", fg="black") -> np.ndarray:
    """RGB pixels of ``text`` cut out ``margin`` px around its ink, as a tight selection on screen."""
    font = ImageFont.truetype(cjk_font_path(), font_size)
    left, top, right, bottom = font.getbbox(text)
    img = Image.new("RGB", (right - left + 2 * margin, bottom - top + 2 * margin), bg)
    ImageDraw.Draw(img).text((margin - left, margin - top), text, fill=fg, font=font)
    return np.asarray(img).copy()


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


RECEIPT_ITEMS = ["牛奶 Milk 1L", "面包 Bread", "鸡蛋 Eggs x12", "苹果 Apple", "大米 Rice 5kg", "酸奶 Yogurt",
                 "咖啡 Coffee", "茶叶 Green Tea", "香蕉 Banana", "橙汁 Orange Juice", "饼干 Biscuits",
                 "矿泉水 Water", "酱油 Soy Sauce", "面条 Noodles", "豆腐 Tofu", "白菜 Cabbage"]


def receipt(seed: int = 0, rows: int = 36, width: int = 520, font_size: int = 22) -> tuple[Image.Image, list]:
    """A long narrow till receipt: a centred header, item rows (name on the left, amount on the
    right, as separate pieces the way receipt ground truth is written), a total and a footer.
    Returns the image and its pieces as (text, (x0, y0, x1, y1)) in drawing order."""
    rng = np.random.default_rng(seed)
    font = ImageFont.truetype(cjk_font_path(), font_size)
    pitch = int(font_size * 1.4)  # dense, as till rolls are printed
    header = ["超市购物小票 RECEIPT", f"门店 Store No.{rng.integers(100, 999)}",
              f"2026-{rng.integers(1, 12):02d}-{rng.integers(1, 28):02d} {rng.integers(8, 21):02d}:"
              f"{rng.integers(0, 59):02d}"]
    body: list[tuple[str, str]] = []
    total = 0.0
    for _ in range(rows):
        name = RECEIPT_ITEMS[int(rng.integers(len(RECEIPT_ITEMS)))]
        qty = int(rng.integers(1, 5))
        price = float(rng.integers(150, 5000)) / 100
        total += qty * price
        body.append((f"{name} x{qty}", f"{qty * price:.2f}"))
    body.append(("合计 TOTAL", f"{total:.2f}"))
    footer = ["谢谢惠顾 Thank you", f"No.{rng.integers(10**7, 10**8)}"]
    height = 60 + pitch * (len(header) + len(body) + len(footer) + 2)
    img = Image.new("RGB", (width, height), "white")
    d = ImageDraw.Draw(img)
    pieces = []
    y = 40
    for s in header:
        x = (width - font.getlength(s)) / 2
        d.text((x, y), s, fill="black", font=font)
        pieces.append((s, d.textbbox((x, y), s, font=font)))
        y += pitch
    y += pitch
    for left, right in body:
        d.text((24, y), left, fill="black", font=font)
        pieces.append((left, d.textbbox((24, y), left, font=font)))
        x = width - 24 - font.getlength(right)
        d.text((x, y), right, fill="black", font=font)
        pieces.append((right, d.textbbox((x, y), right, font=font)))
        y += pitch
    y += pitch
    for s in footer:
        x = (width - font.getlength(s)) / 2
        d.text((x, y), s, fill="black", font=font)
        pieces.append((s, d.textbbox((x, y), s, font=font)))
        y += pitch
    return img, pieces
