"""Cloud credentials: kept in the OS keyring, read from the vendors' usual environment variables,
masked in every repr, and scrubbed (``redact``) from log records (ours and the vendor SDKs', their
tracebacks included), from every error a cloud backend raises (``scrub_error``: message, params,
vendor code, request id) and from the command line's stderr. Redaction knows every secret a
Secret() was made of or ``register_secret`` was given (secret keys, session and IAM tokens, access
key ids), also JSON-escaped or percent-encoded, plus credential headers, URL passwords and the
credentials of presigned URLs.

Only secrets are stored here. Non-secret settings (endpoint, region, project id, appid) belong in
the caller's ordinary settings; a secret never goes to QSettings, a log, an export or a crash dialog.
Which fields are secret and which environment variables carry them is each vendor's registry entry
(desktop_ocr.vendors); ``resolve`` applies the one precedence documented there.
Where no keyring backend is usable (headless Linux without a Secret Service, for example) the
store says so and keeps secrets in memory for this session only.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, quote_plus

from .. import vendors

log = logging.getLogger(__name__)

KEYRING_SERVICE = "desktop-ocr"



# --------------------------------------------------------------------------- masking


class Secret:
    """A secret string that never shows itself: repr/str/format print a mask. ``reveal()`` to use it."""

    __slots__ = ("_value",)

    def __init__(self, value: str):
        self._value = str(value)
        register_secret(self._value)

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __repr__(self) -> str:
        return "Secret('********')" if self._value else "Secret('')"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __reduce__(self):  # never pickle a secret into a file by accident
        raise TypeError("Secret values cannot be pickled")


def reveal(value) -> str | None:
    """The plain text of a Secret or str (None stays None)."""
    if value is None:
        return None
    return value.reveal() if isinstance(value, Secret) else str(value)


def mask(value: str | None, keep: int = 4) -> str:
    """A display form of an identifier such as an access key id: its first characters and a mask."""
    if not value:
        return ""
    value = reveal(value) or ""
    return value[:keep] + "…" + "*" * 4 if len(value) > keep + 2 else "*" * len(value)


_SECRETS: set[str] = set()
_SECRETS_LOCK = threading.Lock()
# Header values that carry credentials in every vendor's request dumps.
_AUTH_HEADER = re.compile(r"(?i)((?:proxy-)?(?:authorization|x-auth-token|x-subject-token|x-tc-token|"
                          r"x-amz-security-token|x-security-token|x-api-key)['\"]?\s*[:=]\s*['\"]?)"
                          r"([^'\"\r\n}]+)")
# (the whole value: a TC3/SigV4/SDK-HMAC header carries its replayable Signature after commas)
# The password of a URL's user info (https://user:password@host/...).
_URL_PASSWORD = re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://[^/\s:@'\"]*:)([^@/\s'\"]+)(@)")
# Credentials in a URL's query: presigned links (X-Amz-Signature, X-Amz-Security-Token,
# X-Amz-Credential), OBS/COS/OSS signatures, access tokens.
_URL_QUERY_SECRET = re.compile(
    r"(?i)([?&](?:x-amz-(?:signature|security-token|credential)|x-obs-security-token|x-cos-security-token|"
    r"signature|sign|sig|q-signature|access_?token|token|security-?token|x-auth-token|"
    r"password|passwd|pwd|secret|secret_?key|api_?key|accesskeyid|accesskey)=)([^&#\s'\"]+)")


def _variants(value: str) -> set[str]:
    """The forms a secret takes when echoed: as is, JSON-escaped, percent-encoded."""
    out = {value, json.dumps(value)[1:-1], json.dumps(value)[1:-1].replace("/", "\\/"),
           quote(value, safe=""), quote_plus(value, safe="")}
    return {v for v in out if len(v) >= 8}


def register_secret(value: str | None) -> None:
    """Remember a secret so redaction scrubs it wherever it appears (8+ chars only), also in its
    JSON-escaped and percent-encoded forms."""
    if value and len(value) >= 8:
        with _SECRETS_LOCK:
            _SECRETS.update(_variants(value))


def redact(text) -> str:
    """``text`` with every registered secret, credential header value, URL password and URL query
    credential replaced by ***. Every message we print, log or show goes through it."""
    if not isinstance(text, str):
        text = str(text)
    with _SECRETS_LOCK:
        secrets = sorted(_SECRETS, key=len, reverse=True)
    for s in secrets:
        if s in text:
            text = text.replace(s, "***")
    text = _URL_PASSWORD.sub(lambda m: m.group(1) + "***" + m.group(3), text)
    text = _URL_QUERY_SECRET.sub(lambda m: m.group(1) + "***", text)
    return _AUTH_HEADER.sub(lambda m: m.group(1) + "***", text)


def redact_value(value: Any) -> Any:
    """``value`` with the strings in it redacted (str, and lists/tuples/dicts of them)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, (list, tuple)):
        return type(value)(redact_value(v) for v in value)
    if isinstance(value, dict):
        return {k: redact_value(v) for k, v in value.items()}
    return value


def scrub_error(exc: BaseException) -> BaseException:
    """``exc`` (changed in place and returned) with secrets removed from everything a front end
    prints or shows of it: message, args, source, params, the vendor's code and request id."""
    from ..core.errors import OcrError

    if isinstance(exc, OcrError):
        exc.message = redact(exc.message)
        exc.args = (exc.message,)
        if exc.source is not None:
            exc.source = redact(exc.source)
        exc.params = redact_value(exc.params)
        for attr in ("vendor_code", "request_id"):
            value = getattr(exc, attr, None)
            if isinstance(value, str):
                setattr(exc, attr, redact(value))
    else:
        exc.args = tuple(redact_value(a) for a in exc.args)
    return exc


class RedactingFilter(logging.Filter):
    """Rewrites a record's message with secrets removed (the record itself stays, just scrubbed)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            msg = record.getMessage()
        except Exception:  # a broken format string is not ours to fix; leave it
            return True
        clean = redact(msg)
        if clean != msg or record.args:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:  # the traceback's texts too (formatted once, here)
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


# Loggers that can see requests: the SDKs log whole requests (headers, bodies) at DEBUG.
SDK_LOGGERS = (
    "tencentcloud_sdk_common",
    "HuaweiCloud-SDK-OcrClient",
    "HuaweiCloud-SDK-Client",
    "botocore",
    "botocore.auth",
    "botocore.credentials",
    "botocore.hooks",
    "botocore.endpoint",
    "urllib3",
    "urllib3.connectionpool",
    "requests",
    "desktop_ocr",
    "desktop_ocr.backends",
)
_FILTER = RedactingFilter()
_installed = False


def install_log_redaction() -> None:
    """Scrub every log record from now on, whichever logger makes it: a logger's filter sees only
    the records made on that very logger (not its children's, nor a crash report logged by the
    window), so the record factory redacts each record as it is made; the filter stays on the
    loggers that see requests as well. Idempotent."""
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        _FILTER.filter(record)
        return record

    logging.setLogRecordFactory(make_record)
    for name in SDK_LOGGERS:
        logging.getLogger(name).addFilter(_FILTER)
    for name in list(logging.root.manager.loggerDict):
        if name.startswith(("desktop_ocr.backends", "botocore", "HuaweiCloud-SDK")):
            logging.getLogger(name).addFilter(_FILTER)
    _installed = True


def protect_logger(logger: logging.Logger) -> logging.Logger:
    """Attach the filter to one more logger (backends call it on theirs)."""
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
    return logger


# --------------------------------------------------------------------------- environment


def from_env(backend: str, environ: Mapping[str, str] | None = None) -> dict:
    """Settings for ``backend`` from the vendor's usual environment variables (secrets as Secret)."""
    environ = os.environ if environ is None else environ
    out: dict = {}
    for f in vendors.get(backend).fields:
        value = environ.get(f.env) if f.env else None
        if value:
            out[f.key] = Secret(value) if f.secret else value
    return out


# --------------------------------------------------------------------------- keyring


def usable_keyring(kr=None):
    """``kr`` (default: the system's keyring) when it can really store secrets, else None.

    Not usable: the keyring package missing, its ``fail`` backend (nothing found), or a chainer
    with no backends behind it (headless Linux without a Secret Service).
    """
    try:
        import keyring
        from keyring.backends import chainer, fail
    except ImportError:
        return None
    if kr is None:
        try:
            kr = keyring.get_keyring()
        except Exception:
            return None
    if isinstance(kr, fail.Keyring):
        return None
    if isinstance(kr, chainer.ChainerBackend) and not kr.backends:
        return None
    return kr


class CredentialStore:
    """Secrets per backend: in the OS keyring when one is usable, otherwise in memory for this session.

    ``persistent`` tells which and ``backend_name`` names the keyring (the window words it).
    """

    def __init__(self, keyring_backend=None, service: str = KEYRING_SERVICE):
        self._kr = usable_keyring(keyring_backend)
        self._service = service
        self._memory: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()

    @property
    def persistent(self) -> bool:
        return self._kr is not None

    @property
    def backend_name(self) -> str:
        """The keyring backend's class name ("" when keys stay in memory)."""
        return type(self._kr).__name__ if self._kr is not None else ""

    def _key(self, backend: str, field: str) -> str:
        return f"{backend}:{field}"

    def save(self, backend: str, values: dict) -> None:
        """Store the secret fields of ``values`` (empty ones are deleted)."""
        for field in vendors.get(backend).secret_fields:
            if field not in values:
                continue
            value = reveal(values[field]) or ""
            self._set(backend, field, value)

    def _set(self, backend: str, field: str, value: str) -> None:
        register_secret(value)
        with self._lock:
            if self._kr is None:
                if value:
                    self._memory[(backend, field)] = value
                else:
                    self._memory.pop((backend, field), None)
                return
        try:
            if value:
                self._kr.set_password(self._service, self._key(backend, field), value)
            else:
                try:
                    self._kr.delete_password(self._service, self._key(backend, field))
                except Exception:  # nothing stored: fine
                    pass
        except Exception as exc:
            # The keyring refused (locked, dbus gone): keep the session working, say why.
            log.warning("system keyring failed (%s); keeping %s keys in memory for this session",
                        type(exc).__name__, backend)
            with self._lock:
                self._kr = None
                if value:
                    self._memory[(backend, field)] = value

    def load(self, backend: str) -> dict:
        """The stored secrets of ``backend`` as Secret values (missing fields left out)."""
        out: dict = {}
        for field in vendors.get(backend).secret_fields:
            value = None
            if self._kr is not None:
                try:
                    value = self._kr.get_password(self._service, self._key(backend, field))
                except Exception as exc:
                    log.warning("system keyring read failed (%s)", type(exc).__name__)
            if value is None:
                with self._lock:
                    value = self._memory.get((backend, field))
            if value:
                out[field] = Secret(value)
        return out

    def clear(self, backend: str) -> None:
        self.save(backend, {f: "" for f in vendors.get(backend).secret_fields})


_default_store: CredentialStore | None = None


def default_store() -> CredentialStore:
    """The process-wide store (created on first use)."""
    global _default_store
    if _default_store is None:
        _default_store = CredentialStore()
    return _default_store


# --------------------------------------------------------------------------- precedence


def secrets_source(backend: str, environ: Mapping[str, str] | None = None,
                   store: CredentialStore | None = None) -> str | None:
    """Where ``resolve`` takes ``backend``'s secrets from: "environment", "keyring" or None."""
    spec = vendors.get(backend)
    env = from_env(backend, environ)
    if any(k in env for k in spec.secret_fields):
        return "environment"
    if (store or default_store()).load(backend):
        return "keyring"
    return None


def resolve(backend: str, given: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None,
            store: CredentialStore | None = None) -> dict:
    """Keyword arguments for ``backends.create(backend, ...)``, by the one precedence (vendors.py):
    explicit values, then the vendor's environment variables, then the keyring; secrets as one set
    (the environment's when any of them is set there, else the keyring's). Empty values count as
    not given; a field's registry default fills what is still missing."""
    spec = vendors.get(backend)
    given = {k: v for k, v in (given or {}).items() if v is not None and v != ""}
    env = from_env(backend, environ)
    out: dict = {}
    for f in spec.plain_fields:
        value = given.get(f.key, env.get(f.key, f.default))
        if value is not None:
            out[f.key] = value
    secrets = {k: given[k] for k in spec.secret_fields if k in given}
    if not secrets:
        secrets = {k: env[k] for k in spec.secret_fields if k in env}
    if not secrets:
        secrets = (store or default_store()).load(backend)
    out.update({k: v if isinstance(v, Secret) else Secret(v) for k, v in secrets.items()})
    return out
