"""Persistent user settings (QSettings): geometry, last folder, recent files, export format, threshold,
what follows a screen capture and its last region."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import cast

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

from ..formats.text import JOIN_MODES

MAX_RECENT = 10
#: "After a capture": show it in the window, or copy its text (formats.text.JOIN_MODES)
CAPTURE_AFTER = ("show", *JOIN_MODES)


class Settings:
    """Typed accessors over QSettings. Tests pass their own ini-backed QSettings."""

    def __init__(self, qsettings: QSettings | None = None):
        self.q = qsettings or QSettings("desktop_ocr", "desktop_ocr")

    def _get(self, key: str, default, typ):
        value = self.q.value(key, default)
        try:
            if typ is bool and isinstance(value, str):  # ini files store booleans as text
                return value.lower() == "true"
            return typ(value)
        except (TypeError, ValueError):
            return default

    # window
    def geometry(self) -> QByteArray | None:
        v = self.q.value("window/geometry")
        return v if isinstance(v, QByteArray) else None

    def set_geometry(self, data: QByteArray) -> None:
        self.q.setValue("window/geometry", data)

    # files
    def last_folder(self) -> str:
        return self._get("files/last_folder", "", str)

    def set_last_folder(self, folder: str) -> None:
        self.q.setValue("files/last_folder", folder)

    def last_export_folder(self) -> str:
        """The folder of the last export: where a save dialog opens for an image that is not a
        local file (a URL, a pasted image)."""
        return self._get("files/last_export_folder", "", str)

    def set_last_export_folder(self, folder: str) -> None:
        self.q.setValue("files/last_export_folder", folder)

    def recent_files(self) -> list[str]:
        v = self.q.value("files/recent", [])
        if isinstance(v, str):  # QSettings collapses one-element lists to a string
            v = [v] if v else []
        return [str(x) for x in cast("Iterable[object]", v or [])]  # QSettings gives back the list

    def add_recent(self, path: str) -> list[str]:
        items = [p for p in self.recent_files() if p != path]
        items.insert(0, path)
        items = items[:MAX_RECENT]
        self.q.setValue("files/recent", items)
        return items

    def clear_recent(self) -> None:
        self.q.setValue("files/recent", [])

    # export / view
    def export_format(self) -> str:
        return self._get("export/format", "json", str)

    def set_export_format(self, name: str) -> None:
        self.q.setValue("export/format", name)

    def json_format(self) -> str:
        """The JSON format Copy JSON uses: the last JSON format exported to (a plain-text export does
        not change it); "" before any (gui.main_window.copy_format then follows the export format)."""
        return self._get("export/json_format", "", str)

    def set_json_format(self, name: str) -> None:
        self.q.setValue("export/json_format", name)

    def threshold(self) -> float:
        return min(1.0, max(0.0, self._get("view/threshold", 0.6, float)))

    def set_threshold(self, value: float) -> None:
        self.q.setValue("view/threshold", float(value))

    def hide_low(self) -> bool:
        return self._get("view/hide_low", False, bool)

    def set_hide_low(self, value: bool) -> None:
        self.q.setValue("view/hide_low", bool(value))

    def read_codes(self) -> bool:
        """View > Read QR Codes and Barcodes (default on)."""
        return self._get("recognition/codes", True, bool)

    def set_read_codes(self, value: bool) -> None:
        self.q.setValue("recognition/codes", bool(value))

    def language(self) -> str:
        """'system', 'en' or 'zh_CN'."""
        return self._get("view/language", "system", str)

    def set_language(self, lang: str) -> None:
        self.q.setValue("view/language", lang)

    def backend(self) -> str:
        return self._get("engine/backend", "local", str)

    def set_backend(self, name: str) -> None:
        self.q.setValue("engine/backend", name)

    def serve_port(self) -> int:
        """The port of Serve API (the window's in-process ``desktop-ocr serve``)."""
        from ..server.config import DEFAULT_PORT

        port = self._get("serve/port", DEFAULT_PORT, int)
        return port if 1 <= port <= 65535 else DEFAULT_PORT

    def set_serve_port(self, port: int) -> None:
        self.q.setValue("serve/port", int(port))

    # screen capture
    def capture_after(self) -> str:
        """What follows a capture: "show" (in the window) or a copy of its text to the clipboard:
        "lines", "paragraphs", "one_line" or "layout" (formats.text.joined)."""
        value = self._get("capture/after", "show", str)
        return value if value in CAPTURE_AFTER else "show"

    def set_capture_after(self, mode: str) -> None:
        if mode not in CAPTURE_AFTER:
            raise ValueError(f"unknown capture mode {mode!r}")
        self.q.setValue("capture/after", mode)

    def last_region(self) -> tuple[int, int, int, int] | None:
        """The last captured region (x, y, width, height, logical desktop pixels), for Enter/Space."""
        v = self.q.value("capture/last_region")
        if isinstance(v, str):
            v = v.split(",")
        try:
            x, y, w, h = (int(str(p).strip()) for p in cast("Iterable[object]", v or []))
        except (TypeError, ValueError):
            return None
        return (x, y, w, h) if w > 0 and h > 0 else None

    def set_last_region(self, region: tuple[int, int, int, int]) -> None:
        self.q.setValue("capture/last_region", ",".join(str(int(v)) for v in region))

    def first_run(self) -> bool:
        """True exactly once: on the first start with these settings."""
        if self._get("app/started", False, bool):
            return False
        self.q.setValue("app/started", True)
        return True

    def data_folder(self) -> Path:
        """Where the app keeps files of its own (the records of batches to resume, gui.resume): the
        app's data folder (QStandardPaths.AppDataLocation); settings kept in an ini file of their
        own (tests' throwaway settings, a portable setup) keep their data beside it, in
        ``<name>-data``."""
        if self.q.format() == QSettings.Format.IniFormat and self.q.fileName():
            ini = Path(self.q.fileName())
            return ini.with_name(ini.stem + "-data")
        location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
        return Path(location) if location else Path.home() / ".desktop_ocr"

    def sync(self) -> None:
        self.q.sync()
