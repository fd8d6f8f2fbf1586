"""Replace the bundle's ICU data library (libicudata.so.NN, 32 MB) with one holding only what Qt needs.

Qt 6 Core calls ICU for exactly four things (the `_73` imports of libQt6Core.so.6): case mapping
(u_strToUpper/Lower: tables compiled into libicuuc, no data), collation (ucol_*: QCollator and
QString::localeAwareCompare), code pages (ucnv_*: QStringConverter beyond UTF-8/16/32/Latin-1) and
time-zone names (ucal_*). The stock data library carries every locale, break-iterator dictionaries,
transliterators and 190 code pages. We keep:
  - every item that is not locale data (normalisation, properties, cnvalias, zoneinfo, supplemental,
    pools, res_index, root bundles), so whatever Qt opens still resolves;
  - the locale bundles of the languages the app speaks (en*, zh*); other locales fall back to root,
    as ICU does for any locale it lacks (root collation is the Unicode default order);
  - the code pages of the web and desktops (all single-byte tables, the Chinese, Japanese and Korean
    ones), not the IBM host (EBCDIC) double-byte sets, X11 compound text or EUC-TW.
Dropped: break-iterator dictionaries and transliterators (Qt uses neither: no ubrk_/utrans_ imports).

The data is ICU's "common data" package (a header, a sorted table of contents and 16-byte aligned
items); the library is rebuilt as one read-only symbol icudtNN_dat with the same SONAME, the way
ICU's own pkgdata does it (an assembler .incbin), with gcc.

    python packaging/icu_slim.py BUNDLE_DIR        (rewrites BUNDLE_DIR/.../libicudata.so.NN in place)
"""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

LANGUAGES = ("en", "zh")
# Locale bundles are named like de.res, zh_Hant_TW.res, de__PHONEBOOK.res, sr_Latn.res.
_LOCALE = re.compile(r"^([a-z]{2,3})(_[A-Za-z0-9]*)*\.res$")
_NOT_LOCALES = {"res_index.res"}  # fits the pattern; it is each tree's list of locales
# Code pages dropped (ICU file names, without .cnv): the IBM host (EBCDIC) double-byte sets, X11
# COMPOUND_TEXT's internal tables (Qt's xcb clipboard speaks UTF8_STRING) and EUC-TW (Taiwan uses Big5,
# which stays). Everything else stays: some kept tables are extensions of others (windows-936-2000
# needs ibm-1386, windows-949-2000 needs ibm-949), so the rule names what goes, not what stays.
DROPPED_CODEPAGES = (
    "ibm-930_P120-1999", "ibm-933_P110-1995", "ibm-935_P110-1999", "ibm-937_P110-1999",
    "ibm-939_P120-1999", "ibm-1364_P110-2007", "ibm-1371_P100-1999", "ibm-1388_P103-2001",
    "ibm-1390_P110-2003", "ibm-1399_P110-2003", "ibm-16684_P110-2003", "euc-tw-2014",
)
_DROPPED_PREFIXES = ("icu-internal-compound-",)


def keep(name: str) -> bool:
    """Whether the data item `name` (e.g. 'icudt73l/coll/zh.res') stays."""
    parts = name.split("/")
    tree = parts[1] if len(parts) > 2 else ""
    base = parts[-1]
    if tree == "translit" or base.endswith(".dict"):
        return False
    match = _LOCALE.match(base)
    if match and base not in _NOT_LOCALES:
        return match.group(1) in LANGUAGES
    return True


def keep_codepage(name: str) -> bool:
    stem = name.rsplit("/", 1)[-1][: -len(".cnv")]
    return stem not in DROPPED_CODEPAGES and not stem.startswith(_DROPPED_PREFIXES)


def read_package(blob: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """Split an ICU common-data package into its header and (name, item) pairs, in TOC order."""
    header_size = struct.unpack_from("<H", blob, 0)[0]
    if blob[2:4] != b"\xda\x27" or blob[12:16] != b"CmnD":
        raise ValueError("not an ICU common data package (CmnD)")
    toc = header_size
    count = struct.unpack_from("<I", blob, toc)[0]
    entries = [struct.unpack_from("<II", blob, toc + 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_off, data_off) in enumerate(entries):
        start = toc + name_off
        name = blob[start:blob.index(b"\0", start)].decode("ascii")
        end = toc + entries[i + 1][1] if i + 1 < count else len(blob)
        items.append((name, blob[toc + data_off:end]))
    return blob[:header_size], items


def _pad16(n: int) -> int:
    return (n + 15) & ~15


def write_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """The inverse of read_package: TOC, names, then each item at a 16-byte boundary."""
    count = len(items)
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in items)
    toc_len = 4 + 8 * count
    data_start = _pad16(toc_len + len(names))
    toc = [struct.pack("<I", count)]
    body = bytearray()
    name_off = toc_len
    for name, data in items:
        toc.append(struct.pack("<II", name_off, data_start + len(body)))
        name_off += len(name) + 1
        body += data + b"\0" * (_pad16(len(data)) - len(data))
    head = b"".join(toc) + names
    return header + head + b"\0" * (data_start - len(head)) + bytes(body)


def _elf_symbol(path: Path, symbol: str) -> bytes:
    """The bytes of a dynamic symbol of a 64-bit little-endian ELF shared library."""
    elf = path.read_bytes()
    if elf[:4] != b"\x7fELF" or elf[4] != 2 or elf[5] != 1:
        raise ValueError(f"{path}: not a 64-bit little-endian ELF file")
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", elf, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", elf, shoff + i * shentsize) for i in range(shnum)]
    for sec in sections:
        if sec[1] != 11:  # SHT_DYNSYM
            continue
        strtab = sections[sec[6]]
        for off in range(sec[4], sec[4] + sec[5], 24):
            st_name, _info, _other, _shndx, value, size = struct.unpack_from("<IBBHQQ", elf, off)
            start = strtab[4] + st_name
            if elf[start:elf.index(b"\0", start)].decode() != symbol:
                continue
            for s in sections:  # map the address to a file offset through its section
                if s[3] <= value < s[3] + s[5] and s[1] != 8:  # not SHT_NOBITS
                    return elf[s[4] + value - s[3]:s[4] + value - s[3] + size]
    raise ValueError(f"{path}: no symbol {symbol}")


def _build_library(out: Path, soname: str, symbol: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        dat = Path(tmp, "data.dat")
        dat.write_bytes(data)
        asm = Path(tmp, "data.S")
        asm.write_text(
            f'.section .rodata\n.globl {symbol}\n.type {symbol}, @object\n.balign 16\n'
            f'{symbol}:\n.incbin "{dat}"\n.size {symbol}, . - {symbol}\n'
            '.section .note.GNU-stack,"",@progbits\n')
        subprocess.run(["gcc", "-shared", "-nostdlib", "-s", f"-Wl,-soname,{soname}",
                        "-o", str(out), str(asm)], check=True)


def slim(library: Path) -> tuple[int, int, int, int]:
    """Rewrite `library` in place; returns (items before, after, bytes before, after)."""
    major = re.search(r"libicudata\.so\.(\d+)$", library.name)
    if not major:
        raise ValueError(f"{library}: not libicudata.so.NN")
    symbol = f"icudt{major.group(1)}_dat"
    header, items = read_package(_elf_symbol(library, symbol))
    kept = [(n, d) for n, d in items
            if keep(n) and (not n.endswith(".cnv") or keep_codepage(n))]
    data = write_package(header, kept)
    # The rewritten package must read back item for item.
    if read_package(data)[1] != kept:
        raise AssertionError("rewritten ICU package does not read back")
    before = library.stat().st_size
    tmp = library.with_name(library.name + ".slim")
    _build_library(tmp, library.name, symbol, data)
    if _elf_symbol(tmp, symbol)[:len(data)] != data:
        raise AssertionError(f"{tmp}: {symbol} does not hold the package")
    tmp.replace(library)
    return len(items), len(kept), before, library.stat().st_size


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    libs = [p for p in Path(argv[0]).rglob("libicudata.so.*") if not p.is_symlink()]
    if not libs:
        print(f"icu_slim: no libicudata.so.NN under {argv[0]}", file=sys.stderr)
        return 1
    for lib in libs:
        n0, n1, b0, b1 = slim(lib)
        print(f"icu_slim: {lib}: {n0} -> {n1} items, {b0 / 1e6:.1f} -> {b1 / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
