"""Server benchmark: ``desktop-ocr serve`` under C concurrent clients, against plain ``RapidOCR()``.

    .venv/bin/python benchmarks/bench_serve.py [IMAGE] [--clients C] [--seconds D] [--workers N]
                                               [--threads T] [--price-hour USD] [--skip-plain] [--quick]

Starts ``python -m desktop_ocr serve`` on 127.0.0.1 (a free port, ``--queue`` = clients so no client
ever meets the rate-limit answer), waits for /healthz, warms every worker, then C client threads
(http.client, keep-alive) send Tencent API 3.0 GeneralBasicOCR requests (POST / with X-TC-Action /
X-TC-Version and ImageBase64; no keys, so no signature, on loopback) for D seconds. IMAGE defaults
to the typical receipt ../shared/eval/public/images/sroie__025.jpg (read in place, never copied),
else the bundled sample.

Prints requests/s, p50/p95/p99 latency, errors by kind (a rate-limit answer counts as one), the
server's peak and final RSS summed over the server process and its children (the engine workers),
RSS growth from the end of warm-up to the end, and the cost per million images on this machine at
an assumed VM price (``--price-hour``, stated in the output) beside the AWS solution's published
cost per million. Then the peer, in the same run, after the server has stopped: the same image
bytes through plain ``RapidOCR()`` in this one process in a loop for D seconds, and the ratio of the
server's images/s to it. The machine may be shared: the load average is printed before and after.
Nothing here has a threshold: it prints figures. The server is stopped in every case.

--quick (CI, scripts/bench.sh): 2 clients, 5 s, 1 worker, 5 s of plain RapidOCR (well under a minute).
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_IMAGE = REPO.parent / "shared" / "eval" / "public" / "images" / "sroie__025.jpg"
SAMPLE = REPO / "resources" / "sample.png"
# the assumed price of this machine as a cloud VM: an on-demand c6i.large (2 vCPU) in us-east-2
DEFAULT_PRICE_HOUR = 0.085
PRICE_NOTE = "on-demand c6i.large-class 2-vCPU VM, us-east-2"
AWS_PER_MILLION = 76.0  # the AWS solution's published estimate, us-east-2, 1 MB images at 1 s each
HEADERS = {"Content-Type": "application/json; charset=utf-8", "X-TC-Action": "GeneralBasicOCR",
           "X-TC-Version": "2018-11-19", "X-TC-Region": "ap-guangzhou"}


# -- memory ---------------------------------------------------------------------------------------

def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (from /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        parents.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(parents.get(p, ()))
    return out


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and its descendants (psutil when installed, else /proc)."""
    try:
        import psutil  # type: ignore[import-untyped]
    except ImportError:
        psutil = None
    if psutil is not None:
        try:
            proc = psutil.Process(pid)
            total = proc.memory_info().rss
            for child in proc.children(recursive=True):
                try:
                    total += child.memory_info().rss
                except psutil.Error:
                    pass
            return total
        except psutil.Error:
            return 0
    total = 0
    for p in _tree(pid):
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
    return total


class RssSampler(threading.Thread):
    def __init__(self, pid: int, every: float = 0.25):
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.peak = 0
        self.stop_event = threading.Event()

    def run(self) -> None:
        while not self.stop_event.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self.stop_event.wait(self.every)


# -- server ---------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, timeout: float = 2.0) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def start_server(args: argparse.Namespace, port: int, log) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "desktop_ocr", "serve", "--port", str(port), "--workers", str(args.workers),
           "--queue", str(max(args.clients, 1))]
    if args.threads:
        cmd += ["--threads", str(args.threads)]
    print("server:", " ".join(["desktop-ocr", *cmd[3:]]))
    return subprocess.Popen(cmd, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def wait_ready(proc: subprocess.Popen, port: int, limit: float = 180.0) -> float:
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < limit:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode} before it was ready")
        try:
            status, body = get(port, "/healthz")
            if status == 200 and json.loads(body).get("status") == "ok":
                return time.perf_counter() - t0
        except (OSError, ValueError, http.client.HTTPException):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the server was not ready after {limit:.0f} s")


def stop_server(proc: subprocess.Popen) -> None:
    """SIGTERM (graceful), then SIGKILL the whole session (server and workers) if it lingers."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # its own session: only the server and its workers
    except (ProcessLookupError, PermissionError):
        pass
    if proc.poll() is None:
        proc.wait(timeout=10)


# -- clients --------------------------------------------------------------------------------------

def one_request(conn: http.client.HTTPConnection, body: bytes) -> str | None:
    """None when the answer is a recognition; else the kind of error."""
    conn.request("POST", "/", body=body, headers=HEADERS)
    resp = conn.getresponse()
    data = resp.read()
    try:
        answer = json.loads(data).get("Response", {})
    except ValueError:
        return f"http {resp.status} (not JSON)"
    if "Error" in answer:
        return f"http {resp.status} {answer['Error'].get('Code')}"
    if resp.status != 200 or "TextDetections" not in answer:
        return f"http {resp.status}"
    return None


def client(port: int, body: bytes, until: float, latencies: list[float], errors: Counter, lock: threading.Lock,
           count: int | None = None) -> None:
    """Send requests one after the other until ``until`` (or ``count`` of them), on one keep-alive connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    sent = 0
    try:
        while (time.perf_counter() < until) if count is None else (sent < count):
            sent += 1
            t0 = time.perf_counter()
            try:
                kind = one_request(conn, body)
            except (OSError, http.client.HTTPException) as exc:
                kind = type(exc).__name__
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            dt = time.perf_counter() - t0
            with lock:
                if kind is None:
                    latencies.append(dt)
                else:
                    errors[kind] += 1
    finally:
        conn.close()


def run_clients(port: int, body: bytes, clients: int, seconds: float | None, count: int | None = None):
    latencies: list[float] = []
    errors: Counter = Counter()
    lock = threading.Lock()
    t0 = time.perf_counter()
    until = t0 + (seconds or 0)
    threads = [threading.Thread(target=client, args=(port, body, until, latencies, errors, lock, count))
               for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors, time.perf_counter() - t0


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q / 100 * len(s) + 0.5) - 1))]


# -- the peer -------------------------------------------------------------------------------------

def plain_rapidocr(data: bytes, seconds: float) -> tuple[float, int]:
    """(images per second, images) of plain RapidOCR() on the same bytes, one process, in a loop."""
    from rapidocr import RapidOCR

    ocr = RapidOCR(params={"Global.log_level": "error"})  # defaults otherwise
    ocr(data)  # warm-up
    n, t0 = 0, time.perf_counter()
    while n == 0 or time.perf_counter() - t0 < seconds:
        ocr(data)
        n += 1
    return n / (time.perf_counter() - t0), n


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("image", nargs="?", type=Path)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--workers", type=int, default=None, help="default: serve's own default")
    ap.add_argument("--threads", type=int, default=None, help="ONNX Runtime threads per worker (default: serve's)")
    ap.add_argument("--price-hour", type=float, default=DEFAULT_PRICE_HOUR,
                    help=f"assumed USD per hour of this machine (default {DEFAULT_PRICE_HOUR}: {PRICE_NOTE})")
    ap.add_argument("--skip-plain", action="store_true", help="no plain RapidOCR() peer")
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    if args.quick:
        args.clients, args.seconds, args.workers = 2, 5.0, args.workers or 1
    if args.workers is None:
        sys.path.insert(0, str(REPO))
        from desktop_ocr.cli import build_serve_parser

        args.workers = build_serve_parser().get_default("workers")
    image = args.image or (DEFAULT_IMAGE if DEFAULT_IMAGE.is_file() else SAMPLE)
    data = image.read_bytes()
    body = json.dumps({"ImageBase64": base64.b64encode(data).decode()}).encode()
    print(f"image: {image} ({len(data) / 1024:.0f} KB, request {len(body) / 1024:.0f} KB); "
          f"{args.clients} clients for {args.seconds:g} s; {os.cpu_count()} CPUs; load average {loadavg()}")

    port = free_port()
    log = tempfile.TemporaryFile()
    proc = start_server(args, port, log)
    sampler = RssSampler(proc.pid)
    ok = False
    try:
        ready = wait_ready(proc, port)
        sampler.start()
        # warm-up: one request per worker in flight at once, so every worker has read a real page
        _, werr, wtime = run_clients(port, body, min(args.clients, args.workers), None, count=1)
        rss_warm = tree_rss(proc.pid)
        print(f"ready in {ready:.1f} s; warm-up {wtime:.1f} s; RSS after warm-up {rss_warm / 2**20:.0f} MB")
        latencies, errors, elapsed = run_clients(port, body, args.clients, args.seconds)
        rss_end = tree_rss(proc.pid)
        sampler.stop_event.set()
        sampler.join()
        peak = max(sampler.peak, rss_end)
        rps = len(latencies) / elapsed
        print(f"load average after: {loadavg()}")
        print(f"server --workers {args.workers}{f' --threads {args.threads}' if args.threads else ''}: "
              f"{len(latencies)} answers in {elapsed:.1f} s = {rps:.2f} req/s")
        print(f"  latency p50 {pct(latencies, 50):.2f} s, p95 {pct(latencies, 95):.2f} s, "
              f"p99 {pct(latencies, 99):.2f} s, max {max(latencies, default=float('nan')):.2f} s")
        all_errors = errors + werr
        print(f"  errors: {sum(all_errors.values())}"
              + (" (" + ", ".join(f"{k}: {v}" for k, v in all_errors.most_common()) + ")" if all_errors else ""))
        print(f"  RSS (server + workers): peak {peak / 2**20:.0f} MB, final {rss_end / 2**20:.0f} MB, "
              f"growth since warm-up {(rss_end - rss_warm) / 2**20:+.0f} MB")
        if rps > 0:
            cost = args.price_hour / (rps * 3600) * 1e6
            print(f"  cost per million images: ${cost:.2f} at ${args.price_hour}/h ({PRICE_NOTE}, assumed) "
                  f"vs ${AWS_PER_MILLION:.0f} for the AWS solution (published, us-east-2, 1 MB at 1 s)")
        ok = rps > 0
    except RuntimeError as exc:
        print("FAILED:", exc)
    finally:
        sampler.stop_event.set()
        stop_server(proc)
        if not ok:
            log.seek(0)
            print("server log (tail):\n" + log.read().decode("utf-8", "replace")[-3000:])
        log.close()
    if not ok:
        return 1
    if not args.skip_plain:
        plain, n = plain_rapidocr(data, args.seconds)
        print(f"plain RapidOCR() in one process: {n} images, {plain:.2f} images/s; "
              f"server / plain = {rps / plain:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
