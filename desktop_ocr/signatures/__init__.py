"""Server-side checks of the cloud vendors' request signatures, written from their documentation.

One module per scheme: ``aws_sigv4`` (SigV4 for API Gateway ``execute-api``), ``tencent_tc3``
(TC3-HMAC-SHA256), ``huawei_apig`` (APIG SDK-HMAC-SHA256 or an IAM ``X-Auth-Token``) and
``tencent_legacy`` (the legacy image services' HMAC-SHA1 multi-use signature, signer included).
Each has ``verify(req, secrets, *, now, ...) -> AuthFailure | None`` (``secrets``: key id -> secret;
``None`` means accepted) and the pure signature function it uses. The vendor code, message and
HTTP status of an ``AuthFailure`` are the vendor's own answer; ``reason`` is a vendor-neutral code.
Standard library only: no Qt, no SDK, nothing from the rest of desktop_ocr.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import Enum


class Reason(str, Enum):
    """The vendor-neutral reasons an AuthFailure can carry (a str: it compares equal to its value)."""

    MISSING = "missing"  # no credentials, or credentials that cannot be parsed
    UNKNOWN_KEY = "unknown_key"  # the key id (or account) is not known to the server
    SIGNATURE_MISMATCH = "signature_mismatch"
    EXPIRED = "expired"  # the signing time is too far in the past or the future
    REPLAYED = "replayed"  # a one-time signature or nonce seen before
    TOKEN_INVALID = "token_invalid"  # a session / IAM token that is not (or no longer) valid
    SCOPE_MISMATCH = "scope_mismatch"  # signed for another region, service, date, project or app


REASONS = frozenset(Reason)

BASIC_DATE = "%Y%m%dT%H%M%SZ"  # ISO 8601 basic format, UTC: X-Amz-Date and X-Sdk-Date


@dataclass(frozen=True)
class SignedRequest:
    """An HTTP request as the server received it."""

    method: str
    path: str  # without the query string
    query: str  # the raw query string, without "?"
    headers: dict[str, str]  # names in any case
    body: bytes

    @classmethod
    def from_target(cls, method: str, target: str, headers: dict[str, str], body: bytes) -> SignedRequest:
        """From the request line's target (``/path?query``)."""
        path, _, query = target.partition("?")
        return cls(method, path, query, dict(headers), body)

    def header(self, name: str, default: str | None = None) -> str | None:
        """The value of header ``name``, whatever the case of its name."""
        lname = name.lower()
        for k, v in self.headers.items():
            if k.lower() == lname:
                return v
        return default


@dataclass(frozen=True)
class AuthFailure:
    """Why a request was refused, and the vendor's answer for it."""

    reason: str  # one of REASONS
    vendor_code: str  # the vendor's error code ("" where the vendor answers with a message only)
    message: str
    status: int  # the HTTP status the vendor answers with


def hmac_sha256(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def sha256_hex(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def parse_basic_date(text: str) -> datetime | None:
    """``20240131T235959Z`` as an aware UTC datetime, None if malformed."""
    try:
        return datetime.strptime(text, BASIC_DATE).replace(tzinfo=timezone.utc)
    except ValueError:
        return None


__all__ = ["AuthFailure", "BASIC_DATE", "REASONS", "SignedRequest", "hmac_sha256", "parse_basic_date",
           "sha256_hex", "MISSING", "UNKNOWN_KEY", "SIGNATURE_MISMATCH", "EXPIRED", "REPLAYED",
           "TOKEN_INVALID", "SCOPE_MISMATCH"]
