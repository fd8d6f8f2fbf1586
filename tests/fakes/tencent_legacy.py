"""Fake Tencent Cloud legacy image OCR, POST /ocr/general on recognition.image.myqcloud.com.

The signature (base64(HMAC-SHA1(SecretKey, text) + text), text = a=APPID&b=BUCKET&k=SECRETID&e=EXPIRE&
t=NOW&r=RAND&u=0&f=) is checked by desktop_ocr.signatures.tencent_legacy, with the documented codes
(4 empty signature, 5 bad signature string, 6 appid/bucket mismatch, 9 expired, 10 unknown appid,
11 unknown SecretId, 14 signature check failed); besides, 15 rate limited, -1102 image decode failed.
Note the signature does not cover the body: only the appid/bucket in it can be cross-checked.
Requests are read by desktop_ocr.server.tencent_legacy.
"""

from __future__ import annotations

from desktop_ocr.backends.tencent_legacy import PATH
from desktop_ocr.server import VendorKeys

from .base import FakeService, Request, Response


class FakeTencentLegacy(FakeService):
    vendor = "tencent-legacy"

    def __init__(self, engine, keys: dict[str, str], *, appid: str = "1250000000", **kw):
        super().__init__(engine, **kw)
        self.keys = keys  # SecretId -> SecretKey
        self.appid = appid

    def error(self, code: int, message: str, status: int = 200) -> Response:
        return Response.json(status, {"code": code, "message": message, "data": {"session_id": ""}})

    def rate_limited(self, req):
        return self.error(15, "操作太频繁，触发频控")

    def server_error(self, req):
        return self.error(213, "内部错误", status=500)

    def vendor_keys(self) -> VendorKeys:
        return VendorKeys(self.keys, None, {"appid": self.appid})

    def authenticate(self, req: Request) -> Response | None:
        if req.path.partition("?")[0] != PATH:
            return self.error(21, "无效参数", status=404)
        return super().authenticate(req)

    def answer(self, result):
        obj = super().answer(result)
        obj["data"]["session_id"] = self.request_id()
        return obj
