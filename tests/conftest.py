"""Shared fixtures and the test tiers.

Tiers (markers are declared in pyproject.toml):
  * ``slow``: builds the PyInstaller bundle and runs the frozen app (tests/test_bundle.py). A plain
    ``pytest`` deselects it (addopts has ``-m "not slow"``); ``bash scripts/test.sh`` runs everything,
    ``bash scripts/test.sh --quick`` only the quick tier.
  * ``gui``: drives real Qt widgets. Added here automatically to every test that uses the ``qtbot``
    fixture, directly or through another fixture such as ``window`` (so a new GUI test needs no
    marker); a test that drives Qt without qtbot (e.g. in a subprocess) marks itself explicitly.
    ``pytest -m "not gui"`` runs everything else.
  * ``realdata``: reads the evaluation images; skipped where they are absent.

Every test gets an in-memory keyring (``memory_keyring``, autouse) and a fresh process-wide
CredentialStore on it, so no test can read, overwrite or delete a developer's saved keys; child
processes the tests start get ``PYTHON_KEYRING_BACKEND`` = the ``fail`` backend (keys in memory only).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

try:
    import keyring
    import keyring.backend
    import keyring.errors
except ImportError:  # the [cloud] extra is not installed: nothing can reach a keyring anyway
    keyring = None

REPO = Path(__file__).resolve().parent.parent
EVAL_DIR = Path(os.environ.get("DESKTOP_OCR_EVAL", REPO.parent / "shared" / "eval" / "public"))


@pytest.hookimpl(tryfirst=True)  # before other plugins end the session (pytest-qt's Qt teardown)
def pytest_sessionfinish(session, exitstatus):
    """Let the window's background work that tests left running (a recognition a test cancelled or
    did not wait for) finish before Python shuts down. The app leaves at once instead
    (gui.app.leave, os._exit); a test process that simply exited would have Python end such a
    thread while it is inside ONNX Runtime, and the C++ runtime abort the process (exit 134 after
    every test passed)."""
    import sys
    import time

    workers = sys.modules.get("desktop_ocr.gui.workers")
    if workers is not None:
        deadline = time.monotonic() + 60.0
        while workers.background_running() and time.monotonic() < deadline:
            time.sleep(0.05)
    if "PySide6.QtCore" in sys.modules:
        from PySide6.QtCore import QThreadPool

        QThreadPool.globalInstance().waitForDone(60_000)


@pytest.hookimpl(tryfirst=True)  # before pytest's own -m deselection, which then sees the gui mark
def pytest_collection_modifyitems(config, items):
    for item in items:
        if "qtbot" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.gui)
    if (EVAL_DIR / "images").is_dir():
        return
    skip = pytest.mark.skip(reason=f"evaluation images not found at {EVAL_DIR}")
    for item in items:
        if "realdata" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def eval_dir() -> Path:
    return EVAL_DIR


@pytest.fixture(scope="session")
def engine():
    """One warmed-up local engine for the whole run (model loading takes seconds)."""
    from desktop_ocr.core.engine import LocalEngine

    eng = LocalEngine()
    eng.warm_up()
    return eng


if keyring is not None:
    class MemoryKeyring(keyring.backend.KeyringBackend):
        """A keyring that forgets everything when the test ends (a dict of (service, user) -> password)."""

        priority = 100  # above every real backend, should anything ask the keyring package to choose

        def __init__(self):
            super().__init__()
            self.passwords: dict[tuple[str, str], str] = {}

        def get_password(self, service, username):
            return self.passwords.get((service, username))

        def set_password(self, service, username, password):
            self.passwords[(service, username)] = password

        def delete_password(self, service, username):
            if self.passwords.pop((service, username), None) is None:
                raise keyring.errors.PasswordDeleteError("not stored")


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch):
    """The keyring every test sees (None without the keyring package). Tests of "no usable keyring"
    pass their own backend to CredentialStore and are not affected."""
    from desktop_ocr.backends import credentials

    previous = keyring.get_keyring() if keyring is not None else None
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")  # child processes
    credentials._default_store = None  # rebuilt on first use, on the keyring below
    if keyring is None:
        yield None
        credentials._default_store = None
        return
    kr = MemoryKeyring()
    keyring.set_keyring(kr)
    try:
        yield kr
    finally:
        keyring.set_keyring(previous)
        credentials._default_store = None


@pytest.fixture
def window(qtbot, tmp_path, engine):
    """A shown MainWindow using the session's warmed LocalEngine and throwaway settings."""
    from PySide6.QtCore import QSettings

    from desktop_ocr.gui.main_window import MainWindow
    from desktop_ocr.gui.settings import Settings

    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    win = MainWindow(settings, interactive=False)
    win.host.adopt("local", engine)
    qtbot.addWidget(win)
    win.resize(1300, 850)
    win.show()
    qtbot.waitExposed(win)
    win.start_engine()
    yield win
    win.close()
