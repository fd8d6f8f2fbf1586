"""What a batch wrote into its --out folder, without its resume record (jobs.journal keeps that there
while a batch has something left to do)."""

from __future__ import annotations

from pathlib import Path

from desktop_ocr.jobs.journal import FILE_NAME


def listing(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name != FILE_NAME]
