"""Fake Huawei Cloud OCR general-text behind APIG: AK/SK (SDK-HMAC-SHA256) or an IAM token.

Both are checked by desktop_ocr.signatures.huawei_apig (SDK-HMAC-SHA256 written from Huawei's
"APIG API 签名算法" page, not from the SDK), requests are read by desktop_ocr.server.huawei. Errors are
{"error_code", "error_msg"} with APIG.xxxx codes from the gateway.
"""

from __future__ import annotations

import re

from desktop_ocr.backends.huawei import PATH
from desktop_ocr.server import VendorKeys

from .base import FakeService, Request, Response

_PATH = re.compile(PATH.replace("{project_id}", "[^/]+"))


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

    def vendor_keys(self) -> VendorKeys:
        return VendorKeys(self.keys, self.tokens, {"project_id": self.project_id})

    def authenticate(self, req: Request) -> Response | None:
        if not _PATH.fullmatch(req.path.partition("?")[0]) or req.method != "POST":
            return self.error_answer(self.route.not_found(self.signed(req)))
        return super().authenticate(req)
