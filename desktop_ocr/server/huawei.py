"""Huawei Cloud OCR general-text as served here: ``POST /v2/{project_id}/ocr/general-text`` (vendor-docs 004).

Body JSON: ``image`` (base64) or ``url`` ("二选一": giving both is AIS.0101), ``detect_direction``
(default false: then no rotation is looked for and ``direction`` is -1, as documented),
``quick_mode`` (true: the image is one line, read without detection: the engine's single-line
mode). Answers: 200 ``{"result": {...}}`` (formats.huawei) or
``{"error_code", "error_msg"}``: 400 AIS.0101 bad parameters, AIS.0102 not an image, AIS.0103 size,
ModelArts.4603 URL download failed; the gateway's APIG.0101 (404) for any other path or method under
``/v2/``, APIG.0201 (413) for a body over the cap, APIG.0308 (429) when the queue is full.
Auth (--keys): AK/SK (SDK-HMAC-SHA256, 15 minutes of skew) or an IAM ``X-Auth-Token`` from the keys
file's token list; the path's project id must be the file's ``project_id`` when one is given.
"""

from __future__ import annotations

from ..backends.huawei import PATH
from ..core.errors import OcrError, RateLimited
from ..core.recognizer import RecognizeOptions
from ..formats.huawei import MESSAGES
from ..signatures import SignedRequest, huawei_apig
from . import Endpoint, Job, VendorKeys, auth_error, body_schema, flag, image_job, json_object, vendor_error

_INVALID = "AIS.0101"
_REQUEST = body_schema("image or url, not both", image={"type": "string", "format": "byte"}, url={"type": "string"},
                       detect_direction={"type": "boolean", "default": False},
                       quick_mode={"type": "boolean", "default": False})


class HuaweiRoute:
    vendor = "huawei"
    endpoints = (Endpoint(PATH, "RecognizeGeneralText",
                          {"application/json": _REQUEST}),)
    fallbacks = ("/v2/{project_id}/{rest:path}",)

    def authenticate(self, req: SignedRequest, keys: VendorKeys, now: float) -> OcrError | None:
        failure = huawei_apig.verify(req, keys.secrets, now=now, tokens=keys.tokens or (),
                                     project_id=keys.settings.get("project_id"))
        return None if failure is None else auth_error(failure)

    def parse(self, req: SignedRequest) -> Job:
        if req.method != "POST":
            raise self.not_found(req)
        params = json_object(req.body, vendor_error(_INVALID, f"{MESSAGES[_INVALID]} The body must be a JSON "
                                                             "object.", 400))
        detect = flag(params, "detect_direction")
        options = RecognizeOptions(detect_rotation=detect, single_line=flag(params, "quick_mode"))
        return image_job(params, "url", "image", options, both_allowed=False)

    def not_found(self, req: SignedRequest) -> OcrError:
        return vendor_error("APIG.0101", "The API does not exist or has not been published in the environment",
                            404)

    def busy(self) -> OcrError:
        return RateLimited(MESSAGES["APIG.0308"], vendor_code="APIG.0308", status=429)

    def too_large(self, limit: int) -> OcrError:
        return vendor_error("APIG.0201", "Request entity too large", 413)


ROUTE = HuaweiRoute()
