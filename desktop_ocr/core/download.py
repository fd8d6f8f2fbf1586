"""Fetch an image over http/https with the standard library, under hard limits.

Limits: a connect/read timeout per socket operation, a TOTAL deadline for the whole exchange
(headers included), a byte cap (Content-Length is checked first, then the stream is cut off as soon
as it passes the cap), and a bounded number of redirects, each of which must stay on http/https.

Why a worker thread: socket timeouts only bound a single recv, so a server that trickles one byte
every few seconds (or stalls in its headers) would keep a plain read loop alive forever. The
exchange runs in a daemon thread and the caller waits at most ``timeout`` seconds for it; a late
worker notices the cancel flag at its next chunk (or dies at its next socket timeout) and its
answer is thrown away.
"""

from __future__ import annotations

import ssl
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from .errors import DownloadFailed, ImageTooLarge, OcrError, UnsupportedSource

MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024
DEFAULT_TIMEOUT = 30.0  # seconds for the whole download
CONNECT_TIMEOUT = 10.0  # seconds for any single connect/recv
MAX_REDIRECTS = 5
ALLOWED_SCHEMES = ("http", "https")
_CHUNK = 64 * 1024
USER_AGENT = "desktop-ocr (image download)"


@dataclass
class Download:
    data: bytes
    content_type: str  # lower-case media type without parameters, "" if none
    url: str  # final URL after redirects


def is_url(text: str) -> bool:
    """True for anything shaped like ``scheme://...`` (supported or not)."""
    scheme, sep, _ = text.partition("://")
    return bool(sep) and scheme.isascii() and scheme.replace("+", "").replace("-", "").replace(".", "").isalnum() \
        and scheme[:1].isalpha()


def check_scheme(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise UnsupportedSource(
            f"only http:// and https:// URLs are supported, not {scheme}:// "
            "(open local files by their path)", source=url)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n} bytes"


class _Stop(Exception):
    """Raised inside the worker to end the exchange with a ready-made OcrError."""

    def __init__(self, error: Exception):
        super().__init__(str(error))
        self.error = error


class _BoundedRedirects(urllib.request.HTTPRedirectHandler):
    """Follow at most ``limit`` redirects, each to http/https only (and passing ``check``, if given)."""

    max_repeats = 1000  # our own hop count below is the rule
    max_redirections = 1000

    def __init__(self, limit: int, source: str, check: Callable[[str], None] | None = None):
        super().__init__()
        self.limit = limit
        self.source = source
        self.check = check

    def http_error_302(self, req, fp, code, msg, headers):
        # urllib refuses non-http targets itself, but with a bare HTTPError; say it our way first.
        target = headers.get("location") or headers.get("uri")
        if target:
            newurl = urljoin(req.full_url, target)
            scheme = urlsplit(newurl).scheme.lower()
            if scheme not in ALLOWED_SCHEMES:
                fp.close()
                raise _Stop(DownloadFailed(
                    f"the server redirected to a {scheme} URL ({newurl}); only http/https are followed",
                    status=code, source=self.source))
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        hops = getattr(req, "_desktop_ocr_hops", 0) + 1
        scheme = urlsplit(newurl).scheme.lower()
        if scheme not in ALLOWED_SCHEMES or hops > self.limit:
            fp.close()
            if hops > self.limit:
                raise _Stop(DownloadFailed(
                    f"the download stopped after {self.limit} redirects (a redirect loop?); "
                    f"the last one was HTTP {code} to {newurl}", status=code, source=self.source))
            raise _Stop(DownloadFailed(
                f"the server redirected to a {scheme or 'non-http'} URL ({newurl}); only http/https are followed",
                status=code, source=self.source))
        if self.check is not None:
            try:
                self.check(newurl)
            except OcrError as exc:
                fp.close()
                raise _Stop(exc) from None
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            new._desktop_ocr_hops = hops
        return new


def _exchange(url: str, *, connect_timeout: float, max_bytes: int, max_redirects: int,
              cancel: threading.Event, check_url: Callable[[str], None] | None = None) -> Download:
    opener = urllib.request.build_opener(_BoundedRedirects(max_redirects, url, check_url))
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "image/*,application/pdf,*/*;q=0.5"})
    try:
        resp = opener.open(req, timeout=connect_timeout)
    except _Stop as stop:
        raise stop.error from None
    except urllib.error.HTTPError as exc:
        exc.close()
        reason = f" {exc.reason}" if exc.reason else ""
        raise DownloadFailed(f"the server answered HTTP {exc.code}{reason}", status=exc.code, source=url) from None
    except urllib.error.URLError as exc:
        raise DownloadFailed(f"cannot connect: {_describe(exc.reason)}", source=url) from None
    except (TimeoutError, OSError) as exc:
        raise DownloadFailed(f"cannot connect: {_describe(exc)}", source=url) from None
    with resp:
        ctype = (resp.headers.get_content_type() if resp.headers.get("Content-Type") else "").lower()
        length = resp.headers.get("Content-Length")
        if length and length.strip().isdigit() and int(length) > max_bytes:
            raise ImageTooLarge(f"the download is {_mb(int(length))}; the limit is {_mb(max_bytes)}", source=url)
        parts: list[bytes] = []
        got = 0
        try:
            while not cancel.is_set():
                chunk = resp.read(_CHUNK)
                if not chunk:
                    break
                got += len(chunk)
                if got > max_bytes:
                    raise ImageTooLarge(f"the download passed the {_mb(max_bytes)} limit and was stopped", source=url)
                parts.append(chunk)
        except (TimeoutError, OSError) as exc:  # includes http.client.IncompleteRead
            raise DownloadFailed(f"the download broke off after {got} bytes: {_describe(exc)}", source=url) from None
        return Download(b"".join(parts), ctype, resp.geturl())


def _describe(reason) -> str:
    if isinstance(reason, ssl.SSLCertVerificationError):
        detail = getattr(reason, "verify_message", "") or "verification failed"
        return f"the server's HTTPS certificate is not trusted ({detail}; CERTIFICATE_VERIFY_FAILED)"
    if isinstance(reason, TimeoutError) or "timed out" in str(reason):
        return "timed out"
    text = str(getattr(reason, "strerror", None) or reason)
    return text or reason.__class__.__name__


def fetch(url: str, *, timeout: float = DEFAULT_TIMEOUT, connect_timeout: float | None = None,
          max_bytes: int = MAX_DOWNLOAD_BYTES, max_redirects: int = MAX_REDIRECTS,
          check_url: Callable[[str], None] | None = None) -> Download:
    """Download ``url`` whole within ``timeout`` seconds, or raise DownloadFailed/ImageTooLarge/UnsupportedSource.

    ``check_url(url)`` (optional) vets the URL and every redirect target before it is requested, by
    raising an OcrError (the server's refusal of private addresses)."""
    check_scheme(url)
    if check_url is not None:
        check_url(url)
    if timeout <= 0:
        raise ValueError("timeout must be positive")
    per_op = min(connect_timeout or CONNECT_TIMEOUT, timeout)
    cancel = threading.Event()
    box: dict[str, object] = {}

    def work() -> None:
        try:
            box["ok"] = _exchange(url, connect_timeout=per_op, max_bytes=max_bytes,
                                  max_redirects=max_redirects, cancel=cancel, check_url=check_url)
        except BaseException as exc:  # handed to the caller's thread
            box["err"] = exc

    worker = threading.Thread(target=work, name="desktop-ocr-download", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        cancel.set()
        raise DownloadFailed(f"no complete answer within {timeout:g} s (the server is too slow or hangs)", source=url)
    if "err" in box:
        raise box["err"]  # type: ignore[misc]
    result = box["ok"]
    assert isinstance(result, Download)
    if cancel.is_set():  # pragma: no cover - only when join and cancel race
        raise DownloadFailed(f"no complete answer within {timeout:g} s", source=url)
    return result
