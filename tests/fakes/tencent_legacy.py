"""Fake Tencent Cloud legacy image OCR, POST /ocr/general on recognition.image.myqcloud.com.

The signature is checked from the documented form (written here independently of
desktop_ocr.backends.tencent_legacy_sign): base64(HMAC-SHA1(SecretKey, text) + text) with
text = a=APPID&b=BUCKET&k=SECRETID&e=EXPIRE&t=NOW&r=RAND&u=0&f=. Errors use the documented codes:
4 empty signature, 5 bad signature string, 6 appid/bucket mismatch, 9 expired, 10 unknown appid,
11 unknown SecretId, 14 signature check failed, 15 rate limited, -1102 image decode failed.
Note the signature does not cover the body: only the appid/bucket in it can be cross-checked.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from email.parser import BytesParser
from email.policy import HTTP

from .base import FakeService, Request, Response


def parse_multipart(content_type: str, body: bytes) -> dict[str, bytes]:
    msg = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
    if not msg.is_multipart():
        raise ValueError("not multipart")
    out = {}
    for part in msg.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name:
            out[name] = part.get_payload(decode=True) or b""
    return out


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

    def authenticate(self, req: Request) -> Response | None:
        if req.path.partition("?")[0] != "/ocr/general":
            return self.error(21, "无效参数", status=404)
        try:
            req.form = parse_multipart(req.header("Content-Type") or "", req.body)
        except ValueError:
            req.form = {}
        auth = req.header("Authorization")
        if not auth:
            return self.error(4, "签名为空")
        try:
            raw = base64.b64decode(auth, validate=True)
            digest, text = raw[:20], raw[20:].decode("utf-8")
            fields = dict(p.split("=", 1) for p in text.split("&"))
            expire, now = int(fields["e"]), int(fields["t"])
            secret_id, appid, bucket = fields["k"], fields["a"], fields["b"]
            _ = fields["r"], fields["u"], fields["f"]
        except (ValueError, KeyError, binascii.Error, UnicodeDecodeError):
            return self.error(5, "签名串错误")
        if appid != self.appid:
            return self.error(10, "appid 不存在")
        secret_key = self.keys.get(secret_id)
        if secret_key is None:
            return self.error(11, "secretid 不存在")
        form_appid = req.form.get("appid", b"").decode("utf-8", "replace")
        form_bucket = req.form.get("bucket", b"").decode("utf-8", "replace")
        if form_appid != appid or form_bucket != bucket:
            return self.error(6, "签名中的 appid/bucket 与操作目标不匹配")
        if expire < self.now() or now > self.now() + 300:
            return self.error(9, "签名过期")
        expected = hmac.new(secret_key.encode("utf-8"), text.encode("utf-8"), hashlib.sha1).digest()
        if not hmac.compare_digest(expected, digest):
            return self.error(14, "签名校验失败")
        return None

    def handle(self, req: Request) -> Response:
        data = req.form.get("image")
        if not data:
            return self.error(-1300, "图片为空")
        try:
            result = self.recognize(data, chars=True)
        except ValueError:
            return self.error(-1102, "图片解码失败")
        from desktop_ocr import formats

        obj = formats.get("tencent-legacy").dump(result)
        obj.setdefault("data", {})["session_id"] = self.request_id()
        return Response.json(200, obj)
