"""AWS Signature Version 4 as API Gateway checks it for IAM-authorised APIs (service ``execute-api``).

Written from AWS's "Signature Version 4 signing process" (not from botocore's code):
    CanonicalRequest = Method \\n URI \\n Query \\n CanonicalHeaders \\n SignedHeaders \\n hex(sha256(body))
      (CanonicalHeaders: "lowername:trimmed value\\n", sorted; runs of spaces collapsed)
    StringToSign     = "AWS4-HMAC-SHA256" \\n X-Amz-Date \\n date/region/service/aws4_request \\n hex(sha256(CR))
    kSigning         = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request")
    Authorization: AWS4-HMAC-SHA256 Credential=KEYID/date/region/service/aws4_request,
                   SignedHeaders=..., Signature=hex(HMAC(kSigning, StringToSign))
With temporary credentials, X-Amz-Security-Token is sent and signed. The gateway answers an auth
failure with 403 {"message"} (no code in the body).
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Mapping
from datetime import datetime, timezone
from urllib.parse import quote, unquote

from . import BASIC_DATE, AuthFailure, Reason, SignedRequest, hmac_sha256, parse_basic_date, sha256_hex

SERVICE = "execute-api"
MAX_SKEW = 300  # API Gateway rejects a request signed more than 5 minutes away from its clock
STATUS = 403
MSG_MISSING_TOKEN = "Missing Authentication Token"  # also the gateway's answer to an unknown route
MSG_MISMATCH = ("The request signature we calculated does not match the signature you provided. "
                "Check your AWS Secret Access Key and signing method. Consult the service documentation "
                "for details.")
MSG_INVALID_TOKEN = "The security token included in the request is invalid."
_AUTH = re.compile(r"^AWS4-HMAC-SHA256 Credential=(?P<key>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/"
                   r"(?P<svc>[^/]+)/aws4_request, SignedHeaders=(?P<sh>[a-z0-9;-]+), "
                   r"Signature=(?P<sig>[0-9a-f]{64})$")


def sigv4_signature(secret: str, *, method: str, path: str, query: str, headers: Mapping[str, str],
                    signed: list[str], body: bytes, amz_date: str, region: str, service: str) -> str:
    """The hex signature of a request, ``signed`` being the lower-case signed header names."""
    lower: dict[str, str] = {}
    for k, v in headers.items():
        lower[k.lower()] = " ".join(v.split())
    canonical_uri = quote(unquote(path) or "/", safe="/~")
    pairs = sorted(tuple(p.split("=", 1)) if "=" in p else (p, "") for p in query.split("&") if p)
    canonical_query = "&".join(f"{k}={v}" for k, v in pairs)
    canonical_headers = "".join(f"{h}:{lower.get(h, '')}\n" for h in signed)
    canonical = "\n".join([method, canonical_uri, canonical_query, canonical_headers, ";".join(signed),
                           sha256_hex(body)])
    date = amz_date[:8]
    scope = f"{date}/{region}/{service}/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, sha256_hex(canonical)])
    key = hmac_sha256(hmac_sha256(hmac_sha256(hmac_sha256(("AWS4" + secret).encode("utf-8"), date), region),
                                  service), "aws4_request")
    return hmac_sha256(key, to_sign).hex()


def _fail(reason: str, message: str) -> AuthFailure:
    return AuthFailure(reason, "", message, STATUS)


def verify(req: SignedRequest, secrets: Mapping[str, str], *, now: float, region: str,
           service: str = SERVICE, tokens: Mapping[str, str] | None = None) -> AuthFailure | None:
    """Check ``req`` as API Gateway in ``region`` does. ``secrets``: access key id -> secret access key;
    ``tokens``: access key id -> the session token that key requires (temporary credentials)."""
    auth = req.header("Authorization")
    if not auth:
        return _fail(Reason.MISSING, MSG_MISSING_TOKEN)
    m = _AUTH.match(auth)
    if not m:
        return _fail(Reason.MISSING, "Authorization header requires 'Credential', 'Signature' and "
                     "'SignedHeaders' parameters.")
    amz_date = req.header("X-Amz-Date") or ""
    t = parse_basic_date(amz_date)
    if t is None:
        return _fail(Reason.MISSING, "Authorization header requires existence of either a 'X-Amz-Date' "
                     "or a 'Date' header.")
    server = datetime.fromtimestamp(now, timezone.utc)
    if abs((server - t).total_seconds()) > MAX_SKEW:
        stamp = server.strftime(BASIC_DATE)
        return _fail(Reason.EXPIRED, f"Signature expired: {amz_date} is now earlier than {stamp} ({stamp} - 5 min.)")
    secret = secrets.get(m["key"])
    if secret is None:
        return _fail(Reason.UNKNOWN_KEY, MSG_INVALID_TOKEN)
    if m["svc"] != service or m["region"] != region or m["date"] != amz_date[:8]:
        return _fail(Reason.SCOPE_MISMATCH, f"Credential should be scoped to a valid region, not '{m['region']}'. "
                     if m["region"] != region else
                     f"Credential should be scoped to correct service: '{service}'. ")
    signed = m["sh"].split(";")
    if "host" not in signed or "x-amz-date" not in signed:
        return _fail(Reason.SIGNATURE_MISMATCH, MSG_MISMATCH)
    expected = sigv4_signature(secret, method=req.method, path=req.path, query=req.query, headers=req.headers,
                               signed=signed, body=req.body, amz_date=amz_date, region=m["region"],
                               service=m["svc"])
    if not hmac.compare_digest(expected, m["sig"]):
        return _fail(Reason.SIGNATURE_MISMATCH, MSG_MISMATCH)
    token = (tokens or {}).get(m["key"])
    if token is not None and (req.header("X-Amz-Security-Token") != token or "x-amz-security-token" not in signed):
        return _fail(Reason.TOKEN_INVALID, MSG_INVALID_TOKEN)
    return None
