"""Fetch an image over http/https with the standard library, under hard limits.

Limits: a connect/read timeout per socket operation, a TOTAL deadline for the whole exchange
(headers included), a byte cap (Content-Length is checked first, then the stream is cut off as soon
as it passes the cap), and a bounded number of redirects, each of which must stay on http/https.

Why a worker thread: socket timeouts only bound a single recv, so a server that trickles one byte
every few seconds (or stalls in its headers) would keep a plain read loop alive forever. The
exchange runs in a daemon thread and the caller waits at most ``timeout`` seconds for it. At the
deadline the caller cuts the exchange off (``Connections.abort``: every socket of it is shut down
and a connect in progress is woken), waits for the worker to end, and only then reports the
timeout: no thread and no connection outlive the error (a long-running window or server would
otherwise collect them). The one wait nothing can cut short is the system's DNS lookup.

Every failure is a DownloadFailed with a ``reason`` (timeout, connection, http_status, malformed,
truncated, too_many_redirects, bad_redirect) and ``params``; the caps raise ImageTooLarge (reason
"download"), a scheme we do not fetch UnsupportedSource (reason "url_scheme"). A server's own
bytes (a garbled status line, binary headers) never reach a message.
"""

from __future__ import annotations

import errno
import http.client
import logging
import os
import selectors
import socket
import ssl
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from .errors import DownloadFailed, ImageTooLarge, OcrError, UnsupportedSource

log = logging.getLogger(__name__)

MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024
DEFAULT_TIMEOUT = 30.0  # seconds for the whole download
CONNECT_TIMEOUT = 10.0  # seconds for any single connect/recv
MAX_REDIRECTS = 5
ALLOWED_SCHEMES = ("http", "https")
_CHUNK = 64 * 1024
USER_AGENT = "desktop-ocr (image download)"
ABORT_GRACE = 5.0  # seconds to wait for a cut-off worker to end (it ends at once unless in a DNS lookup)
THREAD_NAME = "desktop-ocr-download"


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
            "(open local files by their path)", source=url, reason="url_scheme", params={"scheme": scheme})


def host_of(url: str) -> str:
    """host[:port] of ``url`` for messages (never the user info, which may hold a password)."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    host = parts.hostname or ""
    if ":" in host:  # IPv6
        host = f"[{host}]"
    return f"{host}:{port}" if host and port else host or url[:80]


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
                    status=code, source=self.source, reason="bad_redirect",
                    params={"scheme": scheme, "status": code, "host": host_of(self.source)}))
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
                    f"the last one was HTTP {code} to {newurl}", status=code, source=self.source,
                    reason="too_many_redirects",
                    params={"limit": self.limit, "status": code, "host": host_of(self.source)}))
            raise _Stop(DownloadFailed(
                f"the server redirected to a {scheme or 'non-http'} URL ({newurl}); only http/https are followed",
                status=code, source=self.source, reason="bad_redirect",
                params={"scheme": scheme, "status": code, "host": host_of(self.source)}))
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


# -- the connections of one download, so the caller can cut them off --------------------------------

class _Aborted(OSError):
    """The caller cut the download off (its deadline passed)."""


_DEFAULT_TIMEOUT: Any = getattr(socket, "_GLOBAL_DEFAULT_TIMEOUT", object())  # "no timeout given"
_IN_PROGRESS = {errno.EINPROGRESS, errno.EWOULDBLOCK, errno.EAGAIN, getattr(errno, "WSAEWOULDBLOCK", -1)}


class Connections:
    """Every connection one exchange opens (a download's redirects open more; backends._http uses it
    for the cloud calls), made here so that ``abort()``, from another thread, ends them at once: a
    connect in progress is woken (it waits on a wake-up socket too), an open connection is shut
    down (through a duplicate of its socket that only this class closes, so the shutdown reaches the
    connection even after http.client has handed the socket to a response or wrapped it in TLS, and
    never lands on a reused descriptor). The thread doing the exchange calls ``close()`` when it
    ends, whatever the outcome."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._guards: list[socket.socket] = []
        self._aborted = False
        self._closed = False
        self._wake_r, self._wake_w = socket.socketpair()

    def connection_class(self, cls: type[http.client.HTTPConnection]) -> Callable[..., http.client.HTTPConnection]:
        def make(host: str, **kw: Any) -> http.client.HTTPConnection:
            conn = cls(host, **kw)
            conn._create_connection = self.create_connection  # type: ignore[attr-defined]
            return conn
        return make

    def create_connection(self, address: tuple[str, int], timeout: Any = _DEFAULT_TIMEOUT,
                          source_address: Any = None, *args: Any, **kwargs: Any) -> socket.socket:
        """socket.create_connection, but abortable: see the class."""
        host, port = address
        limit = None if timeout is _DEFAULT_TIMEOUT else timeout
        error: OSError | None = None
        for family, kind, proto, _name, addr in socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM):
            sock = socket.socket(family, kind, proto)
            with self._lock:
                if self._aborted:
                    sock.close()
                    raise _Aborted("the download was cut off")
                guard = sock.dup()
                self._guards.append(guard)
            try:
                if source_address:
                    sock.bind(source_address)
                self._connect(sock, addr, limit)
                return sock
            except OSError as exc:
                error = exc
                sock.close()
                with self._lock:
                    if guard in self._guards:
                        self._guards.remove(guard)
                        guard.close()
                if isinstance(exc, _Aborted):
                    raise
        raise error or OSError("the host name resolved to no address")

    def _connect(self, sock: socket.socket, addr: Any, limit: float | None) -> None:
        sock.setblocking(False)
        code = sock.connect_ex(addr)
        if code in _IN_PROGRESS:
            # (a selector, not select.select: a busy server may hold descriptors beyond FD_SETSIZE)
            with selectors.DefaultSelector() as waiting:
                waiting.register(self._wake_r, selectors.EVENT_READ)
                waiting.register(sock, selectors.EVENT_WRITE)
                events = waiting.select(limit)
            if any(key.fileobj is self._wake_r for key, _mask in events):
                raise _Aborted("the download was cut off")
            if not events:
                raise TimeoutError("timed out")
            code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        if code:
            raise OSError(code, os.strerror(code))
        sock.settimeout(limit)

    @property
    def aborted(self) -> bool:
        return self._aborted

    def abort(self) -> None:
        """From another thread: end every connection now (the download's deadline passed)."""
        with self._lock:
            if self._closed:
                return
            self._aborted = True
            try:
                self._wake_w.send(b"x")
            except OSError:
                pass
            for guard in self._guards:
                try:
                    guard.shutdown(socket.SHUT_RDWR)
                except OSError:  # not connected (yet, or any more)
                    pass

    def close(self) -> None:
        """From the worker, when the exchange is over: release the duplicates and the wake-up pair."""
        with self._lock:
            self._closed = True
            for sock in (*self._guards, self._wake_r, self._wake_w):
                sock.close()
            self._guards = []


class TrackedHTTPHandler(urllib.request.HTTPHandler):
    """urllib's http handler, its connections made by ``conns`` (so they can be cut off)."""

    def __init__(self, conns: Connections):
        super().__init__()
        self.conns = conns

    def http_open(self, req):
        return self.do_open(self.conns.connection_class(http.client.HTTPConnection), req)


class TrackedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, conns: Connections):
        super().__init__()
        self.conns = conns

    def https_open(self, req):
        return self.do_open(self.conns.connection_class(http.client.HTTPSConnection), req,
                            context=self._context)


# -- what went wrong: one reason, one sentence --------------------------------------------------------

#: network causes (``params["cause"]``) and the English words for them
CAUSES = {
    "refused": "the connection was refused (nothing answers at that address and port)",
    "dns": "the host name could not be resolved",
    "unreachable": "the network or host is unreachable",
    "tls_certificate": "the server's HTTPS certificate is not trusted",
    "tls": "the secure (TLS) connection failed",
    "closed": "the connection was closed before an answer came",
    "proxy": "the proxy refused the connection",
    "other": "the connection failed",
}

_TIMEOUT_NAMES = {"Timeout", "ReadTimeout", "ConnectTimeout", "ReadTimeoutError", "ConnectTimeoutError",
                  "RequestTimeoutException", "CallTimeoutException"}
_TRUNCATED_NAMES = {"IncompleteRead", "ChunkedEncodingError", "InvalidChunkLength"}
_MALFORMED_NAMES = {"BadStatusLine", "LineTooLong", "UnknownProtocol", "InvalidHeader", "HeaderParsingError",
                    "ContentDecodingError", "InvalidChunkedEncoding"}
_UNREACHABLE = {getattr(errno, n) for n in ("ENETUNREACH", "EHOSTUNREACH", "ENETDOWN", "EHOSTDOWN",
                                            "EADDRNOTAVAIL") if hasattr(errno, n)}


def exception_chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and every exception behind it: causes, contexts, ``reason`` attributes and exception
    arguments (how urllib, requests, urllib3 and the vendor SDKs wrap the real failure)."""
    seen: list[BaseException] = []
    todo = [exc]
    while todo and len(seen) < 32:
        e = todo.pop(0)
        if any(e is s for s in seen):
            continue
        seen.append(e)
        nxt = [e.__cause__, e.__context__, getattr(e, "reason", None)]
        nxt += [a for a in getattr(e, "args", ()) if isinstance(a, BaseException)]
        todo += [n for n in nxt if isinstance(n, BaseException)]
    return seen


def network_cause(exc: BaseException) -> tuple[str, str]:
    """What a failed HTTP exchange ran into, from the exception and whatever it wraps:
    ("timeout", ""), ("connection", one of CAUSES), ("truncated", "") or ("malformed", "")."""
    chain = exception_chain(exc)

    def names(e: BaseException) -> set[str]:
        return {c.__name__ for c in type(e).__mro__}

    checks: list[tuple[Callable[[BaseException], bool], tuple[str, str]]] = [
        (lambda e: isinstance(e, ssl.SSLCertVerificationError), ("connection", "tls_certificate")),
        (lambda e: isinstance(e, socket.gaierror), ("connection", "dns")),
        (lambda e: isinstance(e, ConnectionRefusedError), ("connection", "refused")),
        (lambda e: isinstance(e, OSError) and e.errno in _UNREACHABLE, ("connection", "unreachable")),
        (lambda e: isinstance(e, ssl.SSLError), ("connection", "tls")),
        (lambda e: "ProxyError" in names(e), ("connection", "proxy")),
        # (urllib3 2's NewConnectionError is a ConnectTimeoutError: a refused connection is not a timeout)
        (lambda e: isinstance(e, TimeoutError) or bool(names(e) & _TIMEOUT_NAMES and
                                                        "NewConnectionError" not in names(e)), ("timeout", "")),
        (lambda e: bool(names(e) & _TRUNCATED_NAMES) or "Connection broken" in str(e), ("truncated", "")),
        (lambda e: isinstance(e, http.client.RemoteDisconnected), ("connection", "closed")),
        (lambda e: bool(names(e) & _MALFORMED_NAMES) or isinstance(e, http.client.HTTPException),
         ("malformed", "")),
        (lambda e: isinstance(e, (ConnectionResetError, ConnectionAbortedError, BrokenPipeError)),
         ("connection", "closed")),
    ]
    for test, found in checks:
        if any(test(e) for e in chain):
            return found
    return "connection", "other"


def _malformed_detail(exc: BaseException) -> str:
    """Which rule of HTTP the answer broke, in our words (the server's bytes stay out of messages)."""
    if isinstance(exc, http.client.LineTooLong):
        return "a line of its headers is too long"
    if isinstance(exc, http.client.BadStatusLine):
        return "its status line is not HTTP"
    if "headers" in str(exc):
        return "it sent too many headers"
    return f"{type(exc).__name__}"


def _network_failed(exc: BaseException, url: str, *, got: int | None = None, seconds: float,
                    connecting: bool = False) -> DownloadFailed:
    """The DownloadFailed for an exchange that broke (``got``: body bytes read, None before the body;
    ``connecting``: while connecting or sending the request, before any answer was awaited)."""
    kind, cause = network_cause(exc)
    params: dict[str, Any] = {"host": host_of(url)}
    if got is not None:
        params["received"] = got
    if kind == "timeout":
        params["seconds"] = seconds
        if got is not None:
            text = f"the download broke off after {got} bytes: no data for {seconds:g} s"
        elif connecting:
            text = f"cannot connect: timed out after {seconds:g} s"
        else:
            text = f"the server did not answer within {seconds:g} s"
        return DownloadFailed(text, source=url, reason="timeout", params=params)
    if kind == "truncated" or (got is not None and kind == "connection" and cause == "closed"):
        return DownloadFailed(f"the download broke off after {got or 0} bytes: the server's answer was cut off",
                              source=url, reason="truncated", params={**params, "received": got or 0})
    if kind == "malformed":
        detail = _malformed_detail(next((e for e in exception_chain(exc)
                                         if isinstance(e, http.client.HTTPException)), exc))
        params["detail"] = detail
        return DownloadFailed(f"the server's answer is not valid HTTP: {detail}", source=url, reason="malformed",
                              params=params)
    params["cause"] = cause
    if cause == "closed":
        return DownloadFailed("the server closed the connection without answering", source=url,
                              reason="connection", params=params)
    return DownloadFailed(f"cannot connect: {_describe(exc, cause)}", source=url, reason="connection", params=params)


def _exchange(url: str, *, connect_timeout: float, max_bytes: int, max_redirects: int,
              cancel: threading.Event, conns: Connections,
              check_url: Callable[[str], None] | None = None) -> Download:
    opener = urllib.request.build_opener(TrackedHTTPHandler(conns), TrackedHTTPSHandler(conns),
                                         _BoundedRedirects(max_redirects, url, check_url))
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "image/*,application/pdf,*/*;q=0.5"})
    try:
        resp = opener.open(req, timeout=connect_timeout)
    except _Stop as stop:
        raise stop.error from None
    except urllib.error.HTTPError as exc:
        exc.close()
        reason = f" {exc.reason}" if exc.reason else ""
        raise DownloadFailed(f"the server answered HTTP {exc.code}{reason}", status=exc.code, source=url,
                             reason="http_status",
                             params={"status": exc.code, "status_text": str(exc.reason or ""),
                                     "host": host_of(url)}) from None
    except urllib.error.URLError as exc:  # urllib wraps what fails while connecting and sending
        raise _network_failed(exc, url, seconds=connect_timeout, connecting=True) from None
    except (http.client.HTTPException, OSError) as exc:  # ... not what fails in the answer's head
        raise _network_failed(exc, url, seconds=connect_timeout) from None
    with resp:
        ctype = (resp.headers.get_content_type() if resp.headers.get("Content-Type") else "").lower()
        length = resp.headers.get("Content-Length")
        declared = int(length) if length and length.strip().isdigit() else None
        if declared is not None and declared > max_bytes:
            raise ImageTooLarge(f"the download is {_mb(declared)}; the limit is {_mb(max_bytes)}", source=url,
                                reason="download", params={"size": declared, "limit": max_bytes})
        chunked = (resp.headers.get("Transfer-Encoding") or "").lower() == "chunked"
        parts: list[bytes] = []
        got = 0
        try:
            while not cancel.is_set():
                chunk = resp.read(_CHUNK)
                if not chunk:
                    break
                got += len(chunk)
                if got > max_bytes:
                    raise ImageTooLarge(f"the download passed the {_mb(max_bytes)} limit and was stopped",
                                        source=url, reason="download", params={"limit": max_bytes})
                parts.append(chunk)
        except (http.client.HTTPException, OSError) as exc:  # IncompleteRead, a reset, a stalled read
            raise _network_failed(exc, url, got=got, seconds=connect_timeout) from None
        if declared is not None and got < declared and not chunked and not cancel.is_set():
            # http.client ends a read at the connection's end without a word, however short of the
            # declared Content-Length: a server that closes mid-body (or lies) would hand us half a file
            raise DownloadFailed(f"the download broke off after {got} of {declared} bytes: the server closed "
                                 "the connection before the end", source=url, reason="truncated",
                                 params={"received": got, "expected": declared, "host": host_of(url)})
        return Download(b"".join(parts), ctype, resp.geturl())


def _describe(reason, cause: str = "other") -> str:
    """One phrase for a connection failure (the OS's own words only where we have none)."""
    chain = exception_chain(reason) if isinstance(reason, BaseException) else []
    cert = next((e for e in chain if isinstance(e, ssl.SSLCertVerificationError)), None)
    if cert is not None:
        detail = getattr(cert, "verify_message", "") or "verification failed"
        return f"the server's HTTPS certificate is not trusted ({detail}; CERTIFICATE_VERIFY_FAILED)"
    if cause in CAUSES and cause != "other":
        return CAUSES[cause]
    oserr = next((e for e in chain if isinstance(e, OSError) and e.strerror), None)
    if oserr is not None:
        return str(oserr.strerror)
    return CAUSES["other"]


def fetch(url: str, *, timeout: float = DEFAULT_TIMEOUT, connect_timeout: float | None = None,
          max_bytes: int = MAX_DOWNLOAD_BYTES, max_redirects: int = MAX_REDIRECTS,
          check_url: Callable[[str], None] | None = None) -> Download:
    """Download ``url`` whole within ``timeout`` seconds, or raise DownloadFailed/ImageTooLarge/UnsupportedSource.

    ``check_url(url)`` (optional) vets the URL and every redirect target before it is requested, by
    raising an OcrError (the server's refusal of private addresses). When this returns or raises,
    the download's thread has ended and its connections are closed (but for a DNS lookup that
    outlives the deadline, which nothing can interrupt; the thread then ends with it)."""
    check_scheme(url)
    if check_url is not None:
        check_url(url)
    if timeout <= 0:
        raise ValueError("timeout must be positive")
    per_op = min(connect_timeout or CONNECT_TIMEOUT, timeout)
    if per_op >= timeout:  # the deadline below cuts the exchange off: no socket timeout racing it
        per_op = timeout + ABORT_GRACE
    cancel = threading.Event()
    conns = Connections()
    box: dict[str, object] = {}

    def work() -> None:
        try:
            box["ok"] = _exchange(url, connect_timeout=per_op, max_bytes=max_bytes, max_redirects=max_redirects,
                                  cancel=cancel, conns=conns, check_url=check_url)
        except BaseException as exc:  # handed to the caller's thread
            box["err"] = exc
        finally:
            conns.close()

    worker = threading.Thread(target=work, name=THREAD_NAME, daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        cancel.set()
        conns.abort()
        worker.join(ABORT_GRACE)
        if worker.is_alive():  # pragma: no cover - only a DNS lookup still running
            log.warning("a cut-off download of %s is still resolving its host name", host_of(url))
        raise DownloadFailed(f"no complete answer within {timeout:g} s (the server is too slow or hangs)",
                             source=url, reason="timeout", params={"seconds": timeout, "host": host_of(url)})
    if "err" in box:
        raise box["err"]  # type: ignore[misc]
    result = box["ok"]
    assert isinstance(result, Download)
    return result
