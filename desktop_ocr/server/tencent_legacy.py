"""Tencent Cloud legacy image OCR as served here: ``POST /ocr/general`` (vendor-docs 002).

Body: ``application/json`` with ``appid``, ``bucket``, ``url``, or ``multipart/form-data`` with
``appid``, ``bucket`` and the ``image`` file (a ``url`` field there too); "如果都提供，只使用 url".
Answers (HTTP 200 always): ``{"data": {...}, "code": 0, "message": "OK"}`` or the same envelope with
the documented code: 3 unreadable request, -1301 appid missing, -1300 no image, -1102 not an image,
-1308 URL download failed, 23 body too large, 15 too frequent, 21 any other path or method.
Every line lists its characters (``words``), as the service does.
Auth (--keys): the HMAC-SHA1 multi-use signature (signatures.tencent_legacy) for the keys file's
``appid`` (default: the appid the request names); it covers the app, bucket, key and times, not the
image, so only the form's appid/bucket are cross-checked.
"""

from __future__ import annotations

from ..backends.tencent_legacy import PATH
from ..core.errors import EmptyInput, ImageTooLarge, OcrError, RateLimited
from ..core.recognizer import RecognizeOptions
from ..signatures import SignedRequest, tencent_legacy
from . import Endpoint, Job, VendorKeys, auth_error, body_schema, json_object, vendor_error

_FORM = {"appid": {"type": "string"}, "bucket": {"type": "string"}, "url": {"type": "string"}}
_JSON = body_schema("an image URL", required=("appid",), **_FORM)
_MULTIPART = body_schema("the image file or a url; url wins when both are given", required=("appid",),
                         image={"type": "string", "format": "binary"}, **_FORM)


def fields(req: SignedRequest) -> dict[str, bytes]:
    """The request's parameters by name (JSON values as UTF-8 text, multipart fields as sent)."""
    ctype = (req.header("Content-Type") or "").lower()
    if ctype.startswith("multipart/form-data"):
        try:
            return tencent_legacy.parse_multipart(req.header("Content-Type") or "", req.body)
        except ValueError:
            raise vendor_error(3, "错误的请求: the multipart body cannot be read") from None
    params = json_object(req.body, vendor_error(3, "错误的请求: the body must be a JSON object or "
                                                   "multipart/form-data"))
    return {k: (v if isinstance(v, str) else "" if v is None else str(v)).encode("utf-8") for k, v in params.items()}


class TencentLegacyRoute:
    vendor = "tencent-legacy"
    endpoints = (Endpoint(PATH, "ocr/general (general print OCR)",
                          {"multipart/form-data": _MULTIPART, "application/json": _JSON}),)
    fallbacks = ("/ocr/{rest:path}",)

    def authenticate(self, req: SignedRequest, keys: VendorKeys, now: float) -> OcrError | None:
        try:  # the appid/bucket the signature must match are in the body: an unreadable one is code 3
            form = fields(req)
        except OcrError as err:
            return err
        appid = keys.settings.get("appid") or form.get("appid", b"").decode("utf-8", "replace")
        failure = tencent_legacy.verify(req, keys.secrets, now=now, appid=appid, form=form)
        return None if failure is None else auth_error(failure)

    def parse(self, req: SignedRequest) -> Job:
        if req.method != "POST":
            raise self.not_found(req)
        form = fields(req)
        if not form.get("appid"):
            raise vendor_error(-1301, "参数为空: appid")
        url = form.get("url", b"").decode("utf-8", "replace").strip()
        options = RecognizeOptions(chars=True)  # the service always lists the characters
        if url:
            return Job(url=url, options=options)
        if not form.get("image"):
            raise EmptyInput("图片为空: give the image file or a url")
        return Job(image=form["image"], options=options)

    def not_found(self, req: SignedRequest) -> OcrError:
        return vendor_error(21, f"无效参数: no such API {req.method} {req.path}")

    def busy(self) -> OcrError:
        return RateLimited("操作太频繁，触发频控")

    def too_large(self, limit: int) -> OcrError:
        return ImageTooLarge(f"请求包体过大: the limit is {limit // 1048576} MB")


ROUTE = TencentLegacyRoute()
