"""Image sources: every supported kind loads the same pixels; every bad input gets a typed, clear error."""

from __future__ import annotations

import base64
import io
import os
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from desktop_ocr.core import pdf as pdfmod
from desktop_ocr.core.errors import (
    EmptyInput,
    ImageTooLarge,
    ImageTooSmall,
    OcrError,
    UndecodableImage,
    UnsupportedSource,
)
from desktop_ocr.core.sources import HAVE_AVIF, MAX_PIXELS, decode_bytes, expand_sources, load_image, sniff
from tests.drawing import render_lines, to_png_bytes


def encoded(img: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt, **kw)
    return buf.getvalue()


def near(px, rgb, tol: int = 8) -> bool:
    return all(abs(int(a) - b) <= tol for a, b in zip(px, rgb))


@pytest.fixture(scope="module")
def page() -> Image.Image:
    return render_lines(["识别测试 Hello 123"], font_size=28)


# -- kinds of source --------------------------------------------------------------------------

def test_path_str_and_pathlib_give_same_pixels(tmp_path, page):
    f = tmp_path / "page.png"
    f.write_bytes(to_png_bytes(page))
    a, b = load_image(str(f)), load_image(f)
    assert a.pixels.dtype == np.uint8 and a.pixels.shape == (page.height, page.width, 3)
    assert np.array_equal(a.pixels, np.asarray(page)) and np.array_equal(a.pixels, b.pixels)
    assert a.source == str(f) and a.format == "png" and a.data == f.read_bytes() and a.page is None


def test_non_ascii_path(tmp_path, page):
    folder = tmp_path / "收据 résumé"
    folder.mkdir()
    f = folder / "发票①.jpg"
    f.write_bytes(encoded(page, "JPEG", quality=95))
    img = load_image(str(f))
    assert img.format == "jpeg" and (img.width, img.height) == page.size
    assert img.source == str(f)


def test_bytes_base64_and_data_uri(page):
    png = to_png_bytes(page)
    b64 = base64.b64encode(png).decode()
    wrapped = "\n".join(b64[i:i + 76] for i in range(0, len(b64), 76))  # MIME-style line breaks
    for src, label in [(png, "<bytes>"), (bytearray(png), "<bytes>"), (b64, "<base64>"), (wrapped, "<base64>"),
                       (base64.urlsafe_b64encode(png).decode().rstrip("="), "<base64>"),
                       ("data:image/png;base64," + b64, "<data URI>")]:
        img = load_image(src)
        assert np.array_equal(img.pixels, np.asarray(page)), label
        assert img.source == label and img.data == png


def test_percent_encoded_data_uri(page):
    from urllib.parse import quote_from_bytes

    bmp = encoded(page, "BMP")
    img = load_image("data:image/bmp," + quote_from_bytes(bmp))
    assert img.format == "bmp" and np.array_equal(img.pixels, np.asarray(page))


def test_pil_image_and_numpy_array(page):
    arr = np.asarray(page)
    assert np.array_equal(load_image(page).pixels, arr)
    assert np.array_equal(load_image(arr).pixels, arr)
    gray = load_image(arr[:, :, 0].copy())
    assert gray.pixels.shape == arr.shape and np.array_equal(gray.pixels[:, :, 2], arr[:, :, 0])
    with pytest.raises(UndecodableImage, match="uint8"):
        load_image(arr.astype(np.float32))


@pytest.mark.parametrize("fmt,name,kw", [
    ("JPEG", "jpeg", {"quality": 95}), ("PNG", "png", {}), ("BMP", "bmp", {}),
    ("TIFF", "tiff", {"compression": "tiff_lzw"}), ("WEBP", "webp", {"lossless": True}), ("GIF", "gif", {}),
    pytest.param("AVIF", "avif", {"quality": 95},
                 marks=pytest.mark.skipif(not HAVE_AVIF, reason="this Pillow has no libavif")),
])
def test_formats(page, fmt, name, kw):
    img = decode_bytes(encoded(page, fmt, **kw), "x")
    assert img.format == name and img.pixels.shape == (page.height, page.width, 3)
    diff = np.abs(img.pixels.astype(int) - np.asarray(page).astype(int))
    assert diff.mean() < 3  # lossless formats are exact; JPEG/GIF close


def test_avif_is_an_image_when_pillow_decodes_it(tmp_path, page):
    """Pillow's wheels carry libavif (and the bundle ships it): an .avif saved from a browser opens,
    is found in folders, and a broken one is reported as a damaged AVIF, not as "not an image"."""
    if not HAVE_AVIF:
        with pytest.raises(UndecodableImage, match="AVIF image \\(not supported"):
            decode_bytes(b"\x00\x00\x00\x1cftypavif" + b"\x00" * 64, "x.avif")
        return
    (tmp_path / "网页图片.avif").write_bytes(encoded(page, "AVIF", quality=80))
    assert [Path(p).name for p in expand_sources([tmp_path])] == ["网页图片.avif"]
    img = load_image(tmp_path / "网页图片.avif")
    assert img.format == "avif" and img.pixels.shape == (page.height, page.width, 3)
    with pytest.raises(UndecodableImage, match="AVIF"):
        decode_bytes(encoded(page, "AVIF")[:200], "cut.avif")


def test_gif_first_frame_only():
    red, blue = Image.new("RGB", (40, 30), (255, 0, 0)), Image.new("RGB", (40, 30), (0, 0, 255))
    data = encoded(red, "GIF", save_all=True, append_images=[blue], duration=100, loop=0)
    assert Image.open(io.BytesIO(data)).n_frames == 2
    px = decode_bytes(data, "anim.gif").pixels
    assert tuple(px[10, 10]) == (255, 0, 0)


def test_exif_orientation_applied():
    stored = Image.new("RGB", (80, 40), "white")
    stored.paste((255, 0, 0), (0, 0, 10, 10))  # red marker at the stored top-left
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to display"
    img = decode_bytes(encoded(stored, "JPEG", quality=95, exif=exif), "phone.jpg")
    assert (img.width, img.height) == (40, 80)  # upright: portrait
    r, g, b = img.pixels[4, 35]  # the marker is now at the top-right
    assert r > 200 and g < 60 and b < 60
    assert img.pixels[4, 4].min() > 200  # and no longer at the top-left


def test_transparent_png_is_composited_on_white(page):
    rgba = Image.new("RGBA", page.size, (0, 0, 0, 0))
    rgba.putalpha(Image.eval(page.convert("L"), lambda v: 255 - v))  # black text, transparent paper
    px = decode_bytes(encoded(rgba, "PNG"), "t.png").pixels
    assert px[0, 0].tolist() == [255, 255, 255]
    assert np.abs(px.astype(int) - np.asarray(page).astype(int)).mean() < 2


def test_16_bit_grayscale_keeps_its_range():
    arr = np.zeros((30, 60), np.uint16)
    arr[:, 30:] = 65535
    data = encoded(Image.fromarray(arr), "PNG")
    px = decode_bytes(data, "deep.png").pixels
    assert px[5, 5].tolist() == [0, 0, 0] and px[5, 45].tolist() == [255, 255, 255]


# -- PDF ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def two_page_pdf() -> bytes:
    red, blue = Image.new("RGB", (600, 800), (255, 0, 0)), Image.new("RGB", (600, 800), (0, 0, 255))
    return encoded(red, "PDF", save_all=True, append_images=[blue], resolution=100.0)  # 6 x 8 inches


def test_pdf_first_page_by_default_at_200_dpi(tmp_path, two_page_pdf):
    """A page is rendered at 200 dpi, also a scan of lower resolution (100 dpi here): the detector
    finds more on it (core.pdf.render_page says by how much)."""
    f = tmp_path / "扫描件.pdf"
    f.write_bytes(two_page_pdf)
    img = load_image(f)
    assert (img.width, img.height) == (1200, 1600) and img.page == 1
    assert near(img.pixels[800, 600], (255, 0, 0))  # PIL stores pages as JPEG
    # a page is no image file: no data (a backend uploads its pixels), the format says where it is from
    assert img.format == "pdf" and img.data is None
    assert np.array_equal(load_image(f.read_bytes()).pixels, img.pixels)  # from bytes as from the file


def test_pdf_page_chooser(two_page_pdf):
    img = load_image(two_page_pdf, pdf_page=2)
    assert img.page == 2 and near(img.pixels[800, 600], (0, 0, 255))


def test_pdf_page_out_of_range(two_page_pdf):
    with pytest.raises(UnsupportedSource, match="page 3 was asked for but the PDF has only 2 pages"):
        load_image(two_page_pdf, pdf_page=3)
    with pytest.raises(UnsupportedSource, match="start at 1"):
        load_image(two_page_pdf, pdf_page=0)


def blank_pdf(width_in: float, height_in: float) -> bytes:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    doc.new_page(72 * width_in, 72 * height_in)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_pdf_huge_page_rendered_within_pixel_budget():
    px = pdfmod.render_page(blank_pdf(40, 20), 1, max_pixels=2_000_000)  # 40 x 20 inches at 200 dpi: 32 MP
    assert px.shape[0] * px.shape[1] <= 2_000_000 and px.shape[1] == pytest.approx(2 * px.shape[0], rel=0.01)
    assert px.shape[0] > 900  # about 50 dpi, not thumbnail-small
    with pytest.raises(ImageTooLarge, match="100 x 50 inches; it cannot be rendered readably within the "
                                            "2,000,000 pixel limit"):
        pdfmod.render_page(blank_pdf(100, 50), 1, max_pixels=2_000_000, source="poster.pdf")


def test_broken_pdf():
    with pytest.raises(UndecodableImage, match="the PDF is damaged .* cannot be read"):
        load_image(b"%PDF-1.7\n" + b"garbage " * 40)


# -- bad input ------------------------------------------------------------------------------------

def test_empty_inputs(tmp_path):
    f = tmp_path / "empty.png"
    f.write_bytes(b"")
    with pytest.raises(EmptyInput, match="the file is empty") as ei:
        load_image(f)
    assert ei.value.source == str(f) and str(ei.value) == f"{f}: the file is empty"
    with pytest.raises(EmptyInput, match="the data is empty"):
        load_image(b"")
    with pytest.raises(EmptyInput, match="empty string"):
        load_image("  ")
    with pytest.raises(EmptyInput, match="carries no data"):
        load_image("data:image/png;base64,")


def test_missing_file_folder_and_unsupported_type(tmp_path):
    with pytest.raises(UnsupportedSource, match="no such file") as ei:
        load_image(str(tmp_path / "nope.png"))
    assert ei.value.source == str(tmp_path / "nope.png")
    with pytest.raises(UnsupportedSource, match="is a folder"):
        load_image(tmp_path)
    with pytest.raises(UnsupportedSource, match="cannot load an image from a int"):
        load_image(42)


@pytest.mark.parametrize("url", ["file:///etc/hostname", "ftp://example.com/a.png", "gopher://x/y"])
def test_only_http_urls(url):
    with pytest.raises(UnsupportedSource, match=r"only http:// and https:// URLs are supported") as ei:
        load_image(url)
    assert ei.value.source == url


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path, page):
    f = tmp_path / "locked.png"
    f.write_bytes(to_png_bytes(page))
    f.chmod(0)
    with pytest.raises(UnsupportedSource, match="permission denied"):
        load_image(f)


@pytest.mark.parametrize("data,message", [
    (b"<!DOCTYPE html><html><head><title>x</title></head><body>nope</body></html>",
     "the file is an HTML page, not an image"),
    (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>', "the file is an SVG drawing"),
    (b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64, "the file is a HEIC/HEIF photo"),
    (b"just some words in a text file, not a picture", "the file is not a supported image"),
    (b"8BPS" + b"\x00" * 100, "the file is not a supported image"),  # a Photoshop file PIL could open
])
def test_not_an_image(tmp_path, data, message):
    f = tmp_path / "thing.png"
    f.write_bytes(data)
    with pytest.raises(UndecodableImage, match=message) as ei:
        load_image(f)
    assert ei.value.source == str(f)


def test_truncated_images(page):
    png = to_png_bytes(page)
    with pytest.raises(UndecodableImage, match="PNG data is truncated or corrupt"):
        decode_bytes(png[: len(png) // 2], "half.png")
    jpg = encoded(page, "JPEG")
    with pytest.raises(UndecodableImage, match="JPEG data is truncated or corrupt"):
        decode_bytes(jpg[: len(jpg) // 2], "half.jpg")
    with pytest.raises(UndecodableImage, match="looks like a PNG image but its data is damaged"):
        decode_bytes(png[:30], "stub.png")


def test_base64_that_is_not_an_image():
    junk = base64.b64encode(b"hello world, definitely not pixels " * 4).decode()
    with pytest.raises(UndecodableImage, match="neither an existing file nor base64 of a supported image"):
        load_image(junk)
    with pytest.raises(UndecodableImage, match="base64 payload is invalid"):
        load_image("data:image/png;base64,@@@not-base64@@@")


@pytest.mark.parametrize("size", [(14, 200), (200, 10), (1, 1)])
def test_too_small(size):
    with pytest.raises(ImageTooSmall, match=rf"{size[0]} x {size[1]} px; each side must be at least 15 px"):
        decode_bytes(encoded(Image.new("RGB", size, "white"), "PNG"), "tiny.png")


def test_smallest_allowed_size_loads():
    assert decode_bytes(encoded(Image.new("RGB", (15, 15), "white"), "PNG"), "ok").width == 15


def png_bomb(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width x height``; its data is a few bytes of a 1-row stream."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grayscale
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
            + chunk(b"IEND", b""))


@pytest.mark.parametrize("w,h", [(100_000, 100_000), (10_001, 10_000), (60_000, 20_000)])
def test_decompression_bomb_refused_from_header(tmp_path, w, h):
    f = tmp_path / "bomb.png"
    f.write_bytes(png_bomb(w, h))
    assert f.stat().st_size < 2000
    with pytest.raises(ImageTooLarge) as ei:
        load_image(f)
    msg = str(ei.value)
    # below twice the limit our own header check names the size; above it PIL refuses first (pixel count)
    assert f"{w * h:,} pixels" in msg and f"the limit is {MAX_PIXELS:,} pixels" in msg and msg.startswith(str(f))


def test_file_and_data_size_caps(tmp_path, page):
    f = tmp_path / "big.png"
    f.write_bytes(to_png_bytes(page) + b"\x00" * 3_000_000)
    with pytest.raises(ImageTooLarge, match="the file is 3 MB; the limit is 1 MB"):
        load_image(f, max_bytes=1024 * 1024)


def test_sniff():
    assert sniff(b"\xff\xd8\xff\xe0") == "jpeg" and sniff(b"%PDF-1.4") == "pdf"
    assert sniff(b"\r\n  <html>") == "html" and sniff(b"\x01\x02") is None


def test_errors_are_ocr_errors_with_codes():
    for exc_type in (EmptyInput, UnsupportedSource, UndecodableImage, ImageTooSmall, ImageTooLarge):
        assert issubclass(exc_type, OcrError) and exc_type.code


# -- expanding command-line arguments -------------------------------------------------------------

def test_expand_sources(tmp_path, page):
    png = to_png_bytes(page)
    root = tmp_path / "批次"
    for rel in ["b/img10.png", "b/img2.png", "a.JPG", "c/deep/x.pdf", "notes.txt", ".hidden/h.png", ".dot.png"]:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(png)
    (tmp_path / "empty").mkdir()
    single = tmp_path / "single.dat"  # an explicit file passes whatever its extension
    single.write_bytes(png)
    out = expand_sources([str(root), "-", "https://example.com/a.png", str(tmp_path / "missing.png"),
                          str(tmp_path / "empty"), str(single)])
    names = [Path(x).relative_to(root).as_posix() for x in out[:4]]
    assert names == ["a.JPG", "b/img2.png", "b/img10.png", "c/deep/x.pdf"]
    assert out[4:6] == ["-", "https://example.com/a.png"]
    assert isinstance(out[6], UnsupportedSource)
    assert str(out[6]) == f"{tmp_path / 'missing.png'}: no such file or folder"
    assert isinstance(out[7], EmptyInput) and "the folder holds no images" in str(out[7])
    assert out[8] == str(single)
    assert len(out) == 9
