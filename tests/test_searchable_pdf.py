"""Searchable PDF (desktop_ocr/formats/pdf.py), checked the way a user would check one.

Pages are drawn (tests/drawing.py) and read by the real engine; the PDF we write is then read back
by poppler's pdftotext and by PDFium (pypdfium2): the text comes out in reading order, a Chinese word
is found by search, and the character boxes the readers extract lie on the boxes the engine found
(upright, turned 90 degrees, skewed 8 degrees). Page images must come through untouched: a JPEG's
bytes are the image stream, a PDF page keeps its image, size and /Rotate.

IoU threshold: each CharBox (a Chinese character, or a Latin word) against the union of the boxes
the reader extracts for its characters, both as axis-aligned boxes in the result's pixels. A box
off by half a character scores 0.33, a neighbour's box about 0; PASCAL VOC's 0.5 is the usual bar
for "the same object", so every box must reach MIN_IOU and the mean MEAN_IOU (measured: 0.9+; the
Latin word boxes lose a little where a space is carved out of them for poppler).
"""

from __future__ import annotations

import ctypes
import io
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from PIL import Image

from desktop_ocr.core.errors import UndecodableImage, WriteFailed
from desktop_ocr.core.image import LoadedImage
from desktop_ocr.core.model import OcrResult, TextLine
from desktop_ocr.core.pdf import render_page
from desktop_ocr.core.recognizer import RecognizeOptions
from desktop_ocr.formats.pdf import Page, has_text_layer, read_text_layer, write_searchable_pdf
from tests.drawing import render_lines

LINES = ["搜索测试 Searchable PDF", "第二行文字 Hello world 2024", "识别结果在这里 OCR"]
WORD = "识别结果"
MIN_IOU = 0.5
MEAN_IOU = 0.75

needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"),
                                     reason="pdftotext not installed (scripts/setup.sh installs poppler-utils)")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def recognise(engine, pixels: np.ndarray) -> OcrResult:
    return engine.recognize(LoadedImage(pixels=np.ascontiguousarray(pixels)), RecognizeOptions(chars=True))


@pytest.fixture(scope="module")
def page_image() -> Image.Image:
    return render_lines(LINES)


@pytest.fixture(scope="module")
def pages(engine, page_image):
    """name -> (pixels, result): the page upright, turned 90 degrees, skewed by 8 degrees."""
    upright = np.asarray(page_image)
    turned = np.ascontiguousarray(np.rot90(upright))
    skewed = np.asarray(page_image.rotate(8, expand=True, fillcolor="white", resample=Image.BICUBIC))
    out = {}
    for name, px in (("upright", upright), ("turned", turned), ("skewed", skewed)):
        result = recognise(engine, px)
        assert [squash(ln.text) for ln in result.lines] == [squash(s) for s in LINES], name  # read right
        out[name] = (px, result)
    assert abs(abs(out["turned"][1].angle) - 90) < 1
    assert 5 < abs(out["skewed"][1].angle) < 11
    return out


def same_lines(found: list[str], result: OcrResult) -> None:
    """The lines read back are the result's, in order; a space the engine read is kept (a reader may
    add one where it sees a gap the engine did not call a space)."""
    assert [squash(s) for s in found] == [squash(ln.text) for ln in result.lines]
    for s, ln in zip(found, result.lines):
        assert len(s.split()) >= len(ln.text.split()), (s, ln.text)


def pdftotext(path: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdfium_lines(path: Path, index: int = 0) -> list[str]:
    doc = pdfium.PdfDocument(str(path))
    try:
        tp = doc[index].get_textpage()
        return [s.strip() for s in tp.get_text_range().replace("\r\n", "\n").split("\n") if s.strip()]
    finally:
        doc.close()


def aabb(poly) -> tuple[float, float, float, float]:
    xs = [p[0] for p in poly]
    ys = [p[1] for p in poly]
    return min(xs), min(ys), max(xs), max(ys)


def iou(a, b) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def extracted_boxes(path: Path, index: int, result: OcrResult) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Every non-space character PDFium extracts (PdfTextPage.get_charbox), with its box in the
    result's pixels (the page rendered at result.width x result.height, /Rotate applied)."""
    doc = pdfium.PdfDocument(str(path))
    try:
        page = doc[index]
        tp = page.get_textpage()
        out = []
        for i in range(tp.count_chars()):
            ch = chr(pdfium_c.FPDFText_GetUnicode(tp, i))
            if ch.isspace() or pdfium_c.FPDFText_IsGenerated(tp, i) == 1:
                continue
            left, bottom, right, top = tp.get_charbox(i)
            corners = []
            for x, y in ((left, bottom), (right, top), (left, top), (right, bottom)):
                dx, dy = ctypes.c_int(), ctypes.c_int()
                pdfium_c.FPDF_PageToDevice(page, 0, 0, result.width, result.height, 0, x, y, dx, dy)
                corners.append((dx.value, dy.value))
            out.append((ch, aabb(corners)))
        return out
    finally:
        doc.close()


def char_ious(path: Path, index: int, result: OcrResult) -> list[float]:
    """IoU of each of our CharBoxes against the union of the extracted boxes of its characters."""
    found = extracted_boxes(path, index, result)
    ours = [c for ln in result.lines for c in ln.chars or []]
    assert "".join(ch for ch, _ in found) == "".join(squash(c.text) for c in ours)
    scores, k = [], 0
    for c in ours:
        n = len(squash(c.text))
        boxes = [b for _, b in found[k:k + n]]
        k += n
        union = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        scores.append(iou(union, aabb(c.polygon)))
    return scores


def jpeg_bytes(img: Image.Image, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=85, **kw)
    return buf.getvalue()


def images_of(path: Path | bytes, index: int) -> list[bytes]:
    """The raw (still encoded) streams of the page's image objects."""
    doc = pdfium.PdfDocument(path if isinstance(path, bytes) else str(path))
    try:
        objs = doc[index].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3)
        return [bytes(o.get_data(decode_simple=False)) for o in objs]
    finally:
        doc.close()


# -- text in reading order, search, boxes on the glyphs ---------------------------------------------

@needs_pdftotext
@pytest.mark.parametrize("name", ["upright", "turned", "skewed"])
def test_text_comes_out_in_reading_order(pages, tmp_path, name):
    px, result = pages[name]
    out = write_searchable_pdf([Page(result, pixels=px)], tmp_path / f"{name}.pdf")
    same_lines(pdfium_lines(out), result)  # PDFium: line by line
    # poppler: -layout sorts words on axis-aligned baselines, which an 8-degree line is not (each
    # character of it lands on a baseline of its own); -raw keeps the file's order, which is ours
    lines = [s for s in pdftotext(out, "-layout" if name != "skewed" else "-raw").splitlines() if s.strip()]
    same_lines(lines, result)
    doc = pdfium.PdfDocument(str(out))
    try:
        tp = doc[0].get_textpage()
        hit = tp.search(WORD).get_next()
        assert hit is not None
        assert tp.get_text_range(hit[0], hit[1]) == WORD
        assert tp.search("不存在的词").get_next() is None
    finally:
        doc.close()


@pytest.mark.parametrize("name", ["upright", "turned", "skewed"])
def test_character_boxes_lie_on_the_glyphs(pages, tmp_path, name):
    px, result = pages[name]
    out = write_searchable_pdf([Page(result, pixels=px)], tmp_path / f"{name}.pdf")
    scores = char_ious(out, 0, result)
    print(f"{name}: {len(scores)} boxes, mean IoU {np.mean(scores):.3f}, min {min(scores):.3f}")
    assert min(scores) >= MIN_IOU
    assert np.mean(scores) >= MEAN_IOU


def test_lines_without_char_boxes_span_the_line(pages, tmp_path):
    px, result = pages["upright"]
    bare = OcrResult(width=result.width, height=result.height,
                     lines=[TextLine(text=ln.text, polygon=ln.polygon, score=ln.score) for ln in result.lines])
    out = write_searchable_pdf([Page(bare, pixels=px)], tmp_path / "bare.pdf")
    same_lines(pdfium_lines(out), result)
    found = read_text_layer(out, 0, dpi=72 * result.width / pdfium.PdfDocument(str(out))[0].get_width())
    assert found is not None
    for ours, theirs in zip(result.lines, found.lines):
        assert iou(aabb(ours.polygon), aabb(theirs.polygon)) > 0.8


def test_characters_beyond_the_bmp_and_codes(tmp_path):
    """Synthetic lines: a CJK Extension B character (U+20BB7) and a QR code's text come out as written."""
    lines = [TextLine(text="𠮷野家 𠀀", polygon=[(10, 10), (300, 10), (300, 50), (10, 50)]),
             TextLine(text="https://example.com/?q=1", polygon=[(10, 80), (110, 80), (110, 180), (10, 180)],
                      code="QRCode")]
    result = OcrResult(width=400, height=200, lines=lines)
    px = np.full((200, 400, 3), 255, np.uint8)
    out = write_searchable_pdf([Page(result, pixels=px)], tmp_path / "astral.pdf")
    assert pdfium_lines(out) == ["𠮷野家 𠀀", "https://example.com/?q=1"]


# -- page images kept as they were ------------------------------------------------------------------

def test_jpeg_is_embedded_byte_for_byte(pages, page_image, tmp_path):
    _, result = pages["upright"]
    data = jpeg_bytes(page_image, dpi=(150, 150))
    out = write_searchable_pdf([Page(result, image=data)], tmp_path / "jpeg.pdf")
    assert images_of(out, 0) == [data]
    doc = pdfium.PdfDocument(str(out))
    try:
        w, h = doc[0].get_size()
    finally:
        doc.close()
    assert (w, h) == pytest.approx((page_image.width * 72 / 150, page_image.height * 72 / 150), abs=0.01)
    same_lines(pdfium_lines(out), result)
    assert np.mean(char_ious(out, 0, result)) >= MEAN_IOU


def test_jpeg_exif_orientation_is_drawn_not_reencoded(pages, page_image, tmp_path):
    """A JPEG stored on its side with EXIF orientation 6: the bytes stay, the page shows it upright."""
    _, result = pages["upright"]
    stored = page_image.transpose(Image.Transpose.ROTATE_90)  # what a camera held sideways stores
    exif = Image.Exif()
    exif[0x0112] = 6
    data = jpeg_bytes(stored, exif=exif)
    out = write_searchable_pdf([Page(result, image=data)], tmp_path / "exif.pdf")
    assert images_of(out, 0) == [data]
    doc = pdfium.PdfDocument(str(out))
    try:
        page = doc[0]
        shown = np.asarray(page.render(scale=page_image.width / page.get_width()).to_pil().convert("L"), float)
    finally:
        doc.close()
    upright = np.asarray(page_image.convert("L"), float)
    h, w = min(shown.shape[0], upright.shape[0]), min(shown.shape[1], upright.shape[1])
    assert np.abs(shown[:h, :w] - upright[:h, :w]).mean() < 8  # the upright page, not a turned one
    assert np.mean(char_ious(out, 0, result)) >= MEAN_IOU


def test_png_and_pixels_are_lossless(pages, page_image, tmp_path):
    px, result = pages["upright"]
    buf = io.BytesIO()
    page_image.save(buf, format="PNG")
    grey = np.asarray(page_image.convert("L"))
    out = write_searchable_pdf([Page(result, image=buf.getvalue()), Page(result, pixels=px),
                                Page(result, pixels=grey)], tmp_path / "lossless.pdf")
    doc = pdfium.PdfDocument(str(out))
    try:
        for i, want in enumerate((px, px, grey)):
            (obj,) = doc[i].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3)
            got = np.asarray(obj.get_bitmap().to_pil().convert("RGB" if want.ndim == 3 else "L"))
            assert np.array_equal(got, want)
        # and the page shows just the image: the text layer paints nothing
        page = doc[1]
        shown = np.asarray(page.render(scale=px.shape[1] / page.get_width()).to_pil().convert("RGB"), float)
        assert shown.shape == px.shape
        assert np.abs(shown - px).mean() < 1
    finally:
        doc.close()


def make_source_pdf(page_image: Image.Image) -> bytes:
    """Two pages of the drawn image (Pillow's PDF writer: a DCTDecode image each); the second turned
    by /Rotate 90."""
    buf = io.BytesIO()
    page_image.save(buf, format="PDF", save_all=True, append_images=[page_image.copy()], resolution=150)
    doc = pdfium.PdfDocument(buf.getvalue())
    try:
        doc[1].set_rotation(90)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()
    finally:
        doc.close()


def test_pdf_pages_are_kept_and_gain_the_text_layer(engine, page_image, tmp_path):
    source = make_source_pdf(page_image)
    assert not has_text_layer(source)
    assert read_text_layer(source, 0) is None
    results = []
    for i in range(2):
        result = recognise(engine, render_page(source, i + 1))
        assert [squash(ln.text) for ln in result.lines] == [squash(s) for s in LINES]
        results.append(result)
    assert abs(results[1].angle - 90) < 1
    out = write_searchable_pdf([Page(r, pdf=source, index=i) for i, r in enumerate(results)], tmp_path / "out.pdf")
    src, dst = pdfium.PdfDocument(source), pdfium.PdfDocument(str(out))
    try:
        assert len(dst) == 2
        for i in range(2):
            assert dst[i].get_size() == src[i].get_size()
            assert dst[i].get_mediabox() == src[i].get_mediabox()
            assert dst[i].get_rotation() == src[i].get_rotation() == (0, 90)[i]
    finally:
        src.close()
        dst.close()
    for i, result in enumerate(results):
        assert images_of(out, i) == images_of(source, i)  # the original image stream, not re-encoded
        same_lines(pdfium_lines(out, i), result)
        scores = char_ious(out, i, result)
        print(f"pdf page {i}: mean IoU {np.mean(scores):.3f}, min {min(scores):.3f}")
        assert min(scores) >= MIN_IOU and np.mean(scores) >= MEAN_IOU
    assert has_text_layer(out) and has_text_layer(out, 1)


def test_pdf_page_with_a_dangling_transform(engine, page_image, tmp_path):
    """A page whose content leaves its transform scaled (a `cm` outside any q/Q, as some scanners
    write): the text layer drawn after it must still land on the glyphs."""
    data = jpeg_bytes(page_image)
    w, h = page_image.width * 0.5, page_image.height * 0.5
    content = f"2 0 0 2 0 0 cm\nq {w / 2} 0 0 {h / 2} 0 0 cm /Im0 Do Q\n".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w} {h}] /Resources << /XObject << /Im0 4 0 R >> >> "
        "/Contents 5 0 R >>".encode(),
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 "
        b"/Filter /DCTDecode /Length %d >>\nstream\n" % (page_image.width, page_image.height, len(data))
        + data + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    pdf, offsets = b"%PDF-1.7\n", []
    for i, body in enumerate(objects, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 6\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    pdf += b"trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    result = recognise(engine, render_page(pdf, 1))
    out = write_searchable_pdf([Page(result, pdf=pdf)], tmp_path / "ctm.pdf")
    assert images_of(out, 0) == [data]
    assert np.mean(char_ious(out, 0, result)) >= MEAN_IOU


# -- reading a text layer back ----------------------------------------------------------------------

def test_read_text_layer(pages, tmp_path):
    px, result = pages["turned"]
    blank = tmp_path / "blank.pdf"
    blank_img = io.BytesIO()
    Image.new("RGB", (200, 100), "white").save(blank_img, format="PDF")
    blank.write_bytes(blank_img.getvalue())
    assert read_text_layer(blank, 0) is None and not has_text_layer(blank)
    out = write_searchable_pdf([Page(result, pixels=px)], tmp_path / "turned.pdf")
    assert has_text_layer(out, 0) and has_text_layer(str(out)) and has_text_layer(out.read_bytes())
    doc = pdfium.PdfDocument(str(out))
    dpi = 72 * result.width / doc[0].get_width()
    doc.close()
    found = read_text_layer(out, 0, dpi=dpi)
    assert found is not None
    assert (found.width, found.height) == (result.width, result.height)
    same_lines([ln.text for ln in found.lines], result)
    assert abs(found.angle - result.angle) < 2
    for ours, theirs in zip(result.lines, found.lines):
        # the same place, corners in the same reading order: the first (the text's top left) is
        # the image's bottom left on a page turned left (np.rot90)
        assert iou(aabb(ours.polygon), aabb(theirs.polygon)) > 0.8
        (px0, py0), (qx0, qy0) = ours.polygon[0], theirs.polygon[0]
        assert abs(px0 - qx0) < 6 and abs(py0 - qy0) < 6
        assert len(theirs.chars or []) == len(squash(ours.text))


# -- many pages, failures ---------------------------------------------------------------------------

def test_fifty_pages_stream_from_a_generator(engine, pages, page_image, tmp_path):
    """50 pages from a generator, every fifth one a page of a source PDF (given as a path), in order."""
    _, result = pages["upright"]
    data = jpeg_bytes(page_image)
    source = tmp_path / "source.pdf"
    source.write_bytes(make_source_pdf(page_image))
    on_pdf = [recognise(engine, render_page(source.read_bytes(), i + 1)) for i in range(2)]
    made = []

    def page_stream():
        for i in range(50):
            made.append(i)
            yield Page(on_pdf[i % 2], pdf=source, index=i % 2) if i % 5 == 0 else Page(result, image=data)

    out = write_searchable_pdf(page_stream(), tmp_path / "fifty.pdf")
    assert len(made) == 50
    doc = pdfium.PdfDocument(str(out))
    try:
        assert len(doc) == 50
        for i in range(50):
            assert squash(doc[i].get_textpage().get_text_range()) == squash("".join(LINES)), i
            assert doc[i].get_rotation() == (90 if i % 5 == 0 and i % 2 else 0)
    finally:
        doc.close()
    assert images_of(out, 5) == images_of(source, 1)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_failures_leave_nothing_behind(pages, tmp_path):
    px, result = pages["upright"]
    dest = tmp_path / "out.pdf"
    dest.write_bytes(b"keep me")
    with pytest.raises(WriteFailed) as err:
        write_searchable_pdf([Page(result, pixels=px)], dest)
    assert err.value.reason == "exists"
    assert dest.read_bytes() == b"keep me"
    assert leftovers(tmp_path) == ["out.pdf"]
    # a page that cannot be decoded, after a good one: no file, no temp file
    with pytest.raises(UndecodableImage):
        write_searchable_pdf([Page(result, pixels=px), Page(result, image=b"not an image")], tmp_path / "bad.pdf")
    assert leftovers(tmp_path) == ["out.pdf"]
    # a file where the folder should be
    with pytest.raises(WriteFailed) as err:
        write_searchable_pdf([Page(result, pixels=px)], dest / "sub.pdf")
    assert err.value.fatal
    assert leftovers(tmp_path) == ["out.pdf"]
    # overwrite=True replaces it whole
    write_searchable_pdf([Page(result, pixels=px)], dest, overwrite=True)
    assert dest.read_bytes().startswith(b"%PDF-") and leftovers(tmp_path) == ["out.pdf"]


def test_a_page_needs_exactly_one_source(pages):
    _, result = pages["upright"]
    with pytest.raises(ValueError):
        Page(result)
    with pytest.raises(ValueError):
        Page(result, image=b"x", pixels=np.zeros((2, 2), np.uint8))
