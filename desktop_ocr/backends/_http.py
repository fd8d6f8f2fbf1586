"""The little HTTP and retry layer the cloud backends share.

One POST with connect/read timeouts (stdlib only, so the local app needs nothing extra), and one
retry policy for every backend: at most one retry, after a short backoff, and only for rate limiting
and server errors (5xx). Auth errors and bad requests are never retried: repeating them cannot help
and a wrong key retried is a locked account.
"""

from __future__ import annotations

import http.client
import logging
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from ..core import download
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



# -- what went wrong on the way: one reason per failure, worded once ---------------------------------
#
# Reasons (``BackendError.reason``) of a failed cloud call, each one sentence in the window:
#   no_connection  the service could not be reached (refused, name not found, unreachable, TLS
#                  failure, the connection closed before any answer)
#   timeout        no (complete) answer within the time limit
#   bad_answer     an answer that is not HTTP, is cut off, or is not the vendor's JSON
#   server         the service answered with a server error (5xx) or a gateway's non-API answer
#   auth           the vendor refused the keys (AuthFailed)
#   quota          rate limited, quota or balance used up, service not enabled (RateLimited and
#                  the vendors' account codes)
#   rejected       the vendor refused this request for another reason (its code says which)
# ``params`` carry what the sentence needs: vendor, host, cause, seconds, status, vendor_code,
# vendor_message, request_id.

#: network causes (``params["cause"]``): core.download.CAUSES; causes of a bad answer:
ANSWER_CAUSES = {
    "malformed": "the answer is not valid HTTP",
    "truncated": "the answer was cut off",
    "not_json": "the answer is not JSON",
    "unexpected": "the answer is not in the expected format",
}


def network_cause(exc: BaseException) -> tuple[str, str]:
    """(reason, cause) of a failed exchange with a vendor: ("timeout", ""), ("no_connection", one of
    core.download.CAUSES) or ("bad_answer", "malformed" | "truncated"); core.download.network_cause
    reads the exception chain (urllib, requests, urllib3 and the SDKs wrap the real failure)."""
    kind, cause = download.network_cause(exc)
    if kind == "connection":
        return "no_connection", cause
    if kind in ("truncated", "malformed"):
        return "bad_answer", kind
    return kind, cause


def sdk_network_errors(*extra: type[BaseException]) -> tuple[type[BaseException], ...]:
    """The exception types a vendor SDK call raises when the network (not the vendor) failed: OS and
    http.client errors, requests' (the SDKs' transport) when installed, and ``extra``."""
    network: tuple[type[BaseException], ...] = (*extra, OSError, http.client.HTTPException)
    try:
        import requests
    except ImportError:  # pragma: no cover - the SDKs depend on requests
        return network
    return (*network, requests.exceptions.RequestException)


def network_error(exc: BaseException, *, vendor: str, host: str, timeout: float,
                  answered: bool = False) -> BackendError:
    """The BackendError for a failed exchange with ``vendor`` at ``host``: a reason and one sentence,
    never the library's own text (which the window cannot word and may carry request details).
    ``answered``: the failure came while reading an answer (a dropped connection is then a cut-off
    answer). A dropped connection is worth one retry (TransientError); a timeout is not (the
    request may have been billed); a bad answer is not either."""
    reason, cause = network_cause(exc)
    params: dict[str, Any] = {"vendor": vendor, "host": host}
    if reason == "no_connection" and cause == "closed" and answered:
        reason, cause = "bad_answer", "truncated"
    if reason == "timeout":
        params["seconds"] = timeout
        return BackendError(f"{vendor} did not answer within {timeout:g} s", reason="timeout", params=params)
    params["cause"] = cause
    if reason == "bad_answer":
        return BackendError(f"{vendor} at {host} sent an answer that cannot be read: {ANSWER_CAUSES[cause]}",
                            reason="bad_answer", params=params)
    detail = download.CAUSES[cause]
    if cause == "other":
        oserr = next((e for e in download.exception_chain(exc) if isinstance(e, OSError) and e.strerror), None)
        if oserr is not None:
            detail = f"{detail} ({oserr.strerror})"
            params["detail"] = oserr.strerror
    return TransientError(f"cannot reach {vendor} at {host}: {detail}", reason="no_connection", params=params)


def bad_answer(vendor: str, cause: str, *, status: int | None = 200, detail: str = "",
               **params: Any) -> BackendError:
    """A BackendError for an answer we cannot use (``cause`` in ANSWER_CAUSES)."""
    from .credentials import redact

    text = ANSWER_CAUSES.get(cause, cause)
    if detail:
        detail = redact(detail)[:120]
        params["detail"] = detail
        text = f"{text} ({detail})"
    return BackendError(f"{vendor} answered with something we cannot read: {text}", status=status,
                        reason="bad_answer", params={"vendor": vendor, "cause": cause, **params})


def snippet(body: bytes | str, limit: int = 80) -> str:
    """The start of an answer's body for a message: decoded, secrets removed BEFORE cutting (a cut
    secret would not be recognised), on one line."""
    from .credentials import redact

    text = body.decode("utf-8", "replace") if isinstance(body, (bytes, bytearray)) else str(body)
    if text.lstrip().startswith("<"):  # a gateway's HTML page: its words, not its markup
        text = re.sub(r"(?s)<(script|style)\b.*?</\1>|<[^>]*>", " ", text)
    text = " ".join(redact(text).split())
    return text if len(text) <= limit else text[:limit] + "…"


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float = DEFAULT_TIMEOUT,
         vendor: str = "cloud") -> HttpResponse:
    """POST ``body``; any HTTP status comes back as a response, network failures and answers that
    are not HTTP as a BackendError with a reason (network_error).

    ``timeout`` bounds the whole exchange, not only each socket operation: a service that trickles
    its answer (or stalls in its headers) is cut off when it passes (a timer shuts the exchange's
    connections down, core.download.Connections), so a call never outlives its limit."""
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    host = _host(url)
    conns = download.Connections()
    opener = urllib.request.build_opener(_NoRedirect, urllib.request.ProxyHandler({}),
                                         download.TrackedHTTPHandler(conns), download.TrackedHTTPSHandler(conns))
    deadline = threading.Timer(timeout, conns.abort)
    deadline.daemon = True
    answered = False
    deadline.start()
    try:
        try:
            with opener.open(req, timeout=timeout) as resp:
                answered = True
                data = resp.read()
                if conns.aborted:  # cut off at the deadline: what came is not the whole answer
                    raise TimeoutError("the deadline passed")
                return HttpResponse(resp.status, {k.lower(): v for k, v in resp.headers.items()}, data)
        except urllib.error.HTTPError as exc:
            answered = True
            try:
                data = exc.read()
            except Exception as err:  # an error answer cut off: the status still says what happened
                log.info("%s: the error answer's body could not be read (%s)", vendor, type(err).__name__)
                data = b""
            finally:
                exc.close()
            return HttpResponse(exc.code, {k.lower(): v for k, v in (exc.headers or {}).items()}, data)
    except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
        cause: BaseException = TimeoutError("the deadline passed") if conns.aborted else exc
        raise network_error(cause, vendor=vendor, host=host, timeout=timeout, answered=answered) from None
    finally:
        deadline.cancel()
        deadline.join()
        conns.close()


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
                                       request_id=err.request_id, source=err.source, reason=err.reason,
                                       params=err.params) from None
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
    err = cls(message, vendor_code=vendor_code, status=status, request_id=request_id)
    err.reason = reason_of(err)
    return err


def reason_of(err: BackendError) -> str:
    """The reason of a vendor's error answer (see the list above): its own when set, else by class
    and HTTP status."""
    if err.reason:
        return err.reason
    if isinstance(err, AuthFailed):
        return "auth"
    if isinstance(err, RateLimited):
        return "quota"
    if err.status is not None and err.status >= 500:
        return "server"
    if isinstance(err, TransientError):  # the vendor's own passing failure (its code says which)
        return "server"
    return "rejected"
