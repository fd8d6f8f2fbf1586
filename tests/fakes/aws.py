"""Fake AWS AI Solution Kit General OCR: API Gateway (IAM auth, SigV4 for execute-api) + the function.

SigV4 is verified independently of botocore, from AWS's "Signature Version 4 signing process":
    CanonicalRequest = Method \\n URI \\n Query \\n CanonicalHeaders \\n SignedHeaders \\n hex(sha256(body))
      (CanonicalHeaders: "lowername:trimmed value\\n", sorted; runs of spaces collapsed)
    StringToSign     = "AWS4-HMAC-SHA256" \\n X-Amz-Date \\n date/region/service/aws4_request \\n hex(sha256(CR))
    kSigning         = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request")
Gateway errors are 403 {"message"}; the function's own errors are 400 with a plain-text body.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from datetime import datetime, timezone
from urllib.parse import quote, unquote

from .base import FakeService, Request, Response, TooLarge

MAX_SKEW = 300  # API Gateway rejects a request signed more than 5 minutes away from its clock
MSG_MISMATCH = ("The request signature we calculated does not match the signature you provided. "
                "Check your AWS Secret Access Key and signing method. Consult the service documentation "
                "for details.")
_AUTH = re.compile(r"^AWS4-HMAC-SHA256 Credential=(?P<key>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/"
                   r"(?P<svc>[^/]+)/aws4_request, SignedHeaders=(?P<sh>[a-z0-9;-]+), "
                   r"Signature=(?P<sig>[0-9a-f]{64})$")


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def sigv4_signature(secret: str, *, method: str, path: str, query: str, headers: dict[str, str],
                    signed: list[str], body: bytes, amz_date: str, region: str, service: str) -> str:
    lower: dict[str, str] = {}
    for k, v in headers.items():
        lower[k.lower()] = " ".join(v.split())
    canonical_uri = quote(unquote(path) or "/", safe="/~")
    pairs = sorted(tuple(p.split("=", 1)) if "=" in p else (p, "") for p in query.split("&") if p)
    canonical_query = "&".join(f"{k}={v}" for k, v in pairs)
    canonical_headers = "".join(f"{h}:{lower.get(h, '')}\n" for h in signed)
    canonical = "\n".join([method, canonical_uri, canonical_query, canonical_headers, ";".join(signed),
                           hashlib.sha256(body).hexdigest()])
    date = amz_date[:8]
    scope = f"{date}/{region}/{service}/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope,
                         hashlib.sha256(canonical.encode("utf-8")).hexdigest()])
    key = _hmac(_hmac(_hmac(_hmac(("AWS4" + secret).encode("utf-8"), date), region), service), "aws4_request")
    return hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


class FakeAws(FakeService):
    vendor = "aws"
    max_side = 4096

    def __init__(self, engine, keys: dict[str, str] | None = None, *, region: str = "us-east-1",
                 tokens: dict[str, str] | None = None, path: str = "/prod/general-ocr-standard", **kw):
        super().__init__(engine, **kw)
        self.keys = keys  # None: the API was deployed without IAM auth
        self.tokens = tokens or {}  # access key id -> required session token
        self.region = region
        self.path = path

    @property
    def endpoint(self) -> str:
        return self.url + self.path

    def gateway(self, status: int, message: str, **headers) -> Response:
        return Response.json(status, {"message": message}, **headers)

    def rate_limited(self, req):
        return self.gateway(429, "Too Many Requests")

    def server_error(self, req):
        return self.gateway(502, "Internal server error")

    def authenticate(self, req: Request) -> Response | None:
        path = req.path.partition("?")[0]
        if path != self.path:
            return self.gateway(403, "Missing Authentication Token")  # API Gateway's answer to an unknown route
        if self.keys is None:
            return None
        auth = req.header("Authorization")
        if not auth:
            return self.gateway(403, "Missing Authentication Token")
        m = _AUTH.match(auth)
        if not m:
            return self.gateway(403, "Authorization header requires 'Credential', 'Signature' and "
                                "'SignedHeaders' parameters.")
        amz_date = req.header("X-Amz-Date") or ""
        try:
            t = datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
        except ValueError:
            return self.gateway(403, "Authorization header requires existence of either a 'X-Amz-Date' "
                                "or a 'Date' header.")
        now = datetime.fromtimestamp(self.now(), timezone.utc)
        if abs((now - t).total_seconds()) > MAX_SKEW:
            return self.gateway(403, f"Signature expired: {amz_date} is now earlier than "
                                f"{now.strftime('%Y%m%dT%H%M%SZ')} ({now.strftime('%Y%m%dT%H%M%SZ')} - 5 min.)")
        secret = self.keys.get(m["key"])
        if secret is None:
            return self.gateway(403, "The security token included in the request is invalid.")
        if m["svc"] != "execute-api" or m["region"] != self.region or m["date"] != amz_date[:8]:
            return self.gateway(403, f"Credential should be scoped to a valid region, not '{m['region']}'. "
                                if m["region"] != self.region else
                                f"Credential should be scoped to correct service: 'execute-api'. ")
        signed = m["sh"].split(";")
        if "host" not in signed or "x-amz-date" not in signed:
            return self.gateway(403, MSG_MISMATCH)
        path, _, query = req.path.partition("?")
        expected = sigv4_signature(secret, method=req.method, path=path, query=query, headers=req.headers,
                                   signed=signed, body=req.body, amz_date=amz_date, region=m["region"],
                                   service=m["svc"])
        if not hmac.compare_digest(expected, m["sig"]):
            return self.gateway(403, MSG_MISMATCH)
        token = self.tokens.get(m["key"])
        if token is not None and (req.header("X-Amz-Security-Token") != token
                                  or "x-amz-security-token" not in signed):
            return self.gateway(403, "The security token included in the request is invalid.")
        return None

    def handle(self, req: Request) -> Response:
        try:
            params = json.loads(req.body)
        except ValueError:
            return Response.text(400, "Invalid request body: not JSON")
        if not isinstance(params, dict) or not params.get("img"):
            return Response.text(400, "Parameter img or url is required")
        try:
            result = self.recognize(base64.b64decode(params["img"], validate=True))
        except TooLarge:
            return Response.text(400, "Image size exceeds the limit: the longest side must not exceed 4096px")
        except (ValueError, binascii.Error):
            return Response.text(400, "Invalid image: cannot decode img")
        from desktop_ocr import formats

        return Response.json(200, formats.get("aws").dump(result))
