"""Fake Huawei Cloud OCR general-text behind APIG: AK/SK (SDK-HMAC-SHA256) or an IAM token.

Both are checked by desktop_ocr.signatures.huawei_apig (SDK-HMAC-SHA256 written from Huawei's
"APIG API 签名算法" page, not from the SDK). Errors are {"error_code", "error_msg"} with APIG.xxxx codes
from the gateway.
"""

from __future__ import annotations

import base64
import binascii
import json
import re

from desktop_ocr.signatures import SignedRequest, huawei_apig

from .base import FakeService, Request, Response

_PATH = re.compile(r"^/v2/(?P<project>[^/]+)/ocr/general-text$")


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
        if not _PATH.match(req.path.partition("?")[0]) or req.method != "POST":
            return self.error(404, "APIG.0101", "The API does not exist or has not been published in the "
                              "environment")
        failure = huawei_apig.verify(SignedRequest.from_target(req.method, req.path, req.headers, req.body),
                                     self.keys, now=self.now(), tokens=self.tokens, project_id=self.project_id)
        return None if failure is None else self.error(failure.status, failure.vendor_code, failure.message)

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
