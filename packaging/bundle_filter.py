"""What the frozen bundle keeps and drops (imported by desktop_ocr.spec at build time).

Every rule here was measured against the built dist/desktop-ocr/ (see packaging/README.md): the
hooks of PyInstaller collect whole plugin folders and all translations of a Qt module, plus a few
libraries the app never loads; these rules cut them from the TOC before COLLECT copies anything.
"""

from __future__ import annotations

import fnmatch
import re
import sys
from pathlib import Path, PurePosixPath

# Python modules never imported by the app but reachable from its dependencies' optional code.
EXCLUDED_MODULES = [
    # GUI toolkits and plotting pulled in by optional code paths
    "tkinter", "_tkinter", "matplotlib", "IPython", "jedi", "PyQt5", "PyQt6", "PySide2",
    # test and build tooling
    "pytest", "_pytest", "pytestqt", "pip", "PyInstaller", "setuptools._distutils.tests",
    "lib2to3", "pydoc_data", "idlelib", "turtledemo", "readline",
    # Qt modules the app does not use: QML/Quick, Designer, Help, SQL, Test, UI loader, XML, OpenGL,
    # Network, PrintSupport (the QtDBus binding stays: the Wayland screenshot and shortcut portals use it)
    "PySide6.QtQml", "PySide6.QtQmlFeatures", "PySide6.QtQuick", "PySide6.QtQuickControls2",
    "PySide6.QtQuickWidgets", "PySide6.QtQuickTest", "PySide6.QtDesigner", "PySide6.QtHelp",
    "PySide6.QtSql", "PySide6.QtTest", "PySide6.QtUiTools", "PySide6.QtXml", "PySide6.QtConcurrent",
    "PySide6.QtLabsStyleKit", "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets", "PySide6.QtNetwork",
    "PySide6.QtPrintSupport", "PySide6.scripts",
    # rapidocr's other inference engines (we ship ONNX Runtime only) and their frameworks
    "rapidocr.inference_engine.openvino", "rapidocr.inference_engine.paddle",
    "rapidocr.inference_engine.pytorch", "rapidocr.inference_engine.tensorrt",
    "rapidocr.inference_engine.mnn", "openvino", "paddle", "torch", "tensorrt", "MNN",
    # `recognize --cluster` (desktop_ocr.jobs.cluster) imports Ray lazily: an optional extra, never bundled
    "ray",
    # rapidocr's visualisation/download helpers load fonts or fetch models; the app does neither,
    # but rapidocr imports them at module level, so they stay (they are small pure Python).
]

# Qt translations worth shipping: the app speaks Simplified Chinese and English.
QT_LANGS = ("zh_CN", "zh_TW", "en")

# Destination paths (POSIX, relative to the bundle's _internal/) that are dropped. Globs.
DROP_GLOBS = [
    # Qt platform plugins: keep xcb (X11), wayland, offscreen (tests/CI); drop framebuffer/VNC/EGLFS.
    "PySide6/Qt/plugins/platforms/libqvnc.so",
    "PySide6/Qt/plugins/platforms/libqlinuxfb.so",
    "PySide6/Qt/plugins/platforms/libqminimal*.so",
    "PySide6/Qt/plugins/platforms/libqeglfs.so",
    "PySide6/Qt/plugins/platforms/libqvkkhrdisplay.so",
    "PySide6/Qt/plugins/egldeviceintegrations/*",
    "PySide6/Qt/lib/libQt6EglFSDeviceIntegration.so*",
    "PySide6/Qt/lib/libQt6EglFsKmsSupport.so*",
    "PySide6/Qt/lib/libQt6EglFsKmsGbmSupport.so*",
    # input plugins of the framebuffer platforms (evdev, libinput, tslib)
    "PySide6/Qt/plugins/generic/*",
    # Wayland compositor side (we are a client)
    "PySide6/Qt/plugins/wayland-graphics-integration-server/*",
    "PySide6/Qt/lib/libQt6WaylandCompositor*.so*",
    # plugins of Qt modules the app does not use
    "PySide6/Qt/plugins/sqldrivers/*",
    "PySide6/Qt/plugins/qmltooling/*",
    "PySide6/Qt/plugins/designer/*",
    "PySide6/Qt/plugins/networkinformation/*",
    "PySide6/Qt/plugins/tls/*",
    "PySide6/Qt/plugins/printsupport/*",
    # QtNetwork: collected by the Qt hooks but loaded by nothing we ship (no QtNetwork import, no
    # plugin links it); it drags in Kerberos and Brotli.
    "PySide6/Qt/lib/libQt6Network.so*",
    # The GTK3 platform theme only works against the system's own GTK3, and bundling the half of
    # its dependency tree PyInstaller finds (cairo, pango, gdk-pixbuf, atk) would shadow the
    # system's copies. Without it Qt uses its Fusion look with the xdg-desktop-portal theme/dialogs.
    "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
    # Wayland shells other than xdg-shell (wl-shell is obsolete, ivi/fullscreen are embedded)
    "PySide6/Qt/plugins/wayland-shell-integration/libivi-shell.so",
    "PySide6/Qt/plugins/wayland-shell-integration/libfullscreen-shell-v1.so",
    "PySide6/Qt/plugins/wayland-shell-integration/libwl-shell-plugin.so",
    "PySide6/Qt/lib/libQt6WlShellIntegration.so*",
    "PySide6/Qt/qml/*",
    # ONNX Runtime's C-API library (29 MB): the Python module links the runtime statically. Today's
    # hook does not collect it; this keeps a future hook from adding it.
    "onnxruntime/capi/libonnxruntime.so*",
    "onnxruntime/capi/onnxruntime.dll",
    # Pillow: the Tk bridge (no tkinter) and FreeType text rendering (we never draw text with PIL;
    # rapidocr imports ImageFont only for its visualisation helper, which defers the failure)
    "PIL/_imagingtk.*",
    "PIL/_imagingft.*",
    # tooling and type stubs
    "*.pyi",
    "*/py.typed",
]

_LIB_GLOBS = [g for g in DROP_GLOBS if "/lib/lib" in g or "/capi/lib" in g]

_JUNK_DIRS = {"__pycache__", "tests", "test", "testing_data"}


def is_junk(name: str) -> bool:
    """Editor/OS leftovers and caches that must never be bundled."""
    return name.endswith((".pyc", ".pyo", "~", ".swp")) or name in {".DS_Store", "Thumbs.db", ".gitkeep"}


def _keep_translation(dest: str) -> bool:
    if "/qt_help_" in dest:  # Qt Assistant's strings: no QtHelp in the app
        return False
    m = re.search(r"/translations/[a-z_]+?_([a-z]{2}(?:_[A-Z]{2})?)\.qm$", dest)
    return m is None or m.group(1) in QT_LANGS


def keep(dest: str) -> bool:
    dest = dest.replace("\\", "/")
    # PySide6 on Windows keeps plugins/ and translations/ beside the bindings, not under Qt/.
    if dest.startswith(("PySide6/plugins/", "PySide6/translations/")):
        dest = "PySide6/Qt/" + dest[len("PySide6/"):]
    parts = PurePosixPath(dest).parts
    if is_junk(parts[-1]) or any(p in _JUNK_DIRS for p in parts[:-1]):
        return False
    if any(fnmatch.fnmatch(dest, g) for g in DROP_GLOBS):
        return False
    # PyInstaller also lists a library at the top level (a symlink to the copy in its package
    # folder, for dependency resolution); drop that entry along with the package's copy.
    if len(parts) == 1 and any(fnmatch.fnmatch(dest, PurePosixPath(g).name) for g in _LIB_GLOBS):
        return False
    if "PySide6/Qt/translations/" in dest and not _keep_translation(dest):
        return False
    return True


def filter_toc(toc):
    """TOC entries (dest, src, typecode) minus the dropped ones; prints a summary of the cut."""
    kept, dropped = [], []
    for entry in toc:
        (kept if keep(entry[0]) else dropped).append(entry)
    size = sum(Path(e[1]).stat().st_size for e in dropped if e[1] and Path(e[1]).is_file())
    print(f"bundle_filter: dropped {len(dropped)} files, {size / 1e6:.1f} MB", file=sys.stderr)
    return kept


# Wheel-vendored libraries (auditwheel puts them in <pkg>.libs/ with a hash in the name) were
# rewritten by patchelf; strip would corrupt their program headers. Leave those alone.
_PATCHED = re.compile(r"(^|/)[^/]+\.libs/|-[0-9a-f]{8}\.so")


def _has_symtab(path: Path) -> bool:
    """True for a 64-bit little-endian ELF file with a .symtab section (i.e. not stripped)."""
    import struct

    with path.open("rb") as fh:
        head = fh.read(64)
        if len(head) < 64 or head[:4] != b"\x7fELF" or head[4] != 2 or head[5] != 1:
            return False
        shoff, = struct.unpack_from("<Q", head, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from("<HHH", head, 0x3A)
        if not shoff or not shnum or shstrndx >= shnum:
            return False
        fh.seek(shoff)
        table = fh.read(shentsize * shnum)
        if len(table) < shentsize * shnum:
            return False
        str_off, str_size = struct.unpack_from("<QQ", table, shstrndx * shentsize + 0x18)
        fh.seek(str_off)
        names = fh.read(str_size)
        for i in range(shnum):
            name_at, sh_type = struct.unpack_from("<II", table, i * shentsize)
            if sh_type == 2 and names[name_at:names.find(b"\0", name_at)] == b".symtab":  # SHT_SYMTAB
                return True
    return False


def strip_bundle(root: Path, strip: str = "strip") -> tuple[int, int]:
    """Strip symbol tables from unstripped ELF files of a built bundle; returns (files, bytes saved).

    Only the debug/symbol sections go (`strip --strip-unneeded` keeps the dynamic symbols that
    loading needs). libpython alone drops from 23 to 6 MB.
    """
    import shutil
    import subprocess

    if shutil.which(strip) is None:
        print("bundle_filter: no strip(1) found; bundle left unstripped", file=sys.stderr)
        return 0, 0
    count = saved = 0
    for path in sorted(root.rglob("*")):
        if path.is_symlink() or not path.is_file() or _PATCHED.search(path.relative_to(root).as_posix()):
            continue
        if not _has_symtab(path):
            continue
        before = path.stat().st_size
        subprocess.run([strip, "--strip-unneeded", str(path)], check=True)
        count += 1
        saved += before - path.stat().st_size
    return count, saved


def _needed(src: str) -> set[str]:
    """Base names of the shared libraries a binary links against (DT_NEEDED / imports)."""
    from PyInstaller.depend import bindepend

    try:
        return {Path(name).name for name, _ in bindepend.get_imports(src)}
    except Exception:  # not a binary PyInstaller can read: it links nothing we track
        return set()


def _dependency_only(dest: str) -> bool:
    """Libraries that are only ever loaded as another binary's dependency: those PyInstaller put at
    the top level, and those auditwheel vendored into a wheel's <pkg>.libs/ folder."""
    parts = PurePosixPath(dest.replace("\\", "/")).parts
    return len(parts) == 1 or (len(parts) == 2 and parts[0].endswith(".libs"))


def filter_binaries(toc):
    """filter_toc for a.binaries, then also drop the libraries only the dropped binaries needed.

    The Qt hooks collect e.g. the GTK3 theme plugin, and dependency analysis then adds cairo, pango,
    gdk-pixbuf... for it; dropping the plugin alone would leave those behind. A library is removed
    only if it is dependency-only (see _dependency_only), was reached
    from a dropped binary, and no kept binary needs it, directly or indirectly.
    """
    kept = filter_toc(toc)
    kept_dests = {e[0] for e in kept}
    dropped = [e for e in toc if e[0] not in kept_dests]
    by_name: dict[str, list] = {}
    for e in kept:
        by_name.setdefault(PurePosixPath(e[0].replace("\\", "/")).name, []).append(e)

    def closure(start):
        seen, todo = set(), list(start)
        while todo:
            e = todo.pop()
            if e[2] == "SYMLINK":
                continue
            for name in _needed(e[1]):
                for dep in by_name.get(name, []):
                    if dep[0] not in seen:
                        seen.add(dep[0])
                        todo.append(dep)
        return seen

    candidates = {d for d in closure(dropped) if d in kept_dests and _dependency_only(d)}
    needed = closure([e for e in kept if e[0] not in candidates])
    orphans = candidates - needed
    # Symlinks whose target left the bundle would dangle.
    gone = {e[0] for e in dropped} | orphans
    result = []
    for e in kept:
        if e[0] in orphans:
            continue
        if e[2] == "SYMLINK" and str(PurePosixPath(PurePosixPath(e[0]).parent, e[1])) in gone:
            continue
        result.append(e)
    size = sum(Path(e[1]).stat().st_size for e in kept if e[0] in orphans)
    print(f"bundle_filter: dropped {len(orphans)} orphaned libraries, {size / 1e6:.1f} MB: "
          f"{', '.join(sorted(orphans))}", file=sys.stderr)
    return result


def version(repo: Path) -> str:
    """The project version from pyproject.toml (no TOML parser needed on Python 3.10)."""
    text = (repo / "pyproject.toml").read_text(encoding="utf-8")
    m = re.search(r'^version\s*=\s*"([^"]+)"', text, re.M)
    return m.group(1) if m else "0"


if __name__ == "__main__":  # python packaging/bundle_filter.py strip dist/desktop-ocr
    if sys.argv[1:2] == ["strip"]:
        n, b = strip_bundle(Path(sys.argv[2]))
        print(f"stripped {n} files, saved {b / 1e6:.1f} MB")
