"""Throughput of the batch path (``desktop-ocr recognize SRC... --out DIR``) against a plain RapidOCR loop.

    .venv/bin/python benchmarks/bench_batch.py [--images N] [--rounds R] [--no-lookahead-mode] [--quick]

The folder: the evaluation images, cycled to N (default 50: the 49 images and the first again);
--quick (CI runs it after the tests, so a broken benchmark fails there): 6 images spread over the
set, the same figures, no thresholds.

Each mode runs in a fresh child process (so its CPU time and peak RSS are its own), loads and warms
up its engine(s) and recognises the first image once untimed, then goes through the folder:
* plain:  ``for path: RapidOCR()(path)`` (rapidocr decodes the file itself), nothing written;
* ours w1: desktop_ocr.core.batch.recognize_in_order (the CLI's code) with one ``LocalEngine()``,
  the next image decoded while one is recognised, each result exported as our JSON and written
  atomically into a file (what ``recognize --out DIR`` does);
* ours w2: the same with two ``LocalEngine(threads=1)`` on different images (``--workers 2``);
* ours w1, no look-ahead (--no-lookahead-mode): w1 with each image decoded only when the engine is
  free, to see what the look-ahead itself is worth.
With --rounds R > 1 the modes run R times, every other round in reverse order (the machine may be
shared; each round's figures are kept in the JSON, the table shows the median round of each mode,
the faster one of an even count).

Prints, per mode: images, wall seconds, images per minute and the ratio to plain, the process CPU
utilisation during the folder (CPU seconds of the process / wall seconds / os.cpu_count()), RSS
after warm-up and peak RSS (ru_maxrss); and for w2 how many files hold the same text as w1. Writes
.bench-out/bench_batch.json (git-ignored). A full run fails (exit 1) when ``--workers 2`` is not
faster than plain RapidOCR or its text differs from w1 on any image.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
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
MODES = {
    "plain": "plain RapidOCR()",
    "w1": "ours --workers 1",
    "w2": "ours --workers 2",
    "w1-nolookahead": "ours w1, no look-ahead",
}


def eval_images() -> list[Path]:
    return sorted(p for p in (EVAL / "images").iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png"))


def folder(count: int, quick: bool) -> list[Path]:
    images = eval_images()
    if quick:  # spread over the set: plates, forms, receipts, pages
        return [images[i * len(images) // count] for i in range(count)]
    return [images[i % len(images)] for i in range(count)]


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def _cpu_seconds() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


# -- one mode, in its own process ---------------------------------------------------------------------

def run_plain(paths: list[Path]) -> tuple[dict, list[str]]:
    import numpy as np
    from rapidocr import RapidOCR

    plain = RapidOCR(params={"Global.log_level": "error"})
    plain(np.full((48, 160, 3), 255, np.uint8))
    plain(str(paths[0]))  # untimed: the first real image
    ready = _maxrss_mb()
    texts = []
    c0, t0 = _cpu_seconds(), time.perf_counter()
    for p in paths:
        out = plain(str(p))
        texts.append("\n".join(out.txts or ()))
    wall, cpu = time.perf_counter() - t0, _cpu_seconds() - c0
    return {"wall_s": wall, "cpu_s": cpu, "ready_rss_mb": ready, "errors": 0}, texts


def run_ours(paths: list[Path], mode: str) -> tuple[dict, list[str]]:
    from desktop_ocr.core.atomic import write_atomic
    from desktop_ocr.core.batch import recognize_in_order
    from desktop_ocr.core.engine import LocalEngine
    from desktop_ocr.core.recognizer import RecognizeOptions
    from desktop_ocr.core.sources import load_image
    from desktop_ocr.formats import export_text

    recognizers = [LocalEngine(threads=1), LocalEngine(threads=1)] if mode == "w2" else [LocalEngine()]
    lookahead = 0 if mode == "w1-nolookahead" else 1
    for r in recognizers:
        r.warm_up()
    options = RecognizeOptions()

    def load(p: Path):
        return load_image(str(p))

    for done in recognize_in_order([paths[0]] * len(recognizers), load, recognizers, options):  # untimed
        assert not isinstance(done.outcome, Exception), done.outcome
    ready = _maxrss_mb()
    out_dir = OUT / "batch-out" / mode
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    texts, errors = [], 0
    c0, t0 = _cpu_seconds(), time.perf_counter()
    for done in recognize_in_order(paths, load, recognizers, options, lookahead=lookahead):
        if isinstance(done.outcome, Exception):
            errors += 1
            print(f"  {done.item}: {done.outcome}", file=sys.stderr)
            texts.append("")
            continue
        write_atomic(out_dir / f"{done.index:03d}-{done.item.stem}.json", export_text(done.outcome, "json"))
        texts.append("\n".join(ln.text for ln in done.outcome.lines))
    wall, cpu = time.perf_counter() - t0, _cpu_seconds() - c0
    return {"wall_s": wall, "cpu_s": cpu, "ready_rss_mb": ready, "errors": errors}, texts


def child(mode: str, list_file: Path) -> int:
    paths = [Path(p) for p in json.loads(list_file.read_text(encoding="utf-8"))]
    figures, texts = run_plain(paths) if mode == "plain" else run_ours(paths, mode)
    figures.update(images=len(paths), peak_rss_mb=_maxrss_mb(), cpu_count=os.cpu_count(), texts=texts)
    print(json.dumps(figures, ensure_ascii=False))
    return 0


# -- the parent: runs the modes and compares them ---------------------------------------------------------

def run_mode(mode: str, list_file: Path) -> dict:
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", mode, "--list", str(list_file)],
                          stdout=subprocess.PIPE, text=True, check=True, cwd=REPO)
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    cpus = figures["cpu_count"] or 1
    figures["images_per_min"] = figures["images"] * 60 / figures["wall_s"]
    figures["cpu_util"] = figures["cpu_s"] / figures["wall_s"] / cpus
    return figures


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--images", type=int, default=50, help="images in the folder, the eval set cycled (default 50)")
    ap.add_argument("--rounds", type=int, default=1, help="run every mode this many times (default 1)")
    ap.add_argument("--no-lookahead-mode", action="store_true",
                    help="also run w1 without the look-ahead (what the decoding ahead is worth)")
    ap.add_argument("--quick", action="store_true", help="6 images, one round, no thresholds")
    ap.add_argument("--child", choices=list(MODES), help=argparse.SUPPRESS)
    ap.add_argument("--list", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child(args.child, args.list)
    if (code := evalset.absent(args.quick)) is not None:
        return code
    OUT.mkdir(exist_ok=True)
    count, rounds = (6, 1) if args.quick else (args.images, max(1, args.rounds))
    paths = folder(count, args.quick)
    list_file = OUT / "bench_batch_images.json"
    list_file.write_text(json.dumps([str(p) for p in paths]), encoding="utf-8")
    modes = ["plain", "w1", "w2"] + (["w1-nolookahead"] if args.no_lookahead_mode else [])
    report: dict = {"cpu_count": os.cpu_count(), "images": [p.name for p in paths], "quick": args.quick,
                    "load_avg_start": os.getloadavg(), "rounds": []}
    print(f"{len(paths)} images ({len({p.name for p in paths})} different), {os.cpu_count()} CPUs, "
          f"{rounds} round{'s' if rounds != 1 else ''}; each mode in a fresh process, after warm-up")
    runs: dict[str, list[dict]] = {m: [] for m in modes}
    texts: dict[str, list[str]] = {}
    for r in range(rounds):
        for mode in modes if r % 2 == 0 else modes[::-1]:
            figures = run_mode(mode, list_file)
            texts.setdefault(mode, figures.pop("texts"))
            runs[mode].append(figures)
            print(f"  round {r + 1} {MODES[mode]:24s} {figures['images_per_min']:6.1f} images/min", flush=True)
        report["rounds"].append({m: runs[m][-1] for m in modes})
    table = {m: sorted(runs[m], key=lambda f: f["images_per_min"])[len(runs[m]) // 2] for m in modes}
    base = table["plain"]["images_per_min"]
    same = sum(a == b for a, b in zip(texts["w1"], texts["w2"]))
    print(f"\n{'mode':24s} {'images':>6s} {'wall s':>7s} {'img/min':>8s} {'x plain':>8s} {'CPU util':>9s} "
          f"{'ready RSS MB':>13s} {'peak RSS MB':>12s}")
    for m in modes:
        f = table[m]
        f["ratio_vs_plain"] = f["images_per_min"] / base
        print(f"{MODES[m]:24s} {f['images']:6d} {f['wall_s']:7.1f} {f['images_per_min']:8.1f} "
              f"{f['ratio_vs_plain']:8.2f} {f['cpu_util']:8.0%} {f['ready_rss_mb']:13.0f} {f['peak_rss_mb']:12.0f}")
    if rounds > 1:
        spread = {m: statistics.pstdev(f["images_per_min"] for f in runs[m]) for m in modes}
        print("spread over rounds (stdev, images/min): " + ", ".join(f"{MODES[m]} {s:.1f}" for m, s in spread.items()))
    errors = {m: table[m]["errors"] for m in modes if table[m]["errors"]}
    print(f"text identical, w2 vs w1: {same}/{len(paths)} images" + (f"; errors: {errors}" if errors else ""))
    report.update(table=table, text_identical_w2_vs_w1=same, load_avg_end=os.getloadavg())
    (OUT / "bench_batch.json").write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"load average start {report['load_avg_start']}, end {report['load_avg_end']} "
          f"(the machine is shared; times are wall clock)\nwritten: {OUT / 'bench_batch.json'}")
    if args.quick:
        return 0
    problems = []
    if table["w2"]["images_per_min"] <= base:
        problems.append(f"--workers 2 ({table['w2']['images_per_min']:.1f} images/min) is not faster than plain "
                        f"RapidOCR ({base:.1f})")
    if same != len(paths) or errors:
        problems.append(f"w2 and w1 differ on {len(paths) - same} image(s) or failed ({errors})")
    for p in problems:
        print(f"FAIL: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
