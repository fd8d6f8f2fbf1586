from desktop_ocr.core.sources import load_image

from .drawing import render_lines, to_png_bytes


def test_recognizes_drawn_chinese_and_english(engine):
    img = load_image(to_png_bytes(render_lines(["你好世界 2026", "Hello OCR 123"])))
    res = engine.recognize(img)
    texts = [ln.text.replace(" ", "") for ln in res.lines]
    assert "你好世界2026" in texts
    assert "HelloOCR123" in texts
    assert (res.width, res.height) == (img.width, img.height)
    for ln in res.lines:
        assert 0.5 <= ln.score <= 1.0
