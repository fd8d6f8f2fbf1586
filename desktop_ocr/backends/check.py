"""Test connection: the cheapest real call to a cloud vendor, with no Qt in it.

``check_connection(vendor, settings)`` builds the vendor's recogniser from the settings (the
dialog's values; empty ones fall back to the environment and the keyring, as for recognition:
``credentials.resolve``), sends one tiny generated image (a few hundred bytes of PNG with a word on
it) with no retry, and returns a ``ConnectionCheck``: ok, or the failure classified into one reason
the window words in one sentence (``error.key`` / ``error.params``; see backends._http for the
reasons: no_connection, timeout, auth, quota, server, bad_answer, rejected; besides, "settings"
when the settings themselves are missing or malformed and "cloud_extra_missing" when the vendor's
SDK is not installed). It never raises for a failure of the call and never shows a secret.

It blocks for at most about ``timeout`` seconds (one request): the window runs it in a worker thread.
"""

from __future__ import annotations

import functools
import inspect
import io
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import vendors
from ..core.errors import BackendError, NoTextFound, OcrError, user_message
from ..core.image import LoadedImage
from ..core.recognizer import RecognizeOptions
from . import create
from ._base import SettingsError
from .credentials import CredentialStore, redact, resolve, scrub_error

DEFAULT_TIMEOUT = 15.0  # seconds; one small request
PROBE_TEXT = "OK 42"


@dataclass
class ConnectionCheck:
    """What a connection test found. ``reason`` is None when ``ok``; otherwise the error's reason
    (also ``error.reason``), and ``message`` the English sentence (``error.message``, no secrets)."""

    vendor: str
    ok: bool
    reason: str | None = None
    message: str = ""
    error: OcrError | None = None
    seconds: float = 0.0
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """"ok", or the error's key ("backend_error.no_connection", "auth_failed.auth", ...)."""
        return "ok" if self.ok or self.error is None else self.error.key


@functools.lru_cache(maxsize=1)
def probe_image() -> LoadedImage:
    """A small PNG with a short word on it: cheap to send, and every vendor accepts its size."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGB", (160, 48), "white")
    draw = ImageDraw.Draw(img)
    try:
        font: Any = ImageFont.load_default(size=28)
    except TypeError:  # Pillow < 10.1: the fixed bitmap font
        font = ImageFont.load_default()
    draw.text((12, 8), PROBE_TEXT, fill="black", font=font)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return LoadedImage(pixels=np.asarray(img), source="connection test", data=buf.getvalue(), format="png")


def _no_text(vendor: str, err: BackendError) -> bool:
    """The vendor's own "no text in this image" answer: the call went through (keys, service, quota)."""
    code = getattr(vendors.get(vendor).format_module(), "NO_TEXT_CODE", None)
    return code is not None and err.vendor_code == code


def _call_limits(vendor: str, **limits: Any) -> dict[str, Any]:
    """The limits (timeout, retries) the vendor's recogniser takes: every CloudRecognizer takes both;
    a registered vendor of another make may take fewer."""
    try:
        params = inspect.signature(vendors.get(vendor).recognizer_class()).parameters.values()
    except (TypeError, ValueError, ImportError):
        return {}
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return limits
    names = {p.name for p in params}
    return {k: v for k, v in limits.items() if k in names}


def check_connection(vendor: str, settings: Mapping[str, Any] | None = None, *,
                     timeout: float = DEFAULT_TIMEOUT, use_stored: bool = True,
                     environ: Mapping[str, str] | None = None,
                     store: CredentialStore | None = None) -> ConnectionCheck:
    """One real call to ``vendor`` with ``settings`` (the recogniser's keywords: endpoint, region,
    keys...). ``use_stored``: fill what is not given from the environment and the keyring, by the
    one precedence of ``credentials.resolve`` (False: test exactly the given values). Secrets are
    taken as one set there: a dialog that keeps a stored key for a field left empty passes the
    stored value of that field itself (CredentialStore.load), with the ones typed in.

    Returns within about ``timeout`` seconds (one request, never retried); never raises for a
    failure of the settings, the network or the vendor, and nothing in the result shows a secret."""
    t0 = time.perf_counter()

    def failed(err: OcrError) -> ConnectionCheck:
        scrub_error(err)
        return ConnectionCheck(vendor, False, err.reason or err.code, err.message, err,
                               time.perf_counter() - t0, dict(err.params))

    try:
        vendors.get(vendor)
    except ValueError as exc:
        return failed(SettingsError(str(exc)))
    given = {k: v for k, v in (settings or {}).items() if v is not None and v != ""}
    try:
        values = resolve(vendor, given, environ, store) if use_stored else dict(given)
        values.update(_call_limits(vendor, timeout=timeout, retries=0))
        recognizer = create(vendor, **values)
    except OcrError as exc:  # SettingsError (missing/malformed), EngineUnavailable (no SDK)
        return failed(exc)
    except (ValueError, TypeError) as exc:  # a setting the recogniser does not take
        return failed(SettingsError(redact(str(exc))))
    try:
        recognizer.recognize(probe_image(), RecognizeOptions(detect_rotation=False))
    except NoTextFound:
        pass  # the vendor read the image: connection, keys and service are fine
    except BackendError as exc:
        if not _no_text(vendor, exc):
            return failed(exc)
    except OcrError as exc:
        return failed(exc)
    except Exception as exc:  # a fault of ours: still one sentence, never a traceback in the dialog
        err = OcrError(f"the connection test failed: {user_message(exc)}", reason="unexpected",
                       params={"vendor": vendor, "detail": type(exc).__name__})
        return failed(err)
    title = vendors.get(vendor).title
    return ConnectionCheck(vendor, True, None, f"{title} answered: the connection and keys work", None,
                           time.perf_counter() - t0, {"vendor": title})
