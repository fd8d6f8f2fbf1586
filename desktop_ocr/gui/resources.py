"""Find files in the top-level resources/ folder, from a source checkout or inside a PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)  # PyInstaller unpacks data files here
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"  # editable install: the repo root


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def sample_image() -> Path:
    return resource_path("sample.png")
