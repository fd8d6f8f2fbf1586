"""A whole PDF into a searchable PDF (issue #14): pages per minute, peak memory, output size, against a
plain RapidOCR loop over the same pages.

    .venv/bin/python benchmarks/bench_documents.py [--pages N] [--compare-pages M] [--rounds R] [--quick]

The documents: PDFs of N pages (default 300) and of its first M (default 30) built here from the
evaluation set's document-like images (FUNSD forms, SROIE receipts, XFUND Chinese forms; cycled,
JPEG pages as a scanner writes them), in .bench-out/. --quick (CI runs it after the tests): 6 and 3
pages, one round.

Each mode runs in a fresh child process; its peak RSS is the child's own (wait4 rusage):
* ours:  ``desktop-ocr recognize doc.pdf --out DIR --format pdf``: every page rendered one at a time,
  recognised, and written into one searchable PDF (the page kept as it is, the text layer added).
  Its pages/min is the CLI's own (from the first page's start to the last page's end; the models'
  load is not in it), and the output's size is compared with the input's;
* plain: a loop a user of the library would write: pypdfium2 renders each page (at the DPI ours uses),
  ``RapidOCR()(pixels)``, nothing written; timed from the first page (the models loaded and warmed
  up before it).
Side by side, on the M-page document, R rounds (default 2), every other round in reverse order;
the median is shown. Then ours alone on the N-page document: its pages/min, its peak RSS against
the one on M pages (memory must not grow with the page count), and the searchable PDF's size.

Prints pages/min and the ratio to plain, peak RSS of each, and input and output sizes. Writes
.bench-out/bench_documents.json (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
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
#: eval subsets whose images are pages of documents (not number plates or street scenes)
DOCUMENT_PREFIXES = ("funsd", "sroie", "cord", "xfund", "docbank", "book", "page", "receipt", "form", "doc")


def page_images() -> list[Path]:
    images = sorted(p for p in (EVAL / "images").iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
    documents = [p for p in images if p.name.lower().startswith(DOCUMENT_PREFIXES)]
    return documents or images


def build_pdf(dest: Path, count: int) -> Path:
    """A PDF of ``count`` pages cycled from the eval images (JPEG pages, 150 dpi), or drawn pages when
    the eval set is not here."""
    from PIL import Image

    if (EVAL / "images").is_dir():
        sources = page_images()

        def page(i: int) -> Image.Image:
            with Image.open(sources[i % len(sources)]) as im:
                return im.convert("RGB")
    else:
        from tests.drawing import render_lines

        def page(i: int) -> Image.Image:
            return render_lines([f"第{i + 1}页 Page {i + 1}", "发票号码 Invoice 2024-0815", "合计 Total 88.50"],
                                font_size=30).convert("RGB")

    first = page(0)
    first.save(dest, "PDF", save_all=True, append_images=(page(i) for i in range(1, count)), resolution=150)
    return dest


# -- the modes, each in a child process -----------------------------------------------------------

PLAIN = r"""
import json, sys, time
import numpy as np, pypdfium2 as pdfium
from rapidocr import RapidOCR
from desktop_ocr.core.pdf import RENDER_DPI
plain = RapidOCR(params={"Global.log_level": "error"})
plain(np.full((48, 160, 3), 255, np.uint8))
pdf = pdfium.PdfDocument(sys.argv[1])
first = pdf[0].render(scale=RENDER_DPI / 72).to_numpy()
plain(first)  # untimed: the first page, as ours warms up
t0 = time.perf_counter()
lines = 0
for i in range(len(pdf)):
    page = pdf[i]
    pixels = np.ascontiguousarray(page.render(scale=RENDER_DPI / 72).to_numpy()[:, :, :3])
    out = plain(pixels)
    lines += len(out.txts or ())
    page.close()
print(json.dumps({"pages": len(pdf), "seconds": time.perf_counter() - t0, "lines": lines}))
"""


def _child(cmd: list[str]) -> tuple[int, str, str, float]:
    """(exit status, stdout, stderr, wall seconds) of a child process."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, env=env, cwd=REPO, check=False)
    return proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"), \
        time.perf_counter() - t0


#: runs a command and prints its peak RSS (wait4 gives that child's own ru_maxrss, not a running maximum)
WRAP = r"""
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_, status, ru = os.wait4(pid, 0)
print(f"\nPEAK_RSS_KB {ru.ru_maxrss}", file=sys.stderr)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def _measured(cmd: list[str]) -> tuple[int, str, str, float, float]:
    code, out, err, wall = _child([sys.executable, "-c", WRAP, *cmd])
    m = re.search(r"PEAK_RSS_KB (\d+)", err)
    return code, out, err, wall, int(m.group(1)) / 1024 if m else float("nan")


def run_ours(pdf: Path, out_dir: Path) -> dict:
    shutil.rmtree(out_dir, ignore_errors=True)
    code, _, err, wall, peak = _measured([sys.executable, "-m", "desktop_ocr", "recognize", str(pdf), "--out",
                                          str(out_dir), "--format", "pdf"])
    if code != 0:
        raise SystemExit(f"bench_documents: ours failed ({code}):\n{err[-2000:]}")
    m = re.search(r"done: .*?, (\d+\.\d+) s total, (\d+\.\d+) s per page, (\d+\.\d+) pages/min", err)
    assert m, err[-1000:]
    pages = len(re.findall(r" page \d+/\d+  ", err))
    lines = sum(int(n) for n in re.findall(r" page \d+/\d+  \d+\.\d s, (\d+) lines?", err))
    written = out_dir / f"{pdf.stem}.pdf"
    return {"pages": pages, "pages_per_min": float(m.group(3)), "wall_s": wall, "peak_rss_mb": peak,
            "lines": lines, "input_bytes": pdf.stat().st_size, "output_bytes": written.stat().st_size}


def run_plain(pdf: Path) -> dict:
    code, out, err, wall, peak = _measured([sys.executable, "-c", PLAIN, str(pdf)])
    if code != 0:
        raise SystemExit(f"bench_documents: plain failed ({code}):\n{err[-2000:]}")
    figures = json.loads(out.strip().splitlines()[-1])
    return {"pages": figures["pages"], "pages_per_min": figures["pages"] * 60 / figures["seconds"], "wall_s": wall,
            "peak_rss_mb": peak, "lines": figures["lines"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=300, help="pages of the long document (default 300)")
    parser.add_argument("--compare-pages", type=int, default=30, help="pages of the side-by-side document")
    parser.add_argument("--rounds", type=int, default=2, help="side-by-side rounds (alternating order)")
    parser.add_argument("--quick", action="store_true", help="6 and 3 pages, one round (CI)")
    args = parser.parse_args()
    count, compare, rounds_n = (6, 3, 1) if args.quick else (args.pages, args.compare_pages, args.rounds)
    OUT.mkdir(exist_ok=True)
    t0 = time.perf_counter()
    long_pdf = build_pdf(OUT / f"document-{count}.pdf", count)
    pdf = build_pdf(OUT / f"document-{compare}.pdf", compare)
    origin = "eval images" if (EVAL / "images").is_dir() else "drawn pages (no eval set)"
    print(f"bench_documents: PDFs of {origin}: {count} pages ({long_pdf.stat().st_size:,} bytes) and its first "
          f"{compare} (built in {time.perf_counter() - t0:.0f} s); {os.cpu_count()} CPUs", flush=True)

    rounds: dict[str, list[dict]] = {"ours": [], "plain": []}
    for r in range(rounds_n):
        order = ["ours", "plain"] if r % 2 == 0 else ["plain", "ours"]
        for mode in order:
            figures = run_ours(pdf, OUT / "documents-out") if mode == "ours" else run_plain(pdf)
            rounds[mode].append(figures)
            print(f"  {compare} pages, round {r + 1}, {mode}: {figures['pages_per_min']:.1f} pages/min, peak RSS "
                  f"{figures['peak_rss_mb']:.0f} MB", flush=True)
    whole = run_ours(long_pdf, OUT / "documents-out-long")
    print(f"  {count} pages, ours: {whole['pages_per_min']:.1f} pages/min, peak RSS {whole['peak_rss_mb']:.0f} MB",
          flush=True)

    def median(mode: str, key: str) -> float:
        return statistics.median(f[key] for f in rounds[mode])

    ours_ppm, plain_ppm = median("ours", "pages_per_min"), median("plain", "pages_per_min")
    print(f"bench_documents: side by side on {compare} pages (median of {rounds_n} round(s), alternating)")
    print(f"  {'mode':<44} {'pages/min':>10} {'vs plain':>9} {'peak RSS':>10}")
    print(f"  {'ours: recognize --format pdf (searchable PDF)':<44} {ours_ppm:>10.1f} {ours_ppm / plain_ppm:>8.2f}x "
          f"{median('ours', 'peak_rss_mb'):>7.0f} MB")
    print(f"  {'plain: pypdfium2 render + RapidOCR()':<44} {plain_ppm:>10.1f} {1:>8.2f}x "
          f"{median('plain', 'peak_rss_mb'):>7.0f} MB")
    print(f"  lines read: ours {rounds['ours'][-1]['lines']}, plain {rounds['plain'][-1]['lines']}")
    print(f"bench_documents: the whole {count}-page PDF into a searchable PDF: {whole['pages_per_min']:.1f} pages/min, "
          f"peak RSS {whole['peak_rss_mb']:.0f} MB (on {compare} pages: {median('ours', 'peak_rss_mb'):.0f} MB)")
    for n, figures in ((compare, rounds["ours"][-1]), (count, whole)):
        inp, outp = figures["input_bytes"], figures["output_bytes"]
        print(f"  size, {n} pages: {outp:,} bytes for an input of {inp:,} bytes ({outp / inp:.3f}x, "
              f"{(outp - inp) / n / 1024:+.1f} KB per page)")
    if (EVAL / "images").is_dir() and count > len(page_images()):
        print(f"  (the {count}-page document repeats {len(page_images())} images; the searchable PDF stores an image "
              "that several pages share once, the input stores it on every page)")
    (OUT / "bench_documents.json").write_text(json.dumps({"pages": count, "compare_pages": compare, "rounds": rounds,
                                                          "whole": whole}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
