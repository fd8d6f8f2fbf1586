"""Start-up time of the frozen application (dist/desktop-ocr/, built by packaging/build.sh).

For each run the app starts as `desktop-ocr --self-test` with a clean environment and a fresh HOME;
"to window" is the time from exec to the app logging "window visible" (desktop_ocr.gui.app.run logs
it right after QMainWindow.show(), before the models load), "self-test" is the whole run: window,
model loading, recognition of the bundled sample, clean exit.

Cold runs first evict every file of the bundle from the page cache (posix_fadvise DONTNEED: no root
needed; system libraries outside the bundle stay cached, as they would on a desktop in use). Warm runs
follow without eviction. Budget (issue 5): a cold start to a visible window within 2 s.

    .venv/bin/python benchmarks/bench_startup.py                      # offscreen
    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python benchmarks/bench_startup.py --platform xcb
    .venv/bin/python benchmarks/bench_startup.py --quick              # one cold and one warm run (CI)
"""

from __future__ import annotations

import argparse
import calendar
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUDGET_S = 2.0
VISIBLE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}) INFO desktop_ocr\.gui: window visible", re.M)


def evict(folder: Path) -> int:
    """Drop the bundle's files from the page cache; returns the bytes advised away."""
    total = 0
    for path in folder.rglob("*"):
        if path.is_symlink() or not path.is_file():
            continue
        fd = os.open(path, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            total += os.fstat(fd).st_size
        finally:
            os.close(fd)
    return total


def one_run(exe: Path, platform: str) -> tuple[float, float, int]:
    """(seconds to window visible, seconds for the whole self-test, exit code)."""
    with tempfile.TemporaryDirectory(prefix="bench-home-") as home:
        env = {"PATH": "/usr/bin:/bin", "HOME": home, "QT_QPA_PLATFORM": platform}
        if platform == "xcb":
            env["DISPLAY"] = os.environ.get("DISPLAY", "")
            if os.environ.get("XAUTHORITY"):
                env["XAUTHORITY"] = os.environ["XAUTHORITY"]
        t0 = time.time()
        proc = subprocess.run([str(exe), "--self-test"], env=env, cwd=home, capture_output=True, timeout=300)
        total = time.time() - t0
        logs = list(Path(home).rglob("desktop_ocr.log"))
        text = logs[0].read_text(encoding="utf-8", errors="replace") if logs else ""
    m = VISIBLE.search(text)
    if not m:
        sys.stderr.write(proc.stdout.decode(errors="replace") + proc.stderr.decode(errors="replace"))
        raise SystemExit("no 'window visible' line in the app's log")
    # the child runs without TZ, so its log's local time is UTC
    shown = calendar.timegm(time.strptime(m.group(1), "%Y-%m-%d %H:%M:%S")) + int(m.group(2)) / 1000
    return shown - t0, total, proc.returncode


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bundle", type=Path, default=REPO / "dist" / "desktop-ocr")
    ap.add_argument("--cold", type=int, default=3, help="cold runs (page cache of the bundle evicted)")
    ap.add_argument("--warm", type=int, default=5, help="warm runs")
    ap.add_argument("--platform", default="offscreen", choices=["offscreen", "xcb"])
    ap.add_argument("--quick", action="store_true", help="one cold and one warm run")
    args = ap.parse_args()
    if args.quick:
        args.cold, args.warm = 1, 1
    exe = args.bundle / "desktop-ocr"
    if not exe.is_file():
        raise SystemExit(f"{exe} not found: build it with `bash packaging/build.sh`")
    # The machine may be shared: the load average says how much the figures are worth.
    print(f"bundle {args.bundle}  platform {args.platform}  cpus {os.cpu_count()}  "
          f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    rows: dict[str, list[tuple[float, float, int]]] = {"cold": [], "warm": []}
    for i in range(args.cold):
        n = evict(args.bundle)
        rows["cold"].append(one_run(exe, args.platform))
        print(f"cold {i + 1}: evicted {n / 1e6:.0f} MB; to window {rows['cold'][-1][0]:.2f} s, "
              f"self-test {rows['cold'][-1][1]:.2f} s, exit {rows['cold'][-1][2]}")
    for i in range(args.warm):
        rows["warm"].append(one_run(exe, args.platform))
        print(f"warm {i + 1}: to window {rows['warm'][-1][0]:.2f} s, self-test {rows['warm'][-1][1]:.2f} s, "
              f"exit {rows['warm'][-1][2]}")
    for kind, runs in rows.items():
        if not runs:
            continue
        vis = [r[0] for r in runs]
        tot = [r[1] for r in runs]
        print(f"{kind}: to window median {statistics.median(vis):.2f} s (max {max(vis):.2f}), "
              f"budget {BUDGET_S:.1f} s, ratio {statistics.median(vis) / BUDGET_S:.2f}; "
              f"whole self-test median {statistics.median(tot):.2f} s")
    failed = [r for rs in rows.values() for r in rs if r[2] != 0]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
