"""Turn any image source into a LoadedImage: upright (EXIF applied), RGB uint8, within our limits.

Sources: a path (str or Path, any script), bytes, a base64 string, a ``data:`` URI, an http(s) URL,
a PDF (one page, 1-based, rendered by core.pdf; ``pdf_page`` also picks the page of a multi-page
TIFF), a PIL image or a numpy array (clipboard).
Formats: JPEG, PNG, BMP, TIFF, WebP, GIF (first frame), AVIF (when Pillow has libavif), PDF.

Every failure is a typed OcrError whose message is a sentence and whose ``source`` names the input:
EmptyInput, UnsupportedSource, UndecodableImage, ImageTooSmall, ImageTooLarge, DownloadFailed.
Decompression bombs are refused from the header's dimensions before any pixel is decoded.

Only regular files are read: a device (``/dev/zero``), a named pipe or a socket is refused before it
is opened (a size cap cannot bound those: their size reads as 0), and a folder's listing skips them.
A file name that is not valid UTF-8 is shown (``source``, messages) with its bytes as ``\\xNN``
(core.naming.printable), so results and messages always encode.

A PDF page (and a page of a multi-page TIFF) comes back with ``format="png"`` and ``data`` = that
page as PNG, so that ``data``
and ``pixels`` always show the same picture (cloud backends upload ``data``; coordinates match).
"""

from __future__ import annotations

import base64
import binascii
import errno
import io
import os
import re
import stat
import warnings
from pathlib import Path
from urllib.parse import unquote_to_bytes, urlsplit
from urllib.request import url2pathname

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError, features

from . import pdf as pdfmod
from .download import DEFAULT_TIMEOUT, MAX_DOWNLOAD_BYTES, fetch, is_url
from .errors import EmptyInput, ImageTooLarge, ImageTooSmall, OcrError, UndecodableImage, UnsupportedSource
from .image import LoadedImage
from .naming import printable

MIN_SIDE = 15  # px; below this no text line fits (the vendors use the same floor)
MAX_PIXELS = 100_000_000  # width x height; checked from the header, before decoding
MAX_FILE_BYTES = 500 * 1024 * 1024  # local files and in-memory data; URLs use MAX_DOWNLOAD_BYTES

# PIL's own bomb guard, aligned with ours (it errors at twice this). We check first, with a clearer message.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

# Decoders we accept; everything else PIL could open (PSD, ICO, EPS...) is refused up front.
# (PIL's JPEG opener also returns "MPO", the JPEG-plus-preview many phone cameras write.)
# AVIF (what browsers now save from many sites) when this Pillow carries its libavif (Pillow >= 11.3).
HAVE_AVIF = bool(features.check("avif"))
_PIL_FORMATS = ("JPEG", "PNG", "BMP", "TIFF", "WEBP", "GIF") + (("AVIF",) if HAVE_AVIF else ())
_FORMAT_NAMES = {"mpo": "jpeg"}
SUPPORTED_TEXT = f"JPEG, PNG, BMP, TIFF, WebP, GIF{', AVIF' if HAVE_AVIF else ''} or PDF"
IMAGE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".bmp", ".dib", ".tif", ".tiff",
                              ".webp", ".gif"} | ({".avif"} if HAVE_AVIF else set()))
PDF_EXTENSIONS = frozenset({".pdf"})
SOURCE_EXTENSIONS = IMAGE_EXTENSIONS | PDF_EXTENSIONS

Source = str | os.PathLike | bytes | bytearray | memoryview | Image.Image | np.ndarray

_B64_RE = re.compile(r"[A-Za-z0-9+/=_\-\s]+")
_B64_MIN = 64  # shorter strings are taken as (missing) file names, never as image data


# -- what a blob of bytes is ------------------------------------------------------------------

def sniff(data: bytes) -> str | None:
    """A short name for what ``data`` looks like ("png", "pdf", "html"...), or None if unknown."""
    head = data[:64]
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head.startswith(b"BM"):
        return "bmp"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "tiff"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if pdfmod.is_pdf(data):
        return "pdf"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"):
            return "heic"
        if brand in (b"avif", b"avis"):
            return "avif"
    text = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html")) or b"<html" in text or b"<body" in text or b"<head" in text:
        return "html"
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in text):
        return "svg"
    if text.startswith(b"<?xml"):
        return "xml"
    if text.startswith((b"{", b"[")):
        return "json"
    return None


_NOT_IMAGE = {
    "html": "an HTML page",
    "svg": "an SVG drawing (vector images are not supported; export it as PNG)",
    "xml": "an XML document",
    "json": "JSON text",
    "heic": "a HEIC/HEIF photo (not supported; export it as JPEG)",
}
if not HAVE_AVIF:
    _NOT_IMAGE["avif"] = "an AVIF image (not supported; export it as JPEG or PNG)"


def _subject(origin: str) -> tuple[str, str]:
    """('the file', 'is') style wording for messages, by where the bytes came from."""
    if origin == "url":
        return "the URL", "returned"
    if origin == "file":
        return "the file", "is"
    return "the data", "is"


# -- decoding ---------------------------------------------------------------------------------

def decode_bytes(data: bytes, source: str = "", *, pdf_page: int = 1, origin: str = "data",
                 content_type: str = "") -> LoadedImage:
    """Decode encoded image (or PDF) bytes. ``origin`` ("file", "url", "data") words the messages."""
    source = printable(source)  # a non-UTF-8 file name must not reach the result's JSON as surrogates
    src = source or None
    who, verb = _subject(origin)
    if not data:
        msg = "the URL returned no data" if origin == "url" else f"{who} is empty"
        raise EmptyInput(msg, source=src)
    data = bytes(data)
    kind = sniff(data)
    if kind == "pdf":
        return _pdf_page(data, source, pdf_page)
    if kind in _NOT_IMAGE:
        raise UndecodableImage(f"{who} {verb} {_NOT_IMAGE[kind]}, not an image", source=src)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # we refuse those just below
            im = Image.open(io.BytesIO(data), formats=_PIL_FORMATS)
    except UnidentifiedImageError:
        raise UndecodableImage(_unknown_message(who, verb, kind, content_type), source=src) from None
    except Image.DecompressionBombError as exc:  # > 2x PIL's limit: PIL refuses before we see the size
        m = re.search(r"\((\d+) pixels\)", str(exc))
        size = f"has {int(m.group(1)):,} pixels" if m else "is larger than that"
        raise ImageTooLarge(f"the image {size}; the limit is {MAX_PIXELS:,} pixels", source=src) from None
    except Exception as exc:  # PIL raises many types for a broken header
        name = f"a {kind.upper()} image" if kind else "an image"
        raise UndecodableImage(f"{who} looks like {name} but is damaged ({_exc_text(exc)})", source=src) from None

    with im:
        pil_format = (im.format or "").lower()
        fmt = _FORMAT_NAMES.get(pil_format, pil_format) or None
        w, h = im.size
        # Bomb check on the header's numbers: nothing has been decoded yet.
        if w * h > MAX_PIXELS:
            raise ImageTooLarge(
                f"the image is {w:,} x {h:,} = {w * h:,} pixels; the limit is {MAX_PIXELS:,} pixels",
                source=src)
        if min(w, h) < MIN_SIDE:
            raise ImageTooSmall(f"the image is {w} x {h} px; each side must be at least {MIN_SIDE} px", source=src)
        frames = _frames(im) if fmt == "tiff" else 1
        if frames > 1 or pdf_page > 1 and fmt == "tiff":
            if pdf_page > frames:
                raise EmptyInput(f"the TIFF has {frames} page{'s' if frames != 1 else ''}; there is no page {pdf_page}",
                                 source=src, reason="no_such_page", params={"page": pdf_page, "count": frames})
            try:
                im.seek(pdf_page - 1)
            except Exception as exc:
                raise UndecodableImage(f"page {pdf_page} of the TIFF is damaged ({_exc_text(exc)})",
                                       source=src) from None
            w, h = im.size  # each page has its own size
            if w * h > MAX_PIXELS:
                raise ImageTooLarge(f"page {pdf_page} is {w:,} x {h:,} = {w * h:,} pixels; the limit is "
                                    f"{MAX_PIXELS:,} pixels", source=src)
            if min(w, h) < MIN_SIDE:
                raise ImageTooSmall(f"page {pdf_page} is {w} x {h} px; each side must be at least {MIN_SIDE} px",
                                    source=src)
        try:
            im.load()
            upright = _exif_upright(im)
            pixels = _to_rgb(upright)
        except Exception as exc:
            name = fmt.upper() if fmt else "image"
            raise UndecodableImage(f"the {name} data is truncated or corrupt ({_exc_text(exc)})", source=src) from None
    if frames > 1:  # one page of a multi-page TIFF: no ``data`` (backends upload its pixels), as for a PDF
        _check_small(pixels, src, f"TIFF page {pdf_page}")
        return LoadedImage(pixels=pixels, source=source, data=None, format="tiff", page=pdf_page)
    _check_small(pixels, src, "the image")
    return LoadedImage(pixels=pixels, source=source, data=data, format=fmt, page=None)


def _frames(im: Image.Image) -> int:
    try:
        return max(1, int(getattr(im, "n_frames", 1)))
    except Exception:  # a broken directory chain: read what the first page gives
        return 1


def _unknown_message(who: str, verb: str, kind: str | None, content_type: str) -> str:
    if kind in ("jpeg", "png", "gif", "bmp", "tiff", "webp", "avif"):
        return f"{who} looks like a {kind.upper()} image but its data is damaged and cannot be decoded"
    if content_type and not content_type.startswith("image/") and content_type != "application/octet-stream":
        return f"{who} {verb} {content_type} content, not an image"
    return f"{who} is not a supported image ({SUPPORTED_TEXT})"


def _exc_text(exc: Exception) -> str:
    text = str(exc).strip()
    return text if text else exc.__class__.__name__


def _check_small(pixels: np.ndarray, src: str | None, what: str) -> None:
    h, w = pixels.shape[:2]
    if min(h, w) < MIN_SIDE:
        raise ImageTooSmall(f"{what} is {w} x {h} px; each side must be at least {MIN_SIDE} px", source=src)


def _exif_upright(im: Image.Image) -> Image.Image:
    """Apply the EXIF orientation tag. A broken EXIF block is ignored rather than failing the image."""
    try:
        return ImageOps.exif_transpose(im)
    except Exception:
        return im


def _to_rgb(im: Image.Image) -> np.ndarray:
    """RGB uint8; transparency composited on white (dark text on a transparent PNG stays readable)."""
    mode = im.mode
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        arr = np.asarray(im, dtype=np.float64)
        top = float(arr.max()) if arr.size else 0.0
        if mode == "F" and top <= 1.0:
            arr = arr * 255.0
        elif top > 255.0:
            arr = arr * (255.0 / (65535.0 if top <= 65535.0 else top))
        gray = np.clip(arr, 0, 255).astype(np.uint8)
        return np.ascontiguousarray(np.repeat(gray[:, :, None], 3, axis=2))
    if mode in ("RGBA", "LA", "PA", "RGBa", "La") or (mode == "P" and "transparency" in im.info) \
            or (mode in ("L", "RGB") and "transparency" in im.info):
        rgba = im.convert("RGBA")
        page = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        page.alpha_composite(rgba)
        return np.asarray(page.convert("RGB"))
    if mode != "RGB":
        im = im.convert("RGB")
    return np.asarray(im)


def _pdf_page(pdf: bytes | str, source: str, page: int) -> LoadedImage:
    """Page ``page`` of a PDF (its bytes, or a file's path: PDFium then reads only what the page
    needs, so page 900 of a 500 MB file does not read the file). No ``data``: a page is not an
    image file (backends upload its pixels, encoded when they are sent)."""
    pixels = pdfmod.render_page(pdf, page, source=source)
    _check_small(pixels, source or None, f"PDF page {page}")
    return LoadedImage(pixels=pixels, source=source, data=None, format="pdf", page=page)


# -- sources ----------------------------------------------------------------------------------

def load_image(source: Source, *, pdf_page: int = 1, timeout: float = DEFAULT_TIMEOUT,
               max_bytes: int | None = None) -> LoadedImage:
    """Load any supported source. ``timeout`` bounds a whole URL download; ``max_bytes`` caps the
    encoded size (default: 50 MB for URLs, 500 MB for files)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        _check_bytes_cap(len(source), max_bytes or MAX_FILE_BYTES, "<bytes>")
        return decode_bytes(bytes(source), "<bytes>", pdf_page=pdf_page)
    if isinstance(source, Image.Image):
        return _from_pil(source)
    if isinstance(source, np.ndarray):
        return _from_array(source)
    if isinstance(source, os.PathLike):
        return _from_file(Path(source), pdf_page, max_bytes)
    if not isinstance(source, str):
        raise UnsupportedSource(f"cannot load an image from a {type(source).__name__}")

    text = source.strip()
    if not text:
        raise EmptyInput("no image was given (the source is an empty string)")
    if text[:5].lower() == "data:":
        return _from_data_uri(text, pdf_page, max_bytes)
    if is_url(text):
        cap = max_bytes or MAX_DOWNLOAD_BYTES
        got = fetch(text, timeout=timeout, max_bytes=cap)
        return decode_bytes(got.data, text, pdf_page=pdf_page, origin="url", content_type=got.content_type)
    path = Path(source)
    # lexists: a symlink loop or dangling link is a path too (_from_file says which); a name too
    # long or with a NUL byte is not
    if os.path.lexists(path):
        return _from_file(path, pdf_page, max_bytes)
    if _looks_base64(text):
        return _from_base64(text, pdf_page, max_bytes)
    raise UnsupportedSource("no such file", source=source)


def _check_bytes_cap(size: int, cap: int, source: str) -> None:
    if size > cap:
        raise ImageTooLarge(f"the data is {size / 1048576:.0f} MB; the limit is {cap / 1048576:.0f} MB", source=source)


#: what a path that is not a regular file is, for messages: S_IS* test -> (reason, message)
_NOT_A_FILE = (
    (stat.S_ISDIR, "folder", "is a folder, not an image file"),
    (stat.S_ISFIFO, "fifo", "is a named pipe (FIFO), not a file; to read a pipe, give '-' and pipe the image "
                            "into stdin"),
    (stat.S_ISCHR, "device", "is a device, not a file"),
    (stat.S_ISBLK, "device", "is a device, not a file"),
    (stat.S_ISSOCK, "socket", "is a socket, not a file"),
)


def not_a_file(mode: int, name: str) -> UnsupportedSource | None:
    """The error for a path of ``mode`` (from os.stat) that is not a regular file, else None."""
    if stat.S_ISREG(mode):
        return None
    for test, reason, message in _NOT_A_FILE:
        if test(mode):
            return UnsupportedSource(message, source=name, reason=reason)
    return UnsupportedSource("is not a regular file", source=name, reason="not_a_file")


def _stat_error(exc: OSError, path: str | os.PathLike, name: str) -> UnsupportedSource:
    """os.stat/open failed on a path: why, in a sentence (a loop and a dangling link named as such)."""
    if exc.errno == errno.ELOOP:
        return UnsupportedSource("is a symbolic link loop (it points back to itself)", source=name,
                                 reason="symlink_loop")
    if isinstance(exc, (FileNotFoundError, NotADirectoryError)):
        if os.path.islink(path):
            return UnsupportedSource("is a symbolic link to a missing file", source=name, reason="broken_link")
        return UnsupportedSource("no such file", source=name, reason="not_found")
    if isinstance(exc, PermissionError):
        return UnsupportedSource("the file cannot be read (permission denied)", source=name, reason="permission")
    error = exc.strerror or str(exc)
    return UnsupportedSource(f"the file cannot be read ({error})", source=name, reason="unreadable",
                             params={"error": error})


def _file_too_large(size: int, cap: int, name: str) -> ImageTooLarge:
    mb, limit = round(size / 1048576), round(cap / 1048576)
    return ImageTooLarge(f"the file is {mb} MB; the limit is {limit} MB", source=name, reason="file_size",
                         params={"size_mb": mb, "limit_mb": limit})


def _from_file(path: Path, pdf_page: int, max_bytes: int | None) -> LoadedImage:
    """Read a regular file, at most ``cap`` bytes. Anything else is refused before it is opened
    (and checked again on the open descriptor, opened non-blocking, should it have been swapped)."""
    name = printable(str(path))
    cap = max_bytes or MAX_FILE_BYTES
    try:
        st = os.stat(path)
        refused = not_a_file(st.st_mode, name)
        if refused is not None:
            raise refused
        if st.st_size > cap:
            raise _file_too_large(st.st_size, cap, name)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with open(fd, "rb") as fh:
            st = os.fstat(fd)
            refused = not_a_file(st.st_mode, name)
            if refused is not None:
                raise refused
            if pdfmod.is_pdf(fh.read(1024)) and st.st_size <= cap:  # a regular file: PDFium reads its pages
                return _pdf_page(str(path), name, pdf_page)
            fh.seek(0)
            want = min(st.st_size, cap) + 1
            data = fh.read(want)
            if len(data) == want:  # larger than stat said (still growing): read on, up to the cap
                data += fh.read(cap + 1 - len(data))
        if len(data) > cap:
            raise _file_too_large(len(data), cap, name)
    except OSError as exc:
        raise _stat_error(exc, path, name) from None
    return decode_bytes(data, name, pdf_page=pdf_page, origin="file")


def _looks_base64(text: str) -> bool:
    return len(text) >= _B64_MIN and _B64_RE.fullmatch(text) is not None


def _b64decode(text: str) -> bytes:
    compact = "".join(text.split()).replace("-", "+").replace("_", "/")
    compact += "=" * (-len(compact) % 4)
    return base64.b64decode(compact, validate=True)


def decode_base64(text: str, what: str = "the base64 data") -> bytes:
    """Base64 text (standard or URL-safe alphabet; whitespace and missing padding tolerated) as
    bytes, or UndecodableImage saying that ``what`` is not valid base64."""
    try:
        return _b64decode(text)
    except (binascii.Error, ValueError):
        raise UndecodableImage(f"{what} is not valid base64") from None


def _from_base64(text: str, pdf_page: int, max_bytes: int | None) -> LoadedImage:
    try:
        data = _b64decode(text)
    except (binascii.Error, ValueError):
        raise UndecodableImage("the text is neither an existing file nor valid base64 image data",
                               source="<base64>") from None
    _check_bytes_cap(len(data), max_bytes or MAX_FILE_BYTES, "<base64>")
    if sniff(data) is None:
        raise UndecodableImage(f"the text is neither an existing file nor base64 of a supported image "
                               f"({SUPPORTED_TEXT})", source="<base64>")
    return decode_bytes(data, "<base64>", pdf_page=pdf_page)


def _from_data_uri(uri: str, pdf_page: int, max_bytes: int | None) -> LoadedImage:
    label = "<data URI>"
    head, sep, body = uri[5:].partition(",")
    if not sep:
        raise UndecodableImage("the data: URI has no ',' before its data", source=label)
    params = [p.strip().lower() for p in head.split(";")]
    media = params[0] if params and "/" in params[0] else ""
    try:
        data = _b64decode(body) if "base64" in params[1:] else unquote_to_bytes(body)
    except (binascii.Error, ValueError):
        raise UndecodableImage("the data: URI's base64 payload is invalid", source=label) from None
    _check_bytes_cap(len(data), max_bytes or MAX_FILE_BYTES, label)
    if not data:
        raise EmptyInput("the data: URI carries no data", source=label)
    return decode_bytes(data, label, pdf_page=pdf_page, content_type=media)


def _from_pil(im: Image.Image) -> LoadedImage:
    w, h = im.size
    if w * h > MAX_PIXELS:
        raise ImageTooLarge(f"the image is {w:,} x {h:,} pixels; the limit is {MAX_PIXELS:,} pixels",
                            source="<image>")
    pixels = _to_rgb(im)
    _check_small(pixels, "<image>", "the image")
    return LoadedImage(pixels=pixels, source="<image>", data=None, format=None)


def _from_array(arr: np.ndarray) -> LoadedImage:
    label = "<array>"
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[:, :, 0]
    if arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[2] not in (3, 4)):
        raise UndecodableImage(f"an image array must be HxW, HxWx3 (RGB) or HxWx4 (RGBA); got shape {arr.shape}",
                               source=label)
    if arr.shape[0] * arr.shape[1] > MAX_PIXELS:
        raise ImageTooLarge(f"the image is {arr.shape[1]:,} x {arr.shape[0]:,} pixels; the limit is "
                            f"{MAX_PIXELS:,} pixels", source=label)
    if arr.dtype != np.uint8:
        raise UndecodableImage(f"an image array must be uint8; got {arr.dtype}", source=label)
    if arr.ndim == 2:
        pixels = np.repeat(arr[:, :, None], 3, axis=2)
    elif arr.shape[2] == 4:
        pixels = _to_rgb(Image.fromarray(np.ascontiguousarray(arr), "RGBA"))
    else:
        pixels = arr
    pixels = np.ascontiguousarray(pixels)
    _check_small(pixels, label, "the image")
    return LoadedImage(pixels=pixels, source=label, data=None, format=None)


# -- command-line / drop-target expansion -------------------------------------------------------

def _natural_key(rel: str) -> list:
    """'img2' before 'img10', case-insensitively, as file managers sort."""
    return [(0, int(t), "") if t.isdigit() else (1, 0, t) for t in re.split(r"(\d+)", rel.casefold())]


def _skipped(path: Path) -> bool:
    """A device, named pipe or socket (never opened: reading one hangs or never ends). A symlink
    loop or dangling link is kept: its entry then fails with a message naming it."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def list_folder(folder: Path) -> list[Path]:
    """Image and PDF files under ``folder``, recursively, hidden entries, devices, named pipes and
    sockets skipped, in natural order. Symlinked folders are not followed (no loops)."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in SOURCE_EXTENSIONS:
                path = Path(root) / name
                if not _skipped(path):
                    found.append(path)
    found.sort(key=lambda p: _natural_key(p.relative_to(folder).as_posix()))
    return found


def local_path(item: str) -> str:
    """A ``file:`` URI (what file managers and browsers drop) as a local path; other text unchanged."""
    if item[:5].lower() != "file:":
        return item
    parts = urlsplit(item)
    if parts.netloc not in ("", "localhost"):  # a file on another host: not ours to open
        return item
    return url2pathname(parts.path)


def expand_sources(args: list[str]) -> list[str | OcrError]:
    """Expand command-line / dropped arguments into loadable sources (the CLI and the window alike).

    A ``file:`` URI is its local path. A folder becomes its image/PDF files (recursively, natural
    order); URLs, ``data:`` URIs, base64 text and '-' (stdin) pass through; a file passes through
    whatever its extension (the loader judges its content); a device, named pipe or socket does not
    (never opened). Anything else becomes an OcrError entry in place, so callers can report it
    beside the others instead of stopping.
    """
    out: list[str | OcrError] = []
    for arg in args:
        text = local_path(str(arg))
        if text == "-" or text[:5].lower() == "data:" or is_url(text.strip()):
            out.append(text)
            continue
        path = Path(text)
        name = printable(text)
        try:
            mode: int | None = os.stat(path).st_mode
            failed: OSError | None = None
        except OSError as exc:
            mode, failed = None, exc
        except ValueError:  # a NUL byte: not a path
            mode = failed = None
        if mode is not None and stat.S_ISDIR(mode):
            files = list_folder(path)
            if files:
                out.extend(str(f) for f in files)
            else:
                out.append(EmptyInput(f"the folder holds no images ({SUPPORTED_TEXT} files)", source=name,
                                      reason="empty_folder"))
        elif mode is not None:
            refused = not_a_file(mode, name)
            out.append(text if refused is None else refused)
        elif _looks_base64(text.strip()):
            out.append(text)
        elif failed is not None and not isinstance(failed, (FileNotFoundError, NotADirectoryError)) \
                or os.path.islink(text):
            out.append(_stat_error(failed or FileNotFoundError(), text, name))
        else:
            out.append(UnsupportedSource("no such file or folder", source=name, reason="not_found"))
    return out
