"""Fake Tencent Cloud OCR API 3.0 (GeneralAccurateOCR / GeneralBasicOCR, Version 2018-11-19).

Verifies TC3-HMAC-SHA256 independently of the SDK, from Tencent's "签名方法 v3" page:
    CanonicalRequest = Method \\n URI \\n Query \\n CanonicalHeaders \\n SignedHeaders \\n hex(sha256(body))
      (CanonicalHeaders: "name:value\\n" per signed header, names and values lower-cased and trimmed)
    StringToSign     = "TC3-HMAC-SHA256" \\n X-TC-Timestamp \\n Date/ocr/tc3_request \\n hex(sha256(CR))
    key              = HMAC(HMAC(HMAC("TC3"+SecretKey, Date), "ocr"), "tc3_request")
    Signature        = hex(HMAC(key, StringToSign))
Errors come as HTTP 200 with {"Response":{"Error":{"Code","Message"},"RequestId"}} and Content-Type
exactly application/json (the SDK only parses errors then).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from datetime import datetime, timezone

from .base import FakeService, Request, Response

ACTIONS = ("GeneralAccurateOCR", "GeneralBasicOCR")
MAX_SKEW = 300  # seconds, API 3.0's documented window
_AUTH = re.compile(r"^TC3-HMAC-SHA256 Credential=(?P<id>[^/]+)/(?P<date>\d{4}-\d{2}-\d{2})/(?P<svc>[^/]+)/"
                   r"tc3_request, SignedHeaders=(?P<sh>[a-z0-9;-]+), Signature=(?P<sig>[0-9a-f]{64})$")


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def tc3_signature(secret_key: str, *, method: str, path: str, query: str, headers: dict[str, str],
                  signed: list[str], body: bytes, timestamp: str, date: str, service: str = "ocr") -> str:
    lower = {k.lower(): v for k, v in headers.items()}
    canonical_headers = "".join(f"{h}:{lower.get(h, '').strip().lower()}\n" for h in signed)
    canonical = "\n".join([method, path, query, canonical_headers, ";".join(signed),
                           hashlib.sha256(body).hexdigest()])
    scope = f"{date}/{service}/tc3_request"
    to_sign = "\n".join(["TC3-HMAC-SHA256", timestamp, scope,
                         hashlib.sha256(canonical.encode("utf-8")).hexdigest()])
    key = _hmac(_hmac(_hmac(("TC3" + secret_key).encode("utf-8"), date), service), "tc3_request")
    return hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


class FakeTencent(FakeService):
    vendor = "tencent"

    def __init__(self, engine, keys: dict[str, str], *, tokens: dict[str, str] | None = None, **kw):
        super().__init__(engine, **kw)
        self.keys = keys  # SecretId -> SecretKey
        self.tokens = tokens or {}  # SecretId -> required X-TC-Token (temporary keys)

    def error(self, code: str, message: str, status: int = 200) -> Response:
        return Response.json(status, {"Response": {"Error": {"Code": code, "Message": message},
                                                   "RequestId": self.request_id()}})

    def rate_limited(self, req):
        return self.error("RequestLimitExceeded", "Your current request times equals to `21` in a second, "
                          "which exceeds the frequency limit `20` for a second. Please reduce the "
                          "frequency of calls.")

    def server_error(self, req):  # the gateway in front of the API, not the API itself
        return Response.text(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html")

    def authenticate(self, req: Request) -> Response | None:
        auth = req.header("Authorization") or ""
        m = _AUTH.match(auth)
        if not m:
            return self.error("AuthFailure.SignatureFailure", "The provided credentials could not be "
                              "validated. Please check your signature is correct.")
        ts = req.header("X-TC-Timestamp") or ""
        if not ts.isdigit():
            return self.error("MissingParameter", "The request is missing a required parameter `Timestamp`.")
        if abs(self.now() - int(ts)) > MAX_SKEW:
            return self.error("AuthFailure.SignatureExpire", "Signature expired. Timestamp comes from the "
                              f"future or past, current server timestamp is {int(self.now())}.")
        secret_key = self.keys.get(m["id"])
        if secret_key is None:
            return self.error("AuthFailure.SecretIdNotFound", "The SecretId is not found, please ensure "
                              "that your SecretId is correct.")
        date = datetime.fromtimestamp(int(ts), timezone.utc).strftime("%Y-%m-%d")
        if m["date"] != date or m["svc"] != "ocr":
            return self.error("AuthFailure.SignatureFailure", "The provided credentials could not be "
                              "validated because the credential scope does not match the request.")
        signed = m["sh"].split(";")
        if "host" not in signed or "content-type" not in signed:
            return self.error("AuthFailure.SignatureFailure", "SignedHeaders must include content-type and host.")
        path, _, query = req.path.partition("?")
        expected = tc3_signature(secret_key, method=req.method, path=path, query=query,
                                 headers=req.headers, signed=signed, body=req.body, timestamp=ts,
                                 date=m["date"])
        if not hmac.compare_digest(expected, m["sig"]):
            return self.error("AuthFailure.SignatureFailure", "The provided credentials could not be "
                              "validated. Please check your signature is correct.")
        token = self.tokens.get(m["id"])
        if token is not None and req.header("X-TC-Token") != token:
            return self.error("AuthFailure.TokenFailure", "Token verification failed.")
        return None

    def handle(self, req: Request) -> Response:
        action = req.header("X-TC-Action") or ""
        if action not in ACTIONS:
            return self.error("InvalidAction", f"The action `{action}` is not found.")
        if req.header("X-TC-Version") != "2018-11-19":
            return self.error("NoSuchVersion", "The requested version does not exist.")
        try:
            params = json.loads(req.body)
        except ValueError:
            return self.error("InvalidParameter", "The request body is not valid JSON.")
        b64 = params.get("ImageBase64")
        if not b64:
            return self.error("InvalidParameterValue.InvalidParameterValueLimit", "ImageBase64 is empty.")
        try:
            data = base64.b64decode(b64, validate=True)
            result = self.recognize(data, chars=bool(params.get("IsWords")))
        except (ValueError, binascii.Error):
            return self.error("FailedOperation.ImageDecodeFailed", "Image decoding failed.")
        from desktop_ocr import formats

        obj = formats.get("tencent").dump(result)
        obj["Response"]["RequestId"] = self.request_id()
        return Response.json(200, obj)
