"""The resume record of a batch: what is done, page by page, kept in the output folder.

``<out>/.desktop-ocr-batch.jsonl`` holds one JSON object per line, appended and flushed to disk
(fsync) as each page finishes, so a crash, a kill or a power cut loses at most the page in
progress; a line cut short by one is ignored when the record is read back.

    {"batch": 1, "options": {...}}                                   the first line: what the batch does
    {"key": K, "page": 3, "result": {...desktop_ocr.result...}}        a page recognised (page null: an image)
    {"key": K, "start": ["report.json"]}                             its outputs are about to be written
    {"key": K, "done": ["report.json"]}                              a source's outputs are all written

``K`` names a source and its version: a file's real path, size and modification time (a file changed
since is read again), a URL as given. A run with ``--resume`` reads the record: a source whose
outputs are done (and still there) is skipped, a document's recorded pages are not read again, an
output named by a "start" line (a run killed while writing it) is ours to write again, temporary
files a killed write left behind are removed, and the record goes on growing; a run without it
starts a new record. A batch that ends with every source done removes its record (nothing is left
to resume); one that stops, fails a source or is interrupted keeps it. The record is only ever read
back by a run with the same options (a different format, page selection or recogniser would not give the
outputs the record describes): ``Journal.open`` refuses otherwise.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import WriteFailed
from ..core.model import OcrResult

FILE_NAME = ".desktop-ocr-batch.jsonl"
VERSION = 1


def source_key(source: str) -> str:
    """What identifies ``source`` and its version: a file by real path, size and mtime; else as given."""
    try:
        st = os.stat(source)
    except (OSError, ValueError):
        return source
    return f"{os.path.realpath(source)}|{st.st_size}|{st.st_mtime_ns}"


class OptionsChanged(ValueError):
    """--resume with options other than the recorded batch's: ``recorded`` and ``given`` differ."""

    def __init__(self, recorded: dict[str, Any], given: dict[str, Any]):
        diff = sorted(k for k in set(recorded) | set(given) if recorded.get(k) != given.get(k))
        self.changed = diff
        super().__init__(", ".join(f"{k} was {recorded.get(k)!r}, now {given.get(k)!r}" for k in diff))


@dataclass
class Recorded:
    """What an earlier run of the batch did."""

    pages: dict[str, dict[int | None, dict[str, Any]]] = field(default_factory=dict)  # key -> page -> result
    done: dict[str, list[str]] = field(default_factory=dict)  # key -> output file names
    started: dict[str, list[str]] = field(default_factory=dict)  # key -> output names being written

    def result(self, key: str, page: int | None) -> OcrResult | None:
        d = self.pages.get(key, {}).get(page)
        return OcrResult.from_dict(d) if d is not None else None


def read(path: Path) -> tuple[dict[str, Any] | None, Recorded]:
    """(the recorded options or None when there is no record, what was done). Lines that do not
    parse (the last one cut short by a kill) are skipped."""
    rec = Recorded()
    try:
        # written as ASCII: bytes that are not UTF-8 (a damaged disk block) spoil only their own line
        fh = open(path, encoding="utf-8", errors="replace")  # noqa: SIM115, PTH123
    except FileNotFoundError:
        return None, rec
    options: dict[str, Any] | None = None
    with fh:
        for line in fh:
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if not isinstance(obj, dict):
                continue
            if "batch" in obj and options is None:
                options = dict(obj.get("options") or {})
            elif "key" in obj and "result" in obj:
                page = obj.get("page")
                rec.pages.setdefault(str(obj["key"]), {})[None if page is None else int(page)] = obj["result"]
            elif "key" in obj and "done" in obj:
                rec.done[str(obj["key"])] = [str(x) for x in obj["done"]]
            elif "key" in obj and "start" in obj:
                rec.started[str(obj["key"])] = [str(x) for x in obj["start"]]
    return options, rec


class Journal:
    """The record being written: ``page()`` and ``done()`` append a line each and flush it to disk."""

    def __init__(self, path: Path, fd: int, recorded: Recorded):
        self.path = path
        self._fd = fd
        self.recorded = recorded

    @classmethod
    def open(cls, folder: Path, options: dict[str, Any], *, resume: bool, name: str = FILE_NAME) -> Journal:
        """Start a record in ``folder`` (replacing an earlier one), or with ``resume`` go on with the
        earlier one; ``name``: the record's file name (the window keeps one per opened folder or
        document in its data folder, gui.resume). Raises OptionsChanged (resume, other options) or
        WriteFailed."""
        path = folder / name
        earlier: dict[str, Any] | None = None
        recorded = Recorded()
        if resume:
            earlier, recorded = read(path)
            if earlier is not None and earlier != options:
                raise OptionsChanged(earlier, options)
        try:
            if earlier is not None:  # go on with it
                fd = os.open(path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_BINARY", 0))
                if not _ends_with_newline(path):  # a line cut short by a kill: end it, so the next one parses
                    os.write(fd, b"\n")
            else:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o644)
        except OSError as exc:
            raise _failed(path, exc) from None
        journal = cls(path, fd, recorded)
        if earlier is not None:
            from ..core.atomic import remove_leftover_temps

            remove_leftover_temps(folder)
        if earlier is None:
            journal._append({"batch": VERSION, "options": options})
        return journal

    def _append(self, obj: dict[str, Any]) -> None:
        # ASCII: a file name that is not UTF-8 (surrogate escapes) round-trips as \udcXX escapes
        data = (json.dumps(obj, ensure_ascii=True, separators=(",", ":")) + "\n").encode("ascii")
        try:
            view = memoryview(data)
            while view:
                n = os.write(self._fd, view)
                view = view[n:]
            os.fsync(self._fd)
        except OSError as exc:
            raise _failed(self.path, exc) from None

    def page(self, key: str, page: int | None, result: OcrResult) -> None:
        self._append({"key": key, "page": page, "result": result.to_dict()})
        self.recorded.pages.setdefault(key, {})[page] = result.to_dict()

    def started(self, key: str, outputs: list[str]) -> None:
        """``key``'s outputs are about to be written (a resumed run may replace what is there)."""
        if self.recorded.started.get(key) == outputs:
            return
        self._append({"key": key, "start": outputs})
        self.recorded.started[key] = outputs

    def done(self, key: str, outputs: list[str]) -> None:
        self._append({"key": key, "done": outputs})
        self.recorded.done[key] = outputs

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def finish(self) -> None:
        """The batch ended with everything done: the record is not needed any more (removed)."""
        self.close()
        try:
            self.path.unlink()
        except OSError:
            pass


def _ends_with_newline(path: Path) -> bool:
    with open(path, "rb") as fh:  # noqa: PTH123
        fh.seek(0, os.SEEK_END)
        if fh.tell() == 0:
            return True
        fh.seek(-1, os.SEEK_END)
        return fh.read(1) == b"\n"


def _failed(path: Path, exc: OSError) -> WriteFailed:
    """Any failure to keep the record stops the batch (a page not recorded could not be resumed)."""
    from ..core.atomic import device_error
    from ..core.naming import printable

    shown = printable(str(path))
    found = device_error(exc, shown)
    if found is not None:
        return found
    error = exc.strerror or str(exc)
    return WriteFailed(f"cannot write the batch record {shown}: {error}", fatal=True, reason="failed",
                       params={"path": shown, "error": error})
