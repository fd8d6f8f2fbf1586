"""Tencent Cloud OCR API 3.0 as served here: ``POST /`` with ``X-TC-Action`` and ``X-TC-Version``.

Actions GeneralAccurateOCR and GeneralBasicOCR, Version 2018-11-19 (vendor-docs 003). Body JSON:
``ImageUrl`` or ``ImageBase64`` ("If both are provided, only ImageUrl will be used"), ``IsWords``
(per-character Words / WordCoordPoint), ``IsPdf`` + ``PdfPageNumber`` (a PDF is read only with
IsPdf), ``EnableDetectText`` (false: the image is one line, read without detection: the engine's
single-line mode); the other documented parameters (EnableDetectSplit, ConfigID, LanguageType, ...)
are accepted and have no effect. Every answer is HTTP 200 with Content-Type exactly
application/json (the SDK parses errors only then): ``{"Response": {...}}`` or
``{"Response": {"Error": {"Code", "Message"}, "RequestId"}}`` with the documented codes
(formats.tencent), plus the common ones: MissingParameter, InvalidAction, NoSuchVersion,
UnsupportedProtocol, InvalidParameter, RequestSizeLimitExceeded, RequestLimitExceeded.
Auth (--keys): TC3-HMAC-SHA256, 5 minutes of clock skew (signatures.tencent_tc3).
"""

from __future__ import annotations

from ..backends.tencent import ACTIONS, VERSION
from ..core.errors import OcrError, RateLimited, UnsupportedSource
from ..core.recognizer import RecognizeOptions
from ..signatures import SignedRequest, tencent_tc3
from . import Endpoint, Job, VendorKeys, auth_error, body_schema, flag, image_job, json_object, vendor_error

_REQUEST = body_schema("ImageUrl or ImageBase64; ImageUrl wins when both are given", ImageUrl={"type": "string"},
                       ImageBase64={"type": "string", "format": "byte"},
                       IsWords={"type": "boolean", "description": "per-character Words and WordCoordPoint"},
                       IsPdf={"type": "boolean"}, PdfPageNumber={"type": "integer", "minimum": 1})


class TencentRoute:
    vendor = "tencent"
    endpoints = (Endpoint("/", "GeneralAccurateOCR / GeneralBasicOCR (X-TC-Action)", {"application/json": _REQUEST},
                          headers={"X-TC-Action": {"type": "string", "enum": list(ACTIONS)},
                                   "X-TC-Version": {"type": "string", "enum": [VERSION]}}),)
    fallbacks = ()

    def authenticate(self, req: SignedRequest, keys: VendorKeys, now: float) -> OcrError | None:
        failure = tencent_tc3.verify(req, keys.secrets, now=now, tokens=keys.tokens or None)
        return None if failure is None else auth_error(failure)

    def parse(self, req: SignedRequest) -> Job:
        if req.method != "POST":
            raise vendor_error("UnsupportedProtocol", f"The request method {req.method} is not supported here; "
                               "use POST with a JSON body.")
        action = req.header("X-TC-Action")
        if not action:
            raise vendor_error("MissingParameter", "The request is missing a required parameter `Action`.")
        if action not in ACTIONS:
            raise self.not_found(req)
        version = req.header("X-TC-Version")
        if not version:
            raise vendor_error("MissingParameter", "The request is missing a required parameter `Version`.")
        if version != VERSION:
            raise vendor_error("NoSuchVersion", f"The requested version `{version}` of the action `{action}` "
                               "does not exist.")
        params = json_object(req.body, vendor_error("InvalidParameter", "The request body is not a JSON object."))
        # a parameter of the wrong type or range is an UnsupportedSource: InvalidParameterValue.*
        page = params.get("PdfPageNumber", 1)
        if isinstance(page, bool) or not isinstance(page, int) or page < 1:
            raise UnsupportedSource("PdfPageNumber must be a whole number from 1")
        options = RecognizeOptions(chars=flag(params, "IsWords"),
                                   single_line=not flag(params, "EnableDetectText", default=True))
        return image_job(params, "ImageUrl", "ImageBase64", options, pdf=flag(params, "IsPdf"), pdf_page=page)

    def not_found(self, req: SignedRequest) -> OcrError:
        action = req.header("X-TC-Action") or ""
        return vendor_error("InvalidAction", f"The action `{action}` is not found for the service `ocr`.")

    def busy(self) -> OcrError:
        return RateLimited("Your request rate exceeds the limit of this server. Please reduce the "
                           "frequency of calls.")

    def too_large(self, limit: int) -> OcrError:
        return vendor_error("RequestSizeLimitExceeded", f"The request body exceeds {limit // 1048576} MB.")


ROUTE = TencentRoute()
