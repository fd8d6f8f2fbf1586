"""The signature of Tencent's legacy image services (recognition.image.myqcloud.com), per "鉴权签名方法":
the client's signer and the server's check.

    Original = a=APPID&b=BUCKET&k=SECRETID&e=EXPIRE&t=NOW&r=RAND&u=0&f=
    SignTmp  = HMAC-SHA1(SecretKey, Original)          (20 raw bytes)
    Sign     = Base64(SignTmp + Original)               -> the Authorization header

``e`` > ``t`` makes a multi-use signature valid until ``e``; ``f`` (a file id) stays empty for OCR;
``u`` is the QQ number, 0 when unused; ``r`` a random non-negative integer of up to 10 digits.
The signature covers the key, app, bucket and times but NOT the request body: the server can only
cross-check the ``appid``/``bucket`` fields of the multipart form against it. Errors are HTTP 200 with
{"code", "message", "data"} and the documented codes: 4 empty signature, 5 bad signature string,
6 appid/bucket mismatch, 9 expired, 10 unknown appid, 11 unknown SecretId, 14 signature check failed.
A multi-use signature may be used again until ``e``, so a repeated one is not refused.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Mapping
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from secrets import randbelow

from . import AuthFailure, Reason, SignedRequest

DIGEST_SIZE = 20  # SHA-1
MAX_SKEW = 300  # seconds a signature's ``t`` may lie in the server's future


def plaintext(appid: str, bucket: str, secret_id: str, expire: int, now: int, rand: int) -> str:
    """The documented plain-text string, fields in the documented order."""
    return f"a={appid}&b={bucket}&k={secret_id}&e={int(expire)}&t={int(now)}&r={int(rand)}&u=0&f="


def sign(appid: str, bucket: str, secret_id: str, secret_key: str, *, ttl: int = 600,
         now: int | None = None, rand: int | None = None) -> str:
    """The Authorization header value: a multi-use signature valid ``ttl`` seconds from ``now``."""
    now = int(time.time()) if now is None else int(now)
    rand = randbelow(10**10) if rand is None else int(rand)
    text = plaintext(appid, bucket, secret_id, now + int(ttl), now, rand)
    return base64.b64encode(signature_digest(secret_key, text) + text.encode("utf-8")).decode("ascii")


def signature_digest(secret_key: str, text: str) -> bytes:
    """SignTmp: the raw HMAC-SHA1 of the plain text under the SecretKey."""
    return hmac.new(secret_key.encode("utf-8"), text.encode("utf-8"), hashlib.sha1).digest()


@dataclass
class Parsed:
    digest: bytes
    text: str
    fields: dict[str, str]


def parse(authorization: str) -> Parsed:
    """Split a signature into its digest and plain-text fields (raises ValueError if malformed)."""
    raw = base64.b64decode(authorization.strip(), validate=True)
    if len(raw) <= DIGEST_SIZE:
        raise ValueError("signature too short")
    text = raw[DIGEST_SIZE:].decode("utf-8")
    fields = {}
    for part in text.split("&"):
        key, sep, value = part.partition("=")
        if not sep:
            raise ValueError(f"malformed field {part!r}")
        fields[key] = value
    for key in ("a", "b", "k", "e", "t", "r", "u", "f"):
        if key not in fields:
            raise ValueError(f"field {key!r} missing")
    return Parsed(raw[:DIGEST_SIZE], text, fields)


def parse_multipart(content_type: str, body: bytes) -> dict[str, bytes]:
    """The fields of a multipart/form-data body by name (raises ValueError if not multipart)."""
    msg = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
    if not msg.is_multipart():
        raise ValueError("not multipart")
    out: dict[str, bytes] = {}
    for part in msg.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name and isinstance(name, str):  # not an RFC 2231 (charset, language, value) triple
            payload = part.get_payload(decode=True)  # bytes, or None for an empty part
            out[name] = payload if isinstance(payload, bytes) else b""
    return out


def _fail(reason: str, code: int, message: str) -> AuthFailure:
    return AuthFailure(reason, str(code), message, 200)


def verify(req: SignedRequest, secrets: Mapping[str, str], *, now: float, appid: str,
           form: Mapping[str, bytes] | None = None) -> AuthFailure | None:
    """Check ``req`` as the service does for app ``appid``. ``secrets``: SecretId -> SecretKey;
    ``form``: the request's multipart fields when already parsed (else parsed from the body)."""
    auth = req.header("Authorization")
    if not auth:
        return _fail(Reason.MISSING, 4, "签名为空")
    try:
        p = parse(auth)
        expire, signed_at = int(p.fields["e"]), int(p.fields["t"])
    except ValueError:  # binascii.Error and UnicodeDecodeError included
        return _fail(Reason.MISSING, 5, "签名串错误")
    if p.fields["a"] != appid:
        return _fail(Reason.UNKNOWN_KEY, 10, "appid 不存在")
    secret_key = secrets.get(p.fields["k"])
    if secret_key is None:
        return _fail(Reason.UNKNOWN_KEY, 11, "secretid 不存在")
    if form is None:
        try:
            form = parse_multipart(req.header("Content-Type") or "", req.body)
        except ValueError:
            form = {}
    if (form.get("appid", b"").decode("utf-8", "replace") != p.fields["a"]
            or form.get("bucket", b"").decode("utf-8", "replace") != p.fields["b"]):
        return _fail(Reason.SCOPE_MISMATCH, 6, "签名中的 appid/bucket 与操作目标不匹配")
    if expire < now or signed_at > now + MAX_SKEW:
        return _fail(Reason.EXPIRED, 9, "签名过期")
    if not hmac.compare_digest(signature_digest(secret_key, p.text), p.digest):
        return _fail(Reason.SIGNATURE_MISMATCH, 14, "签名校验失败")
    return None
