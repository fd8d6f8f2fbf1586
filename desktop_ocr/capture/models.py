"""The shared interface of screen capture: one screen's picture (Shot) and what a handler is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from PySide6.QtGui import QImage


@dataclass(frozen=True)
class Shot:
    """One screen's picture.

    ``image`` holds the screen at its native (device) pixels; ``x``, ``y``, ``width``, ``height`` are
    the screen's geometry in logical (device-independent) virtual-desktop coordinates, as
    QScreen.geometry() gives them; ``ratio`` is device pixels per logical pixel
    (QScreen.devicePixelRatio()); ``name`` is QScreen.name().
    """

    image: QImage
    x: int
    y: int
    width: int
    height: int
    ratio: float
    name: str


@runtime_checkable
class HandlerProtocol(Protocol):
    """A way of taking a screenshot (Qt's grab, the desktop portal...)."""

    #: short stable name, used in messages ("qt", "dbus_portal")
    name: str

    def is_compatible(self) -> bool:
        """Whether this handler can work in this session at all (cheap, no screenshot taken)."""
        ...

    def capture(self) -> list[Shot]:
        """Every screen's picture; raises core.errors.CaptureFailed when it cannot."""
        ...
