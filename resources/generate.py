"""Regenerate the first-run sample image and the app icon (both drawn here, free of third-party rights).

Run: .venv/bin/python resources/generate.py   (needs the wqy-zenhei CJK font, see scripts/setup.sh)
"""

from __future__ import annotations

import glob
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent


def font(size: int) -> ImageFont.FreeTypeFont:
    hits = sorted(glob.glob("/usr/share/fonts/**/wqy-zenhei.ttc", recursive=True))
    if not hits:
        raise SystemExit("wqy-zenhei font not found: run scripts/setup.sh")
    return ImageFont.truetype(hits[0], size)


def sample() -> Image.Image:
    """A receipt-like page: a title, mixed Chinese/English items, prices, a faint footer."""
    w, h = 900, 1220
    img = Image.new("RGB", (w, h), (250, 248, 242))
    d = ImageDraw.Draw(img)
    d.text((w // 2, 70), "晨光咖啡 Morning Light Café", fill=(20, 20, 20), font=font(44), anchor="mm")
    d.text((w // 2, 130), "上海市徐汇区漕溪北路 88 号  Tel: 021-6488 2020", fill=(40, 40, 40),
           font=font(24), anchor="mm")
    d.line((50, 170, w - 50, 170), fill=(90, 90, 90), width=2)
    d.text((60, 195), "单号 No. 20240521-0078", fill=(30, 30, 30), font=font(26))
    d.text((60, 240), "日期 Date: 2024-05-21 09:42", fill=(30, 30, 30), font=font(26))
    items = [
        ("拿铁咖啡 Caffè Latte (大杯)", "1", "32.00"),
        ("美式咖啡 Americano", "2", "56.00"),
        ("抹茶蛋糕 Matcha Cake", "1", "28.50"),
        ("牛角面包 Croissant", "3", "45.00"),
        ("鲜榨橙汁 Orange Juice", "1", "22.00"),
    ]
    y = 310
    d.text((60, y), "品名 Item", fill=(30, 30, 30), font=font(26))
    d.text((600, y), "数量", fill=(30, 30, 30), font=font(26))
    d.text((720, y), "金额 ¥", fill=(30, 30, 30), font=font(26))
    y += 60
    for name, qty, price in items:
        d.text((60, y), name, fill=(25, 25, 25), font=font(28))
        d.text((620, y), qty, fill=(25, 25, 25), font=font(28))
        d.text((720, y), price, fill=(25, 25, 25), font=font(28))
        y += 62
    d.line((50, y + 10, w - 50, y + 10), fill=(90, 90, 90), width=2)
    y += 40
    d.text((60, y), "合计 Total", fill=(10, 10, 10), font=font(34))
    d.text((700, y), "¥183.50", fill=(10, 10, 10), font=font(34))
    y += 70
    d.text((60, y), "微信支付 WeChat Pay", fill=(30, 30, 30), font=font(26))
    d.text((720, y), "183.50", fill=(30, 30, 30), font=font(26))
    y += 90
    # low-contrast, small text: realistic thermal-print fade that the engine scores lower
    d.text((w // 2, y), "谢谢惠顾，欢迎再次光临！", fill=(150, 150, 150), font=font(30), anchor="mm")
    y += 50
    d.text((w // 2, y), "Thank you, see you again soon!", fill=(165, 165, 160), font=font(22), anchor="mm")
    y += 60
    d.text((w // 2, y), "发票请扫码开具 · Scan for e-invoice · 有效期 30 天", fill=(185, 185, 180),
           font=font(17), anchor="mm")
    # two lines printed from a low-resolution source (pixelated): the engine is less sure of these,
    # so a first run shows all three confidence colours
    for k, (text, factor) in enumerate((("会员积分 Points: 1,280  下次满减券 NEXT-50", 5.9),
                                        ("优惠码 Coupon: XK7-Q9P2  有效期至 06-30", 5.3))):
        strip = Image.new("RGB", (800, 60), (250, 248, 242))
        ImageDraw.Draw(strip).text((10, 8), text, fill=(60, 60, 60), font=font(30))
        strip = strip.resize((int(800 / factor), int(60 / factor)), Image.BILINEAR).resize((800, 60), Image.NEAREST)
        img.paste(strip, (50, y + 30 + k * 62))
    stamp = Image.new("RGBA", (300, 110), (0, 0, 0, 0))
    sd = ImageDraw.Draw(stamp)
    sd.rounded_rectangle((4, 4, 296, 106), radius=14, outline=(200, 40, 40, 200), width=6)
    sd.text((150, 55), "已付款 PAID", fill=(200, 40, 40, 190), font=font(40), anchor="mm")
    stamp = stamp.rotate(12, expand=True, resample=Image.BICUBIC)
    img.paste(stamp, (560, 160), stamp)
    return img


def icon() -> Image.Image:
    s = 256
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((28, 12, 228, 244), radius=22, fill=(255, 255, 255, 255), outline=(60, 70, 90, 255), width=8)
    d.text((128, 92), "文A", fill=(30, 40, 60, 255), font=font(84), anchor="mm")
    for i, colour in enumerate([(46, 160, 67), (230, 160, 20), (210, 50, 50)]):
        y = 150 + i * 28
        d.rounded_rectangle((56, y, 200, y + 16), radius=5, outline=colour + (255,), width=5)
    return img


if __name__ == "__main__":
    sample().save(HERE / "sample.png", optimize=True)
    ic = icon()
    ic.save(HERE / "icon.png")
    ic.save(HERE / "icon.ico", sizes=[(16, 16), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
    print("wrote", HERE / "sample.png", HERE / "icon.png", HERE / "icon.ico")
