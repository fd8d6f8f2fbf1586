"""Fake Huawei Cloud OCR general-text behind APIG: AK/SK (SDK-HMAC-SHA256) or an IAM token.

SDK-HMAC-SHA256 is verified independently of the SDK, from Huawei's "APIG API 签名算法" page:
    CanonicalRequest = Method \\n CanonicalURI (each segment URI-encoded, ending in "/") \\n
                       CanonicalQuery \\n CanonicalHeaders \\n SignedHeaders \\n hex(sha256(body))
    StringToSign     = "SDK-HMAC-SHA256" \\n X-Sdk-Date \\n hex(sha256(CanonicalRequest))
    Signature        = hex(HMAC-SHA256(SK, StringToSign))
    Authorization: SDK-HMAC-SHA256 Access=AK, SignedHeaders=..., Signature=...
Errors are {"error_code", "error_msg"} with APIG.xxxx codes from the gateway.
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

from .base import FakeService, Request, Response

MAX_SKEW = 15 * 60  # APIG accepts X-Sdk-Date within 15 minutes
_AUTH = re.compile(r"^SDK-HMAC-SHA256\s+Access=(?P<ak>[^,\s]+),\s*SignedHeaders=(?P<sh>[a-z0-9;-]+),\s*"
                   r"Signature=(?P<sig>[0-9a-f]{64})$")
_PATH = re.compile(r"^/v2/(?P<project>[^/]+)/ocr/general-text$")


def apig_signature(sk: str, *, method: str, path: str, query: str, headers: dict[str, str],
                   signed: list[str], body: bytes, sdk_date: str) -> str:
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
    payload = lower.get("x-sdk-content-sha256") or hashlib.sha256(body).hexdigest()
    canonical = "\n".join([method.upper(), uri, canonical_query, canonical_headers, ";".join(signed), payload])
    to_sign = "\n".join(["SDK-HMAC-SHA256", sdk_date, hashlib.sha256(canonical.encode("utf-8")).hexdigest()])
    return hmac.new(sk.encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


class FakeHuawei(FakeService):
    vendor = "huawei"
    max_side = 4096

    def __init__(self, engine, keys: dict[str, str] | None = None, *, project_id: str = "0123456789abcdef",
                 tokens: set[str] | None = None, **kw):
        super().__init__(engine, **kw)
        self.keys = keys or {}  # AK -> SK
        self.tokens = tokens or set()  # valid IAM tokens
        self.project_id = project_id

    def error(self, status: int, code: str, msg: str, **headers) -> Response:
        return Response.json(status, {"error_code": code, "error_msg": msg}, **headers)

    def rate_limited(self, req):
        return self.error(429, "APIG.0308", "The throttling threshold has been reached: policy user over "
                          "ratelimit,limit:20,time:1 second")

    def server_error(self, req):
        return self.error(502, "APIG.0202", "Backend unavailable")

    def authenticate(self, req: Request) -> Response | None:
        path, _, query = req.path.partition("?")
        m = _PATH.match(path)
        if not m or req.method != "POST":
            return self.error(404, "APIG.0101", "The API does not exist or has not been published in the "
                              "environment")
        token = req.header("X-Auth-Token")
        if token is not None:
            if token not in self.tokens:
                return self.error(401, "APIG.0307", "The token must be updated.")
            return self._project_check(m["project"])
        auth = req.header("Authorization") or ""
        a = _AUTH.match(auth)
        if not a:
            return self.error(401, "APIG.0301", "Incorrect IAM authentication information: "
                              "Authorization header is missing or malformed")
        sdk_date = req.header("X-Sdk-Date") or ""
        try:
            t = datetime.strptime(sdk_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
        except ValueError:
            return self.error(401, "APIG.0301", "Incorrect IAM authentication information: "
                              "x-sdk-date is missing or malformed")
        if abs(self.now() - t.timestamp()) > MAX_SKEW:
            return self.error(401, "APIG.0301", "Incorrect IAM authentication information: "
                              "verify aksk signature fail, x-sdk-date expired")
        sk = self.keys.get(a["ak"])
        if sk is None:
            return self.error(401, "APIG.0301", "Incorrect IAM authentication information: "
                              "get secretkey failed, ak not found")
        signed = a["sh"].split(";")
        if "x-sdk-date" not in signed or "host" not in signed:
            return self.error(401, "APIG.0301", "Incorrect IAM authentication information: "
                              "host and x-sdk-date must be signed")
        expected = apig_signature(sk, method=req.method, path=path, query=query, headers=req.headers,
                                  signed=signed, body=req.body, sdk_date=sdk_date)
        if not hmac.compare_digest(expected, a["sig"]):
            return self.error(401, "APIG.0301", "Incorrect IAM authentication information: "
                              "verify aksk signature fail")
        return self._project_check(m["project"])

    def _project_check(self, project: str) -> Response | None:
        if project != self.project_id:
            return self.error(403, "APIG.0302", "The IAM user is not authorized to access the API: "
                              "project id mismatch")
        return None

    def handle(self, req: Request) -> Response:
        try:
            params = json.loads(req.body)
        except ValueError:
            return self.error(400, "AIS.0101", "The input parameter is invalid.")
        if not params.get("image"):
            return self.error(400, "AIS.0101", "The input parameter is invalid: image or url is required.")
        try:
            data = base64.b64decode(params["image"], validate=True)
            result = self.recognize(data, detect_rotation=bool(params.get("detect_direction")))
        except (ValueError, binascii.Error):
            return self.error(400, "AIS.0103", "The image size does not meet the requirements.")
        if not params.get("detect_direction"):
            result.angle_detected = False
        from desktop_ocr import formats

        return Response.json(200, formats.get("huawei").dump(result))
