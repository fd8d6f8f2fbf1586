"""Tencent Cloud API 3.0 TC3-HMAC-SHA256, written from Tencent's "签名方法 v3" page (not from the SDK):
    CanonicalRequest = Method \\n URI \\n Query \\n CanonicalHeaders \\n SignedHeaders \\n hex(sha256(body))
      (CanonicalHeaders: "name:value\\n" per signed header, names and values lower-cased and trimmed)
    StringToSign     = "TC3-HMAC-SHA256" \\n X-TC-Timestamp \\n Date/service/tc3_request \\n hex(sha256(CR))
    key              = HMAC(HMAC(HMAC("TC3"+SecretKey, Date), service), "tc3_request")
    Signature        = hex(HMAC(key, StringToSign))
    Authorization: TC3-HMAC-SHA256 Credential=SecretId/Date/service/tc3_request, SignedHeaders=..., Signature=...
Date is the UTC date of X-TC-Timestamp; temporary keys also send X-TC-Token (not signed). Errors come
as HTTP 200 with {"Response":{"Error":{"Code","Message"},"RequestId"}}.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Mapping
from datetime import datetime, timezone

from . import AuthFailure, Reason, SignedRequest, hmac_sha256, sha256_hex

SERVICE = "ocr"
MAX_SKEW = 300  # seconds, API 3.0's documented window
STATUS = 200  # API 3.0 answers errors with 200 and the error in the body
CODE_SIGNATURE = "AuthFailure.SignatureFailure"
MSG_SIGNATURE = "The provided credentials could not be validated. Please check your signature is correct."
_AUTH = re.compile(r"^TC3-HMAC-SHA256 Credential=(?P<id>[^/]+)/(?P<date>\d{4}-\d{2}-\d{2})/(?P<svc>[^/]+)/"
                   r"tc3_request, SignedHeaders=(?P<sh>[a-z0-9;-]+), Signature=(?P<sig>[0-9a-f]{64})$")


def tc3_signature(secret_key: str, *, method: str, path: str, query: str, headers: Mapping[str, str],
                  signed: list[str], body: bytes, timestamp: str, date: str, service: str = SERVICE) -> str:
    """The hex signature of a request, ``signed`` being the lower-case signed header names."""
    lower = {k.lower(): v for k, v in headers.items()}
    canonical_headers = "".join(f"{h}:{lower.get(h, '').strip().lower()}\n" for h in signed)
    canonical = "\n".join([method, path, query, canonical_headers, ";".join(signed), sha256_hex(body)])
    scope = f"{date}/{service}/tc3_request"
    to_sign = "\n".join(["TC3-HMAC-SHA256", timestamp, scope, sha256_hex(canonical)])
    key = hmac_sha256(hmac_sha256(hmac_sha256(("TC3" + secret_key).encode("utf-8"), date), service), "tc3_request")
    return hmac_sha256(key, to_sign).hex()


def _fail(reason: str, code: str, message: str) -> AuthFailure:
    return AuthFailure(reason, code, message, STATUS)


def verify(req: SignedRequest, secrets: Mapping[str, str], *, now: float, service: str = SERVICE,
           tokens: Mapping[str, str] | None = None) -> AuthFailure | None:
    """Check ``req`` as API 3.0 does. ``secrets``: SecretId -> SecretKey; ``tokens``: SecretId -> the
    X-TC-Token that (temporary) key requires."""
    m = _AUTH.match(req.header("Authorization") or "")
    if not m:
        return _fail(Reason.MISSING, CODE_SIGNATURE, MSG_SIGNATURE)
    ts = req.header("X-TC-Timestamp") or ""
    if not ts.isdigit():
        return _fail(Reason.MISSING, "MissingParameter", "The request is missing a required parameter `Timestamp`.")
    if abs(now - int(ts)) > MAX_SKEW:
        return _fail(Reason.EXPIRED, "AuthFailure.SignatureExpire", "Signature expired. Timestamp comes from the "
                     f"future or past, current server timestamp is {int(now)}.")
    secret_key = secrets.get(m["id"])
    if secret_key is None:
        return _fail(Reason.UNKNOWN_KEY, "AuthFailure.SecretIdNotFound", "The SecretId is not found, please ensure "
                     "that your SecretId is correct.")
    date = datetime.fromtimestamp(int(ts), timezone.utc).strftime("%Y-%m-%d")
    if m["date"] != date or m["svc"] != service:
        return _fail(Reason.SCOPE_MISMATCH, CODE_SIGNATURE, "The provided credentials could not be validated "
                     "because the credential scope does not match the request.")
    signed = m["sh"].split(";")
    if "host" not in signed or "content-type" not in signed:
        return _fail(Reason.SIGNATURE_MISMATCH, CODE_SIGNATURE, "SignedHeaders must include content-type and host.")
    expected = tc3_signature(secret_key, method=req.method, path=req.path, query=req.query, headers=req.headers,
                             signed=signed, body=req.body, timestamp=ts, date=m["date"], service=m["svc"])
    if not hmac.compare_digest(expected, m["sig"]):
        return _fail(Reason.SIGNATURE_MISMATCH, CODE_SIGNATURE, MSG_SIGNATURE)
    token = (tokens or {}).get(m["id"])
    if token is not None and req.header("X-TC-Token") != token:
        return _fail(Reason.TOKEN_INVALID, "AuthFailure.TokenFailure", "Token verification failed.")
    return None
