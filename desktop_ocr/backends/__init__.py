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
    from ..core.errors import OcrError
    from .credentials import register_secret, reveal, scrub_error

    spec = vendors.get(name)
    for key in spec.secret_fields:  # every secret field (key ids too) is scrubbed from what we show
        if settings.get(key) is not None:
            register_secret(reveal(settings[key]))
    cls = spec.recognizer_class()
    try:
        return cls(**{k: v for k, v in settings.items() if v is not None})
    except OcrError as exc:  # a setting quoted in the message (an endpoint with a password in it)
        raise scrub_error(exc) from None


def check_connection(name: str, settings=None, **kw):
    """Test connection (backends.check.check_connection): one real call to a cloud vendor, the result
    ok or a classified reason. Qt-free; blocks for up to the timeout (run it off the GUI thread)."""
    from .check import check_connection as run

    return run(name, settings, **kw)
