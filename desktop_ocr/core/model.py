"""The result model shared by the engine, the cloud backends, the exports and the window.

Coordinates are always pixels of the ORIGINAL image (before any rotation or scaling we did).
``angle`` is the degrees the text is turned from upright, clockwise positive (Tencent's ``Angle``
convention), normalised to (-180, 180].
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Point = tuple[float, float]

SCHEMA = "desktop_ocr.result"
SCHEMA_VERSION = 1


def _pt(p: Any) -> Point:
    return (float(p[0]), float(p[1]))


def unspaced(text: str) -> str:
    """``text`` with its white space left out: the characters a line says."""
    return "".join(text.split())


def normalize_angle(angle: float) -> float:
    """Map any angle in degrees to (-180, 180]."""
    a = float(angle) % 360.0
    return a - 360.0 if a > 180.0 else a


@dataclass
class CharBox:
    """One character (or word, for Latin text) inside a line."""

    text: str
    score: float | None = None
    polygon: list[Point] | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"text": self.text, "score": self.score}
        if self.polygon is not None:
            d["polygon"] = [list(p) for p in self.polygon]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CharBox:
        poly = d.get("polygon")
        return cls(text=d["text"], score=d.get("score"),
                   polygon=[_pt(p) for p in poly] if poly is not None else None)


@dataclass
class TextLine:
    """A recognised text line: a polygon of 4+ points, its text and confidence (0..1, None if unknown)."""

    text: str
    polygon: list[Point]
    score: float | None = None
    chars: list[CharBox] | None = None
    paragraph: int = 0
    #: a decoded QR code or barcode (core.codes): its format's name ("QRCode", "EAN13"); None for text
    code: str | None = None
    #: vertical writing (core.vertical): a column of upright characters read top to bottom; its
    #: polygon is the column as it stands (top-left, top-right, bottom-right, bottom-left)
    vertical: bool = False

    def __post_init__(self) -> None:
        self.polygon = [_pt(p) for p in self.polygon]
        if len(self.polygon) < 4:
            raise ValueError(f"a line polygon needs 4+ points, got {len(self.polygon)}")
        if self.score is not None and not 0.0 <= self.score <= 1.0:
            raise ValueError(f"score must be within 0..1, got {self.score}")

    def bbox(self) -> tuple[float, float, float, float]:
        """Axis-aligned (left, top, right, bottom) of the polygon."""
        xs = [p[0] for p in self.polygon]
        ys = [p[1] for p in self.polygon]
        return min(xs), min(ys), max(xs), max(ys)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "text": self.text,
            "score": self.score,
            "polygon": [list(p) for p in self.polygon],
            "paragraph": self.paragraph,
        }
        if self.chars is not None:
            d["chars"] = [c.to_dict() for c in self.chars]
        if self.code is not None:
            d["code"] = self.code
        if self.vertical:
            d["vertical"] = True
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TextLine:
        chars = d.get("chars")
        return cls(text=d["text"], polygon=d["polygon"], score=d.get("score"),
                   chars=[CharBox.from_dict(c) for c in chars] if chars is not None else None,
                   paragraph=int(d.get("paragraph", 0)), code=None if d.get("code") is None else str(d["code"]),
                   vertical=bool(d.get("vertical", False)))


@dataclass
class OcrResult:
    """Everything recognised on one image, lines in upright reading order."""

    width: int
    height: int
    lines: list[TextLine] = field(default_factory=list)
    angle: float = 0.0
    angle_detected: bool = False  # False: nobody looked for rotation (Huawei then reports -1)
    engine: str = "local"
    source: str = ""
    elapsed: float | None = None  # seconds spent recognising
    meta: dict[str, Any] = field(default_factory=dict)  # vendor round-trip extras (RequestId, session_id)
    page: int | None = None  # the page (1-based) of a PDF or multi-page TIFF this result is of

    def __post_init__(self) -> None:
        self.angle = normalize_angle(self.angle)

    @property
    def text(self) -> str:
        """Plain text in reading order; paragraphs separated by a blank line."""
        out: list[str] = []
        prev: int | None = None
        for line in self.lines:
            if prev is not None and line.paragraph != prev:
                out.append("")
            out.append(line.text)
            prev = line.paragraph
        return "\n".join(out)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "version": SCHEMA_VERSION,
            "width": self.width,
            "height": self.height,
            "angle": self.angle,
            "angle_detected": self.angle_detected,
            "engine": self.engine,
            "source": self.source,
            "elapsed": self.elapsed,
            "meta": self.meta,
            **({"page": self.page} if self.page is not None else {}),
            "lines": [ln.to_dict() for ln in self.lines],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> OcrResult:
        if d.get("schema") != SCHEMA:
            raise ValueError(f"not a {SCHEMA} document")
        version = d.get("version")
        if not isinstance(version, int) or version > SCHEMA_VERSION:
            raise ValueError(f"unsupported {SCHEMA} version {version!r} (this build reads up to {SCHEMA_VERSION})")
        return cls(width=int(d["width"]), height=int(d["height"]),
                   lines=[TextLine.from_dict(x) for x in d.get("lines", [])],
                   angle=float(d.get("angle", 0.0)), angle_detected=bool(d.get("angle_detected", False)),
                   engine=d.get("engine", "local"), source=d.get("source", ""),
                   elapsed=d.get("elapsed"), meta=dict(d.get("meta") or {}),
                   page=None if d.get("page") is None else int(d["page"]))


DOCUMENT_SCHEMA = "desktop_ocr.document"
DOCUMENT_VERSION = 1


@dataclass
class OcrDocument:
    """The recognised pages of a PDF or multi-page TIFF: one OcrResult per page read, in page order
    (each with its ``page``); ``page_count`` is the document's, read or not."""

    source: str
    page_count: int
    pages: list[OcrResult] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Every page's text, pages separated by a form feed (as pdftotext separates them)."""
        return "\f".join(p.text for p in self.pages)

    def to_dict(self) -> dict[str, Any]:
        return {"schema": DOCUMENT_SCHEMA, "version": DOCUMENT_VERSION, "source": self.source,
                "page_count": self.page_count, "pages": [p.to_dict() for p in self.pages]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> OcrDocument:
        if d.get("schema") != DOCUMENT_SCHEMA:
            raise ValueError(f"not a {DOCUMENT_SCHEMA} document")
        version = d.get("version")
        if not isinstance(version, int) or version > DOCUMENT_VERSION:
            raise ValueError(f"unsupported {DOCUMENT_SCHEMA} version {version!r} (this build reads up to "
                             f"{DOCUMENT_VERSION})")
        return cls(source=str(d.get("source", "")), page_count=int(d["page_count"]),
                   pages=[OcrResult.from_dict(p) for p in d.get("pages", [])])
