"""A glyphless TrueType font, built from a few hand-written tables (no fontTools at run or build time).

The searchable-PDF writer (formats/pdf.py) draws its invisible text layer in it: two glyphs,
``.notdef`` and GID 1, 1000/1000 em wide, ascent 1000, descent 0. GID 1 has no outline that could
paint anything (two contours of one point each) but its box is the whole em square, so a glyph at
font size 1 fills the unit square above its baseline and readers give each character that box. The
PDF maps every CID to GID 1 (its CIDToGIDMap) and gives the real text through a ToUnicode CMap, so
one 632-byte font (310 compressed) serves every script, as Tesseract's pdf.ttf does.
``font_bytes()`` builds it once per process; nothing is shipped as a file."""

from __future__ import annotations

import struct
from functools import cache

UNITS_PER_EM = 1000
ADVANCE = 1000
ASCENT = 1000
DESCENT = 0
NAME = "DesktopOcrGlyphless"


# GID 1: two contours of one on-curve point each, at (0, 0) and (1000, 1000). Nothing is drawn (a
# contour of one point has no area, so even a reader that ignores render mode 3 paints nothing), but
# the glyph's box is the whole em square: PDF readers take a character's box from its glyph's, and
# PDFium drops characters whose box is empty.
_GLYPH = struct.pack(">h4h2HH2B4h", 2, 0, DESCENT, ADVANCE, ASCENT, 0, 1, 0, 1, 1, 0, ADVANCE, 0, ASCENT)


def _checksum(data: bytes) -> int:
    data += b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(data) // 4}I", data)) & 0xFFFFFFFF


def _name_table() -> bytes:
    strings = {1: NAME, 2: "Regular", 3: NAME, 4: NAME, 6: NAME}
    records = b""
    storage = b""
    for name_id, text in strings.items():
        raw = text.encode("utf-16-be")
        records += struct.pack(">6H", 3, 1, 0x409, name_id, len(raw), len(storage))
        storage += raw
    return struct.pack(">3H", 0, len(strings), 6 + len(records)) + records + storage


def _cmap_table() -> bytes:
    # format 4, two segments: U+0020 -> GID 1 (idDelta), and the mandatory final 0xFFFF segment
    ends, starts, deltas = [0x20, 0xFFFF], [0x20, 0xFFFF], [(1 - 0x20) & 0xFFFF, 1]
    seg2 = 2 * len(ends)
    sub = struct.pack(">7H", 4, 16 + 4 * seg2, 0, seg2, 4, 1, 0)  # searchRange 4, entrySelector 1, rangeShift 0
    sub += struct.pack(f">{len(ends)}H", *ends) + b"\0\0"
    sub += struct.pack(f">{len(starts)}H", *starts)
    sub += struct.pack(f">{len(deltas)}H", *deltas)
    sub += struct.pack(f">{len(ends)}H", *([0] * len(ends)))
    return struct.pack(">2H", 0, 1) + struct.pack(">2HI", 3, 1, 12) + sub


@cache
def font_bytes() -> bytes:
    """The font file (TrueType, 2 glyphs, both empty)."""
    num_glyphs = 2
    tables = {
        "cmap": _cmap_table(),
        "glyf": _GLYPH,
        "head": struct.pack(">2I2IHH8s8s4h2H3h", 0x00010000, 0x00010000, 0, 0x5F0F3CF5, 0x000B, UNITS_PER_EM,
                            b"\0" * 8, b"\0" * 8, 0, DESCENT, ADVANCE, ASCENT, 0, 8, 2, 0, 0),
        "hhea": struct.pack(">I3hH3h3h4hhH", 0x00010000, ASCENT, DESCENT, 0, ADVANCE, 0, 0, ADVANCE, 1, 0, 0,
                            0, 0, 0, 0, 0, num_glyphs),
        "hmtx": struct.pack(">HhHh", ADVANCE, 0, ADVANCE, 0),
        "loca": struct.pack(">3H", 0, 0, len(_GLYPH) // 2),  # .notdef empty, GID 1 the two points
        "maxp": struct.pack(">I14H", 0x00010000, num_glyphs, 2, 2, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0),
        "name": _name_table(),
        "post": struct.pack(">IIhhIIIII", 0x00030000, 0, -100, 50, 0, 0, 0, 0, 0),
    }
    n = len(tables)
    entry_selector = n.bit_length() - 1
    search_range = (1 << entry_selector) * 16
    header = struct.pack(">I4H", 0x00010000, n, search_range, entry_selector, n * 16 - search_range)
    offset = len(header) + 16 * n
    directory = b""
    body = b""
    for tag in sorted(tables):
        data = tables[tag]
        directory += struct.pack(">4sIII", tag.encode("ascii"), _checksum(data), offset + len(body), len(data))
        body += data + b"\0" * (-len(data) % 4)
    font = bytearray(header + directory + body)
    # head.checkSumAdjustment (offset 8 in the head table) makes the whole file sum to 0xB1B0AFBA
    head_offset = struct.unpack(">I", directory[16 * sorted(tables).index("head") + 8:][:4])[0]
    struct.pack_into(">I", font, head_offset + 8, (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF)
    return bytes(font)
