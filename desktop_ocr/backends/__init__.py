"""Recognisers by name: the local engine and the cloud backends, all behind core.recognizer.Recognizer.

Which class serves a cloud vendor is that vendor's registry entry (desktop_ocr.vendors); the class
is imported on first use, so the local app runs without the [cloud] extra's SDKs.
"""

from __future__ import annotations

from typing import Any

from .. import vendors
from ..core.recognizer import Recognizer

LOCAL = "local"


def names() -> tuple[str, ...]:
    """Every backend: the local engine first, then the registered cloud vendors."""
    return (LOCAL, *vendors.names())


def cloud_names() -> tuple[str, ...]:
    return vendors.names()


def create(name: str, **settings: Any) -> Recognizer:
    """A ready recogniser. Cloud backends take their registry entry's fields as keywords
    (endpoint/region/credentials...); None values are left out (the class's defaults apply)."""
    if name == LOCAL:  # settings: runtime ("auto" when None)
        from ..core.engine import LocalEngine

        return LocalEngine(runtime=settings.get("runtime") or "auto")
    if name not in vendors.names():
        raise ValueError(f"unknown backend {name!r}; choose from {', '.join(names())}")
    cls = vendors.get(name).recognizer_class()
    return cls(**{k: v for k, v in settings.items() if v is not None})
