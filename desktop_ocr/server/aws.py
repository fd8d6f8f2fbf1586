"""AWS AI Solution Kit General OCR as served here: ``POST /{stage}/{path}`` (API Gateway + the function).

Request (vendor-docs 000/001): JSON ``{"url": ...}`` or ``{"img": base64}``; "url has higher priority
than img". Any stage name is taken; the paths are the General OCR ones: ``general_ocr`` (the docs'
``feature_endpoint``), ``general-ocr-standard`` and ``lite-ocr`` (later releases).
Answers: 200 with the list of formats.aws; the function's errors are 400 with a plain-text body,
the gateway's are JSON ``{"message"}``: 403 ``Missing Authentication Token`` for any other path or
method (also what it answers an unsigned request when IAM auth is on), 403 for a bad signature,
429 ``Too Many Requests``, 413 ``Request Too Long``.
Auth (--keys): SigV4 for ``execute-api`` in the keys file's ``region`` (default us-east-1).
"""

from __future__ import annotations

from ..core.errors import BackendError, OcrError, RateLimited, UnsupportedSource
from ..core.recognizer import RecognizeOptions
from ..signatures import SignedRequest, aws_sigv4
from . import Endpoint, Job, VendorKeys, auth_error, body_schema, image_job, json_object

PATHS = ("general_ocr", "general-ocr-standard", "lite-ocr")
DEFAULT_REGION = "us-east-1"

_REQUEST = body_schema("url or img; url wins when both are given",
                       url={"type": "string", "description": "http(s) URL of a jpg/png/bmp image"},
                       img={"type": "string", "format": "byte", "description": "base64 of the image"})


class AwsRoute:
    vendor = "aws"
    endpoints = tuple(Endpoint(f"/{{stage}}/{name}", f"General OCR ({name})",
                                    {"application/json": _REQUEST}) for name in PATHS)
    fallbacks = ("/{rest:path}",)  # API Gateway answers every other path: the last route of all

    def authenticate(self, req: SignedRequest, keys: VendorKeys, now: float) -> OcrError | None:
        failure = aws_sigv4.verify(req, keys.secrets, now=now, region=keys.settings.get("region", DEFAULT_REGION),
                                   tokens=keys.tokens or None)
        return None if failure is None else auth_error(failure)

    def parse(self, req: SignedRequest) -> Job:
        if req.method != "POST":
            raise self.not_found(req)
        params = json_object(req.body, UnsupportedSource("invalid param: the body must be a JSON object"))
        return image_job(params, "url", "img", RecognizeOptions())

    def not_found(self, req: SignedRequest) -> OcrError:
        return BackendError(aws_sigv4.MSG_MISSING_TOKEN, status=403)

    def busy(self) -> OcrError:
        return RateLimited("Too Many Requests", status=429)

    def too_large(self, limit: int) -> OcrError:
        return BackendError("Request Too Long", status=413)


ROUTE = AwsRoute()
