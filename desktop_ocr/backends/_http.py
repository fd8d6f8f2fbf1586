"""The little HTTP and retry layer the cloud backends share.

One POST with connect/read timeouts (stdlib only, so the local app needs nothing extra), and one
retry policy for every backend: at most one retry, after a short backoff, and only for rate limiting
and server errors (5xx). Auth errors and bad requests are never retried: repeating them cannot help
and a wrong key retried is a locked account.
"""

from __future__ import annotations

import http.client
import logging
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from ..core.errors import AuthFailed, BackendError, OcrError, RateLimited

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 30.0  # seconds; a page OCR takes 1-5 s at the vendors
MAX_RETRY_DELAY = 5.0  # never sleep longer than this on a Retry-After

T = TypeVar("T")


class TransientError(BackendError):
    """A failure worth one more try: 5xx, a dropped connection."""

    code = "backend_transient"


@dataclass
class HttpResponse:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes

    def header(self, name: str, default: str = "") -> str:
        return self.headers.get(name.lower(), default)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # an API that redirects is misconfigured: say so
        return None


_opener = urllib.request.build_opener(_NoRedirect, urllib.request.ProxyHandler({}))


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float = DEFAULT_TIMEOUT,
         vendor: str = "cloud") -> HttpResponse:
    """POST ``body``; any HTTP status comes back as a response, network failures as BackendError."""
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _opener.open(req, timeout=timeout) as resp:
            return HttpResponse(resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read())
    except urllib.error.HTTPError as exc:
        try:
            data = exc.read()
        except Exception:
            data = b""
        return HttpResponse(exc.code, {k.lower(): v for k, v in (exc.headers or {}).items()}, data)
    except TimeoutError as exc:
        raise BackendError(f"{vendor} did not answer within {timeout:g} s ({exc})") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise BackendError(f"{vendor} did not answer within {timeout:g} s") from None
        raise TransientError(f"cannot reach {vendor} at {_host(url)}: {reason}") from None
    except (http.client.HTTPException, ConnectionError, OSError) as exc:
        raise TransientError(f"connection to {vendor} at {_host(url)} failed: {exc}") from None


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).netloc or url


def retry_after_seconds(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def is_retryable(err: BaseException) -> bool:
    if isinstance(err, AuthFailed):
        return False
    if isinstance(err, (RateLimited, TransientError)):
        return True
    return isinstance(err, BackendError) and err.status is not None and err.status >= 500


def with_retry(call: Callable[[], T], *, retries: int = 1, backoff: float = 1.0,
               sleep: Callable[[float], None] = time.sleep) -> T:
    """``call()``, retried at most ``retries`` times on rate limiting / 5xx with exponential backoff.

    The last error is re-raised as is (RateLimited stays RateLimited), so the caller shows the
    vendor's own code and message.
    """
    attempt = 0
    while True:
        try:
            return call()
        except OcrError as err:
            if attempt >= retries or not is_retryable(err):
                if isinstance(err, TransientError):  # plain BackendError outwards
                    raise BackendError(err.message, vendor_code=err.vendor_code, status=err.status,
                                       request_id=err.request_id) from None
                raise
            delay = getattr(err, "retry_after", None)
            delay = min(MAX_RETRY_DELAY, delay if delay is not None else backoff * (2 ** attempt))
            log.info("retrying after %s (%.1f s)", type(err).__name__, delay)
            sleep(delay)
            attempt += 1


def classify(status: int | None, message: str, *, vendor_code: str | None = None,
             request_id: str | None = None, auth: bool = False, rate: bool = False) -> BackendError:
    """The right BackendError subclass for a vendor error (by explicit flags, then HTTP status)."""
    cls: type[BackendError]
    if auth or status in (401, 403):
        cls = AuthFailed
    elif rate or status == 429:
        cls = RateLimited
    elif status is not None and status >= 500:
        cls = TransientError
    else:
        cls = BackendError
    return cls(message, vendor_code=vendor_code, status=status, request_id=request_id)
