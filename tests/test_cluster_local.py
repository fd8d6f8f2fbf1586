"""``recognize --out DIR --cluster auto`` where no Ray runs: the command line starts a Ray in its own
process, says nothing of Ray's own, and stops it at the end. A module of its own, so that the head
tests/test_cluster.py starts for its tests is gone by then: ``auto`` joins any Ray it finds running
on the machine, whatever its temp folder, and before this module existed the test here joined that
head and never started a Ray (so it missed Ray's token-authentication notice, printed with a
timestamp before the first line of ours)."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import pytest

from tests.drawing import render_lines, to_png_bytes
from tests.test_cluster import _env, cli

pytest.importorskip("ray", reason="Ray is not installed: pip install -e '.[cluster]' (the cluster extra)")


def _a_ray_runs() -> bool:
    """Whether a Ray's GCS server runs on this machine (what ``auto`` would join)."""
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if b"gcs_server" in cmdline.read_bytes():
                return True
        except OSError:  # a process that ended meanwhile
            continue
    return False


def test_auto_without_a_running_ray_starts_one_and_says_only_ours(tmp_path):
    if _a_ray_runs():
        pytest.skip("a Ray runs on this machine: `--cluster auto` would join it instead of starting one")
    page = tmp_path / "b-second.png"
    page.write_bytes(to_png_bytes(render_lines(["第二张 Second 2"], font_size=32)))
    home = tmp_path / "home"  # where the Ray started here leaves its authentication token
    home.mkdir()
    temp = tempfile.mkdtemp(prefix="ocr-ray-", dir="/tmp")  # short: Ray's socket paths must stay < 108 bytes
    try:
        done = cli(str(page), "--out", str(tmp_path / "out"), "--cluster", "auto", "--workers", "1",
                   "-f", "text", env=_env(RAY_TMPDIR=temp, HOME=str(home)))
        started = any(Path(temp).glob("**/session_*"))  # a Ray was started with this temp folder, not joined
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert lines[0].startswith("desktop-ocr: cluster ready in ") and lines[0].endswith(" (1 worker); 1 source")
    assert all(line.startswith("desktop-ocr: ") for line in lines), done.stderr  # none of Ray's own
    assert started
    assert (tmp_path / "out" / "b-second.txt").read_text(encoding="utf-8").replace(" ", "") == "第二张Second2\n"
    deadline = time.monotonic() + 30
    while _a_ray_runs() and time.monotonic() < deadline:  # its processes end after the command's
        time.sleep(0.5)
    assert not _a_ray_runs()  # and stopped at the end
