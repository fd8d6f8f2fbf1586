"""The batch path: core.batch (decoding ahead, several recognisers, results in order) and the CLI's
``recognize --out DIR --workers N`` on top of it, with the real engine and images drawn here."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
from contextlib import closing
from pathlib import Path

import pytest

from desktop_ocr.cli import main
from desktop_ocr.core.batch import AHEAD_PER_RECOGNIZER, recognize_in_order
from desktop_ocr.core.errors import OcrError
from desktop_ocr.core.image import LoadedImage
from desktop_ocr.core.model import OcrResult
from desktop_ocr.core.recognizer import RecognizeOptions
from tests.drawing import render_lines, rgb_array, to_png_bytes
from tests.outputs import listing

#: the sources in the order given on the command line (deliberately not alphabetical); the first is
#: a long page, so with two workers the short ones after it finish first
PAGES = {
    "d-long.png": [f"第{k}行 Line {k} amount {k * 11}.50" for k in range(1, 13)],
    "b-second.png": ["第二张 Second 2"],
    "a-third.png": ["Third page 333", "第三张"],
    "c-fourth.png": ["发票号码 20240517"],
    "e-fifth.png": ["Total Amount 88.50"],
}
BROKEN = "x-broken.png"  # given third: fails alone


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("batch-in")
    paths = []
    for name, lines in PAGES.items():
        f = folder / name
        f.write_bytes(to_png_bytes(render_lines(lines, font_size=32)))
        paths.append(f)
    broken = folder / BROKEN
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"not really a png" * 8)
    paths.insert(2, broken)
    return paths


def run_batch(capsys, sources: list[Path], out_dir: Path, workers: int) -> tuple[int, str]:
    code = main(["recognize", *map(str, sources), "--out", str(out_dir), "--workers", str(workers)])
    out, err = capsys.readouterr()
    assert out == ""  # a batch writes files, never stdout
    return code, err


def texts(out_file: Path) -> list[str]:
    return [line["text"] for line in json.loads(out_file.read_text(encoding="utf-8"))["lines"]]


@pytest.mark.parametrize("workers", [1, 2])
def test_batch_writes_every_source_in_order(capsys, tmp_path, sources, workers):
    out_dir = tmp_path / "out"
    code, err = run_batch(capsys, sources, out_dir, workers)
    assert code == 1  # the broken file
    good = [p for p in sources if p.name != BROKEN]
    assert sorted(p.name for p in listing(out_dir)) == sorted(f"{p.stem}.json" for p in good)
    for p in good:
        got = texts(out_dir / f"{p.stem}.json")
        assert [t.replace(" ", "") for t in got] == [t.replace(" ", "") for t in PAGES[p.name]], p.name
    lines = err.splitlines()
    ready = "desktop-ocr: engine ready in "
    assert lines[0].startswith(ready) and lines[0].endswith(f"; {len(sources)} sources")
    assert ("(2 workers)" in lines[0]) == (workers == 2)
    # one progress line per source, in source order, whatever order the workers finished in
    progress = [ln for ln in lines if re.match(r"desktop-ocr: \[\d+/\d+\] ", ln)]
    assert [ln.split("] ", 1)[1].split(" ")[0] for ln in progress] == [str(p) for p in sources]
    assert [ln.split("]")[0].split("[")[1] for ln in progress] == [f"{i}/6" for i in range(1, 7)]
    broken = sources[2]
    assert progress[2].startswith(f"desktop-ocr: [3/6] {broken} FAILED: the file looks like a PNG image")
    for ln, p in zip(progress[:2] + progress[3:], good):
        assert re.fullmatch(rf"desktop-ocr: \[\d/6\] {re.escape(str(p))} -> {re.escape(str(out_dir / p.stem))}"
                            r"\.json  \d+\.\d s, \d+ lines?", ln), ln
    assert "1 source failed; nothing was written for it:" in err
    assert f"\n  {broken}: " in err  # the closing list names it
    assert re.fullmatch(r"desktop-ocr: done: 5 ok, 1 failed, \d+\.\d s total, \d+\.\d\d s per image, "
                        rf"\d+\.\d images/min; output in {re.escape(str(out_dir))}", lines[-1]), lines[-1]
    assert not [p for p in listing(out_dir) if p.name.startswith(".")]  # no temp files left


def test_one_and_two_workers_write_the_same_text(capsys, tmp_path, sources):
    outputs = {}
    for workers in (1, 2):
        out_dir = tmp_path / f"w{workers}"
        code = main(["recognize", *map(str, sources), "--out", str(out_dir), "--workers", str(workers),
                     "--format", "text", "-q"])
        assert code == 1
        outputs[workers] = {p.name: p.read_text(encoding="utf-8") for p in listing(out_dir)}
    capsys.readouterr()
    assert len(outputs[1]) == 5 and outputs[1] == outputs[2]


def test_the_broken_message_is_the_one_of_a_single_run(capsys, tmp_path, sources):
    """A source that fails in a batch of two workers fails with the message it gets on its own."""
    broken = sources[2]
    assert main(["recognize", str(broken)]) == 1
    alone = capsys.readouterr().err.strip().removeprefix(f"desktop-ocr: {broken}: ")
    code, err = run_batch(capsys, sources, tmp_path / "out", 2)
    assert code == 1 and f"desktop-ocr: [3/6] {broken} FAILED: {alone}\n" in err and f"\n  {broken}: {alone}\n" in err


def test_workers_refused_for_a_cloud_backend(capsys, tmp_path, sources):
    code = main(["recognize", str(sources[0]), "--out", str(tmp_path / "o"), "--backend", "aws", "--workers", "2"])
    _, err = capsys.readouterr()
    assert code == 2 and not (tmp_path / "o").exists()
    assert err == ("desktop-ocr: --workers 2: only the local engine runs several instances; the aws backend "
                   "recognises one image at a time (leave --workers out)\n")


@pytest.mark.parametrize("value", ["0", "two"])
def test_workers_must_be_a_positive_number(capsys, value):
    assert main(["recognize", "a.png", "--workers", value]) == 2
    assert "--workers" in capsys.readouterr().err


# -- core.batch on its own ---------------------------------------------------------------------------

class Unreadable(OcrError):
    pass


def test_generator_keeps_order_and_fails_one_item_alone(engine):
    drawn = {"one": "First line 111", "two": None, "three": "第三行 333", "four": "Fourth 4444"}
    loaded_on: list[str] = []

    def load(name: str) -> LoadedImage:
        loaded_on.append(threading.current_thread().name)
        text = drawn[name]
        if text is None:
            raise Unreadable(f"{name} cannot be read", source=name)
        return LoadedImage(rgb_array(render_lines([text], font_size=36)).copy(), source=name)

    got = list(recognize_in_order(list(drawn), load, [engine], RecognizeOptions(detect_rotation=False)))
    assert [(b.index, b.item) for b in got] == list(enumerate(drawn))
    assert isinstance(got[1].outcome, Unreadable) and got[1].outcome.message == "two cannot be read"
    assert got[1].recognize_seconds == 0.0
    for b in (got[0], got[2], got[3]):
        assert isinstance(b.outcome, OcrResult), b.outcome
        assert [ln.text.replace(" ", "") for ln in b.outcome.lines] == [str(drawn[b.item]).replace(" ", "")]
        assert b.outcome.source == b.item and b.load_seconds > 0 and b.recognize_seconds > 0
    # decoding ran on the loader thread, beside the caller and the recogniser
    assert set(loaded_on) == {"batch-load"}


def test_generator_stops_loading_when_closed(engine):
    """Memory stays bounded and closing stops the work: after the first result is taken and the
    generator closed, the loader has started at most the look-ahead window, not the 40 items."""
    page = rgb_array(render_lines(["Same page 42"], font_size=36))
    loaded: list[int] = []

    def load(i: int) -> LoadedImage:
        loaded.append(i)
        return LoadedImage(page.copy(), source=str(i))

    with closing(recognize_in_order(range(40), load, [engine], lookahead=1)) as results:
        first = next(results)
    assert first.index == 0 and isinstance(first.outcome, OcrResult)
    assert loaded == list(range(len(loaded)))  # in order
    assert len(loaded) <= 1 + AHEAD_PER_RECOGNIZER * 1 + 1
    assert not [t for t in threading.enumerate() if t.name.startswith("batch-recognize")]  # joined


def test_generator_needs_a_recognizer():
    with pytest.raises(ValueError):
        recognize_in_order([1], lambda i: LoadedImage(rgb_array(render_lines(["x"]))), [])


# -- Ctrl-C in a real process ---------------------------------------------------------------------------

def test_interrupt_reports_and_leaves_complete_files(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    png = to_png_bytes(render_lines([f"第{k}行 Line {k} amount {k * 7}.25" for k in range(1, 9)], font_size=30))
    for i in range(40):
        (folder / f"page{i:02d}.png").write_bytes(png)
    out_dir = tmp_path / "out"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.Popen([sys.executable, "-m", "desktop_ocr", "recognize", str(folder), "--out", str(out_dir),
                             "--workers", "2"], stderr=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
    assert proc.stderr is not None
    seen = []
    for raw in proc.stderr:
        seen.append(raw.decode("utf-8"))
        if "[2/40]" in seen[-1]:
            proc.send_signal(signal.SIGINT)
            break
    _, rest = proc.communicate(timeout=120)
    err = "".join(seen) + rest.decode("utf-8")
    code = proc.returncode
    assert code == 130, err
    last = err.strip().splitlines()[-1]
    m = re.fullmatch(r"desktop-ocr: interrupted after (\d+) of 40; files written so far are complete"
                     r" and the batch record keeps every finished page: run again with --resume to go on", last)
    assert m, err
    written = sorted(listing(out_dir))
    assert len(written) == int(m.group(1)) and len(written) < 40
    for f in written:  # whole files only
        assert "Line 8" in " ".join(texts(f))

