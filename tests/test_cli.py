"""The command line, driven in-process through main([...]) with the real engine, and as a real process."""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from desktop_ocr import __version__, cli
from desktop_ocr.cli import main
from desktop_ocr.core.document import ALL
from desktop_ocr.core.naming import output_stem
from desktop_ocr.jobs.plan import plan
from tests.drawing import render_lines, to_png_bytes
from tests.outputs import listing

REPO = Path(__file__).resolve().parent.parent
EXE = REPO / ".venv" / "bin" / "desktop-ocr"


@pytest.fixture
def real_engine(engine, monkeypatch):
    """main() builds a fresh LocalEngine per run (seconds of model loading); hand it the session's
    warmed one instead. The subprocess tests below cover the real construction path."""
    monkeypatch.setattr(cli, "build_recognizer", lambda args: engine)
    return engine


@pytest.fixture(scope="module")
def invoice_png(tmp_path_factory) -> Path:
    f = tmp_path_factory.mktemp("img") / "发票.png"
    f.write_bytes(to_png_bytes(render_lines(["发票号码 20240517", "Total Amount 88.50"], font_size=36)))
    return f


def texts_of(doc: dict) -> str:
    return " ".join(line["text"] for line in doc["lines"])


def run(capsys, argv: list[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


# -- one source to stdout ---------------------------------------------------------------------------

def test_single_source_prints_json_and_nothing_else(capsys, real_engine, invoice_png):
    code, out, err = run(capsys, ["recognize", str(invoice_png)])
    assert code == 0 and err == ""
    doc = json.loads(out)
    assert doc["schema"] == "desktop_ocr.result" and doc["source"] == str(invoice_png)
    assert "20240517" in texts_of(doc) and "Total Amount" in texts_of(doc)


@pytest.mark.parametrize("fmt", ["aws", "tencent", "tencent-legacy", "huawei", "text"])
def test_every_format_to_stdout(capsys, real_engine, invoice_png, fmt):
    code, out, err = run(capsys, ["recognize", str(invoice_png), "--format", fmt, "--chars"])
    assert code == 0 and err == ""
    if fmt == "text":
        assert out.splitlines()[0] == "发票号码 20240517" and "Total Amount 88.50" in out
        return
    doc = json.loads(out)
    if fmt == "aws":
        words = [d["words"] for d in doc]
        assert set(doc[0]) == {"words", "location", "score"} and "Total Amount 88.50" in words
    elif fmt == "tencent":
        dets = doc["Response"]["TextDetections"]
        assert [d["DetectedText"] for d in dets][1] == "Total Amount 88.50" and dets[0]["Words"]  # --chars
    elif fmt == "tencent-legacy":
        assert doc["code"] == 0 and doc["data"]["items"][1]["itemstring"] == "Total Amount 88.50"
    else:
        assert doc["result"]["words_block_count"] == 2
        assert doc["result"]["words_block_list"][1]["words"] == "Total Amount 88.50"


def test_avif_photo_from_a_browser(capsys, real_engine, tmp_path):
    from desktop_ocr.core.sources import HAVE_AVIF
    if not HAVE_AVIF:
        pytest.skip("this Pillow has no libavif")
    f = tmp_path / "收据.avif"
    render_lines(["发票号码 20240517", "Total Amount 88.50"], font_size=36).save(f, format="AVIF", quality=85)
    code, out, err = run(capsys, ["recognize", str(f), "--format", "text"])
    assert (code, err) == (0, "")
    assert out.splitlines() == ["发票号码 20240517", "Total Amount 88.50"]


def test_blank_page_gives_an_empty_answer_and_a_note(capsys, real_engine, tmp_path):
    blank = tmp_path / "blank.png"
    Image.new("RGB", (300, 200), "white").save(blank)
    code, out, err = run(capsys, ["recognize", str(blank), "--format", "huawei"])
    assert code == 0 and err == f"desktop-ocr: {blank}: no text found\n"
    assert json.loads(out)["result"]["words_block_count"] == 0


def test_stdin(capsys, real_engine, invoice_png, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(invoice_png.read_bytes())))
    code, out, err = run(capsys, ["recognize", "-", "--format", "json"])
    assert code == 0 and err == ""
    doc = json.loads(out)
    assert doc["source"] == "<stdin>" and "20240517" in texts_of(doc)


def test_stdin_empty(capsys, real_engine, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    code, out, err = run(capsys, ["recognize", "-"])
    assert code == 1 and out == "" and err == "desktop-ocr: <stdin>: the data is empty\n"


def test_pdf_page_option(capsys, real_engine, tmp_path):
    pages = [render_lines([s], font_size=40) for s in ("第一页 PAGE ONE", "第二页 PAGE TWO")]
    f = tmp_path / "两页.pdf"
    pages[0].save(f, format="PDF", save_all=True, append_images=pages[1:], resolution=200.0)
    code, out, _ = run(capsys, ["recognize", str(f), "--pdf-page", "2", "--format", "text"])
    assert code == 0 and "PAGE TWO" in out and "PAGE ONE" not in out
    code, out, err = run(capsys, ["recognize", str(f), "--pdf-page", "3"])
    assert code == 1 and out == ""
    assert err == f"desktop-ocr: {f}: page 3 was asked for but the PDF has only 2 pages\n"


def test_single_source_failure_vendor_format(capsys, real_engine, tmp_path):
    bad = tmp_path / "scan.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    code, out, err = run(capsys, ["recognize", str(bad), "--format", "huawei"])
    assert code == 1 and out == ""
    assert err.startswith(f"desktop-ocr: {bad}: the file looks like a PNG image")


def test_unreachable_url(capsys, real_engine):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/receipt.jpg"
    code, out, err = run(capsys, ["recognize", url, "--timeout", "2"])
    assert code == 1 and out == ""
    assert err.startswith(f"desktop-ocr: {url}: cannot connect: ") and "refused" in err


def test_missing_file(capsys, real_engine, tmp_path):
    code, out, err = run(capsys, ["recognize", str(tmp_path / "nope.jpg")])
    assert (code, out) == (1, "") and err == f"desktop-ocr: {tmp_path / 'nope.jpg'}: no such file or folder\n"


# -- batches into --out -------------------------------------------------------------------------------

def test_folder_batch_with_a_corrupt_file(capsys, real_engine, tmp_path, invoice_png):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "a.png").write_bytes(invoice_png.read_bytes())
    (src / "sub" / "b.jpg").write_bytes(_jpeg(render_lines(["第二张 Second 2"], font_size=36)))
    (src / "broken.png").write_bytes(b"this is not an image at all")
    (src / "readme.txt").write_text("ignored: not an image extension")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "broken.json").write_text("[]")  # left by an earlier run
    # --overwrite: without it broken.json would be refused up front (tests/test_hardening_cli.py);
    # with it, a source that fails still writes nothing over an earlier run's file
    code, out, err = run(capsys, ["recognize", str(src), "--out", str(out_dir), "--format", "aws",
                                  "--overwrite"])
    assert code == 1 and out == ""
    assert sorted(p.name for p in listing(out_dir)) == ["a.json", "b.json", "broken.json"]
    assert (out_dir / "broken.json").read_text() == "[]"  # not overwritten: a failure writes nothing
    a = json.loads((out_dir / "a.json").read_text(encoding="utf-8"))
    b = json.loads((out_dir / "b.json").read_text(encoding="utf-8"))
    assert "Total Amount 88.50" in [d["words"] for d in a] and any("Second" in d["words"] for d in b)
    lines = err.splitlines()
    assert any(ln.startswith("desktop-ocr: [1/3] ") and ln.endswith(" lines") and "a.png -> " in ln for ln in lines)
    assert f"desktop-ocr: [2/3] {src / 'broken.png'} FAILED: the file is not a supported image" in err
    assert f"  {src / 'broken.png'}: the file is not a supported image" in err  # the closing list
    assert "1 source failed; nothing was written for it:" in err
    assert f"(an older {out_dir / 'broken.json'} from an earlier run was left as it was)" in err
    assert "done: 2 ok, 1 failed" in lines[-1]
    assert not [p for p in listing(out_dir) if p.name.startswith(".")]  # no temp files left


def test_out_name_collisions(capsys, real_engine, tmp_path, invoice_png):
    png = invoice_png.read_bytes()
    for rel in ("a/x.png", "b/x.png", "x.PNG"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(png)
    out_dir = tmp_path / "results"
    args = ["recognize", str(tmp_path / "a/x.png"), str(tmp_path / "b/x.png"), str(tmp_path / "x.PNG"),
            "--out", str(out_dir), "-q"]
    code, out, err = run(capsys, args)
    assert code == 0 and out == ""
    assert sorted(p.name for p in listing(out_dir)) == ["x-2.json", "x-3.json", "x.json"]
    sources = {p.name: json.loads(p.read_text(encoding="utf-8"))["source"] for p in listing(out_dir)}
    assert sources == {"x.json": str(tmp_path / "a/x.png"), "x-2.json": str(tmp_path / "b/x.png"),
                       "x-3.json": str(tmp_path / "x.PNG")}
    assert err.startswith("desktop-ocr: done: 3 ok, 0 failed")  # -q: only the summary


def test_single_source_with_out_writes_a_file(capsys, real_engine, tmp_path, invoice_png):
    code, out, err = run(capsys, ["recognize", str(invoice_png), "--out", str(tmp_path / "o"), "-f", "text", "-q"])
    assert code == 0 and out == ""
    assert (tmp_path / "o" / "发票.txt").read_text(encoding="utf-8").startswith("发票号码 20240517\n")


def test_output_names():
    assert output_stem("-") == "stdin"
    assert output_stem("https://example.com/scans/%E5%8F%91%E7%A5%A8.jpg?x=1") == "发票"
    assert output_stem("https://example.com/") == "example.com"
    assert output_stem("data:image/png;base64,AAAA") == "data"
    assert output_stem("/tmp/con.png") == "con_"
    docs = plan(["/a/x.png", "/b/X.jpg", "/c/y.png"], out_dir=Path("/out"), fmt="json", pages=ALL)
    assert [d.out.name for d in docs] == ["x.json", "X-2.json", "y.json"]
    # an output never overwrites one of the inputs (a .txt source with --format text into its own folder)
    assert plan(["/d/notes.txt"], out_dir=Path("/d"), fmt="text", pages=ALL)[0].out == Path("/d/notes-2.txt")


# -- usage ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("argv,message", [
    (["recognize"], "the following arguments are required: SOURCE"),
    (["recognize", "a.png", "--format", "xml"], "invalid choice: 'xml'"),
    (["recognize", "a.png", "--pdf-page", "0"], "must be 1 or more, got 0"),
    (["recognize", "a.png", "--min-score", "1.5"], "must be between 0 and 1, got 1.5"),
    (["recognize", "-", "-"], "'-' (stdin) can be given only once"),
    (["--no-such-option"], "unrecognized arguments: --no-such-option"),
])
def test_usage_errors_exit_2(capsys, argv, message):
    code, out, err = run(capsys, argv)
    assert code == 2 and out == "" and message in err


def test_several_sources_need_out(capsys, tmp_path, invoice_png):
    code, out, err = run(capsys, ["recognize", str(invoice_png), str(invoice_png.parent)])
    assert code == 2 and "2 sources (folders expanded): give --out DIR" in err


def test_version_and_help(capsys):
    code, out, _ = run(capsys, ["--version"])
    assert code == 0 and out == f"desktop-ocr {__version__}\n"
    code, out, _ = run(capsys, ["recognize", "--help"])
    assert code == 0 and "--pdf-page N" in out and "tencent-legacy" in out


# -- real processes --------------------------------------------------------------------------------

def _env() -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONWARNINGS", None)
    return env


def test_real_process_prints_only_the_result(tmp_path, invoice_png):
    proc = subprocess.run([str(EXE), "recognize", str(invoice_png), "--format", "aws"], capture_output=True,
                          env=_env(), timeout=300)
    assert proc.returncode == 0, proc.stderr.decode()
    doc = json.loads(proc.stdout.decode("utf-8"))  # nothing but the result on stdout
    assert "Total Amount 88.50" in [d["words"] for d in doc]
    assert proc.stderr == b""  # quiet by default: no engine log lines


def test_real_process_batch_exit_status(tmp_path, invoice_png):
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 20)
    out_dir = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "desktop_ocr", "recognize", str(invoice_png), str(bad),
                           "--out", str(out_dir), "--format", "tencent"],
                          capture_output=True, env=_env(), timeout=300)
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 1 and proc.stdout == b""
    assert f"{bad}: the file looks like a JPEG image" in err and "done: 1 ok, 1 failed" in err
    assert [p.name for p in listing(out_dir)] == ["发票.json"]
    assert json.loads((out_dir / "发票.json").read_text(encoding="utf-8"))["Response"]["TextDetections"]


def test_window_missing_is_reported(tmp_path):
    code = "import sys; sys.modules['desktop_ocr.gui.app'] = None\nfrom desktop_ocr.cli import main\nsys.exit(main([]))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, env=_env(), timeout=120)
    assert proc.returncode == 2
    assert "the window is not part of this build yet; use 'desktop-ocr recognize SOURCE...'" in proc.stderr.decode()


@pytest.mark.realdata
def test_sroie_receipt_as_aws(capsys, real_engine, eval_dir):
    image = eval_dir / "images" / "sroie__025.jpg"
    code, out, err = run(capsys, ["recognize", str(image), "--format", "aws"])
    assert code == 0 and err == ""
    doc = json.loads(out)
    assert isinstance(doc, list) and doc
    for item in doc:
        assert set(item) == {"words", "location", "score"} and 0 <= item["score"] <= 1
        assert set(item["location"]) == {"top", "left", "width", "height"}
        assert all(isinstance(v, int) and v >= 0 for v in item["location"].values())
    got = " ".join(d["words"] for d in doc).casefold()
    gt = json.loads((eval_dir / "gt" / "sroie__025.json").read_text(encoding="utf-8"))
    expected = [ln["text"] for ln in gt["lines"]
                if ln["text"] in ("TEO HENG STATIONERY & BOOKS", "SIMPLIFIED TAX INVOICE", "GST SUMMARY",
                                  "SELANGOR DARUL EHSAN")]
    assert len(expected) == 4
    for text in expected:
        assert text.casefold() in got


def _jpeg(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=92)
    return buf.getvalue()
