"""Throughput of ``recognize --out DIR --cluster`` (a batch on Ray) against the single-process batch.

    .venv/bin/python benchmarks/bench_cluster.py [--images N] [--rounds R] [--address ray://HOST:PORT] [--quick]

The folder: N of the evaluation images (../shared/eval/public, or $DESKTOP_OCR_EVAL), spread over
the set (default 12, at most the 49 there are); drawn pages when the set is not there. Every mode is
the real command line in its own process, on the same files:
* single: ``desktop-ocr recognize SRC... --out DIR`` as today (one process, one engine over the cores);
* ray w1: the same with ``--cluster ray://... --workers 1`` (one Ray actor, one single-threaded engine);
* ray w2: ``--workers 2``.
The Ray cluster is a head this benchmark starts on this machine (``ray start --head``, every CPU,
driven through Ray Client like a remote cluster), stopped at the end; or the one at --address.

First a warm-up run of each mode on one image (untimed: disk cache, Ray's worker processes), then R
rounds of every mode, every other round in reverse order (the machine may be shared). The figure of a
run is the batch's own images/min (its summary line: first page started to last page written, so
model loading and connecting are left out, as they are paid once per batch); the wall time with
them is shown beside it. The table holds the median round of each mode and the ratio to single,
and how many outputs are the same as single's (timings aside). --quick (CI): 3 images, one round.
Writes .bench-out/bench_cluster.json (git-ignored). Prints a line and exits 0 when Ray is not
installed (it is an optional extra).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import evalset  # noqa: E402

EVAL = evalset.EVAL
OUT = REPO / ".bench-out"
MODES = {"single": "single process", "ray1": "ray, 1 worker", "ray2": "ray, 2 workers"}
SUMMARY = re.compile(r"done: .* (\d+\.\d) (?:images|pages)/min;")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def images(count: int, quick: bool) -> tuple[list[Path], str]:
    folder = EVAL / "images"
    if folder.is_dir():
        found = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
        count = min(count, len(found))  # each once: a batch names its outputs after its sources
        # spread over the set: plates, forms, receipts, pages
        return [found[i * len(found) // count] for i in range(count)], f"evaluation images in {EVAL}"
    from tests.drawing import render_lines, to_png_bytes

    drawn = OUT / "cluster-pages"
    drawn.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        p = drawn / f"page-{i:03d}.png"
        lines = [f"第{i}页 第{k}行 Line {k} amount {k * 11 + i}.50" for k in range(1, 10)]
        p.write_bytes(to_png_bytes(render_lines(lines, font_size=30)))
        paths.append(p)
    return paths, f"drawn pages in {drawn} (no evaluation set at {EVAL})"


class Head:
    """A Ray head on this machine: ``ray start --head --block``, stopped by ending its process group."""

    def __init__(self) -> None:
        self.temp = tempfile.mkdtemp(prefix="ocr-ray-", dir="/tmp")  # Ray's socket paths must stay short
        port, client_port = _free_port(), _free_port()
        cmd = [str(Path(sys.executable).with_name("ray")), "start", "--head", "--block", f"--port={port}",
               f"--ray-client-server-port={client_port}", "--node-ip-address=127.0.0.1",
               f"--num-cpus={os.cpu_count() or 1}", "--disable-usage-stats", "--include-dashboard=false",
               f"--temp-dir={self.temp}"]
        self.log = open(Path(self.temp) / "head.log", "wb")  # noqa: SIM115 (closed in stop)
        env = {k: v for k, v in os.environ.items() if not k.startswith("RAY_")}
        # as tests/test_cluster.py's head; a HOME of its own: a Ray token left in ~/.ray by any Ray
        # started here without an address would make the head demand it of the ray:// client
        env.update(PYTHONPATH=str(REPO), RAY_USAGE_STATS_ENABLED="0", HOME=self.temp)
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True, env=env)
        self.address = f"ray://127.0.0.1:{client_port}"
        deadline = time.monotonic() + 120
        while True:
            if self.proc.poll() is not None:
                raise SystemExit(f"ray start failed: see {self.temp}/head.log")
            try:
                with socket.create_connection(("127.0.0.1", client_port), timeout=1):
                    return
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("the Ray head did not open its client port in 120 s") from None
                time.sleep(0.5)

    def logs(self) -> str:
        """The tails of the head's own log and of its client servers' error logs (Ray names the
        file to read in its message, then the log goes with the temp folder)."""
        parts = []
        for f in [Path(self.temp) / "head.log", *sorted(Path(self.temp).glob("session_*/logs/ray_client_server*"))]:
            try:
                text = f.read_text(errors="replace").strip()
            except OSError:
                continue
            if text:
                parts.append(f"--- {f.name} (last lines)\n" + "\n".join(text.splitlines()[-15:]))
        return "\n".join(parts)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # whatever of its group is left
        except ProcessLookupError:
            pass
        self.proc.wait()
        self.log.close()
        shutil.rmtree(self.temp, ignore_errors=True)


class ModeFailed(SystemExit):
    """A mode's command line failed; ``unreachable`` when it could not join the cluster."""

    @property
    def unreachable(self) -> bool:
        return "cannot connect to the Ray cluster" in str(self.code)


def run_mode(mode: str, paths: list[Path], out_dir: Path, address: str) -> dict:
    shutil.rmtree(out_dir, ignore_errors=True)
    cmd = [sys.executable, "-m", "desktop_ocr", "recognize", *map(str, paths), "--out", str(out_dir), "-q"]
    if mode != "single":
        cmd += ["--cluster", address, "--workers", mode[-1]]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    wall = time.perf_counter() - t0
    found = SUMMARY.search(proc.stderr)
    if proc.returncode != 0 or found is None:
        raise ModeFailed(f"{MODES[mode]} failed (exit {proc.returncode}):\n{proc.stderr}")
    return {"images": len(paths), "images_per_min": float(found.group(1)), "wall_s": wall,
            "wall_images_per_min": len(paths) * 60 / wall}


def outputs(out_dir: Path) -> dict:
    from tests.outputs import without_timing

    return {p.name: without_timing(json.loads(p.read_text(encoding="utf-8"))) for p in sorted(out_dir.glob("*.json"))}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--images", type=int, default=12, help="images in the folder (default 12)")
    ap.add_argument("--rounds", type=int, default=3, help="rounds of every mode (default 3)")
    ap.add_argument("--address", help="an existing cluster's ray://HOST:PORT instead of a head started here "
                                      "(every node must see the images at the same paths)")
    ap.add_argument("--quick", action="store_true", help="3 images, one round")
    args = ap.parse_args(argv)
    try:
        import ray  # noqa: F401
    except ImportError:
        print("bench_cluster: skipped: Ray is not installed (pip install -e '.[cluster]')")
        return 0
    count, rounds = (3, 1) if args.quick else (args.images, max(1, args.rounds))
    OUT.mkdir(exist_ok=True)
    paths, what = images(count, args.quick)
    print(f"{len(paths)} images ({what}), {os.cpu_count()} CPUs, {rounds} round{'s' if rounds != 1 else ''}; "
          "every mode the real command line in its own process")
    head = None if args.address else Head()
    address = args.address or head.address  # type: ignore[union-attr]
    report: dict = {"cpu_count": os.cpu_count(), "images": [p.name for p in paths], "quick": args.quick,
                    "address": address, "load_avg_start": os.getloadavg(), "rounds": []}
    runs: dict[str, list[dict]] = {m: [] for m in MODES}

    def run(mode: str, sources: list[Path], out_dir: Path) -> dict:
        """run_mode; once per benchmark, a head whose client server failed to start this client's
        server process is replaced by a fresh one (seen once on CI, not reproduced: its logs are
        printed first) and the mode is run again; the retry is reported."""
        nonlocal head, address
        try:
            return run_mode(mode, sources, out_dir, address)
        except ModeFailed as exc:
            if head is None or not exc.unreachable or report.get("head_restarted"):
                raise
            print(f"{exc.code}\n{head.logs()}\nbench_cluster: the Ray head is replaced by a new one and "
                  f"{MODES[mode]} run again", file=sys.stderr, flush=True)
            head.stop()
            head = Head()
            address = head.address
            report["head_restarted"] = True
            return run_mode(mode, sources, out_dir, address)

    same: dict[str, int] = {}
    try:
        for mode in MODES:  # warm-up, untimed
            run(mode, paths[:1], OUT / "cluster-out" / "warm-up")
        for r in range(rounds):
            for mode in list(MODES) if r % 2 == 0 else list(MODES)[::-1]:
                figures = run(mode, paths, OUT / "cluster-out" / mode)
                runs[mode].append(figures)
                print(f"  round {r + 1} {MODES[mode]:16s} {figures['images_per_min']:6.1f} images/min "
                      f"({figures['wall_s']:.1f} s with start-up)", flush=True)
            report["rounds"].append({m: runs[m][-1] for m in MODES})
            base_out = outputs(OUT / "cluster-out" / "single")
            for mode in ("ray1", "ray2"):
                other = outputs(OUT / "cluster-out" / mode)
                same[mode] = min(same.get(mode, len(paths)), sum(other.get(k) == v for k, v in base_out.items()))
    except SystemExit:
        if head is not None:
            print(head.logs(), file=sys.stderr)
        raise
    finally:
        if head is not None:
            head.stop()
    table = {m: sorted(runs[m], key=lambda f: f["images_per_min"])[len(runs[m]) // 2] for m in MODES}
    base = table["single"]["images_per_min"]
    print(f"\n{'mode':16s} {'images':>6s} {'img/min':>8s} {'x single':>9s} {'wall s':>7s} {'img/min w/ start':>17s}")
    for m in MODES:
        f = table[m]
        f["ratio_vs_single"] = f["images_per_min"] / base
        print(f"{MODES[m]:16s} {f['images']:6d} {f['images_per_min']:8.1f} {f['ratio_vs_single']:9.2f} "
              f"{f['wall_s']:7.1f} {f['wall_images_per_min']:17.1f}")
    if rounds > 1:
        spread = {m: statistics.pstdev(f["images_per_min"] for f in runs[m]) for m in MODES}
        print("spread over rounds (stdev, images/min): " + ", ".join(f"{MODES[m]} {s:.1f}" for m, s in spread.items()))
    print("outputs the same as single's (timings aside): "
          + ", ".join(f"{MODES[m]} {same[m]}/{len({p.stem for p in paths})}" for m in same))
    report.update(table=table, same_as_single=same, load_avg_end=os.getloadavg())
    (OUT / "bench_cluster.json").write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"load average start {report['load_avg_start']}, end {report['load_avg_end']} "
          f"(the machine is shared; times are wall clock)\nwritten: {OUT / 'bench_cluster.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
