"""Memory of the local engine: the peak of one recognition, and whether RSS grows over many.

    .venv/bin/python benchmarks/bench_memory.py [--runtime auto|onnxruntime|openvino] [--quick]

--quick (CI runs it after the tests, so a broken benchmark fails there): 3 vs 20 recognitions in
part (b), the same figures, no thresholds.

Every measurement runs in a fresh child process, so each peak is that process's own.

(a) one recognition of a form page (xfund_zh__zh_val_0.jpg, 1414 x 2000) by ours (``LocalEngine()``),
    ours with ``threads=1`` (one ``--workers N`` engine) and plain ``RapidOCR()``: peak RSS
    (``ru_maxrss``) once the engine is loaded and warmed up and the image decoded, then after the
    recognition, and the difference (what that one recognition added to the peak); plus the current
    RSS before and after it, and after ``malloc_trim(0)`` (glibc: what is still in use once the
    allocator hands its free memory back; the rest is freed memory the allocator keeps).
(b) current RSS (``/proc/self/statm``; not psutil, which is no dependency) of ``LocalEngine()``
    recognising a cycle of five real evaluation images of different sizes (a plate photo, a form,
    a receipt, a scene photo, a form page), decoded once: after 10 and after 200 recognitions, and
    the growth between them (target: under 30 MB), with the RSS every 10 recognitions in the JSON.
    At both marks also the RSS after ``malloc_trim(0)``: the plain RSS swings by a hundred MB or
    more from one recognition to the next with what glibc keeps of the freed buffers, so the
    growth of the trimmed RSS (memory still in use) is the one a leak shows in, and the one the
    full run's threshold applies to.
(c) extreme shapes, each in a fresh process: a 100000 x 16 line image (--quick: 20000 x 16) of phrases
    300 px apart, and a 1000000 x 15 one: what ``LocalEngine().recognize`` answers (lines and
    characters read, or the error), seconds, and the process's peak (VmHWM) against the target of
    1 GB (before the issue #11 work: 3.4 GB, and a crash inside resizing).
--runtime: the detector's runtime of our engines (LocalEngine(runtime=...), default auto).

Prints both tables; writes .bench-out/bench_memory.json (git-ignored). A full run fails (exit 1) when
the trimmed RSS of (b) grows by 30 MB or more (without glibc: the plain RSS).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import evalset  # noqa: E402

EVAL = evalset.EVAL
OUT = REPO / ".bench-out"
FORM = "xfund_zh__zh_val_0.jpg"
#: part (b): a cycle of varied sizes
CYCLE = ["ccpd__00.jpg", "funsd__82092117.png", "sroie__025.jpg", "icdar2015__img_4.jpg", FORM]
GROWTH_LIMIT_MB = 30.0
#: part (c): the phrase repeated along the extreme shapes
PHRASE = "Item 12 数量 3 单价 45.50"
ENGINES = {"ours": "ours LocalEngine()", "ours-t1": "ours LocalEngine(threads=1)", "plain": "plain RapidOCR()"}


def trimmed_rss_mb() -> float | None:
    """RSS after glibc's malloc_trim(0) hands free heap memory back (None without glibc)."""
    import ctypes

    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None
    gc.collect()
    trim(0)
    return rss_mb()


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def rss_mb() -> float:
    """Current resident set size, from /proc/self/statm (pages)."""
    with open("/proc/self/statm") as fh:
        resident = int(fh.read().split()[1])
    return resident * os.sysconf("SC_PAGE_SIZE") / 1048576


# -- children --------------------------------------------------------------------------------------------

def _engine(name: str, runtime: str = "auto"):
    """A warmed-up recogniser as ``recognize(rgb_pixels)``."""
    import numpy as np

    if name == "plain":
        from rapidocr import RapidOCR

        plain = RapidOCR(params={"Global.log_level": "error"})
        plain(np.full((48, 160, 3), 255, np.uint8))
        return lambda px: plain(np.ascontiguousarray(px[:, :, ::-1]))
    from desktop_ocr.core.engine import LocalEngine
    from desktop_ocr.core.image import LoadedImage

    engine = LocalEngine(threads=1 if name == "ours-t1" else None, runtime=runtime)
    engine.warm_up()
    return lambda px: engine.recognize(LoadedImage(px))


def child_peak(name: str, runtime: str) -> dict:
    from desktop_ocr.core.sources import load_image

    recognize = _engine(name, runtime)
    pixels = load_image(str(EVAL / "images" / FORM)).pixels
    gc.collect()
    before, rss_before = maxrss_mb(), rss_mb()
    t0 = time.perf_counter()
    recognize(pixels)
    secs = time.perf_counter() - t0
    after = maxrss_mb()
    gc.collect()
    return {"engine": name, "peak_loaded_mb": before, "rss_loaded_mb": rss_before, "peak_after_mb": after,
            "peak_added_mb": after - before, "rss_after_mb": rss_mb(), "rss_trimmed_mb": trimmed_rss_mb(),
            "seconds": secs, "image": FORM, "size": list(pixels.shape[1::-1])}


def child_growth(first: int, last: int, runtime: str) -> dict:
    from desktop_ocr.core.sources import load_image

    recognize = _engine("ours", runtime)
    images = [load_image(str(EVAL / "images" / n)).pixels for n in CYCLE]
    gc.collect()
    start = rss_mb()
    trace: list[tuple[int, float]] = [(0, start)]
    marks, trimmed = {}, {}
    t0 = time.perf_counter()
    for i in range(1, last + 1):
        recognize(images[(i - 1) % len(images)])
        if i == first or i == last or i % 10 == 0:
            gc.collect()
            now = rss_mb()
            trace.append((i, now))
            if i in (first, last):
                marks[i] = now
                trimmed[i] = trimmed_rss_mb()
    return {"images": CYCLE, "sizes": [list(px.shape[1::-1]) for px in images], "rss_start_mb": start,
            "first": first, "last": last, "rss_first_mb": marks[first], "rss_last_mb": marks[last],
            "growth_mb": marks[last] - marks[first], "peak_mb": maxrss_mb(), "trace": trace,
            "seconds": time.perf_counter() - t0, "rss_first_trimmed_mb": trimmed[first],
            "rss_last_trimmed_mb": trimmed[last],
            "trimmed_growth_mb": None if trimmed[first] is None else trimmed[last] - trimmed[first]}


def hwm_mb() -> float:
    """This process's own peak RSS (VmHWM)."""
    with open("/proc/self/status") as fh:
        return next(int(ln.split()[1]) for ln in fh if ln.startswith("VmHWM:")) / 1024


def child_shape(width: int, height: int, runtime: str) -> dict:
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    from desktop_ocr.core.errors import OcrError
    from tests.drawing import cjk_font_path

    img = Image.new("RGB", (width, height), "white")
    font = ImageFont.truetype(cjk_font_path(), max(8, height - 4))
    draw = ImageDraw.Draw(img)
    phrases = 0
    for x in range(10, width - 400, 300):
        draw.text((x, 1), PHRASE, fill="black", font=font)
        phrases += 1
    pixels = np.asarray(img).copy()
    del img, draw
    recognize = _engine("ours", runtime)
    before = hwm_mb()
    t0 = time.perf_counter()
    try:
        res = recognize(pixels)
        answer = {"lines": len(res.lines), "phrases_exact": sum(
            ln.text.replace(" ", "").count(PHRASE.replace(" ", "")) for ln in res.lines)}
    except OcrError as exc:
        answer = {"error": type(exc).__name__, "message": str(exc)}
    return {"size": [width, height], "phrases": phrases, **answer, "seconds": time.perf_counter() - t0,
            "peak_before_mb": before, "peak_mb": hwm_mb()}


def run_child(runtime: str, *args: str) -> dict:
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--runtime", runtime, "--child", *args],
                          stdout=subprocess.PIPE, text=True, check=True, cwd=REPO)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="3 vs 20 recognitions in (b), no thresholds")
    ap.add_argument("--runtime", choices=["auto", "onnxruntime", "openvino"], default="auto",
                    help="what runs our detector (LocalEngine(runtime=...); default auto)")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        kind, *rest = args.child
        if kind == "peak":
            result = child_peak(rest[0], args.runtime)
        elif kind == "shape":
            result = child_shape(int(rest[0]), int(rest[1]), args.runtime)
        else:
            result = child_growth(int(rest[0]), int(rest[1]), args.runtime)
        print(json.dumps(result))
        return 0
    if (code := evalset.absent(args.quick)) is not None:
        return code
    OUT.mkdir(exist_ok=True)
    first, last = (3, 20) if args.quick else (10, 200)
    report: dict = {"quick": args.quick, "runtime": args.runtime, "load_avg_start": os.getloadavg()}

    print(f"(a) one recognition of {FORM}, each engine in a fresh process (MB; our detector: {args.runtime})")
    print(f"{'engine':30s} {'peak loaded':>11s} {'peak after':>10s} {'added':>7s} {'RSS loaded':>10s} "
          f"{'RSS after':>9s} {'trimmed':>7s} {'seconds':>7s}")
    report["peak"] = {}
    for name in ENGINES:
        r = run_child(args.runtime, "peak", name)
        report["peak"][name] = r
        trimmed = "-" if r["rss_trimmed_mb"] is None else f"{r['rss_trimmed_mb']:.0f}"
        print(f"{ENGINES[name]:30s} {r['peak_loaded_mb']:11.0f} {r['peak_after_mb']:10.0f} {r['peak_added_mb']:7.0f} "
              f"{r['rss_loaded_mb']:10.0f} {r['rss_after_mb']:9.0f} {trimmed:>7s} {r['seconds']:7.2f}", flush=True)

    print(f"\n(b) RSS of LocalEngine() over {last} recognitions of a cycle of {len(CYCLE)} images (MB)")
    g = run_child(args.runtime, "growth", str(first), str(last))
    report["growth"] = g
    print("images: " + ", ".join(f"{n} {w}x{h}" for n, (w, h) in zip(g["images"], g["sizes"])))
    print(f"RSS before the first {g['rss_start_mb']:.0f}, after {first} {g['rss_first_mb']:.0f}, after {last} "
          f"{g['rss_last_mb']:.0f}: growth {g['growth_mb']:+.1f} MB (target < {GROWTH_LIMIT_MB:.0f}); "
          f"peak {g['peak_mb']:.0f}; {g['seconds']:.0f} s")
    print("trace (recognitions: RSS): " + ", ".join(f"{i}: {mb:.0f}" for i, mb in g["trace"]))
    growth = g["growth_mb"]
    if g["trimmed_growth_mb"] is not None:
        growth = g["trimmed_growth_mb"]
        print(f"once malloc_trim(0) has handed free heap memory back: after {first} {g['rss_first_trimmed_mb']:.0f}, "
              f"after {last} {g['rss_last_trimmed_mb']:.0f}: growth {growth:+.1f} MB (target < {GROWTH_LIMIT_MB:.0f})")

    print("\n(c) extreme shapes, each in a fresh process (target: a result or a clear error within 1 GB)")
    report["shapes"] = []
    for w, h in ((20000 if args.quick else 100000, 16), (1000000, 15)):
        r = run_child(args.runtime, "shape", str(w), str(h))
        report["shapes"].append(r)
        said = (f"{r['lines']} lines, {r['phrases_exact']}/{r['phrases']} phrases exact" if "lines" in r
                else f"{r['error']}: {r['message']}")
        print(f"{w}x{h}: {said}; {r['seconds']:.1f} s; peak {r['peak_mb']:.0f} MB "
              f"({r['peak_before_mb']:.0f} MB before the recognition)", flush=True)
    report["load_avg_end"] = os.getloadavg()
    (OUT / "bench_memory.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(f"written: {OUT / 'bench_memory.json'}")
    if not args.quick and growth >= GROWTH_LIMIT_MB:
        print(f"FAIL: RSS grew by {growth:.1f} MB from {first} to {last} recognitions "
              f"(limit {GROWTH_LIMIT_MB:.0f})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
