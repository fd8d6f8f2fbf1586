"""What a batch wrote into its --out folder, without its resume record (jobs.journal keeps that there
while a batch has something left to do)."""

from __future__ import annotations

from pathlib import Path

from desktop_ocr.jobs.journal import FILE_NAME


def listing(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name != FILE_NAME]


#: what differs between two runs of the same batch: timings, and the request id a vendor answer carries
TIMING_KEYS = frozenset({"elapsed", "RequestId", "request_id"})


def without_timing(value, keys=TIMING_KEYS):
    """A result file's JSON without what differs between two runs of the same work (``keys``)."""
    if isinstance(value, dict):
        return {k: without_timing(v, keys) for k, v in value.items() if k not in keys}
    if isinstance(value, list):
        return [without_timing(v, keys) for v in value]
    return value
