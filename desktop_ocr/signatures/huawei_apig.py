"""Huawei Cloud APIG authentication: AK/SK (SDK-HMAC-SHA256) or an IAM token (X-Auth-Token).

SDK-HMAC-SHA256, written from Huawei's "APIG API 签名算法" page (not from the SDK):
    CanonicalRequest = Method \\n CanonicalURI (each segment URI-encoded, ending in "/") \\n
                       CanonicalQuery \\n CanonicalHeaders \\n SignedHeaders \\n hex(sha256(body))
    StringToSign     = "SDK-HMAC-SHA256" \\n X-Sdk-Date \\n hex(sha256(CanonicalRequest))
    Signature        = hex(HMAC-SHA256(SK, StringToSign))
    Authorization: SDK-HMAC-SHA256 Access=AK, SignedHeaders=..., Signature=...
(X-Sdk-Content-Sha256, when sent, stands for the body hash.) Project-scoped APIs carry the project id
as the path's second segment (``/v2/{project_id}/...``). Errors are {"error_code", "error_msg"} with
APIG.xxxx codes: 401 for bad credentials, 403 for a project the caller may not use.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Collection, Mapping
from urllib.parse import quote, unquote

from . import AuthFailure, Reason, SignedRequest, hmac_sha256, parse_basic_date, sha256_hex

MAX_SKEW = 15 * 60  # APIG accepts X-Sdk-Date within 15 minutes
CODE_AUTH = "APIG.0301"
_AUTH = re.compile(r"^SDK-HMAC-SHA256\s+Access=(?P<ak>[^,\s]+),\s*SignedHeaders=(?P<sh>[a-z0-9;-]+),\s*"
                   r"Signature=(?P<sig>[0-9a-f]{64})$")
_PROJECT = re.compile(r"^/v\d+/(?P<project>[^/]+)/")


def apig_signature(sk: str, *, method: str, path: str, query: str, headers: Mapping[str, str],
                   signed: list[str], body: bytes, sdk_date: str) -> str:
    """The hex signature of a request, ``signed`` being the lower-case signed header names."""
    lower = {k.lower(): v.strip() for k, v in headers.items()}
    uri = "/".join(quote(seg, safe="~") for seg in unquote(path).split("/"))
    if not uri.endswith("/"):
        uri += "/"
    pairs = []
    for p in query.split("&"):
        if p:
            k, _, v = p.partition("=")
            pairs.append((quote(unquote(k), safe="~"), quote(unquote(v), safe="~")))
    canonical_query = "&".join(f"{k}={v}" for k, v in sorted(pairs))
    canonical_headers = "".join(f"{h}:{lower.get(h, '')}\n" for h in signed)
    payload = lower.get("x-sdk-content-sha256") or sha256_hex(body)
    canonical = "\n".join([method.upper(), uri, canonical_query, canonical_headers, ";".join(signed), payload])
    to_sign = "\n".join(["SDK-HMAC-SHA256", sdk_date, sha256_hex(canonical)])
    return hmac_sha256(sk.encode("utf-8"), to_sign).hex()


def project_of(path: str) -> str | None:
    """The project id of a project-scoped API path (``/v2/{project_id}/...``)."""
    m = _PROJECT.match(path)
    return m["project"] if m else None


def _aksk(message: str, reason: str) -> AuthFailure:
    return AuthFailure(reason, CODE_AUTH, f"Incorrect IAM authentication information: {message}", 401)


def verify(req: SignedRequest, secrets: Mapping[str, str], *, now: float, tokens: Collection[str] = (),
           project_id: str | None = None) -> AuthFailure | None:
    """Check ``req`` as APIG does. ``secrets``: AK -> SK; ``tokens``: the valid IAM tokens (a request
    with X-Auth-Token is judged by it alone); ``project_id``: the one project the path may name."""
    token = req.header("X-Auth-Token")
    if token is not None:
        if token not in tokens:
            return AuthFailure(Reason.TOKEN_INVALID, "APIG.0307", "The token must be updated.", 401)
        return _project_check(req, project_id)
    a = _AUTH.match(req.header("Authorization") or "")
    if not a:
        return _aksk("Authorization header is missing or malformed", Reason.MISSING)
    sdk_date = req.header("X-Sdk-Date") or ""
    t = parse_basic_date(sdk_date)
    if t is None:
        return _aksk("x-sdk-date is missing or malformed", Reason.MISSING)
    if abs(now - t.timestamp()) > MAX_SKEW:
        return _aksk("verify aksk signature fail, x-sdk-date expired", Reason.EXPIRED)
    sk = secrets.get(a["ak"])
    if sk is None:
        return _aksk("get secretkey failed, ak not found", Reason.UNKNOWN_KEY)
    signed = a["sh"].split(";")
    if "x-sdk-date" not in signed or "host" not in signed:
        return _aksk("host and x-sdk-date must be signed", Reason.SIGNATURE_MISMATCH)
    expected = apig_signature(sk, method=req.method, path=req.path, query=req.query, headers=req.headers,
                              signed=signed, body=req.body, sdk_date=sdk_date)
    if not hmac.compare_digest(expected, a["sig"]):
        return _aksk("verify aksk signature fail", Reason.SIGNATURE_MISMATCH)
    return _project_check(req, project_id)


def _project_check(req: SignedRequest, project_id: str | None) -> AuthFailure | None:
    if project_id is not None and project_of(req.path) != project_id:
        return AuthFailure(Reason.SCOPE_MISMATCH, "APIG.0302", "The IAM user is not authorized to access the API: "
                           "project id mismatch", 403)
    return None
