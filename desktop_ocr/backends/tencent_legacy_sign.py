"""The signature of Tencent's legacy image services (recognition.image.myqcloud.com), per "鉴权签名方法".

    Original = a=APPID&b=BUCKET&k=SECRETID&e=EXPIRE&t=NOW&r=RAND&u=0&f=
    SignTmp  = HMAC-SHA1(SecretKey, Original)          (20 raw bytes)
    Sign     = Base64(SignTmp + Original)               -> the Authorization header

``e`` > ``t`` makes a multi-use signature valid until ``e``; ``f`` (a file id) stays empty for OCR;
``u`` is the QQ number, 0 when unused; ``r`` a random non-negative integer of up to 10 digits.
The signature covers the key, app, bucket and times but NOT the request body.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

DIGEST_SIZE = 20  # SHA-1


def plaintext(appid: str, bucket: str, secret_id: str, expire: int, now: int, rand: int) -> str:
    """The documented plain-text string, fields in the documented order."""
    return f"a={appid}&b={bucket}&k={secret_id}&e={int(expire)}&t={int(now)}&r={int(rand)}&u=0&f="


def sign(appid: str, bucket: str, secret_id: str, secret_key: str, *, ttl: int = 600,
         now: int | None = None, rand: int | None = None) -> str:
    """The Authorization header value: a multi-use signature valid ``ttl`` seconds from ``now``."""
    now = int(time.time()) if now is None else int(now)
    rand = secrets.randbelow(10**10) if rand is None else int(rand)
    text = plaintext(appid, bucket, secret_id, now + int(ttl), now, rand).encode("utf-8")
    digest = hmac.new(secret_key.encode("utf-8"), text, hashlib.sha1).digest()
    return base64.b64encode(digest + text).decode("ascii")


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


def verify(authorization: str, secret_key: str) -> bool:
    """True when the digest is HMAC-SHA1(secret_key, plain text) — the server side of ``sign``."""
    p = parse(authorization)
    expected = hmac.new(secret_key.encode("utf-8"), p.text.encode("utf-8"), hashlib.sha1).digest()
    return hmac.compare_digest(expected, p.digest)
