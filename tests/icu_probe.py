"""Asks ICU itself what its data answers, the calls Qt makes (code pages, collation, time-zone names).

Run in its own process, so LD_PRELOAD / LD_LIBRARY_PATH choose which libicudata is loaded:
    python tests/icu_probe.py QT_LIB_DIR   -> JSON on stdout      (tests call run_probe())
QT_LIB_DIR holds libicuuc.so.NN and libicui18n.so.NN (PySide6/Qt/lib in a venv or in the bundle).
"""

from __future__ import annotations

import ctypes
import functools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

U_ZERO_ERROR = 0


def _load(lib_dir: Path):
    uc_path = next(lib_dir.glob("libicuuc.so.[0-9]*"))
    major = re.search(r"\.so\.(\d+)$", uc_path.name).group(1)
    uc = ctypes.CDLL(str(uc_path))
    i18n = ctypes.CDLL(str(lib_dir / f"libicui18n.so.{major}"))

    def fn(lib, name, restype=ctypes.c_int):
        f = getattr(lib, f"{name}_{major}")
        f.restype = restype
        return f
    return uc, i18n, fn


def probe(lib_dir: Path) -> dict:
    uc, i18n, fn = _load(lib_dir)
    out: dict = {"codepages": {}, "collation": {}, "zone_names": {}}
    ucnv_open = fn(uc, "ucnv_open", ctypes.c_void_p)
    for name, text in [("GBK", "你好，世界"), ("GB18030", "你好𠀀"), ("GB2312", "中文"), ("Big5", "中文繁體"),
                       ("Shift_JIS", "日本語"), ("EUC-JP", "日本語"), ("EUC-KR", "한국어"),
                       ("windows-1251", "Привет"), ("KOI8-R", "Привет"), ("ISO-2022-CN", "中文"),
                       ("IBM-930", "x"), ("EUC-TW", "中")]:
        err = ctypes.c_int(U_ZERO_ERROR)
        cnv = ucnv_open(name.encode(), ctypes.byref(err))
        if err.value > 0:
            out["codepages"][name] = None
            continue
        src = text.encode("utf-16-le")
        buf = ctypes.create_string_buffer(256)
        n = fn(uc, "ucnv_fromUChars")(ctypes.c_void_p(cnv), buf, 256, src, len(src) // 2, ctypes.byref(err))
        back = ctypes.create_string_buffer(512)
        m = fn(uc, "ucnv_toUChars")(ctypes.c_void_p(cnv), back, 256, buf.raw[:n], n, ctypes.byref(err))
        fn(uc, "ucnv_close", None)(ctypes.c_void_p(cnv))
        out["codepages"][name] = {"bytes": buf.raw[:n].hex(), "back": back.raw[:2 * m].decode("utf-16-le")}

    ucol_open = fn(i18n, "ucol_open", ctypes.c_void_p)
    words = ["擦", "吧", "啊", "zebra", "Apple", "äpfel"]
    for locale in ["zh", "en", "de", "ja"]:
        err = ctypes.c_int(U_ZERO_ERROR)
        coll = ucol_open(locale.encode(), ctypes.byref(err))
        if err.value > 0:
            out["collation"][locale] = None
            continue
        strcoll = fn(i18n, "ucol_strcoll")

        def cmp(a: str, b: str, strcoll=strcoll, coll=coll) -> int:  # binds this iteration's collator
            ua, ub = a.encode("utf-16-le"), b.encode("utf-16-le")
            return strcoll(ctypes.c_void_p(coll), ua, len(ua) // 2, ub, len(ub) // 2)
        out["collation"][locale] = "".join(sorted(words, key=functools.cmp_to_key(cmp)))
        fn(i18n, "ucol_close", None)(ctypes.c_void_p(coll))

    zone = "Asia/Shanghai".encode("utf-16-le")
    for locale in ["zh_CN", "en_US", "de_DE"]:
        err = ctypes.c_int(U_ZERO_ERROR)
        cal = fn(i18n, "ucal_open", ctypes.c_void_p)(zone, len(zone) // 2, locale.encode(), 0, ctypes.byref(err))
        name = ctypes.create_string_buffer(256)
        n = fn(i18n, "ucal_getTimeZoneDisplayName")(ctypes.c_void_p(cal), 0, locale.encode(), name, 128,
                                                    ctypes.byref(err))
        out["zone_names"][locale] = name.raw[:2 * n].decode("utf-16-le") if err.value <= 0 else None
        fn(i18n, "ucal_close", None)(ctypes.c_void_p(cal))

    maps = Path("/proc/self/maps").read_text()
    out["libicudata"] = sorted({line.split()[-1] for line in maps.splitlines() if "libicudata" in line})
    return out


def run_probe(lib_dir: Path, *, preload: Path | None = None) -> dict:
    """probe() in a fresh process: with `preload`, that libicudata; else the one next to lib_dir's."""
    env = {**os.environ, "LD_LIBRARY_PATH": str(lib_dir)}
    if preload:
        env["LD_PRELOAD"] = str(preload)
    out = subprocess.run([sys.executable, __file__, str(lib_dir)], env=env, capture_output=True, text=True,
                         timeout=60)
    if out.returncode:
        raise RuntimeError(f"icu_probe failed: {out.stderr}")
    return json.loads(out.stdout)


if __name__ == "__main__":
    print(json.dumps(probe(Path(sys.argv[1])), ensure_ascii=False))
