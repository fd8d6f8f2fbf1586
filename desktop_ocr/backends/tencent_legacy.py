"""Tencent Cloud legacy image OCR: POST recognition.image.myqcloud.com/ocr/general.

No maintained SDK exists, so we send the documented request ourselves: multipart/form-data with
``appid``, ``bucket`` and the ``image`` file, and the HMAC-SHA1 multi-use signature of
signatures.tencent_legacy in the Authorization header. Answers are ``{code, message, data}``; code 0 is
success, anything else an error with the documented code (shown verbatim).
"""

from __future__ import annotations

import json
import logging
import uuid
from urllib.parse import urlsplit

from ..core.recognizer import RecognizeOptions
from ..signatures import tencent_legacy as legacy_sign
from . import _http
from ._base import CloudRecognizer, SettingsError, Upload
from .credentials import Secret, mask, protect_logger, register_secret, reveal

log = protect_logger(logging.getLogger(__name__))

DEFAULT_URL = "https://recognition.image.myqcloud.com/ocr/general"
PATH = "/ocr/general"
_MIME = {"jpeg": "image/jpeg", "png": "image/png", "bmp": "image/bmp"}


def endpoint_url(endpoint: str | None) -> str:
    """The full /ocr/general URL from nothing, a host, or a base URL such as http://127.0.0.1:PORT."""
    if not endpoint:
        return DEFAULT_URL
    if "://" not in endpoint:
        endpoint = "https://" + endpoint
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError(f"not an http(s) endpoint: {endpoint!r}")
    if parts.path in ("", "/"):
        return f"{parts.scheme}://{parts.netloc}{PATH}"
    return endpoint


def multipart(fields: dict[str, str], file_field: str, filename: str, mime: str, data: bytes,
              boundary: str | None = None) -> tuple[bytes, str]:
    """(body, content type) of a multipart/form-data request."""
    boundary = boundary or uuid.uuid4().hex
    out = bytearray()
    for name, value in fields.items():
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                f"{value}\r\n").encode()
    out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{file_field}\"; "
            f"filename=\"{filename}\"\r\nContent-Type: {mime}\r\n\r\n").encode()
    out += data + b"\r\n" + f"--{boundary}--\r\n".encode("ascii")
    return bytes(out), f"multipart/form-data; boundary={boundary}"


class TencentLegacyBackend(CloudRecognizer):
    name = "tencent-legacy"
    accepted_formats = ("jpeg", "png", "bmp")
    max_bytes = 5_900_000  # "每个请求的包体大小限制为 6MB"

    def __init__(self, *, appid: str | None = None, secret_id=None, secret_key=None, bucket: str = "",
                 endpoint: str | None = None, sign_ttl: int = 600, **kw):
        super().__init__(**kw)
        self.appid = str(appid or "").strip()
        if not self.appid:
            raise SettingsError("the legacy Tencent OCR needs your APPID", fields=("appid",))
        self.secret_id = reveal(secret_id)
        register_secret(self.secret_id)  # a SecretId is scrubbed from messages too
        self.secret_key = secret_key if isinstance(secret_key, Secret) or secret_key is None \
            else Secret(secret_key)
        if not (self.secret_id and self.secret_key):
            raise SettingsError("the legacy Tencent OCR needs a SecretId and SecretKey",
                                fields=("secret_id", "secret_key"))
        self.bucket = bucket or ""
        self.url = endpoint_url(endpoint)
        self.sign_ttl = int(sign_ttl)

    def describe(self) -> str:
        return f"{self.url} appid {self.appid}, id {mask(self.secret_id)}"

    def request(self, upload: Upload, options: RecognizeOptions):
        data, fmt = upload.data, upload.format
        body, ctype = multipart({"appid": self.appid, "bucket": self.bucket}, "image",
                                f"image.{'jpg' if fmt == 'jpeg' else fmt or 'png'}",
                                _MIME.get(fmt, "image/png"), data)
        secret_id, secret_key = self.secret_id, reveal(self.secret_key)
        assert secret_id and secret_key, "__init__ refuses a missing SecretId or SecretKey"
        headers = {
            "Content-Type": ctype,
            "Authorization": legacy_sign.sign(self.appid, self.bucket, secret_id, secret_key, ttl=self.sign_ttl),
        }
        resp = _http.post(self.url, body, headers, timeout=self.timeout, vendor=self.vendor)
        try:
            obj = json.loads(resp.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            if resp.status != 200:
                raise self.vendor_error(None, resp.status, resp.header("retry-after")) from None
            raise _http.bad_answer(self.vendor, "not_json", detail=_http.snippet(resp.body),
                                   status=resp.status) from None
        if not isinstance(obj, dict) or "code" not in obj:
            if resp.status != 200:
                raise self.vendor_error(None, resp.status, resp.header("retry-after"))
            raise _http.bad_answer(self.vendor, "unexpected", detail="no code in the answer", status=resp.status)
        if obj.get("code") == 0 and resp.status == 200:
            return obj
        raise self.vendor_error(obj, resp.status, resp.header("retry-after"))
