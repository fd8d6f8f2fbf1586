"""The shared interface of global shortcuts: what a handler is, and a key written as Qt writes it
("Ctrl+Shift+A", "Ctrl+Alt+F4", "Print") split into modifiers and a key name. Qt-free."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from desktop_ocr.core.errors import HotkeyFailed

#: the modifier names accepted in a key (lower case) -> our canonical name
MODIFIERS = {"ctrl": "ctrl", "control": "ctrl", "shift": "shift", "alt": "alt", "meta": "meta",
             "super": "meta", "win": "meta", "logo": "meta"}


@dataclass(frozen=True)
class Key:
    """A key combination: ``modifiers`` among "ctrl", "shift", "alt", "meta" (the Windows/Super key);
    ``name`` the key as written ("A", "F4", "Print", "Space")."""

    modifiers: frozenset[str]
    name: str


def parse_key(text: str) -> Key:
    """"Ctrl+Shift+A" -> Key({"ctrl", "shift"}, "A"); raises HotkeyFailed("bad_key") when it is not one."""
    if text.strip() == "+" or text.endswith("++"):  # "Ctrl++": the plus key itself
        parts = [p.strip() for p in text[:-2].split("+")] + ["+"] if text.endswith("++") else ["+"]
    else:
        parts = [p.strip() for p in text.split("+")]
    mods, name = parts[:-1], parts[-1] if parts else ""
    unknown = [m for m in mods if m.lower() not in MODIFIERS]
    if not name or unknown or any(not m for m in mods):
        raise HotkeyFailed(f"{text!r} is not a key combination (e.g. Ctrl+Shift+A)", reason="bad_key",
                           params={"key": text})
    return Key(frozenset(MODIFIERS[m.lower()] for m in mods), name)


@runtime_checkable
class HotkeyHandler(Protocol):
    """A way of receiving a key pressed anywhere on the desktop (an X11 key grab, the desktop portal...)."""

    #: short stable name, used in messages ("x11", "portal")
    name: str
    #: why it cannot be used, when is_compatible() says no (one phrase, English, for the details)
    unavailable: str

    def is_compatible(self) -> bool:
        """Whether this handler can work in this session at all (cheap, nothing registered)."""
        ...

    def start(self, key: str, callback: Callable[[], None]) -> None:
        """Register ``key`` and call ``callback`` (with no arguments) each time it is pressed, from
        whatever thread the handler listens on; raises core.errors.HotkeyFailed when it cannot."""
        ...

    def stop(self) -> None:
        """Release the key; promptly, and safe to call twice or without a start."""
        ...
