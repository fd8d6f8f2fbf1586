"""The PySide6 window. Qt only: every bit of OCR work is delegated to desktop_ocr.core/backends/formats."""

from __future__ import annotations

import ctypes
import sys


def _make_none_immortal() -> None:
    """Work around PySide6 6.12.0 on Python < 3.12: every call of a void Qt method from Python
    returns None without taking a reference, so each one drops None's refcount by one; after a few
    tens of thousands of calls (a long session, a big batch) CPython aborts with "deallocating None".
    Python 3.12+ made None immortal (PEP 683), which hides the bug. Here we do the same by hand:
    None can never be freed legitimately, so a huge extra count is harmless. Verified before writing.
    """
    if sys.version_info >= (3, 12):
        return
    import PySide6  # the pin in pyproject.toml excludes 6.12.0; this covers installs that ignore it

    if not PySide6.__version__.startswith("6.12.0"):
        return
    cell = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt: the first field of a (non-trace) build
    if cell.value != sys.getrefcount(None) - 1:  # unexpected object layout: leave it alone
        return
    cell.value += 1 << 40


_make_none_immortal()
