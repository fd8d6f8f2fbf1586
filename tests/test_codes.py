"""QR codes and barcodes (issue #13): decoded by zxing-cpp beside the text, listed as lines of their own.

The codes are drawn by zxing-cpp's own encoder into pages of text drawn with the CJK font; the
real engine reads the text and the codes on the same page.
"""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest
import zxingcpp
from PIL import Image, ImageDraw, ImageFont

from desktop_ocr import cli
from desktop_ocr.cli import main
from desktop_ocr.core import codes
from desktop_ocr.core.image import LoadedImage
from desktop_ocr.core.model import OcrResult, TextLine
from desktop_ocr.core.recognizer import RecognizeOptions
from tests.drawing import cjk_font_path, render_lines, rgb_array, to_png_bytes

QR_TEXT = "https://example.com/发票?id=20240517"
EAN = "6901234567892"


def code_image(text: str, fmt, scale: int) -> np.ndarray:
    return np.asarray(zxingcpp.create_barcode(text, fmt).to_image(scale=scale))


def page_with_codes() -> tuple[np.ndarray, tuple[int, int, int, int], tuple[int, int, int, int]]:
    """Two lines of text at the top, a QR code bottom left and an EAN-13 barcode bottom right.
    Returns the RGB page and the QR's and the barcode's drawn (x0, y0, x1, y1), quiet zones included."""
    text = rgb_array(render_lines(["发票号码 20240517", "Total Amount 88.50"], font_size=36, width=900))
    qr = code_image(QR_TEXT, zxingcpp.BarcodeFormat.QRCode, 6)
    ean = code_image(EAN, zxingcpp.BarcodeFormat.EAN13, 3)
    page = np.full((text.shape[0] + 40 + max(qr.shape[0], ean.shape[0] + 50) + 40, 900, 3), 255, np.uint8)
    page[:text.shape[0]] = text
    y = text.shape[0] + 40
    page[y:y + qr.shape[0], 40:40 + qr.shape[1]] = qr[:, :, None]
    page[y:y + ean.shape[0], 500:500 + ean.shape[1]] = ean[:, :, None]
    # the digits printed under the bars, as on a label
    img = Image.fromarray(page)
    ImageDraw.Draw(img).text((540, y + ean.shape[0] + 4), EAN, fill="black",
                             font=ImageFont.truetype(cjk_font_path(), 30))
    return (np.asarray(img), (40, y, 40 + qr.shape[1], y + qr.shape[0]),
            (500, y, 500 + ean.shape[1], y + ean.shape[0]))


def loaded(pixels: np.ndarray, name: str = "codes.png") -> LoadedImage:
    return LoadedImage(pixels=np.ascontiguousarray(pixels), source=name)


def inside(poly, box, slack=2.0) -> bool:
    x0, y0, x1, y1 = box
    return all(x0 - slack <= x <= x1 + slack and y0 - slack <= y <= y1 + slack for x, y in poly)


def test_text_and_codes_on_one_page(engine):
    page, qr_box, ean_box = page_with_codes()
    result = engine.recognize(loaded(page), RecognizeOptions(codes=True))
    text_lines = [ln for ln in result.lines if ln.code is None]
    code_lines = [ln for ln in result.lines if ln.code is not None]
    assert [ln.text for ln in text_lines[:2]] == ["发票号码 20240517", "Total Amount 88.50"]
    # the codes come after every text line, top to bottom then left to right, each its own paragraph
    assert result.lines[-len(code_lines):] == code_lines
    assert [(ln.text, ln.code) for ln in code_lines] == [(QR_TEXT, "QRCode"), (EAN, "EAN13")]
    assert inside(code_lines[0].polygon, qr_box) and inside(code_lines[1].polygon, ean_box)
    assert code_lines[0].score == 1.0
    paragraphs = [ln.paragraph for ln in result.lines]
    assert len(set(paragraphs[-2:])) == 2 and min(paragraphs[-2:]) > max(ln.paragraph for ln in text_lines)
    # nothing the text detector made of the QR code's modules is left
    for ln in text_lines:
        left, top, right, bottom = ln.bbox()
        cx, cy = (left + right) / 2, (top + bottom) / 2
        assert not (qr_box[0] <= cx <= qr_box[2] and qr_box[1] <= cy <= qr_box[3]), ln.text
    # the EAN's printed digits are real text under the bars and stay
    assert EAN in [ln.text for ln in text_lines]
    # asked not to, the engine lists no code
    plain = engine.recognize(loaded(page), RecognizeOptions())
    assert all(ln.code is None for ln in plain.lines)


def test_codes_on_a_turned_page_are_in_original_coordinates(engine):
    page, qr_box, _ = page_with_codes()
    turned = cv2.rotate(page, cv2.ROTATE_90_CLOCKWISE)  # (x, y) -> (h - 1 - y, x)
    h = page.shape[0]
    result = engine.recognize(loaded(turned), RecognizeOptions(codes=True))
    qr = [ln for ln in result.lines if ln.code == "QRCode"]
    assert [ln.text for ln in qr] == [QR_TEXT]
    x0, y0, x1, y1 = qr_box
    assert inside(qr[0].polygon, (h - y1, x0, h - y0, x1), slack=3.0)
    assert result.angle == 90.0
    assert "发票号码 20240517" in [ln.text for ln in result.lines]


def test_text_found_inside_a_2d_code_is_dropped_text_beside_a_barcode_kept():
    page, qr_box, ean_box = page_with_codes()
    x0, y0, x1, y1 = qr_box
    noise = TextLine("口口", [(x0 + 30, y0 + 40), (x0 + 90, y0 + 40), (x0 + 90, y0 + 60), (x0 + 30, y0 + 60)], 0.6)
    beside = TextLine("Qty 2", [(x1 + 10, y0), (x1 + 80, y0), (x1 + 80, y0 + 20), (x1 + 10, y0 + 20)], 0.9)
    bars = TextLine("|||", [(ean_box[0] + 20, ean_box[1] + 20), (ean_box[2] - 20, ean_box[1] + 20),
                            (ean_box[2] - 20, ean_box[1] + 60), (ean_box[0] + 20, ean_box[1] + 60)], 0.6)
    result = OcrResult(width=page.shape[1], height=page.shape[0], lines=[noise, beside, bars])
    codes.add_codes(result, page)
    assert [ln.text for ln in result.lines] == ["Qty 2", "|||", QR_TEXT, EAN]


def test_huge_image_is_decoded_from_a_shrunk_copy_mapped_back():
    qr = code_image("big page", zxingcpp.BarcodeFormat.QRCode, 40)  # 40 px modules
    page = np.full((5200, 5200), 255, np.uint8)  # 27 MP: over MAX_PIXELS
    assert page.size > codes.MAX_PIXELS
    page[3000:3000 + qr.shape[0], 4000:4000 + qr.shape[1]] = qr
    found = codes.read_codes(page)
    assert [ln.text for ln in found] == ["big page"]
    assert inside(found[0].polygon, (4000, 3000, 4000 + qr.shape[1], 3000 + qr.shape[0]), slack=20)


def test_no_codes_and_odd_pixels():
    assert codes.read_codes(np.full((300, 300, 3), 255, np.uint8)) == []
    assert codes.read_codes(np.zeros((0, 0, 3), np.uint8)) == []
    rgba = np.dstack([np.full((200, 200), 255, np.uint8)] * 3 + [np.zeros((200, 200), np.uint8)])
    qr = code_image("rgba", zxingcpp.BarcodeFormat.QRCode, 4)
    rgba[20:20 + qr.shape[0], 20:20 + qr.shape[1], :3] = qr[:, :, None]
    assert [ln.text for ln in codes.read_codes(rgba)] == ["rgba"]


def test_code_lines_survive_our_json():
    result = OcrResult(width=100, height=100, lines=[
        TextLine("text", [(0, 0), (10, 0), (10, 5), (0, 5)], 0.9),
        TextLine(QR_TEXT, [(0, 10), (50, 10), (50, 60), (0, 60)], 1.0, paragraph=1, code="QRCode")])
    doc = json.loads(json.dumps(result.to_dict()))
    assert "code" not in doc["lines"][0] and doc["lines"][1]["code"] == "QRCode"
    back = OcrResult.from_dict(doc)
    assert [ln.code for ln in back.lines] == [None, "QRCode"]


@pytest.fixture
def real_engine(engine, monkeypatch):
    monkeypatch.setattr(cli, "build_recognizer", lambda args: engine)
    return engine


def test_cli_lists_codes_unless_told_not_to(capsys, real_engine, tmp_path):
    page, _, _ = page_with_codes()
    f = tmp_path / "codes.png"
    f.write_bytes(to_png_bytes(Image.fromarray(page)))
    assert main(["recognize", str(f), "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert QR_TEXT in out and EAN in out.splitlines()
    assert main(["recognize", str(f)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [ln["code"] for ln in doc["lines"] if "code" in ln] == ["QRCode", "EAN13"]
    assert main(["recognize", str(f), "--format", "text", "--no-codes"]) == 0
    assert QR_TEXT not in capsys.readouterr().out


def test_a_cloud_backend_gets_the_codes_decoded_here(engine):
    """The vendor answers text only (its fake runs our engine as the server does, without codes);
    the codes are decoded on this side and appended, as for the local engine."""
    from desktop_ocr import backends
    from tests.fakes.kits import KITS

    page, _, _ = page_with_codes()
    img = Image.fromarray(page)
    image = LoadedImage(pixels=np.ascontiguousarray(page), source="codes.png", data=to_png_bytes(img), format="png")
    kit = KITS["tencent"]
    with kit.make_fake(engine) as fake:
        backend = backends.create(kit.name, **{**kit.settings(fake), "timeout": 90})
        answered = backend.recognize(image, RecognizeOptions())
        with_codes = backend.recognize(image, RecognizeOptions(codes=True))
    assert all(ln.code is None for ln in answered.lines)  # the server side lists no code
    assert [ln.text for ln in with_codes.lines if ln.code is None] == [ln.text for ln in answered.lines]
    assert [(ln.text, ln.code) for ln in with_codes.lines if ln.code] == [(QR_TEXT, "QRCode"), (EAN, "EAN13")]


# -- the window: View > Read QR Codes and Barcodes -------------------------------------------------

def test_the_window_lists_codes_until_told_not_to(qtbot, window):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage

    from tests.gui_support import RESULT_TIMEOUT_MS

    page, _, _ = page_with_codes()
    image = QImage(page.tobytes(), page.shape[1], page.shape[0], page.shape[1] * 3,
                   QImage.Format.Format_RGB888).copy()
    assert window.act_codes.isChecked() and window.act_codes in window.menu_view.actions()
    with qtbot.waitSignal(window.result_shown, timeout=RESULT_TIMEOUT_MS) as shown:
        QGuiApplication.clipboard().setImage(image)
        window.paste()
    result = window.queue.job(shown.args[0]).result
    assert [(ln.text, ln.code) for ln in result.lines if ln.code] == [(QR_TEXT, "QRCode"), (EAN, "EAN13")]
    model = window.results.view.model()
    rows = model.rowCount()
    assert [model.index(r, 2).data(Qt.ItemDataRole.DisplayRole) for r in (rows - 2, rows - 1)] == ["QRCode", "EAN13"]

    window.act_codes.trigger()  # off: stored, and the next image lists no code
    assert window.settings.read_codes() is False
    with qtbot.waitSignal(window.result_shown, timeout=RESULT_TIMEOUT_MS) as shown:
        QGuiApplication.clipboard().setImage(image.copy())
        window.paste()
    assert all(ln.code is None for ln in window.queue.job(shown.args[0]).result.lines)
