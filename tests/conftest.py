from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EVAL_DIR = Path(os.environ.get("DESKTOP_OCR_EVAL", REPO.parent / "shared" / "eval" / "public"))


def pytest_collection_modifyitems(config, items):
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
