"""Fake Tencent Cloud OCR API 3.0 (GeneralAccurateOCR / GeneralBasicOCR, Version 2018-11-19).

TC3-HMAC-SHA256 is checked by desktop_ocr.signatures.tencent_tc3 (written from Tencent's "签名方法 v3"
page, not from the SDK). Errors come as HTTP 200 with {"Response":{"Error":{"Code","Message"},"RequestId"}}
and Content-Type exactly application/json (the SDK only parses errors then).
"""

from __future__ import annotations

import base64
import binascii
import json

from desktop_ocr.signatures import SignedRequest, tencent_tc3

from .base import FakeService, Request, Response

ACTIONS = ("GeneralAccurateOCR", "GeneralBasicOCR")


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
        failure = tencent_tc3.verify(SignedRequest.from_target(req.method, req.path, req.headers, req.body),
                                     self.keys, now=self.now(), tokens=self.tokens)
        return None if failure is None else self.error(failure.vendor_code, failure.message, failure.status)

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
