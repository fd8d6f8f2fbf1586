"""The frozen application (packaging/): built with PyInstaller by packaging/build.sh, unpacked outside
the source tree and run with a clean environment (no venv, no PYTHONPATH, no network), the way a user
who downloaded the archive runs it.

The build takes a few minutes on 2 cores. A bundle already in dist/ is reused only when it was built
from the current commit with no uncommitted changes to what goes into it (CI starts from a clean
clone, so it always builds); DESKTOP_OCR_REUSE_BUNDLE=1 reuses whatever dist/ holds (local iteration).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tests.drawing import render_lines
from tests.icu_probe import run_probe

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "packaging"))
import bundle_filter  # noqa: E402

APP = "desktop-ocr"
MB = 1_000_000
# The issue's budgets (packaging/README.md "Packaging" explains each figure and what dominates).
ISSUE_ARCHIVE_BUDGET = 120 * MB
ISSUE_UNPACKED_BUDGET = 300 * MB
# What this test enforces: the issue's unpacked budget (met since the slim OpenCV wheel; 243.2 MB with
# the slim ICU data and numpy without OpenBLAS, 249.9 MB with the server), and for the archive a
# ceiling under 2 MB above the measured 118.1 MB (113.4 MB before the dependencies' current releases,
# 115.5 MB, the [serve] extra, +0.9 MB, then zxing-cpp for QR codes and the QtDBus binding for the
# Wayland portals, +1.7 MB; issue budget 120 MB), so any dependency or hook change that grows the
# bundle fails here and gets looked at. Lower it when a cut lands.
ARCHIVE_CEILING = 119.5 * MB
UNPACKED_CEILING = ISSUE_UNPACKED_BUDGET
# Inputs of the bundle: a change in any of them makes a dist/ from an earlier build stale.
BUILD_INPUTS = ["desktop_ocr", "packaging", "resources", "pyproject.toml"]


def source_state() -> str:
    """The commit, with '-dirty' when inputs of the bundle have uncommitted changes or new files
    (the same rule as packaging/build.sh's BUILD_COMMIT)."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", *BUILD_INPUTS],
                               cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("-dirty" if dirty else "")


def archive_path() -> Path:
    import platform

    return REPO / "dist" / f"{APP}-{bundle_filter.version(REPO)}-linux-{platform.machine()}.tar.gz"


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    path = archive_path()
    stamp = REPO / "dist" / APP / "BUILD_COMMIT"
    state = source_state()
    reusable = path.is_file() and stamp.is_file() and (
        os.environ.get("DESKTOP_OCR_REUSE_BUNDLE") == "1"
        or (not state.endswith("-dirty") and state != "unknown" and stamp.read_text().strip() == state))
    if not reusable:
        log = tmp_path_factory.mktemp("build") / "build.log"
        with log.open("wb") as fh:
            proc = subprocess.run(["bash", str(REPO / "packaging" / "build.sh")], cwd=REPO, stdout=fh,
                                  stderr=subprocess.STDOUT, env=dict(os.environ, PYTHON=sys.executable),
                                  timeout=45 * 60)
        text = log.read_text(errors="replace")
        assert proc.returncode == 0, f"packaging/build.sh failed:\n{text[-6000:]}"
        print(text[-600:])
    assert path.is_file()
    return path


@pytest.fixture(scope="module")
def unpacked(archive, tmp_path_factory) -> Path:
    """The archive extracted into a temporary folder far from the source tree and the venv."""
    root = tmp_path_factory.mktemp("user-download")
    with tarfile.open(archive) as tf:
        tf.extractall(root, filter="tar")
    folder = root / APP
    assert REPO not in folder.parents
    return folder


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("home")


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """What a desktop session without Python gives a program: no PYTHONPATH, no venv, no proxies."""
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "QT_QPA_PLATFORM": "offscreen", **extra}


def offline_prefix() -> list[str]:
    """Run in a new network namespace (loopback only, down) where the kernel allows it."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-rn", "true"], capture_output=True).returncode == 0:
        return [unshare, "-rn"]
    return []


def run_app(unpacked: Path, args: list[str], home: Path, *, offline: bool = True, timeout: float = 300,
            **env: str) -> subprocess.CompletedProcess:
    exe = unpacked / APP
    cmd = (offline_prefix() if offline else []) + [str(exe), *args]
    return subprocess.run(cmd, env=clean_env(home, **env), cwd=home, capture_output=True, timeout=timeout)


# -- what is in the archive ------------------------------------------------------------------------

def test_archive_is_one_folder_with_app_desktop_entry_and_icon(archive):
    with tarfile.open(archive) as tf:
        members = {m.name: m for m in tf.getmembers()}
        assert {name.split("/")[0] for name in members} == {APP}
        exe = members[f"{APP}/{APP}"]
        assert exe.isfile() and exe.mode & stat.S_IXUSR
        desktop = tf.extractfile(members[f"{APP}/{APP}.desktop"]).read().decode("utf-8")
        icon = tf.extractfile(members[f"{APP}/{APP}.png"]).read()
        assert members[f"{APP}/install.sh"].mode & stat.S_IXUSR
    entries = dict(line.split("=", 1) for line in desktop.splitlines() if "=" in line and not line.startswith("#"))
    assert entries["Type"] == "Application" and entries["Exec"] == f"{APP} %F" and entries["Icon"] == APP
    assert "image/png" in entries["MimeType"] and entries["Terminal"] == "false"
    assert icon[:8] == b"\x89PNG\r\n\x1a\n"


def test_install_script_adds_command_menu_entry_and_icon_for_the_user(unpacked, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home)}
    proc = subprocess.run(["sh", str(unpacked / "install.sh")], env=env, capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()
    command = home / ".local/bin" / APP
    entry = (home / ".local/share/applications/desktop-ocr.desktop").read_text(encoding="utf-8")
    assert f'Exec="{unpacked / APP}" %F' in entry.splitlines()
    assert (home / ".local/share/icons/hicolor/256x256/apps/desktop-ocr.png").is_file()
    # the linked command finds its bundle through the symlink
    version = subprocess.run([str(command), "--version"], env=clean_env(home), capture_output=True, timeout=120)
    assert version.returncode == 0 and version.stdout.decode().startswith(f"{APP} {bundle_filter.version(REPO)}")
    proc = subprocess.run(["sh", str(unpacked / "install.sh"), "--uninstall"], env=env, capture_output=True,
                          timeout=60)
    assert proc.returncode == 0 and not command.exists() and not command.is_symlink()
    assert not (home / ".local/share/applications/desktop-ocr.desktop").exists()
    assert (unpacked / APP).is_file()  # the app folder itself stays


def test_bundle_carries_models_config_plugins_and_translations(unpacked):
    import rapidocr

    internal = unpacked / "_internal"
    installed = Path(rapidocr.__file__).parent
    # rapidocr's run-time files, byte for byte the wheel's (the classic frozen-OCR failure)
    for rel in ["config.yaml", "default_models.yaml", "models/PP-OCRv6_det_small.onnx",
                "models/PP-OCRv6_rec_small.onnx", "models/ch_ppocr_mobile_v2.0_cls_mobile.onnx"]:
        bundled = internal / "rapidocr" / rel
        assert bundled.is_file(), rel
        assert bundled.read_bytes() == (installed / rel).read_bytes(), rel
    qt = internal / "PySide6" / "Qt"
    for plugin in ["platforms/libqxcb.so", "platforms/libqoffscreen.so", "platforms/libqwayland.so",
                   "imageformats/libqjpeg.so", "platforminputcontexts/libibusplatforminputcontextplugin.so"]:
        assert (qt / "plugins" / plugin).is_file(), plugin
    assert (qt / "translations" / "qtbase_zh_CN.qm").is_file()
    # the app's own resources, where desktop_ocr.gui.resources looks for them in a bundle
    res = internal / "resources"
    assert (res / "icon.png").is_file() and (res / "sample.png").is_file()
    assert list((res / "i18n").glob("desktop_ocr_zh_CN.qm"))


def test_bundle_leaves_out_what_the_app_never_loads(unpacked):
    internal = unpacked / "_internal"
    names = [p.relative_to(internal).as_posix() for p in internal.rglob("*")]
    unwanted_qt = ("Qml", "Quick", "WebEngine", "3D", "Multimedia", "Pdf", "Designer", "Charts", "Network", "Sql")
    for name in names:
        base = name.rsplit("/", 1)[-1]
        assert not any(base.startswith(f"libQt6{m}") or base.startswith(f"Qt{m}") for m in unwanted_qt), name
        assert "__pycache__" not in name and not base.endswith(".pyi"), name
        assert not base.startswith(("_tkinter", "libtk", "libtcl")), name
        assert "/tests/" not in f"/{name}/", name
    # Qt's own translations: Chinese and English only
    langs = {p.stem.split("_", 1)[1] for p in (internal / "PySide6/Qt/translations").glob("*.qm")}
    assert langs <= set(bundle_filter.QT_LANGS), langs
    # botocore: the small top-level tables, none of the 400+ service models
    assert (internal / "botocore/data/endpoints.json").is_file()
    assert not [p for p in (internal / "botocore/data").iterdir() if p.is_dir()]
    # ONNX Runtime's C-API library (the Python module carries its own copy of the runtime)
    assert not list((internal / "onnxruntime/capi").glob("libonnxruntime.so*"))


def test_bundle_carries_what_is_imported_by_name_or_only_on_wayland(unpacked):
    """Modules the analysis cannot see or a test on X11 never loads: zxing-cpp (core.codes imports it
    by name) and the QtDBus binding (the screenshot and global-shortcut portals on Wayland)."""
    internal = unpacked / "_internal"
    assert list(internal.rglob("zxingcpp*.so")), "zxing-cpp is not in the bundle"
    assert list((internal / "PySide6").glob("QtDBus*.so")), "the QtDBus binding is not in the bundle"


def test_bundle_has_the_slim_opencv(unpacked):
    """packaging/build.sh bundles OpenCV from packaging/opencv-slim: none of the stock wheel's
    vendored libraries (FFmpeg, AV1/VPx, OpenBLAS, OpenSSL 1.1) may come back."""
    internal = unpacked / "_internal"
    assert (internal / "cv2").is_dir()
    assert not list(internal.glob("opencv_python*.libs")), "stock opencv-python-headless wheel bundled"
    ffmpeg = ("libavcodec", "libavformat", "libavutil", "libswscale", "libswresample", "libvpx")
    codecs = [p.relative_to(internal).as_posix() for p in internal.rglob("lib*") if p.name.startswith(ffmpeg)]
    assert not codecs, codecs


def test_bundle_has_numpy_without_openblas(unpacked):
    """packaging/build.sh bundles numpy built by packaging/numpy-slim without BLAS/LAPACK (numpy.linalg
    runs on its bundled lapack_lite): the stock wheel's OpenBLAS, libgfortran and libquadmath may not
    come back."""
    internal = unpacked / "_internal"
    assert (internal / "numpy" / "_core").is_dir()
    assert not list(internal.glob("numpy*.libs")), "stock numpy wheel bundled"
    blas = ("libscipy_openblas", "libopenblas", "libgfortran", "libquadmath")
    found = [p.relative_to(internal).as_posix() for p in internal.rglob("lib*") if p.name.startswith(blas)]
    assert not found, found


def test_bundle_icu_data_is_slim_and_answers_for_chinese_and_english(unpacked):
    """packaging/icu_slim.py replaced Qt's 32 MB ICU data: what the bundle loads still converts GBK,
    sorts Chinese by pinyin and names time zones (tests/test_icu_slim.py compares it with the stock)."""
    qt_lib = unpacked / "_internal" / "PySide6" / "Qt" / "lib"
    data = next(qt_lib.glob("libicudata.so.[0-9]*"))
    assert data.stat().st_size < 10 * MB, data.stat().st_size
    answers = run_probe(qt_lib)
    assert answers["libicudata"] == [str(data.resolve())]
    assert answers["codepages"]["GBK"] == {"bytes": "c4e3bac3a3accac0bde7", "back": "你好，世界"}
    assert answers["collation"]["zh"].startswith("啊吧擦")
    assert answers["zone_names"]["zh_CN"] == "中国标准时间"
    assert answers["codepages"]["IBM-930"] is None


def test_sizes_within_budget(archive, unpacked):
    packed = archive.stat().st_size
    size = sum(p.lstat().st_size for p in unpacked.rglob("*") if p.is_file() and not p.is_symlink())
    print(f"archive {packed / MB:.1f} MB (ceiling {ARCHIVE_CEILING / MB:.0f}, issue budget "
          f"{ISSUE_ARCHIVE_BUDGET / MB:.0f}), unpacked {size / MB:.1f} MB (ceiling {UNPACKED_CEILING / MB:.0f}, "
          f"issue budget {ISSUE_UNPACKED_BUDGET / MB:.0f})")
    assert packed <= ARCHIVE_CEILING
    assert size <= UNPACKED_CEILING


# -- the frozen app at work ------------------------------------------------------------------------

LINES = ["离线识别测试 Offline OCR", "合计金额 128.50 元"]


@pytest.fixture(scope="module")
def drawn(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pictures") / "打包测试.png"
    render_lines(LINES, font_size=40).save(path)
    return path


def norm(text: str) -> str:
    return "".join(text.split())


def test_recognize_prints_the_right_text_offline(unpacked, home, drawn):
    proc = run_app(unpacked, ["recognize", str(drawn), "--format", "text"], home)
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 0, err
    got = [norm(line) for line in proc.stdout.decode("utf-8").splitlines() if line.strip()]
    assert got == [norm(line) for line in LINES], got
    assert err == ""  # no loader, Qt or ONNX Runtime chatter around a result meant for pipes


@pytest.mark.parametrize("name,save_as", [
    # pypdfium2 loads its PDFium library with ctypes: PyInstaller's analysis cannot see that, the hook must.
    ("scan.pdf", {"resolution": 72}),
    # Pillow's AVIF plugin loads libavif from pillow.libs: the frozen app must carry both.
    ("网页图片.avif", {"format": "AVIF", "quality": 90}),
])
def test_recognize_a_pdf_page_and_an_avif_offline(unpacked, home, drawn, tmp_path, name, save_as):
    from PIL import Image

    page = tmp_path / name
    Image.open(drawn).convert("RGB").save(page, **save_as)
    proc = run_app(unpacked, ["recognize", str(page), "--format", "text"], home)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    got = [norm(line) for line in proc.stdout.decode("utf-8").splitlines() if line.strip()]
    assert got == [norm(line) for line in LINES], got


def test_recognize_reads_a_qr_code_offline(unpacked, home, tmp_path):
    """zxing-cpp is a compiled module of its own: the frozen app must carry it."""
    import numpy as np
    import zxingcpp
    from PIL import Image

    qr = zxingcpp.create_barcode("离线二维码 QR-42", zxingcpp.BarcodeFormat.QRCode).to_image(scale=5)
    page = Image.new("L", (400, 400), 255)
    page.paste(Image.fromarray(np.asarray(qr)), (60, 60))
    path = tmp_path / "qr.png"
    page.save(path)
    proc = run_app(unpacked, ["recognize", str(path)], home)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    doc = json.loads(proc.stdout.decode("utf-8"))
    assert [(ln["text"], ln.get("code")) for ln in doc["lines"]] == [("离线二维码 QR-42", "QRCode")]


def test_recognize_vendor_json(unpacked, home, drawn):
    proc = run_app(unpacked, ["recognize", str(drawn), "--format", "aws"], home)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    doc = json.loads(proc.stdout.decode("utf-8"))
    assert [norm(d["words"]) for d in doc] == [norm(line) for line in LINES]
    assert all(0 < d["score"] <= 1 and d["location"]["width"] > 0 for d in doc)


def test_bad_input_is_a_clear_error(unpacked, home, tmp_path):
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)
    proc = run_app(unpacked, ["recognize", str(bad), "--format", "text"], home)
    assert proc.returncode != 0
    err = proc.stderr.decode("utf-8", "replace")
    assert "broken.png" in err and "Traceback" not in err


def test_self_test_opens_the_window_offscreen_and_quits_cleanly(unpacked, home):
    proc = run_app(unpacked, ["--self-test"], home)
    out = proc.stdout.decode("utf-8", "replace")
    assert proc.returncode == 0, out + proc.stderr.decode("utf-8", "replace")
    assert "self-test: ok" in out


@pytest.mark.skipif(not shutil.which("xvfb-run"), reason="xvfb-run not installed (scripts/setup.sh installs it)")
def test_self_test_on_a_real_x_server(unpacked, home):
    """The xcb platform plugin and the X11/xcb libraries it pulls from the bundle and the system load
    and show the window (offscreen exercises none of them)."""
    inner = ('exec env -i PATH=/usr/bin:/bin HOME="$BUNDLE_HOME" DISPLAY="$DISPLAY" XAUTHORITY="$XAUTHORITY" '
             'QT_QPA_PLATFORM=xcb "$BUNDLE_EXE" --self-test')
    proc = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", "sh", "-c", inner],
                          env={"PATH": "/usr/bin:/bin", "BUNDLE_HOME": str(home), "BUNDLE_EXE": str(unpacked / APP)},
                          capture_output=True, timeout=300)
    out = proc.stdout.decode("utf-8", "replace")
    assert proc.returncode == 0, out + proc.stderr.decode("utf-8", "replace")
    assert "self-test: ok" in out and "platform xcb" in out


@pytest.mark.parametrize("vendor", ["aws", "tencent", "tencent-legacy", "huawei"])
def test_cloud_backends_work_frozen(vendor, unpacked, home, drawn, engine):
    """The bundled SDKs (botocore SigV4, tencentcloud, huaweicloudsdk) sign requests that the fake
    vendor on 127.0.0.1 verifies with the vendor's real algorithm."""
    from tests.fakes.kits import ALL_SECRETS, KITS

    kit = KITS[vendor]
    with kit.make_fake(engine) as fake:
        proc = run_app(unpacked, ["recognize", str(drawn), "--backend", vendor, *kit.cli(fake),
                                  "--format", "text", "-q"], home, offline=False, **kit.env)
        out, err = proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8", "replace")
        assert proc.returncode == 0, err
        assert len(fake.requests) == 1
    assert [norm(line) for line in out.splitlines() if line.strip()] == [norm(line) for line in LINES]
    for secret in ALL_SECRETS:
        assert secret not in out and secret not in err


def test_serve_answers_a_vendor_request_frozen(unpacked, home, drawn):
    """The packaged app carries the [serve] extra: `desktop-ocr serve` starts (uvicorn's by-name
    imports and the spawned engine worker both work frozen) and answers a Tencent API 3.0 request."""
    import base64
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([str(unpacked / APP), "serve", "--port", str(port), "--workers", "1"],
                            env=clean_env(home), cwd=home, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    if json.loads(r.read()).get("status") == "ok":
                        break
            except OSError:
                pass
            assert proc.poll() is None, proc.stderr.read().decode("utf-8", "replace")
            assert time.monotonic() < deadline, "the frozen server did not become healthy"
            time.sleep(0.5)
        body = json.dumps({"ImageBase64": base64.b64encode(drawn.read_bytes()).decode()}).encode()
        req = urllib.request.Request(f"http://127.0.0.1:{port}/", data=body, method="POST", headers={
            "Content-Type": "application/json", "X-TC-Action": "GeneralBasicOCR", "X-TC-Version": "2018-11-19"})
        with urllib.request.urlopen(req, timeout=120) as r:
            answer = json.loads(r.read())
        texts = [d["DetectedText"] for d in answer["Response"]["TextDetections"]]
        assert [norm(t) for t in texts] == [norm(line) for line in LINES], answer
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    assert "Traceback" not in proc.stderr.read().decode("utf-8", "replace")
