"""Issue #12 (hardening), the command line and the file system: symlink loops, file names that are not
UTF-8, devices and named pipes, outputs that cannot be written, file modes, results that already exist.

Driven through main([...]) with the real engine, and as real processes where the fault lives in the
process itself (stdout on /dev/full or closed, a file-size limit, a hang)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import resource
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_ocr import cli
from desktop_ocr.cli import main
from desktop_ocr.core.atomic import write_atomic
from desktop_ocr.core.sources import expand_sources, list_folder
from tests.drawing import render_lines, to_png_bytes
from tests.outputs import listing

GBK = b"\xd6\xd0\xce\xc4"  # "中文" in GBK: not valid UTF-8
GBK_SHOWN = r"\xd6\xd0\xce\xc4"  # how messages and the json "source" show it
GBK_STEM = "%D6%D0%CE%C4"  # how an output file name carries it


@pytest.fixture
def real_engine(engine, monkeypatch):
    """main() builds a fresh LocalEngine per run (seconds of model loading); hand it the session's
    warmed one instead (as tests/test_cli.py does). The real-process tests build their own."""
    monkeypatch.setattr(cli, "build_recognizer", lambda args: engine)
    return engine


@pytest.fixture(scope="module")
def png() -> bytes:
    return to_png_bytes(render_lines(["发票号码 20240517", "Total Amount 88.50"], font_size=36))


def run(capsys, argv: list[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def _env() -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONWARNINGS", None)
    return env


def run_process(args: list[str], **kw) -> subprocess.CompletedProcess:
    """`python -m desktop_ocr ARGS` as a real process; the timeout only keeps a hang from stalling
    the suite (a hang fails the test), nothing is timed."""
    kw.setdefault("stdout", subprocess.PIPE)
    kw.setdefault("stderr", subprocess.PIPE)
    return subprocess.run([sys.executable, "-m", "desktop_ocr", *args], env=_env(), timeout=120, **kw)


def no_traceback(err: str) -> None:
    assert "Traceback" not in err and "Exception ignored" not in err, err


@contextlib.contextmanager
def read_only_folder(folder: Path):
    """A folder nothing can be created in: chmod for a normal user; root ignores modes, so for root
    the immutable attribute (ext4 and friends), or skip."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    chattr = shutil.which("chattr")
    if not chattr or subprocess.run([chattr, "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("running as root and the folder cannot be made immutable here")
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(folder)], check=True)


# -- 1. symlink loops ------------------------------------------------------------------------------

def test_symlink_loop_in_a_source_folder_fails_alone(capsys, real_engine, tmp_path, png):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.png").write_bytes(png)
    (src / "b.png").symlink_to("b.png")  # points at itself
    (src / "c.png").write_bytes(png)
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, ["recognize", str(src), "--out", str(out_dir)])
    no_traceback(err)
    assert (code, out) == (1, "")
    assert sorted(p.name for p in listing(out_dir)) == ["a.json", "c.json"]
    loop = src / "b.png"
    assert f"desktop-ocr: [2/3] {loop} FAILED: is a symbolic link loop (it points back to itself)\n" in err
    assert f"\n  {loop}: is a symbolic link loop (it points back to itself)\n" in err
    assert "done: 2 ok, 1 failed" in err.splitlines()[-1]


def test_symlink_loop_named_as_source_and_as_out(capsys, real_engine, tmp_path, png):
    loop = tmp_path / "loop.png"
    loop.symlink_to(loop.name)
    code, out, err = run(capsys, ["recognize", str(loop)])
    no_traceback(err)
    assert (code, out, err) == (1, "", f"desktop-ocr: {loop}: is a symbolic link loop (it points back to itself)\n")

    (tmp_path / "a.png").write_bytes(png)
    out_loop = tmp_path / "results"
    out_loop.symlink_to(out_loop.name)
    code, out, err = run(capsys, ["recognize", str(tmp_path / "a.png"), "--out", str(out_loop)])
    no_traceback(err)
    assert (code, out) == (3, "")
    assert err == f"desktop-ocr: --out: {out_loop} is a symbolic link loop; nothing was recognised\n"


# -- 2. file names that are not UTF-8 ----------------------------------------------------------------

def test_gbk_file_name_to_stdout(capsys, real_engine, tmp_path, png):
    path = os.fsdecode(os.fsencode(tmp_path) + b"/" + GBK + b".png")
    Path(path).write_bytes(png)
    code, out, err = run(capsys, ["recognize", path])
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert doc["source"] == f"{tmp_path}/{GBK_SHOWN}.png"
    assert "Total Amount 88.50" in [line["text"] for line in doc["lines"]]


def test_gbk_file_names_in_a_batch(capsys, real_engine, tmp_path, png):
    src = os.fsencode(tmp_path / "in")
    os.mkdir(src)
    with open(src + b"/" + GBK + b".png", "wb") as fh:
        fh.write(png)
    with open(src + b"/" + GBK + b"-broken.png", "wb") as fh:
        fh.write(b"not an image")
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, ["recognize", os.fsdecode(src), "--out", str(out_dir), "--format", "json"])
    no_traceback(err)
    assert (code, out) == (1, "")
    assert [p.name for p in listing(out_dir)] == [f"{GBK_STEM}.json"]
    doc = json.loads((out_dir / f"{GBK_STEM}.json").read_text(encoding="utf-8"))
    assert doc["source"] == f"{tmp_path}/in/{GBK_SHOWN}.png" and doc["lines"]
    shown_in = f"{tmp_path}/in/{GBK_SHOWN}"
    assert f"] {shown_in}.png -> {out_dir}/{GBK_STEM}.json  " in err
    assert f"] {shown_in}-broken.png FAILED: the file is not a supported image" in err
    assert "\udcd6" not in err  # no surrogate escapes: every line encodes as UTF-8
    err.encode("utf-8")


def test_a_newline_in_a_file_name_keeps_one_line_per_failure(capsys, real_engine, tmp_path, png):
    (tmp_path / "a.png").write_bytes(png)
    (tmp_path / "bad\nname.png").write_bytes(b"not an image")
    code, out, err = run(capsys, ["recognize", str(tmp_path), "--out", str(tmp_path / "out"), "-q"])
    assert code == 1
    lines = err.splitlines()
    assert lines[1] == f"  {tmp_path}/bad\\x0aname.png: the file is not a supported image ({_supported()})"
    assert len(lines) == 3 and lines[2].startswith("desktop-ocr: done: 1 ok, 1 failed")


def _supported() -> str:
    from desktop_ocr.core.sources import SUPPORTED_TEXT

    return SUPPORTED_TEXT


# -- 3. devices, named pipes, sockets, stdin -------------------------------------------------------------

def test_devices_and_pipes_are_never_listed_or_passed_on(tmp_path, png):
    (tmp_path / "a.png").write_bytes(png)
    os.mkfifo(tmp_path / "pipe.png")
    assert list_folder(tmp_path) == [tmp_path / "a.png"]
    entries = expand_sources([str(tmp_path / "pipe.png"), "/dev/zero", str(tmp_path)])
    assert [(e.key, str(e)) for e in entries[:2]] == [
        ("unsupported_source.fifo", f"{tmp_path / 'pipe.png'}: is a named pipe (FIFO), not a file; to read a pipe, "
                                    "give '-' and pipe the image into stdin"),
        ("unsupported_source.device", "/dev/zero: is a device, not a file"),
    ]
    assert entries[2:] == [str(tmp_path / "a.png")]


def test_a_named_pipe_in_a_folder_does_not_hang_the_batch(tmp_path, png):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.png").write_bytes(png)
    os.mkfifo(src / "b.png")  # nobody ever writes into it
    out_dir = tmp_path / "out"
    proc = run_process(["recognize", str(src), "--out", str(out_dir), "-q"])
    err = proc.stderr.decode("utf-8")
    no_traceback(err)
    assert proc.returncode == 0, err
    assert [p.name for p in listing(out_dir)] == ["a.json"]


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_named_pipe_or_device_as_source_is_refused_unopened(tmp_path, kind):
    if kind == "fifo":
        source = tmp_path / "scan.png"
        os.mkfifo(source)
        message = "is a named pipe (FIFO), not a file; to read a pipe, give '-' and pipe the image into stdin"
    else:
        source, message = Path("/dev/zero"), "is a device, not a file"  # size 0, endless: never read

    def limit_memory():  # should /dev/zero be read after all, fail fast instead of filling the machine
        resource.setrlimit(resource.RLIMIT_AS, (6 << 30, 6 << 30))

    proc = run_process(["recognize", str(source)], preexec_fn=limit_memory)
    err = proc.stderr.decode("utf-8")
    assert (proc.returncode, proc.stdout, err) == (1, b"", f"desktop-ocr: {source}: {message}\n")


def test_stdin_closed_is_one_line(tmp_path):
    proc = run_process(["recognize", "-"], preexec_fn=lambda: os.close(0))
    err = proc.stderr.decode("utf-8")
    assert (proc.returncode, err) == (1, "desktop-ocr: <stdin>: stdin is closed: there is nothing to read\n")


# -- 4. outputs that cannot be written ----------------------------------------------------------------------

def test_out_not_writable_fails_before_recognising(capsys, real_engine, tmp_path, png):
    (tmp_path / "a.png").write_bytes(png)
    (tmp_path / "b.png").write_bytes(png)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    with read_only_folder(out_dir):
        code, out, err = run(capsys, ["recognize", str(tmp_path / "a.png"), str(tmp_path / "b.png"),
                                      "--out", str(out_dir)])
    no_traceback(err)
    assert (code, out) == (3, "")
    # the only line: no "engine ready", no progress, nothing recognised
    assert err == (f"desktop-ocr: --out: cannot write into the folder {out_dir}: permission denied; "
                   "nothing was recognised\n")
    assert list(listing(out_dir)) == []


def test_a_folder_where_the_output_file_goes(capsys, real_engine, tmp_path, png):
    (tmp_path / "a.png").write_bytes(png)
    (tmp_path / "b.png").write_bytes(png)
    out_dir = tmp_path / "out"
    (out_dir / "a.json").mkdir(parents=True)
    for extra in ([], ["--overwrite"]):  # a folder is never replaced
        code, out, err = run(capsys, ["recognize", str(tmp_path / "a.png"), str(tmp_path / "b.png"),
                                      "--out", str(out_dir), *extra])
        no_traceback(err)
        assert (code, out) == (1, "")
        assert (f"desktop-ocr: [1/2] {tmp_path / 'a.png'} FAILED: {out_dir / 'a.json'} is a folder; the result "
                "cannot be written there\n") in err
        assert "done: 1 ok, 1 failed" in err.splitlines()[-1]
        assert (out_dir / "a.json").is_dir() and json.loads((out_dir / "b.json").read_text(encoding="utf-8"))
        (out_dir / "b.json").unlink()


def test_stdout_on_a_full_device(tmp_path, png):
    (tmp_path / "a.png").write_bytes(png)
    with open("/dev/full", "wb") as full:
        proc = run_process(["recognize", str(tmp_path / "a.png")], stdout=full)
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 3
    assert err == f"desktop-ocr: {tmp_path / 'a.png'}: cannot write the result to stdout: No space left on device\n"


def test_stdout_closed(tmp_path, png):
    (tmp_path / "a.png").write_bytes(png)
    proc = run_process(["recognize", str(tmp_path / "a.png")], preexec_fn=lambda: os.close(1))
    err = proc.stderr.decode("utf-8")
    assert (proc.returncode, err) == (
        3, f"desktop-ocr: {tmp_path / 'a.png'}: cannot write the result to stdout: stdout is closed\n")


def test_output_device_full_stops_the_batch(tmp_path, png):
    """A write that fails for the device (here the file-size limit, EFBIG, as a full disk fails with
    ENOSPC) stops the batch: one failure, the rest skipped, exit status 3, no temp file left."""
    names = ["a.png", "b.png", "c.png"]
    for name in names:
        (tmp_path / name).write_bytes(png)
    out_dir = tmp_path / "out"

    def small_files():
        resource.setrlimit(resource.RLIMIT_FSIZE, (256, 256))

    proc = run_process(["recognize", *(str(tmp_path / n) for n in names), "--out", str(out_dir)],
                       preexec_fn=small_files)
    err = proc.stderr.decode("utf-8")
    no_traceback(err)
    assert proc.returncode == 3, err
    assert list(listing(out_dir)) == []
    # the first write of the batch is the resume record's line for a.png's page (before a.json)
    why = f"cannot write {out_dir / '.desktop-ocr-batch.jsonl'}: the file size limit was reached"
    assert f"desktop-ocr: [1/3] {tmp_path / 'a.png'} FAILED: {why}\n" in err
    assert "[2/3]" not in err and "[3/3]" not in err
    assert (f"desktop-ocr: stopped: {why}; nothing more can be written, so the 2 sources after it were "
            "skipped\n") in err
    assert re.search(r"desktop-ocr: done: 0 ok, 1 failed, 2 skipped, ", err.splitlines()[-1])


# -- 5. file modes, read-only outputs ----------------------------------------------------------------

@contextlib.contextmanager
def umask(mask: int):
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
def test_outputs_get_the_mode_open_would_give(capsys, real_engine, tmp_path, png, mask):
    (tmp_path / "a.png").write_bytes(png)
    with umask(mask):
        code, _, _ = run(capsys, ["recognize", str(tmp_path / "a.png"), "--out", str(tmp_path / "out"), "-q"])
        plain = tmp_path / "plain.txt"
        plain.write_text("x")  # what every other tool gets
    assert code == 0
    assert stat.S_IMODE((tmp_path / "out" / "a.json").stat().st_mode) == 0o666 & ~mask
    assert stat.S_IMODE((tmp_path / "out" / "a.json").stat().st_mode) == stat.S_IMODE(plain.stat().st_mode)


def test_write_atomic_keeps_the_mode_of_the_file_it_replaces(tmp_path):
    target = tmp_path / "result.json"
    with umask(0o022):
        write_atomic(target, "first")
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
        target.chmod(0o640)
        write_atomic(target, "second")
    assert target.read_text() == "second" and stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["result.json"]


def test_a_read_only_output_is_replaced_only_with_overwrite(capsys, real_engine, tmp_path, png):
    (tmp_path / "a.png").write_bytes(png)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    kept = out_dir / "a.json"
    kept.write_text("keep me")
    kept.chmod(0o444)
    code, out, err = run(capsys, ["recognize", str(tmp_path / "a.png"), "--out", str(out_dir)])
    no_traceback(err)
    assert (code, out) == (1, "") and kept.read_text() == "keep me"
    assert (f"desktop-ocr: [1/1] {tmp_path / 'a.png'} FAILED: {kept} already exists; it was not replaced "
            "(give --overwrite to replace it)\n") in err
    assert "engine ready" not in err and "-> " not in err  # refused up front: nothing loaded or recognised

    code, out, err = run(capsys, ["recognize", str(tmp_path / "a.png"), "--out", str(out_dir), "--overwrite"])
    assert (code, out) == (0, "")
    assert json.loads(kept.read_text(encoding="utf-8"))["lines"]
    assert stat.S_IMODE(kept.stat().st_mode) == 0o444  # replaced, its mode kept


# -- 6. several runs into one --out ----------------------------------------------------------------------

def test_a_second_run_into_the_same_out_does_not_overwrite_the_first(capsys, real_engine, tmp_path, png):
    first, second = tmp_path / "monday" / "scan.png", tmp_path / "tuesday" / "scan.png"
    first.parent.mkdir()
    second.parent.mkdir()
    first.write_bytes(png)
    second.write_bytes(to_png_bytes(render_lines(["第二张 Second 2"], font_size=36)))
    out_dir = tmp_path / "out"
    assert run(capsys, ["recognize", str(first), "--out", str(out_dir), "-q"])[0] == 0
    code, _, err = run(capsys, ["recognize", str(second), "--out", str(out_dir), "-q"])
    assert code == 1
    assert f"  {second}: {out_dir / 'scan.json'} already exists; it was not replaced (give --overwrite" in err
    assert json.loads((out_dir / "scan.json").read_text(encoding="utf-8"))["source"] == str(first)
    help_text = " ".join(cli.build_recognize_parser().format_help().split())
    assert "--overwrite" in help_text and "never replaced" in help_text
    assert "3 the results cannot be written" in help_text


def test_write_atomic_never_replaces_without_overwrite(tmp_path):
    """The file is claimed atomically: one created by another run after the names were chosen is
    not replaced either."""
    from desktop_ocr.core.errors import WriteFailed

    target = tmp_path / "scan.json"
    target.write_text("the other run's result")
    with pytest.raises(WriteFailed) as info:
        write_atomic(target, "ours", overwrite=False)
    assert info.value.key == "write_failed.exists" and info.value.params == {"path": str(target)}
    assert target.read_text() == "the other run's result"
    assert [p.name for p in tmp_path.iterdir()] == ["scan.json"]  # no temp file left
    write_atomic(tmp_path / "new.json", "ours", overwrite=False)
    assert (tmp_path / "new.json").read_text() == "ours"
