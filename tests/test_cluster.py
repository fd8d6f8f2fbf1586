"""``recognize --out DIR --cluster ray://HOST:PORT | auto`` (desktop_ocr.jobs.cluster) on a real Ray:
a head node this module starts on this machine (Ray Client port included), the real engine in its
workers, and the real command line in a child process (Ray's state stays out of pytest's). The same
batch on this machine is the reference: same files, same content (timings aside), same failures and
the same resume record. Skipped only when Ray is not installed (``pip install -e '.[cluster]'``)."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from desktop_ocr.cli import main
from tests.drawing import render_lines, to_png_bytes
from tests.outputs import listing, without_timing

pytest.importorskip("ray", reason="Ray is not installed: pip install -e '.[cluster]' (the cluster extra)")

REPO = Path(__file__).resolve().parent.parent
RECORD = ".desktop-ocr-batch.jsonl"

PAGES = {
    "b-second.png": ["第二张 Second 2"],
    "a-third.png": ["Third page 333", "第三张"],
    "c-fourth.png": ["发票号码 20240517"],
}
PDF_PAGES = [["第一页 Page one 101"], ["第二页 Page two 202", "合计 Total 88.50"], ["第三页 Page three 303"]]
BROKEN = "x-broken.png"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def ray_head():
    """A one-node Ray cluster with 2 CPUs: (the ray:// address, the GCS address, the head's process; see
    _head_state). Stopped afterwards
    by ending the process group of the ``ray start --block`` this fixture started."""
    with _head() as head:
        yield head


@contextlib.contextmanager
def _head(**env: str):
    """``ray start --head --block`` on free ports: (ray:// address, GCS address, its process); ``env``
    adds to its environment (_env)."""
    temp = tempfile.mkdtemp(prefix="ocr-ray-", dir="/tmp")  # short: Ray's socket paths must stay < 108 bytes
    port, client_port = _free_port(), _free_port()
    ray_bin = Path(sys.executable).with_name("ray")
    cmd = [str(ray_bin), "start", "--head", "--block", f"--port={port}", f"--ray-client-server-port={client_port}",
           "--node-ip-address=127.0.0.1", "--num-cpus=2", "--disable-usage-stats", "--include-dashboard=false",
           f"--temp-dir={temp}"]
    log = open(Path(temp) / "head.log", "wb")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=_env(**env))
    proc.temp = temp  # type: ignore[attr-defined]  # for _head_state, while the head runs
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail(f"ray start failed:\n{(Path(temp) / 'head.log').read_text(errors='replace')[-3000:]}")
            try:
                with socket.create_connection(("127.0.0.1", client_port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("the Ray head did not open its client port in 90 s")
                time.sleep(0.5)
        yield f"ray://127.0.0.1:{client_port}", f"127.0.0.1:{port}", proc
    finally:
        proc.terminate()  # `ray start --block` stops the processes it started
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        with _suppress():
            os.killpg(proc.pid, signal.SIGKILL)  # whatever of the group is left
        proc.wait()
        log.close()
        shutil.rmtree(temp, ignore_errors=True)


def _head_state(proc) -> str:
    """What a failed call against a head of _head had against it: whether the head still runs, and
    the ends of its own log and of its Ray Client server's logs (read before the head's folder goes)."""
    temp = Path(proc.temp)
    parts = [f"\n--- the head {'runs' if proc.poll() is None else f'ended with {proc.returncode}'}"]
    for f in [temp / "head.log", *sorted(temp.glob("session_latest/logs/ray_client_server*"))]:
        if f.is_file():
            parts.append(f"--- {f.name}:\n{f.read_text(errors='replace')[-1500:]}")
    return "\n".join(parts)


class _suppress:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return exc[0] is not None and issubclass(exc[0], ProcessLookupError)


@functools.cache
def ray_home() -> str:
    """The HOME of every Ray process these tests start (heads, the command line, its workers): Ray
    keeps an authentication token in ~/.ray/auth_token, which any Ray started on this machine
    without an address leaves there, and with one there ``ray start --head`` requires it of every
    client, which a ray:// client is not given unless RAY_AUTH_MODE=token. So the tests run as on a
    fresh machine, whatever ran here before. Removed when the module ends (see _forget_ray_home)."""
    return tempfile.mkdtemp(prefix="ocr-ray-home-")


@pytest.fixture(scope="module", autouse=True)
def _forget_ray_home():
    yield
    if ray_home.cache_info().currsize:
        shutil.rmtree(ray_home(), ignore_errors=True)
        ray_home.cache_clear()


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAY_")}
    env.update(PYTHONPATH=str(REPO), RAY_USAGE_STATS_ENABLED="0", **extra)
    if "HOME" not in extra:
        env["HOME"] = ray_home()
    return env


def cli(*args: str, env: dict | None = None, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "desktop_ocr", "recognize", *args], capture_output=True,
                          text=True, encoding="utf-8", timeout=timeout, env=env or _env(), cwd=REPO)


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("cluster-in")
    paths = []
    for name, lines in PAGES.items():
        f = folder / name
        f.write_bytes(to_png_bytes(render_lines(lines, font_size=32)))
        paths.append(f)
    broken = folder / BROKEN
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"not really a png" * 8)
    paths.insert(1, broken)
    pdf = folder / "report.pdf"
    pages = [render_lines(lines, font_size=32).convert("RGB") for lines in PDF_PAGES]
    pages[0].save(pdf, save_all=True, append_images=pages[1:], resolution=72)
    paths.append(pdf)
    return paths


def contents(out_dir: Path) -> dict[str, object]:
    return {p.name: without_timing(json.loads(p.read_text(encoding="utf-8"))) for p in listing(out_dir)}


def record(out_dir: Path) -> list[dict]:
    """The resume record without timings, in the order written."""
    lines = (out_dir / RECORD).read_text(encoding="utf-8").splitlines()
    return [without_timing(json.loads(line)) for line in lines]


def failure_lines(err: str) -> list[str]:
    return [ln for ln in err.splitlines() if "FAILED" in ln or ln.startswith("  ")]


@pytest.fixture(scope="module")
def local_run(sources, tmp_path_factory):
    """The reference: the same batch on this machine (the CLI in this process)."""
    import contextlib
    import io

    out_dir = tmp_path_factory.mktemp("local") / "out"
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["recognize", *map(str, sources), "--out", str(out_dir)])
    return code, err.getvalue(), out_dir


@pytest.fixture(scope="module")
def cluster_run(ray_head, sources, tmp_path_factory):
    out_dir = tmp_path_factory.mktemp("cluster") / "out"
    done = cli(*map(str, sources), "--out", str(out_dir), "--cluster", ray_head[0], "--workers", "2")
    if "cannot connect to the Ray cluster" in done.stderr:  # the head failed us: say what it had against it
        pytest.fail(done.stderr + _head_state(ray_head[2]))
    return done, out_dir


def test_cluster_batch_writes_what_the_local_batch_writes(local_run, cluster_run, sources):
    code, local_err, local_out = local_run
    done, out_dir = cluster_run
    assert done.stdout == "" and "Traceback" not in done.stderr, done.stderr
    assert code == done.returncode == 1  # the broken image
    got, want = contents(out_dir), contents(local_out)
    assert sorted(got) == ["a-third.json", "b-second.json", "c-fourth.json", "report.json"]
    assert got == want
    report = got["report.json"]
    assert isinstance(report, dict) and [p["page"] for p in report["pages"]] == [1, 2, 3]
    assert "第二页" in report["pages"][1]["lines"][0]["text"]
    lines = done.stderr.splitlines()
    ready = r"desktop-ocr: cluster ready in \d+\.\d s \(2 workers\); 5 sources, 7 pages"
    assert re.fullmatch(ready, lines[0]), lines[0]
    # progress in source order, as locally
    heads = [ln.split("] ", 1)[1].split(" ")[0] for ln in lines if re.match(r"desktop-ocr: \[\d/5\] \S+ (->|FAIL)", ln)]
    assert sum(" page " in ln for ln in lines) == 3  # the PDF's pages, as locally
    assert heads == [str(p) for p in sources]
    assert re.fullmatch(r"desktop-ocr: done: 4 ok, 1 failed, .*; output in " + re.escape(str(out_dir)), lines[-1])
    # the same resume record (the pages and the done sources, timings aside)
    assert record(out_dir) == record(local_out)


def test_a_broken_image_fails_alone_with_the_local_message(local_run, cluster_run, sources):
    _, local_err, _ = local_run
    done, _ = cluster_run
    broken = sources[1]
    failed = failure_lines(done.stderr)
    assert failed == failure_lines(local_err)
    assert len(failed) == 2 and failed[0].startswith(f"desktop-ocr: [2/5] {broken} FAILED: the file looks like a PNG")
    assert failed[1].startswith(f"  {broken}: the file looks like a PNG image")


def test_resume_through_the_cluster_skips_what_is_done(ray_head, cluster_run, sources):
    """``auto`` joins the Ray already running here (RAY_ADDRESS); --resume recognises only the
    source that failed, and the finished outputs stay as they were."""
    _, out_dir = cluster_run
    before = {p.name: p.read_bytes() for p in listing(out_dir)}
    done = cli(*map(str, sources), "--out", str(out_dir), "--cluster", "auto", "--resume",
               env=_env(RAY_ADDRESS=ray_head[1]))
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.splitlines()
    assert re.fullmatch(r"desktop-ocr: cluster ready in \d+\.\d s \(1 worker\); 5 sources, 1 page", lines[0]), lines[0]
    skipped = [ln for ln in lines if ln.endswith("done in an earlier run: skipped")]
    assert len(skipped) == 4
    assert f"[2/5] {sources[1]} FAILED: the file looks like a PNG image" in done.stderr
    assert ", 4 done in an earlier run," in lines[-1]
    assert {p.name: p.read_bytes() for p in listing(out_dir)} == before


def test_a_dead_worker_fails_its_pages_and_the_others_go_on(ray_head, sources):
    """jobs.cluster on its own: one of two actors is killed before the batch; the pages sent to it
    fail with a ClusterError naming a dead worker, the others are recognised by the one left, every
    page comes back in order, and nothing hangs."""
    images = [str(p) for p in sources if p.suffix == ".png" and p.name != BROKEN] * 2
    code = f"""
import ray
from desktop_ocr.jobs import cluster
from desktop_ocr.jobs.plan import Doc
from desktop_ocr.jobs.run import PageJob
c = cluster.connect({ray_head[0]!r}, workers=2)
ray.kill(c.actors[0])
jobs = [PageJob(Doc(i, p), None) for i, p in enumerate({images!r})]
for item in c.pages_in_order(jobs, None):
    o = item.outcome
    print(item.index, item.item is jobs[item.index], type(o).__name__, getattr(o, "reason", None) or "-",
          flush=True)
c.close()
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_env(), cwd=REPO,
                          timeout=180)
    assert done.returncode == 0, done.stderr + _head_state(ray_head[2])
    rows = [line.split() for line in done.stdout.splitlines()]
    assert [int(r[0]) for r in rows] == list(range(len(images))) and all(r[1] == "True" for r in rows)
    kinds = {(r[2], r[3]) for r in rows}
    assert kinds <= {("OcrResult", "-"), ("ClusterError", "worker_failed")} and len(kinds) == 2, rows


@pytest.mark.slow
def test_a_head_lost_mid_batch_ends_the_batch_with_one_message(tmp_path):
    """The head (and with it every worker) is killed while a batch runs through it: the command
    line says the cluster was lost and how to go on (--resume), shows no traceback and no "report
    it", and every output it wrote is whole."""
    folder = tmp_path / "in"
    folder.mkdir()
    png = to_png_bytes(render_lines(["发票号码 20240517", "Total 88.50"], font_size=32))
    for i in range(60):
        (folder / f"p{i:02d}.png").write_bytes(png)
    out = tmp_path / "out"
    with _head() as (client, _, head):
        run = subprocess.Popen([sys.executable, "-m", "desktop_ocr", "recognize", str(folder), "--out", str(out),
                                "--cluster", client, "--workers", "1"], stderr=subprocess.PIPE, text=True,
                               encoding="utf-8", env=_env(), cwd=REPO)
        lines = []
        assert run.stderr is not None
        for line in run.stderr:
            lines.append(line)
            if "[2/60]" in line:
                os.killpg(head.pid, signal.SIGKILL)
                break
        rest = run.communicate(timeout=240)[1]
    said = "".join(lines) + rest
    assert any("[2/60]" in line for line in lines), said
    assert run.returncode == 1, said
    assert "Traceback" not in said and "report it" not in said, said
    stop = [line for line in said.splitlines() if line.startswith("desktop-ocr: stopped: ")]
    assert len(stop) == 1 and "lost the connection to the Ray cluster" in stop[0] and "--resume" in stop[0], said
    assert said.count("FAILED") == 1, said  # the page in flight; the rest are skipped, not failed one by one
    assert not [line for line in said.splitlines() if not line.startswith(("desktop-ocr: ", "  "))], said
    written = sorted(out.glob("*.json"))
    assert 2 <= len(written) < 60
    for f in written:
        assert json.loads(f.read_text(encoding="utf-8"))["lines"], f


_CLOSED_UNDER_A_POLL = """
import sys, threading, time
import grpc
from grpc._cython import cygrpc
from desktop_ocr.jobs import cluster
if sys.argv[1] == "quiet":
    cluster.quiet_closed_channel_polls()
channel = grpc.insecure_channel("127.0.0.1:1")
channel.subscribe(lambda state: None, try_to_connect=True)  # gRPC starts its polling thread
time.sleep(0.3)
channel._channel.close(cygrpc.StatusCode.cancelled, "Channel closed!")  # what Ray Client's loss does
for thread in threading.enumerate():
    if thread is not threading.current_thread():
        thread.join(5)
threading.Thread(target=lambda: 1 / 0).start()  # any other thread's error is still printed
"""


def test_a_channel_closed_under_grpcs_poll_prints_no_traceback():
    """CI once showed, after a lost head's one message, the traceback of gRPC's connectivity-polling
    thread dying on the channel Ray Client had closed (ValueError: Cannot monitor channel state:
    Channel closed!). The same death, made here with real gRPC, prints nothing once the cluster
    module's hook is in, and other threads' errors still print."""
    said = {how: subprocess.run([sys.executable, "-c", _CLOSED_UNDER_A_POLL, how], capture_output=True, text=True,
                                env=_env(), cwd=REPO, timeout=60).stderr for how in ("plain", "quiet")}
    assert "Cannot monitor channel state: Channel closed!" in said["plain"], said  # the case is made
    assert "Channel closed" not in said["quiet"] and "_poll_connectivity" not in said["quiet"], said
    assert said["quiet"].count("Traceback") == 1 and "ZeroDivisionError" in said["quiet"], said


def test_unreachable_address_is_one_line(tmp_path, sources):
    port = _free_port()
    t0 = time.monotonic()
    done = cli(str(sources[0]), "--out", str(tmp_path / "out"), "--cluster", f"ray://127.0.0.1:{port}")
    assert time.monotonic() - t0 < 60  # not a hang (the connect gives up in seconds)
    assert done.returncode == 1
    assert done.stderr == f"desktop-ocr: cannot reach the Ray cluster at ray://127.0.0.1:{port}: Connection refused\n"
    assert not (tmp_path / "out" / "b-second.json").exists()


def test_a_port_that_answers_nothing_is_one_line(tmp_path, sources):
    """Something listens on the address but never speaks Ray Client: one line of ours, no warning
    of Ray's (with its source line) above it."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        done = cli(str(sources[0]), "--out", str(tmp_path / "out"), "--cluster", f"ray://127.0.0.1:{port}")
    assert done.returncode == 1
    assert done.stderr.startswith(f"desktop-ocr: cannot connect to the Ray cluster at ray://127.0.0.1:{port}: ")
    assert done.stderr.count("\n") == 1, done.stderr
    assert "RAY_AUTH_MODE" not in done.stderr  # no token on this (fresh) machine: no hint about one


@pytest.mark.slow
def test_a_head_that_requires_a_token_is_named_and_the_hint_reaches_it(tmp_path, sources):
    """A head started where a Ray token is kept (any Ray started on the machine leaves one in
    ~/.ray/auth_token) requires it of every client, and Ray Client sends it only with
    RAY_AUTH_MODE=token: without it the connection timed out with nothing more to go on. Now the one
    line says a token is there and what to set; set, the same batch runs. The token is not shown."""
    home = tmp_path / "home"
    (home / ".ray").mkdir(parents=True)
    token = secrets.token_hex(32)
    (home / ".ray" / "auth_token").write_text(token, encoding="utf-8")
    with _head(HOME=str(home)) as (client, _, _proc):
        refused = cli(str(sources[0]), "--out", str(tmp_path / "out"), "--cluster", client, "--workers", "1",
                      env=_env(HOME=str(home)))
        assert refused.returncode == 1
        assert refused.stderr.startswith(f"desktop-ocr: cannot connect to the Ray cluster at {client}: ")
        assert refused.stderr.endswith("if the cluster uses token authentication, set RAY_AUTH_MODE=token so that "
                                       "Ray sends it\n"), refused.stderr
        assert refused.stderr.count("\n") == 1 and token not in refused.stderr
        assert not (tmp_path / "out" / "b-second.txt").exists()
        done = cli(str(sources[0]), "--out", str(tmp_path / "out"), "--cluster", client, "--workers", "1",
                   "-f", "text", env=_env(HOME=str(home), RAY_AUTH_MODE="token"))
        assert done.returncode == 0, done.stderr + _head_state(_proc)
    assert (tmp_path / "out" / "b-second.txt").read_text(encoding="utf-8").replace(" ", "") == "第二张Second2\n"


def test_without_ray_the_cluster_extra_is_named(tmp_path, sources):
    code = ("import sys; sys.modules['ray'] = None\n"
            "from desktop_ocr.cli import main\n"
            f"sys.exit(main(['recognize', {str(sources[0])!r}, '--out', {str(tmp_path / 'out')!r}, "
            "'--cluster', 'auto']))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_env(), cwd=REPO,
                          timeout=60)
    assert done.returncode == 2
    assert done.stderr == "desktop-ocr: --cluster needs Ray: pip install 'desktop-ocr[cluster]'\n"


@pytest.mark.parametrize("extra, message", [
    ([], "desktop-ocr: --cluster runs a batch: give --out DIR\n"),
    (["--out", "OUT", "--backend", "aws"], "desktop-ocr: --cluster runs the local engine on the cluster's workers; "
                                            "the aws backend is not run there (leave --cluster out)\n"),
])
def test_cluster_usage_errors(capsys, tmp_path, sources, extra, message):
    extra = [str(tmp_path / "o") if a == "OUT" else a for a in extra]
    assert main(["recognize", str(sources[0]), "--cluster", "auto", *extra]) == 2
    assert capsys.readouterr().err == message


def test_cluster_address_must_be_ray_or_auto(capsys, tmp_path, sources):
    assert main(["recognize", str(sources[0]), "--out", str(tmp_path / "o"), "--cluster", "http://x:1"]) == 2
    assert capsys.readouterr().err.startswith("desktop-ocr: --cluster http://x:1: give ray://HOST:PORT")
