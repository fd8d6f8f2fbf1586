"""Files are written whole or not at all: write a temp file beside the target, fsync, rename.

    write_atomic(path, data, overwrite=True) -> Path
    open_atomic(path, overwrite=True)  a binary file to stream into, put in place when the block ends
    check_folder(folder) -> Path      create the folder if needed and prove a file can be created in it
    refusal(path, overwrite) -> WriteFailed | None   what write_atomic would refuse at ``path`` now
    remove_leftover_temps(folder)     what a killed write left (a resumed batch's folder)

The file gets the mode a plain ``open(path, "w")`` would give it: the temp file is created with
0666 and the process umask (and a folder's default ACL) applies; an existing file that is replaced
keeps its permission bits. ``overwrite=False`` never replaces an existing file, not even one another
process created a moment ago: the temp file is hard-linked into place, which fails if the name is
taken (on file systems without hard links, the name is claimed with O_EXCL before the rename).

Every failure is a WriteFailed (core.errors) whose ``reason`` names it and whose ``fatal`` says that
nothing more can be written into that folder (not writable, disk full, read-only file system, I/O
error), as opposed to this one file (it exists, a folder is in the way).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .errors import WriteFailed
from .naming import printable

#: errors that hit every file written to that device, not just this one
_FATAL = {
    errno.ENOSPC: ("no_space", "the disk is full (no space left on the device)"),
    errno.EFBIG: ("too_large", "the file size limit was reached"),
    errno.EROFS: ("read_only_fs", "the file system is read-only"),
    errno.EIO: ("io_error", "input/output error on the device"),
}
if hasattr(errno, "EDQUOT"):
    _FATAL[errno.EDQUOT] = ("no_space", "the disk quota is exhausted")
#: hard links are not supported here (FAT, exFAT, some network file systems)
_NO_LINKS = {errno.EPERM, errno.EXDEV, errno.EMLINK, getattr(errno, "ENOTSUP", -1),
             getattr(errno, "EOPNOTSUPP", -1), getattr(errno, "ENOSYS", -1)}
_TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)


def _strerror(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


def _errno_name(exc: OSError) -> str:
    return errno.errorcode.get(exc.errno or 0, "")


def device_error(exc: OSError, shown: str) -> WriteFailed | None:
    """A write to ``shown`` failed for the whole device (full, read-only, size limit): the fatal
    WriteFailed that stops a batch; None for an error of this file alone."""
    if exc.errno not in _FATAL:
        return None
    reason, text = _FATAL[exc.errno]
    return WriteFailed(f"cannot write {shown}: {text}", fatal=True, reason=reason,
                       params={"path": shown, "error": _strerror(exc), "errno": _errno_name(exc)})


def _folder_error(folder: Path, exc: OSError) -> WriteFailed:
    shown = printable(str(folder))
    found = device_error(exc, shown)
    if found is not None:
        return found
    if isinstance(exc, (FileExistsError, NotADirectoryError)) or exc.errno == errno.ELOOP:
        # the path itself, or the first part of it that is in the way (a file where a folder should be)
        folder = next((p for p in (folder, *folder.parents) if os.path.lexists(p) and not os.path.isdir(p)), folder)
        shown = printable(str(folder))
        try:
            os.stat(folder)
            what = "exists and is not a folder"
        except OSError as probe:
            what = ("is a symbolic link loop" if probe.errno == errno.ELOOP else
                    "is a symbolic link to a missing folder" if os.path.islink(folder) else
                    "is not a folder")
        return WriteFailed(f"{shown} {what}", fatal=True, reason="not_a_folder", params={"folder": shown})
    text = "permission denied" if isinstance(exc, PermissionError) else _strerror(exc)
    return WriteFailed(f"cannot write into the folder {shown}: {text}", fatal=True, reason="folder",
                       params={"folder": shown, "error": _strerror(exc), "errno": _errno_name(exc)})


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _folder_error(folder, exc) from None


_TEMP_NAME = re.compile(r"\..+\.[0-9a-f]{8}\.part")


def _create_temp(folder: Path, name: str) -> tuple[int, Path]:
    """A new empty temp file beside the target, mode 0666 less the umask (what open() gives)."""
    for _ in range(100):
        tmp = folder / f".{name[:100]}.{secrets.token_hex(4)}.part"
        try:
            return os.open(tmp, _TEMP_FLAGS, 0o666), tmp
        except FileExistsError:
            continue
        except OSError as exc:
            if exc.errno == errno.ENAMETOOLONG:
                shown = printable(str(folder / name))
                raise WriteFailed(f"cannot write {shown}: the name is too long", reason="failed",
                                  params={"path": shown, "error": _strerror(exc),
                                          "errno": _errno_name(exc)}) from None
            raise _folder_error(folder, exc) from None
    raise WriteFailed(f"cannot write into the folder {printable(str(folder))}: no free temporary name",
                      fatal=True, reason="folder",
                      params={"folder": printable(str(folder)), "error": "no free temporary name", "errno": ""})


def remove_leftover_temps(folder: str | os.PathLike) -> int:
    """Remove the temp files a process killed while writing left in ``folder`` (how many). Only for
    a folder no other writer uses at the moment (a batch's output folder when it is resumed)."""
    removed = 0
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    for name in names:
        if _TEMP_NAME.fullmatch(name):
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(folder, name))
                removed += 1
    return removed


def check_folder(folder: str | os.PathLike) -> Path:
    """Create ``folder`` if needed and prove a file can be created in it (a temp file, removed at
    once), so a batch can refuse before any work rather than fail on every image."""
    path = Path(folder)
    _make_folder(path)
    fd, tmp = _create_temp(path, "write-check")
    os.close(fd)
    try:
        os.unlink(tmp)
    except OSError as exc:
        raise _folder_error(path, exc) from None
    return path


def refusal(path: str | os.PathLike, *, overwrite: bool) -> WriteFailed | None:
    """The WriteFailed ``write_atomic(path, overwrite=overwrite)`` would refuse with for what is at
    ``path`` now (a folder; any file unless ``overwrite``), or None: lets a batch skip the work."""
    try:
        st = os.lstat(path)
    except (OSError, ValueError):  # free (or unreadable: the write will say why)
        return None
    if stat.S_ISDIR(st.st_mode) or not overwrite:
        return _refuse_existing(Path(path), printable(str(path)), st)
    return None


def _refuse_existing(target: Path, shown: str, st: os.stat_result) -> WriteFailed:
    if stat.S_ISDIR(st.st_mode):
        return WriteFailed(f"{shown} is a folder; the result cannot be written there", reason="is_folder",
                           params={"path": shown})
    return WriteFailed(f"{shown} already exists; it was not replaced", reason="exists", params={"path": shown})


def _link_into_place(tmp: Path, target: Path, shown: str) -> None:
    """Rename ``tmp`` to ``target`` unless ``target`` exists (also if created meanwhile)."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise _refuse_existing(target, shown, os.lstat(target)) from None
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
        try:  # no hard links on this file system: claim the name, then rename onto our own claim
            os.close(os.open(target, _TEMP_FLAGS, 0o666))
        except FileExistsError:
            raise _refuse_existing(target, shown, os.lstat(target)) from None
        os.replace(tmp, target)
        return
    with contextlib.suppress(OSError):  # the result is in place; a leftover temp name is harmless
        os.unlink(tmp)


def write_atomic(path: str | os.PathLike, data: str | bytes, *, encoding: str = "utf-8",
                 overwrite: bool = True) -> Path:
    """Write ``data`` to ``path`` whole or not at all; raises WriteFailed (see the module docstring).
    ``overwrite=False``: an existing ``path`` is never replaced (WriteFailed reason "exists")."""
    raw = data.encode(encoding) if isinstance(data, str) else data  # before anything is created
    with open_atomic(path, overwrite=overwrite) as fh:
        fh.write(raw)
    return Path(path)


@contextlib.contextmanager
def open_atomic(path: str | os.PathLike, *, overwrite: bool = True) -> Iterator[AtomicFile]:
    """A binary file to write ``path``'s content into, in place (fsync'ed, renamed) when the block
    ends without an exception, removed otherwise: the streaming form of ``write_atomic``, for content
    too large to hold in memory. Raises WriteFailed as write_atomic does."""
    target = Path(path)
    shown = printable(str(target))
    _make_folder(target.parent)
    try:
        st: os.stat_result | None = os.lstat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise WriteFailed(f"cannot write {shown}: {_strerror(exc)}", reason="failed",
                          params={"path": shown, "error": _strerror(exc), "errno": _errno_name(exc)}) from None
    if st is not None and (stat.S_ISDIR(st.st_mode) or not overwrite):
        raise _refuse_existing(target, shown, st)
    keep_mode = stat.S_IMODE(st.st_mode) & 0o777 if st is not None and stat.S_ISREG(st.st_mode) else None
    fd, tmp = _create_temp(target.parent, target.name)
    try:
        with os.fdopen(fd, "wb") as fh:
            writer = AtomicFile(fh, shown)
            yield writer  # what the caller raises passes through as it is (the temp file removed)
            try:
                fh.flush()
                os.fsync(fh.fileno())
            except OSError as exc:
                raise write_error(exc, shown) from None
        try:
            if keep_mode is not None:
                os.chmod(tmp, keep_mode)
            if overwrite:
                os.replace(tmp, target)  # atomic on POSIX and Windows (same volume)
            else:
                _link_into_place(tmp, target, shown)
        except OSError as exc:
            raise write_error(exc, shown) from None
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


class AtomicFile:
    """The temp file as open_atomic's caller sees it: a write that fails is a WriteFailed."""

    def __init__(self, fh: BinaryIO, shown: str):
        self._fh, self._shown = fh, shown

    def write(self, data: bytes) -> int:
        try:
            return self._fh.write(data)
        except OSError as exc:
            raise write_error(exc, self._shown) from None

    def tell(self) -> int:
        return self._fh.tell()


def write_error(exc: OSError, shown: str) -> WriteFailed:
    """The WriteFailed for a failed write of ``shown`` (fatal when the device is the cause)."""
    found = device_error(exc, shown)
    if found is not None:
        return found
    if isinstance(exc, IsADirectoryError):
        return WriteFailed(f"{shown} is a folder; the result cannot be written there", reason="is_folder",
                           params={"path": shown})
    if isinstance(exc, PermissionError):
        return WriteFailed(f"cannot write {shown}: permission denied", reason="permission", params={"path": shown})
    return WriteFailed(f"cannot write {shown}: {_strerror(exc)}", reason="failed",
                       params={"path": shown, "error": _strerror(exc), "errno": _errno_name(exc)})
