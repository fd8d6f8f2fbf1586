"""Fake Tencent Cloud OCR API 3.0 (GeneralAccurateOCR / GeneralBasicOCR, Version 2018-11-19).

TC3-HMAC-SHA256 is checked by desktop_ocr.signatures.tencent_tc3 (written from Tencent's "签名方法 v3"
page, not from the SDK), requests are read by desktop_ocr.server.tencent. Errors come as HTTP 200 with
{"Response":{"Error":{"Code","Message"},"RequestId"}} and Content-Type exactly application/json (the SDK
only parses errors then).
"""

from __future__ import annotations

from desktop_ocr.server import VendorKeys

from .base import FakeService, Response


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

    def vendor_keys(self) -> VendorKeys:
        return VendorKeys(self.keys, self.tokens)
