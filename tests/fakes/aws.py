"""Fake AWS AI Solution Kit General OCR: API Gateway (IAM auth, SigV4 for execute-api) + the function.

SigV4 is checked by desktop_ocr.signatures.aws_sigv4 (written from AWS's documentation, not botocore),
requests are read by desktop_ocr.server.aws. Gateway errors are 403 {"message"}; the function's own
errors are 400 with a plain-text body.
"""

from __future__ import annotations

from desktop_ocr.server import VendorKeys
from desktop_ocr.signatures import aws_sigv4

from .base import FakeService, Request, Response


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

    def vendor_keys(self) -> VendorKeys:
        return VendorKeys(self.keys or {}, self.tokens, {"region": self.region})

    def authenticate(self, req: Request) -> Response | None:
        if req.path.partition("?")[0] != self.path:  # API Gateway's answer to an unknown route
            return self.gateway(403, aws_sigv4.MSG_MISSING_TOKEN)
        return None if self.keys is None else super().authenticate(req)
