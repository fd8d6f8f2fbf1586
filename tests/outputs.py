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


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (the drawn-page checks' CER; the evaluation scorer has its own)."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]
