"""Searchable PDF: the page images as they were, with an invisible text layer on top; and the reverse.

    write_searchable_pdf(pages, dest, *, overwrite=False) -> Path
    read_text_layer(pdf, page_index, *, dpi=RENDER_DPI) -> OcrResult | None
    has_text_layer(pdf, page_index=None, *, min_chars=MIN_TEXT_CHARS) -> bool

Why our own writer and not an OCRmyPDF plugin: OCRmyPDF brings Ghostscript, pikepdf, qpdf and a
Tesseract-shaped plugin protocol (hOCR files per page) for what is, here, a few hundred lines of
PDF objects; the app would need all of it installed and bundled.

``pages`` is any iterable of ``Page``; each is written as it comes (memory holds one page's image),
in one of three kinds (exactly one of ``pdf``, ``image``, ``pixels``):

* ``Page(result, image=bytes)``: an image file. JPEG (grey, RGB, CMYK) is embedded byte for byte
  (DCTDecode; an EXIF orientation is applied by the page's drawing matrix, not by re-encoding);
  every other format is decoded with Pillow (frame ``index``, EXIF orientation applied, alpha
  composited on white, as core.sources loads it) and stored losslessly: Flate with PNG predictors
  (1-bit stays 1-bit, grey stays grey, everything else RGB).
* ``Page(result, pixels=array)``: raw pixels (HxW grey, HxWx3 RGB, HxWx4 RGBA on white), losslessly.
* ``Page(result, pdf=bytes|path, index=i)``: page ``i`` (0-based) of a PDF, kept untouched (its
  content streams, images, annotations, /Rotate, boxes); the text layer is added as one more form
  XObject drawn over it. PDFium builds that page alone in a one-page document (import_pages,
  page_as_xobject, insert_obj, gen_content: PDFium appends one content stream and leaves the
  page's own as they are), and its objects are copied into our file, renumbered, stream data as it
  was; our font is recognised by its per-file name and becomes the file's one font. Objects that use
  no others (images, ICC profiles, font files) are written once per file when identical, so what
  pages of one source share is not repeated; objects shared through a chain of references (a
  font's dictionary) are written once per page. The source stays open across its pages (reopened
  every 32, which bounds what PDFium caches).

Memory holds one page at a time for every kind (measured once: writing 400 JPEG pages, or the 400
pages of a 36 MB scanned PDF, raised the peak RSS by 3 MB and 6 MB).

Page size (image kinds): the image's DPI when it states a plausible one (``Page.dpi`` overrides),
else DEFAULT_DPI (96: a screen capture shows 1:1 at 100 %) raised so the longer side is at most
A4's 11.69 in (a phone photo of a letter becomes a letter-sized page); never above 200 in (the PDF
limit of 14,400 units).

``result`` is what the engine read on that page: its pixel coordinates are those of the image (after
EXIF orientation) or of the PDF page rendered at ``result.width`` x ``result.height`` (CropBox,
/Rotate applied, as core.pdf renders it); they are scaled onto the page.

The text layer (render mode 3, invisible) uses a glyphless TrueType font (formats/_glyphless.py, 632
bytes, built in code, embedded once per file) as a Type0 font, Identity-H, CID = the Unicode code
point (the BMP; characters beyond it get a CID from the surrogate range D800-DFFF, allocated per
file, up to 2048 of them, and mapped back by the ToUnicode CMap, written last), CIDToGIDMap sending
every CID to the one glyph that paints nothing. A glyph fills the unit square above its baseline
(ascent 1, descent 0; /W: 0.5 em for CIDs below U+2E80 and the halfwidth forms, 1 em for the rest),
so one text matrix per run maps it onto a box exactly, rotated or sheared: each CharBox is its own
run (selection follows the glyphs; the text between boxes, spaces, fills the gap), a line without
char boxes is one run along its polygon. Where two boxes touch (Latin word boxes often do), a quarter
of the line height is carved out of the first for the space between them: poppler drops space
characters and breaks words at gaps only. (poppler's -layout and default modes still scatter the
characters of a skewed line, as they do any text not at a multiple of 90 degrees; its -raw mode,
PDFium and selection in viewers follow the lines.) Lines are written in the order of ``result.lines`` (reading
order), QR codes and barcodes (``TextLine.code``) included as text.

The file is written to a temp file beside ``dest`` and renamed (core.atomic's rules: whole or not at
all, ``overwrite=False`` never replaces a file). Errors, all with existing keys: WriteFailed
(core.atomic's reasons), UndecodableImage (no reason: an image that cannot be decoded; core.pdf's
"pdf_damaged" / "pdf_password" for a source PDF), UnsupportedSource ("pdf_no_such_page"). A Page
with none or several of pdf/image/pixels, or no pages at all, is a ValueError (a caller's bug).

Reading (``read_text_layer``): the characters PDFium extracts from a page, with their boxes, grouped
into lines where PDFium breaks lines (or the text jumps), in the order the file stores them, in
pixels of the page rendered at ``dpi``. Every PDFium call holds core.pdf's lock.
"""

from __future__ import annotations

import io
import math
import os
import re
import secrets
import string
import struct
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np

from ..core import atomic
from ..core.errors import UndecodableImage, UnsupportedSource
from ..core.model import CharBox, OcrResult, Point, TextLine
from ..core.naming import printable
from ..core.pdf import _LOCK, RENDER_DPI, _open
from ._glyphless import NAME as FONT_NAME
from ._glyphless import font_bytes

DEFAULT_DPI = 96.0
MIN_PLAUSIBLE_DPI = 50.0  # below: a placeholder (or a thumbnail), not a scan resolution
MAX_PLAUSIBLE_DPI = 4800.0
FIT_INCHES = 11.69  # A4's long side: an image without a DPI is made at most this long
MAX_PAGE_POINTS = 14400.0  # the PDF limit on a page side (200 in)
MIN_TEXT_CHARS = 8  # has_text_layer: more non-space characters than a stray page number or mark
PRODUCER = "desktop_ocr"

_FONT = "/F0"
_SURROGATES = range(0xD800, 0xE000)  # free CIDs for characters beyond the BMP


@dataclass
class Page:
    """One page to write: what was read on it, and the page itself (exactly one of pdf/image/pixels)."""

    result: OcrResult
    pdf: bytes | str | os.PathLike | None = None
    index: int = 0  # pdf: the page (0-based); image: the frame of a multi-frame file
    image: bytes | None = None
    pixels: np.ndarray | None = None
    dpi: float | None = None  # image/pixels: overrides the image's own DPI

    def __post_init__(self) -> None:
        given = sum(x is not None for x in (self.pdf, self.image, self.pixels))
        if given != 1:
            raise ValueError("a Page needs exactly one of pdf=, image= or pixels=")


# --- low-level PDF writing ------------------------------------------------------------------------

def _num(v: float) -> str:
    s = f"{v:.4f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


class _Writer:
    """Objects written to a file as they come; the cross-reference table at the end."""

    def __init__(self, fh: IO[bytes] | atomic.AtomicFile):
        self.fh = fh
        self.offsets: dict[int, int] = {}
        self.count = 0
        self.pos = 0
        self._write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def _write(self, data: bytes) -> None:
        self.fh.write(data)
        self.pos += len(data)

    def alloc(self) -> int:
        self.count += 1
        return self.count

    def obj(self, num: int, body: bytes | str) -> None:
        self.offsets[num] = self.pos
        raw = body.encode("latin-1") if isinstance(body, str) else body
        self._write(b"%d 0 obj\n" % num + raw + b"\nendobj\n")

    def stream(self, num: int, entries: str, data: bytes, *, compress: bool = False) -> None:
        if compress:
            data = zlib.compress(data, 6)
            entries += " /Filter /FlateDecode"
        self.offsets[num] = self.pos
        self._write(b"%d 0 obj\n<< %s /Length %d >>\nstream\n" % (num, entries.encode("latin-1"), len(data)))
        self._write(data)
        self._write(b"\nendstream\nendobj\n")

    def raw(self, num: int, head: bytes, data: bytes | None) -> None:
        """An object copied from another file: its dictionary (references already renumbered) and
        its stream data as they were."""
        self.offsets[num] = self.pos
        if data is None:
            self._write(b"%d 0 obj\n" % num + head + b"\nendobj\n")
            return
        self._write(b"%d 0 obj\n" % num + head + b"\nstream\n")
        self._write(data)
        self._write(b"\nendstream\nendobj\n")

    def finish(self, root: int, info: int) -> None:
        xref = self.pos
        out = [b"xref\n0 %d\n0000000000 65535 f \n" % (self.count + 1)]
        out += [b"%010d 00000 n \n" % self.offsets[n] for n in range(1, self.count + 1)]
        out.append(b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
                   % (self.count + 1, root, info, xref))
        self._write(b"".join(out))


def _pdf_string(text: str) -> str:
    raw = ("\ufeff" + text).encode("utf-16-be")
    return "<" + raw.hex().upper() + ">"


# --- the font and its ToUnicode --------------------------------------------------------------------

class _Font:
    """The glyphless Type0 font of one file: object numbers, and the CIDs given to non-BMP characters."""

    def __init__(self, w: _Writer, basefont: str, extra: dict[str, int] | None = None):
        self.type0, self.cidfont, self.descriptor, self.file, self.gidmap, self.tounicode = (
            w.alloc() for _ in range(6))
        self.basefont = basefont
        self.extra: dict[str, int] = {} if extra is None else extra

    def encode(self, text: str) -> tuple[str, float]:
        """Hex string of the CIDs for ``text`` and its advance in em."""
        cids: list[int] = []
        for ch in text:
            cp = ord(ch)
            if cp > 0xFFFF or cp in _SURROGATES:
                cid = self.extra.get(ch)
                if cid is None:
                    cid = 0xFFFD if len(self.extra) >= len(_SURROGATES) else _SURROGATES[0] + len(self.extra)
                    if cid != 0xFFFD:
                        self.extra[ch] = cid
                cp = cid
            cids.append(cp)
        return "".join(f"{c:04X}" for c in cids), sum(_width(c) for c in cids) / 1000.0

    def write_fixed(self, w: _Writer) -> None:
        w.obj(self.type0, f"<< /Type /Font /Subtype /Type0 /BaseFont /{self.basefont} /Encoding /Identity-H "
                          f"/DescendantFonts [{self.cidfont} 0 R] /ToUnicode {self.tounicode} 0 R >>")
        w.obj(self.cidfont, f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{self.basefont} "
                            "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                            f"/FontDescriptor {self.descriptor} 0 R /DW 1000 "
                            "/W [0 11903 500 65377 65500 500] "
                            f"/CIDToGIDMap {self.gidmap} 0 R >>")
        w.obj(self.descriptor, f"<< /Type /FontDescriptor /FontName /{self.basefont} /Flags 4 "
                               "/FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 1000 /Descent 0 "
                               f"/CapHeight 1000 /StemV 80 /FontFile2 {self.file} 0 R >>")
        data = font_bytes()
        w.stream(self.file, f"/Length1 {len(data)}", data, compress=True)
        w.stream(self.gidmap, "", b"\x00\x01" * 65536, compress=True)

    def write_tounicode(self, w: _Writer) -> None:
        rows = [f"<{hi:02X}00> <{hi:02X}FF> <{hi:02X}00>" for hi in range(256) if not 0xD8 <= hi <= 0xDF]
        parts = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
                 "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
                 "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
                 "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange"]
        for i in range(0, len(rows), 100):
            block = rows[i:i + 100]
            parts += [f"{len(block)} beginbfrange", *block, "endbfrange"]
        pairs = [f"<{cid:04X}> <{ch.encode('utf-16-be').hex().upper()}>" for ch, cid in self.extra.items()]
        for i in range(0, len(pairs), 100):
            block = pairs[i:i + 100]
            parts += [f"{len(block)} beginbfchar", *block, "endbfchar"]
        parts += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
        w.stream(self.tounicode, "", "\n".join(parts).encode("ascii"), compress=True)


def _width(cid: int) -> int:
    return 500 if cid < 0x2E80 or 0xFF61 <= cid <= 0xFFDC else 1000


# --- the text layer --------------------------------------------------------------------------------

Affine = tuple[float, float, float, float, float, float]  # x' = a*x + c*y + e, y' = b*x + d*y + f


def _apply(m: Affine, p: Point) -> Point:
    a, b, c, d, e, f = m
    return a * p[0] + c * p[1] + e, b * p[0] + d * p[1] + f


def _sub(p: Point, q: Point) -> Point:
    return p[0] - q[0], p[1] - q[1]


def _run(font: _Font, text: str, quad: list[Point]) -> str:
    """``text`` spread over ``quad`` (page points, reading order TL TR BR BL): one Tm and one Tj."""
    hexcids, advance = font.encode(text)
    if not hexcids or advance <= 0:
        return ""
    tl, tr, br, bl = quad
    xv = _sub(br, bl)
    yv = _sub(tl, bl)
    if math.hypot(*xv) < 1e-3 or math.hypot(*yv) < 1e-3:
        return ""
    a, b = xv[0] / advance, xv[1] / advance
    return f"{_num(a)} {_num(b)} {_num(yv[0])} {_num(yv[1])} {_num(bl[0])} {_num(bl[1])} Tm <{hexcids}> Tj\n"


def _gap(left: list[Point], right: list[Point], u: Point, height: float) -> list[Point]:
    """The quad between two boxes of a line (right edge of ``left`` to left edge of ``right``); a
    sliver of 5 % of the line height along the line's direction ``u`` where they touch or overlap."""
    tl, bl = left[1], left[2]
    tr, br = right[0], right[3]
    ux, uy = u
    if (br[0] - bl[0]) * ux + (br[1] - bl[1]) * uy < 0.05 * height:
        step = (ux * 0.05 * height, uy * 0.05 * height)
        tr, br = (tl[0] + step[0], tl[1] + step[1]), (bl[0] + step[0], bl[1] + step[1])
    return [tl, tr, br, bl]


def _line_runs(font: _Font, line: TextLine, to_page: Affine) -> str:
    text = line.text
    if not text.strip():
        return ""
    quad = [_apply(to_page, p) for p in line.polygon[:4]]
    height = math.hypot(*_sub(quad[3], quad[0]))
    base = _sub(quad[2], quad[3])
    u = (base[0] / (math.hypot(*base) or 1.0), base[1] / (math.hypot(*base) or 1.0))
    segments = _char_segments(line)
    if segments is None and line.vertical:
        # a column of vertical writing (TextLine.vertical, polygon as the column stands): a run per
        # character, the column cut into equal cells down its length
        n = len(text)
        tl, tr, br, bl = quad

        def at(p: Point, q: Point, f: float) -> Point:
            return (p[0] + (q[0] - p[0]) * f, p[1] + (q[1] - p[1]) * f)

        return "".join(_run(font, ch, [at(tl, bl, i / n), at(tr, br, i / n), at(tr, br, (i + 1) / n),
                                       at(tl, bl, (i + 1) / n)])
                       for i, ch in enumerate(text) if not ch.isspace())
    if segments is None:
        return _run(font, text, quad)
    boxes = [[_apply(to_page, p) for p in poly] for _t, poly in segments if poly is not None]
    # Where a box touches the next (Latin word boxes often do), the space between them gets a
    # quarter of the line height carved from the end of the box before it: readers that drop
    # space characters and break words at gaps (poppler) still see the space.
    k = 0
    for i, (seg_text, poly) in enumerate(segments):
        if poly is not None:
            k += 1
            continue
        if 0 < k < len(boxes) and seg_text.isspace() and i + 1 < len(segments):
            prev, nxt = boxes[k - 1], boxes[k]
            gap = (nxt[3][0] - prev[2][0]) * u[0] + (nxt[3][1] - prev[2][1]) * u[1]
            width = (prev[2][0] - prev[3][0]) * u[0] + (prev[2][1] - prev[3][1]) * u[1]
            cut = min(0.25 * height - gap, 0.3 * width)
            if cut > 0:
                step = (u[0] * cut, u[1] * cut)
                prev[1] = (prev[1][0] - step[0], prev[1][1] - step[1])
                prev[2] = (prev[2][0] - step[0], prev[2][1] - step[1])
    out: list[str] = []
    end = [quad[1], quad[1], quad[2], quad[2]]  # the line's right edge, as a box of no width
    prev = [quad[0], quad[0], quad[3], quad[3]]  # its left edge
    k = 0
    for seg_text, poly in segments:
        if poly is None:
            out.append(_run(font, seg_text, _gap(prev, boxes[k] if k < len(boxes) else end, u, height)))
        else:
            out.append(_run(font, seg_text, boxes[k]))
            prev = boxes[k]
            k += 1
    return "".join(out)


def _char_segments(line: TextLine) -> list[tuple[str, list[Point] | None]] | None:
    """The line's text cut into its CharBoxes (with their polygons) and the text between them
    (polygon None); None when the line has no usable boxes or their texts do not follow the line's."""
    chars: list[CharBox] | None = line.chars
    if not chars or any(c.polygon is None or len(c.polygon) < 4 or not c.text for c in chars):
        return None
    text = line.text
    pos = 0
    out: list[tuple[str, list[Point] | None]] = []
    for c in chars:
        i = text.find(c.text, pos)
        if i < 0:
            return None
        if i > pos:
            out.append((text[pos:i], None))
        assert c.polygon is not None
        out.append((c.text, list(c.polygon[:4])))
        pos = i + len(c.text)
    if pos < len(text):
        out.append((text[pos:], None))
    return out


def _text_layer(font: _Font, result: OcrResult, to_page: Affine) -> bytes:
    runs = [_line_runs(font, line, to_page) for line in result.lines]
    body = "".join(runs)
    if not body:
        return b""
    return f"BT\n3 Tr\n{_FONT} 1 Tf\n{body}ET\n".encode("latin-1")


# --- page images -----------------------------------------------------------------------------------

@dataclass
class _Image:
    width: int  # as stored
    height: int
    entries: str  # /ColorSpace /BitsPerComponent /Filter /DecodeParms
    data: bytes
    orientation: int = 1  # EXIF orientation the drawing matrix applies (JPEG only)
    dpi: float | None = None


def _plausible_dpi(info: Mapping[Any, Any]) -> float | None:
    dpi = info.get("dpi")
    try:
        x, y = float(dpi[0]), float(dpi[1])  # type: ignore[index]
    except (TypeError, ValueError, IndexError):
        return None
    if not (MIN_PLAUSIBLE_DPI <= x <= MAX_PLAUSIBLE_DPI) or abs(x - y) > 0.01 * x:
        return None
    return x


def _jpeg_image(data: bytes, im: Any) -> _Image | None:
    """The JPEG as it is (DCTDecode), or None when PDF readers could not show it plainly."""
    spaces = {"L": "/DeviceGray", "RGB": "/DeviceRGB", "CMYK": "/DeviceCMYK"}
    if im.mode not in spaces or im.info.get("progression") and im.mode == "CMYK":
        return None
    entries = f"/ColorSpace {spaces[im.mode]} /BitsPerComponent 8 /Filter /DCTDecode"
    if im.mode == "CMYK" and "adobe" in im.info:
        entries += " /Decode [1 0 1 0 1 0 1 0]"  # Adobe's CMYK JPEGs are stored inverted
    try:
        orientation = int(im.getexif().get(0x0112, 1))
    except Exception:  # noqa: BLE001 - a broken EXIF block: shown as stored, as Pillow does
        orientation = 1
    return _Image(im.width, im.height, entries, data, orientation if 1 <= orientation <= 8 else 1,
                  _plausible_dpi(im.info))


def _png_stream(im: Any) -> _Image:
    """Pixels losslessly: Pillow's PNG encoding, its IDAT data as a Flate stream with PNG predictors."""
    buf = io.BytesIO()
    im.save(buf, format="PNG", compress_level=6)
    png = buf.getvalue()
    pos, idat = 8, []
    width = height = depth = colour = 0
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        chunk = png[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
        elif kind == b"IDAT":
            idat.append(chunk)
        pos += 12 + length
    colours = 1 if colour == 0 else 3
    space = "/DeviceGray" if colours == 1 else "/DeviceRGB"
    entries = (f"/ColorSpace {space} /BitsPerComponent {depth} /Filter /FlateDecode "
               f"/DecodeParms << /Predictor 15 /Colors {colours} /BitsPerComponent {depth} /Columns {width} >>")
    return _Image(width, height, entries, b"".join(idat))


def _flat(im: Any) -> Any:
    """1-bit, grey or RGB, alpha composited on white (as core.sources loads images)."""
    from PIL import Image

    if im.mode in ("1", "L", "RGB"):
        return im
    if im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        page = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        page.alpha_composite(rgba)
        return page.convert("L" if im.mode in ("LA", "La") else "RGB")
    if im.mode.startswith("I") or im.mode == "F":
        arr = np.asarray(im, dtype=np.float64)
        top = 65535.0 if arr.max(initial=0) > 255 else 255.0
        return Image.fromarray(np.clip(arr / top * 255.0 + 0.5, 0, 255).astype(np.uint8), "L")
    return im.convert("RGB")


def _load_image(page: Page, source: str) -> _Image:
    from PIL import Image, ImageOps, UnidentifiedImageError

    if page.pixels is not None:
        arr = np.ascontiguousarray(page.pixels)
        if arr.dtype != np.uint8 or arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[2] not in (3, 4)):
            raise UndecodableImage(f"pixels must be uint8 HxW, HxWx3 or HxWx4; got {arr.dtype} {arr.shape}",
                                   source=source or None, params={"shape": str(arr.shape)})
        mode = "L" if arr.ndim == 2 else ("RGB" if arr.shape[2] == 3 else "RGBA")
        return _png_stream(_flat(Image.fromarray(arr, mode)))
    data = page.image
    assert data is not None
    try:
        im = Image.open(io.BytesIO(data))
        if im.format == "JPEG" and page.index == 0:
            found = _jpeg_image(data, im)
            if found is not None:
                return found
        if page.index:
            im.seek(page.index)
        dpi = _plausible_dpi(im.info)
        upright = ImageOps.exif_transpose(im)
        upright.load()
        out = _png_stream(_flat(upright))
        out.dpi = dpi
        return out
    except (UnidentifiedImageError, OSError, ValueError, EOFError, SyntaxError) as exc:
        raise UndecodableImage(f"the image cannot be decoded ({exc})", source=source or None,
                               params={"error": str(exc)}) from None


def _oriented(u: float, v: float, w: int, h: int, orientation: int) -> Point:
    """Pixel (u, v) of a stored w x h image -> its place after EXIF ``orientation`` (Pillow's exif_transpose)."""
    return {
        1: (u, v), 2: (w - u, v), 3: (w - u, h - v), 4: (u, h - v),
        5: (v, u), 6: (h - v, u), 7: (h - v, w - u), 8: (v, w - u),
    }[orientation]


def _page_size(img: _Image, dpi: float | None) -> tuple[int, int, float, float]:
    """Shown pixel size and page size in points."""
    w, h = (img.height, img.width) if img.orientation >= 5 else (img.width, img.height)
    if dpi is None or not dpi > 0:
        dpi = max(DEFAULT_DPI, max(w, h) / FIT_INCHES)
    dpi = max(dpi, max(w, h) * 72.0 / MAX_PAGE_POINTS)
    return w, h, w * 72.0 / dpi, h * 72.0 / dpi


def _write_image_page(w: _Writer, font: _Font, page: Page, parent: int, source: str) -> int:
    img = _load_image(page, source)
    shown_w, shown_h, pw, ph = _page_size(img, page.dpi or img.dpi)

    iw, ih, orientation = img.width, img.height, img.orientation

    def place(s: float, t: float) -> Point:  # image space (unit square, t up) -> page points
        x, y = _oriented(s * iw, (1.0 - t) * ih, iw, ih, orientation)
        return x * pw / shown_w, ph - y * ph / shown_h

    o, sx, ty = place(0, 0), place(1, 0), place(0, 1)
    cm = (sx[0] - o[0], sx[1] - o[1], ty[0] - o[0], ty[1] - o[1], o[0], o[1])
    r = page.result
    to_page: Affine = (pw / max(r.width, 1), 0.0, 0.0, -ph / max(r.height, 1), 0.0, ph)
    content = (f"q {' '.join(_num(v) for v in cm)} cm /Im0 Do Q\n".encode("latin-1")
               + _text_layer(font, r, to_page))
    image_num, content_num, page_num = w.alloc(), w.alloc(), w.alloc()
    w.stream(image_num, f"/Type /XObject /Subtype /Image /Width {img.width} /Height {img.height} {img.entries}",
             img.data)
    del img
    w.stream(content_num, "", content, compress=True)
    w.obj(page_num, f"<< /Type /Page /Parent {parent} 0 R /MediaBox [0 0 {_num(pw)} {_num(ph)}] "
                    f"/Resources << /XObject << /Im0 {image_num} 0 R >> /Font << {_FONT} {font.type0} 0 R >> >> "
                    f"/Contents {content_num} 0 R >>")
    return page_num


# --- PDF pages -------------------------------------------------------------------------------------

class _Sources:
    """The source PDF last opened, kept open while pages of it follow, and opened afresh every
    REOPEN_EVERY pages: PDFium keeps what it has parsed (image data included) while a document is
    open, which would otherwise grow with every page taken from it."""

    REOPEN_EVERY = 32

    def __init__(self) -> None:
        self.pdf: bytes | str | os.PathLike | None = None
        self.doc: Any = None
        self.uses = 0

    def get(self, pdf: bytes | str | os.PathLike, source: str) -> Any:  # call with _LOCK held
        if (self.doc is None or self.pdf is None or not _same_pdf(self.pdf, pdf)
                or self.uses >= self.REOPEN_EVERY):
            self.close()
            self.doc = _open(pdf, source)
            self.pdf = pdf
        self.uses += 1
        return self.doc

    def close(self) -> None:  # call with _LOCK held
        if self.doc is not None:
            self.doc.close()
        self.doc = self.pdf = None
        self.uses = 0


def _same_pdf(a: bytes | str | os.PathLike, b: bytes | str | os.PathLike) -> bool:
    if a is b:
        return True
    return not isinstance(a, bytes) and not isinstance(b, bytes) and os.fspath(a) == os.fspath(b)


def _to_user_space(pg: Any, w: int, h: int) -> Affine:
    """Pixels of the page rendered at w x h (CropBox, /Rotate applied) -> its user space."""
    import ctypes

    import pypdfium2.raw as raw

    pts = []
    for dx, dy in ((0, 0), (w, 0), (0, h)):
        px, py = ctypes.c_double(), ctypes.c_double()
        raw.FPDF_DeviceToPage(pg, 0, 0, w, h, 0, dx, dy, px, py)
        pts.append((px.value, py.value))
    (ox, oy), (xx, xy), (yx, yy) = pts
    return (xx - ox) / w, (xy - oy) / w, (yx - ox) / h, (yy - oy) / h, ox, oy


def _check_index(doc: Any, index: int, source: str) -> None:
    count = len(doc)
    if not 0 <= index < count:
        raise UnsupportedSource(
            f"page {index + 1} was asked for but the PDF has only {count} page{'s' if count != 1 else ''}",
            source=source or None, reason="pdf_no_such_page", params={"page": index + 1, "count": count})


def _overlay_pdf(font: _Font, result: OcrResult, box: list[float], to_page: Affine) -> bytes:
    """A one-page PDF holding only the text layer, in the source page's user space (its MediaBox, no
    /Rotate), encoded with the file's font (same name, same CIDs)."""
    buf = io.BytesIO()
    w = _Writer(buf)
    catalog, tree, info = w.alloc(), w.alloc(), w.alloc()
    own = _Font(w, font.basefont, font.extra)
    own.write_fixed(w)
    content_num, page_num = w.alloc(), w.alloc()
    w.stream(content_num, "", _text_layer(own, result, to_page), compress=True)
    w.obj(page_num, f"<< /Type /Page /Parent {tree} 0 R /MediaBox [{' '.join(_num(v) for v in box)}] "
                    f"/Resources << /Font << {_FONT} {own.type0} 0 R >> >> /Contents {content_num} 0 R >>")
    own.write_tounicode(w)
    w.obj(tree, f"<< /Type /Pages /Count 1 /Kids [{page_num} 0 R] >>")
    w.obj(catalog, f"<< /Type /Catalog /Pages {tree} 0 R >>")
    w.obj(info, "<< >>")
    w.finish(catalog, info)
    return buf.getvalue()


def _pdf_page_with_layer(page: Page, font: _Font, source: str, sources: _Sources) -> bytes:
    """A one-page PDF (PDFium's): the source page imported untouched, the text layer drawn over it as
    one more form XObject (PDFium appends a content stream; the page's own streams stay as they are)."""
    import pypdfium2 as pdfium

    assert page.pdf is not None
    r = page.result
    w, h = max(r.width, 1), max(r.height, 1)
    with _LOCK:
        src = sources.get(page.pdf, source)
        _check_index(src, page.index, source)
        pg = src[page.index]
        try:
            box = [float(v) for v in pg.get_mediabox()]
            to_page = _to_user_space(pg, w, h)
        finally:
            pg.close()
    overlay = _overlay_pdf(font, r, box, to_page)
    buf = io.BytesIO()
    with _LOCK:
        one = pdfium.PdfDocument.new()
        layer = pdfium.PdfDocument(overlay)
        try:
            one.import_pages(src, [page.index])
            xobj = layer.page_as_xobject(0, one)
            target = one[0]
            try:
                target.insert_obj(xobj.as_pageobject())
                target.gen_content()
            finally:
                target.close()
                xobj.close()
            one.save(buf)
        finally:
            layer.close()
            one.close()
    return buf.getvalue()


# Copying the objects of PDFium's one-page file into ours: a small tokenizer finds where each
# object's dictionary ends and which bytes are strings, names or comments (never renumbered).
_OBJ = re.compile(rb"(\d+)\s+(\d+)\s+obj\b")
_REF = re.compile(rb"(?<![\d.+-])(\d+)\s+(\d+)\s+R(?![A-Za-z0-9_])")
_WS = b" \t\r\n\f\x00"
_DELIMS = b"()<>[]{}/%"


def _scan(data: bytes, i: int) -> tuple[int, bool, list[tuple[int, int]]]:
    """From ``i`` (after "obj"): where the object's direct part ends ("stream" or "endobj"), whether a
    stream follows, and the spans of its strings, names and comments."""
    n = len(data)
    spans: list[tuple[int, int]] = []
    while i < n:
        c = data[i]
        if c == 0x28:  # ( literal string, nested parentheses and escapes
            j, depth = i + 1, 1
            while j < n and depth:
                if data[j] == 0x5C:
                    j += 2
                    continue
                depth += 1 if data[j] == 0x28 else -1 if data[j] == 0x29 else 0
                j += 1
            spans.append((i, j))
            i = j
        elif c == 0x3C and data[i + 1:i + 2] != b"<":  # <hex string>
            j = data.index(b">", i) + 1
            spans.append((i, j))
            i = j
        elif c == 0x3C or c == 0x3E:
            i += 2 if data[i + 1:i + 2] == bytes([c]) else 1
        elif c == 0x25 or c == 0x2F:  # % comment to the end of the line, /name to its end
            j = i + 1
            while j < n and (data[j] not in b"\r\n" if c == 0x25 else data[j] not in _WS and data[j] not in _DELIMS):
                j += 1
            spans.append((i, j))
            i = j
        elif data.startswith(b"endobj", i):
            return i, False, spans
        elif data.startswith(b"stream", i) and data[i + 6:i + 7] in (b"\r", b"\n"):
            return i, True, spans
        else:
            i += 1
    raise ValueError("unterminated object")


@dataclass
class _Obj:
    head: bytes
    spans: list[tuple[int, int]]  # relative to head
    data: bytes | None

    def refs(self) -> list[int]:
        return [int(m.group(1)) for part in self._outside() for m in _REF.finditer(part)]

    def _outside(self) -> Iterator[bytes]:
        pos = 0
        for a, b in self.spans:
            yield self.head[pos:a]
            pos = b
        yield self.head[pos:]

    def masked(self) -> bytes:
        """The dictionary with its strings and comments blanked out (names kept): for finding keys."""
        out = bytearray(self.head)
        for a, b in self.spans:
            if out[a] != 0x2F:
                out[a:b] = b" " * (b - a)
        return bytes(out)

    def renumbered(self, mapping: dict[int, int]) -> bytes:
        def sub(m: re.Match[bytes]) -> bytes:
            new = mapping.get(int(m.group(1)))
            return b"null" if new is None else b"%d 0 R" % new

        out: list[bytes] = []
        pos = 0
        for a, b in self.spans:
            out.append(_REF.sub(sub, self.head[pos:a]))
            out.append(self.head[a:b])
            pos = b
        out.append(_REF.sub(sub, self.head[pos:]))
        return b"".join(out)


def _parse(data: bytes) -> tuple[dict[int, _Obj], int]:
    """The objects of a PDF PDFium wrote (classic cross-reference table, no object streams), and its
    root's number."""
    objs: dict[int, _Obj] = {}
    pos = 0
    while True:
        m = _OBJ.search(data, pos)
        if m is None:
            break
        start = m.end()
        end, is_stream, spans = _scan(data, start)
        head = data[start:end]
        lead = len(head) - len(head.lstrip())
        head = head.strip()
        spans = [(a - start - lead, b - start - lead) for a, b in spans]
        obj = _Obj(head, spans, None)
        if is_stream:
            k = end + 6
            k += 2 if data[k:k + 2] == b"\r\n" else 1
            length = re.search(rb"/Length\s+(\d+)(?!\s+\d+\s+R)", obj.masked())
            if length is not None and data[k + int(length.group(1)):].lstrip().startswith(b"endstream"):
                obj.data = data[k:k + int(length.group(1))]
                pos = k + int(length.group(1))
            else:  # an indirect /Length: the data ends at the last EOL before "endstream"
                e = data.index(b"endstream", k)
                obj.data = data[k:e - (2 if data[e - 2:e] == b"\r\n" else 1 if data[e - 1:e] in b"\r\n" else 0)]
                pos = e
            pos = data.index(b"endobj", pos) + 6
        else:
            pos = end + 6
        objs[int(m.group(1))] = obj
    roots = re.findall(rb"/Root\s+(\d+)\s+\d+\s+R", data[pos:])  # the trailer, after the last object
    if not roots:
        raise ValueError("no /Root")
    return objs, int(roots[-1])


def _first_ref(obj: _Obj, key: bytes) -> int:
    m = re.search(re.escape(key) + rb"\s*\[?\s*(\d+)\s+\d+\s+R", obj.masked())
    if m is None:
        raise ValueError(f"no {key!r}")
    return int(m.group(1))


def _copy_page(w: _Writer, data: bytes, parent: int, font: _Font, leaves: dict[bytes, int]) -> int:
    """Copy the one page of ``data`` (a PDF PDFium wrote) and everything it uses into ``w``: its
    /Parent becomes ``parent``, our font (known by its name) becomes the file's one font, and objects
    that use no others (images, ICC profiles, font files) are written once per file when identical."""
    import hashlib

    objs, root = _parse(data)
    tree = _first_ref(objs[root], b"/Pages")
    page = _first_ref(objs[tree], b"/Kids")
    name = re.compile(rb"/BaseFont\s*/" + re.escape(font.basefont.encode("ascii")) + rb"(?![^\s/<>\[\]()])")
    mapping = {tree: parent}
    for num, obj in objs.items():
        if obj.data is None and b"/Type0" in obj.masked() and name.search(obj.masked()):
            mapping[num] = font.type0
    mapping[page] = w.alloc()
    queue, order = [page], []
    while queue:
        num = queue.pop()
        order.append(num)
        for ref in objs[num].refs():
            if ref in mapping or ref not in objs:
                continue
            child = objs[ref]
            if not child.refs():
                key = hashlib.sha256(child.head + b"\0" + (child.data if child.data is not None else b"-")).digest()
                if key in leaves:
                    mapping[ref] = leaves[key]
                    continue
                mapping[ref] = leaves[key] = w.alloc()
            else:
                mapping[ref] = w.alloc()
            queue.append(ref)
    for num in order:
        obj = objs[num]
        w.raw(mapping[num], obj.renumbered(mapping), obj.data)
    return mapping[page]


# --- writing a file --------------------------------------------------------------------------------

def _write_pages(fh: IO[bytes] | atomic.AtomicFile, pages: Iterable[Page]) -> int:
    w = _Writer(fh)
    catalog, tree, info = w.alloc(), w.alloc(), w.alloc()
    tag = "".join(secrets.choice(string.ascii_uppercase) for _ in range(6))
    font = _Font(w, f"{tag}+{FONT_NAME}")
    font.write_fixed(w)
    kids: list[int] = []
    leaves: dict[bytes, int] = {}
    sources = _Sources()
    try:
        for page in pages:
            source = page.result.source or (printable(str(page.pdf)) if isinstance(page.pdf, (str, os.PathLike))
                                            else "")
            if page.pdf is not None:
                kids.append(_copy_page(w, _pdf_page_with_layer(page, font, source, sources), tree, font, leaves))
            else:
                kids.append(_write_image_page(w, font, page, tree, source))
    finally:
        with _LOCK:
            sources.close()
    if not kids:
        raise ValueError("a PDF needs at least one page")
    font.write_tounicode(w)
    w.obj(tree, f"<< /Type /Pages /Count {len(kids)} /Kids [{' '.join(f'{k} 0 R' for k in kids)}] >>")
    w.obj(catalog, f"<< /Type /Catalog /Pages {tree} 0 R >>")
    w.obj(info, f"<< /Producer {_pdf_string(PRODUCER)} >>")
    w.finish(catalog, info)
    return len(kids)


def write_searchable_pdf(pages: Iterable[Page], dest: str | os.PathLike, *, overwrite: bool = False) -> Path:
    """Write ``pages`` (see the module docstring) as one searchable PDF at ``dest``, whole or not at all."""
    target = Path(dest)
    refused = atomic.refusal(target, overwrite=overwrite)
    if refused is not None:  # before any page is read
        raise refused
    atomic.check_folder(target.parent)
    with atomic.open_atomic(target, overwrite=overwrite) as fh:
        _write_pages(fh, pages)
    return target


# --- reading a text layer --------------------------------------------------------------------------

def _device_map(page: Any, w: int, h: int) -> Affine:
    """User space -> pixels of the page rendered at w x h (the inverse of _to_user_space)."""
    a, b, c, d, ox, oy = _to_user_space(page, w, h)
    det = a * d - b * c
    ia, ib, ic, id_ = d / det, -b / det, -c / det, a / det
    return ia, ib, ic, id_, -(ia * ox + ic * oy), -(ib * ox + id_ * oy)


def _quad(points: list[Point], u: Point) -> list[Point]:
    """The box around ``points`` along reading direction ``u`` (unit; pixels, y down): TL TR BR BL."""
    n = (-u[1], u[0])
    us = [p[0] * u[0] + p[1] * u[1] for p in points]
    ns = [p[0] * n[0] + p[1] * n[1] for p in points]
    u0, u1, n0, n1 = min(us), max(us), min(ns), max(ns)

    def at(s: float, t: float) -> Point:
        return s * u[0] + t * n[0], s * u[1] + t * n[1]

    return [at(u0, n0), at(u1, n0), at(u1, n1), at(u0, n1)]


@dataclass
class _Char:
    text: str
    corners: list[Point]  # pixels

    @property
    def centre(self) -> Point:
        return (sum(p[0] for p in self.corners) / 4, sum(p[1] for p in self.corners) / 4)

    @property
    def size(self) -> float:
        xs = [p[0] for p in self.corners]
        ys = [p[1] for p in self.corners]
        return max(max(xs) - min(xs), max(ys) - min(ys), 1.0)


def _extract_chars(pdf: Any, page_index: int, dpi: float, source: str) -> tuple[int, int, list[_Char | None]]:
    """Every character PDFium extracts from the page (None for a line break), in pixels at ``dpi``."""
    import pypdfium2.raw as raw

    with _LOCK:
        doc = _open(pdf, source)
        try:
            count = len(doc)
            if not 0 <= page_index < count:
                raise UnsupportedSource(
                    f"page {page_index + 1} was asked for but the PDF has only {count} "
                    f"page{'s' if count != 1 else ''}", source=source or None, reason="pdf_no_such_page",
                    params={"page": page_index + 1, "count": count})
            page = doc[page_index]
            try:
                pw, ph = page.get_size()
                w, h = max(1, round(pw * dpi / 72.0)), max(1, round(ph * dpi / 72.0))
                to_px = _device_map(page, w, h)
                tp = page.get_textpage()
                try:
                    out: list[_Char | None] = []
                    for i in range(tp.count_chars()):
                        ch = chr(raw.FPDFText_GetUnicode(tp, i) or 0xFFFD)
                        if ch in "\r\n":
                            if out and out[-1] is not None:
                                out.append(None)
                            continue
                        left, bottom, right, top = tp.get_charbox(i, loose=True)
                        corners = [_apply(to_px, (x, y)) for x, y in
                                   ((left, top), (right, top), (right, bottom), (left, bottom))]
                        out.append(_Char(ch, corners))
                finally:
                    tp.close()
            finally:
                page.close()
        finally:
            doc.close()
    return w, h, out


def _direction(chars: list[_Char]) -> Point:
    """Reading direction of a run of characters (pixels, unit vector); left to right for one character."""
    solid = [c for c in chars if not c.text.isspace()]
    if len(solid) >= 2:
        (x0, y0), (x1, y1) = solid[0].centre, solid[-1].centre
        d = math.hypot(x1 - x0, y1 - y0)
        if d > 0.5 * solid[0].size:
            return (x1 - x0) / d, (y1 - y0) / d
    return 1.0, 0.0


def read_text_layer(pdf: bytes | str | os.PathLike, page_index: int = 0, *, dpi: float = RENDER_DPI,
                    source: str = "") -> OcrResult | None:
    """The text a PDF page carries as an OcrResult in pixels of the page rendered at ``dpi`` (CropBox,
    /Rotate applied, as core.pdf renders it), lines as PDFium breaks them, in stored order; None when
    the page carries no text. ``page_index`` is 0-based."""
    w, h, chars = _extract_chars(pdf, page_index, dpi, source)
    runs: list[list[_Char]] = [[]]
    for c in chars:
        if c is None:
            runs.append([])
            continue
        run = runs[-1]
        if run:  # a jump far from the previous character starts a new line
            (x0, y0), (x1, y1) = run[-1].centre, c.centre
            if math.hypot(x1 - x0, y1 - y0) > 3.0 * max(run[-1].size, c.size):
                runs.append([])
        runs[-1].append(c)
    lines: list[TextLine] = []
    angles: list[float] = []
    for run in runs:
        text = "".join(c.text for c in run).strip()
        if not text:
            continue
        u = _direction(run)
        solid = [c for c in run if not c.text.isspace()]
        polygon = _quad([p for c in solid for p in c.corners], u)
        lines.append(TextLine(text=text, polygon=polygon, paragraph=0,
                              chars=[CharBox(text=c.text, polygon=_quad(c.corners, u)) for c in solid]))
        angles.append(math.degrees(math.atan2(u[1], u[0])))
    if not lines:
        return None
    angle = float(np.median(angles))
    return OcrResult(width=w, height=h, lines=lines, angle=round(angle, 2), angle_detected=True,
                     engine="pdf", source=source)


def has_text_layer(pdf: bytes | str | os.PathLike, page_index: int | None = None, *,
                   min_chars: int = MIN_TEXT_CHARS, source: str = "") -> bool:
    """Whether the page (``None``: any page) already carries text: at least ``min_chars`` characters
    that are not spaces. Does not group lines, so it is cheap enough to ask before recognising."""
    import pypdfium2.raw as raw

    with _LOCK:
        doc = _open(pdf, source)
        try:
            indices = range(len(doc)) if page_index is None else [page_index]
            for i in indices:
                if not 0 <= i < len(doc):
                    raise UnsupportedSource(
                        f"page {i + 1} was asked for but the PDF has only {len(doc)} pages",
                        source=source or None, reason="pdf_no_such_page", params={"page": i + 1, "count": len(doc)})
                page = doc[i]
                try:
                    tp = page.get_textpage()
                    try:
                        solid = 0
                        for k in range(tp.count_chars()):
                            code = raw.FPDFText_GetUnicode(tp, k)
                            if code and not chr(code).isspace():
                                solid += 1
                                if solid >= min_chars:
                                    return True
                    finally:
                        tp.close()
                finally:
                    page.close()
        finally:
            doc.close()
    return False
