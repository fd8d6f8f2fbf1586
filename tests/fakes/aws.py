"""Fake AWS AI Solution Kit General OCR: API Gateway (IAM auth, SigV4 for execute-api) + the function.

SigV4 is checked by desktop_ocr.signatures.aws_sigv4 (written from AWS's documentation, not botocore).
Gateway errors are 403 {"message"}; the function's own errors are 400 with a plain-text body.
"""

from __future__ import annotations

import base64
import binascii
import json

from desktop_ocr.signatures import SignedRequest, aws_sigv4

from .base import FakeService, Request, Response, TooLarge


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
        if req.path.partition("?")[0] != self.path:  # API Gateway's answer to an unknown route
            return self.gateway(403, aws_sigv4.MSG_MISSING_TOKEN)
        if self.keys is None:
            return None
        failure = aws_sigv4.verify(SignedRequest.from_target(req.method, req.path, req.headers, req.body),
                                   self.keys, now=self.now(), region=self.region, tokens=self.tokens)
        return None if failure is None else self.gateway(failure.status, failure.message)

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
