"""AWS AI Solution Kit General OCR: a Lambda behind API Gateway deployed in the user's own account.

The user pastes the full invoke URL (``https://{api-id}.execute-api.{region}.amazonaws.com[.cn]/
{stage}/{path}``; the path differs by release). Auth is either none or IAM: SigV4 for service
``execute-api``, signed by botocore's SigV4Auth (never by hand). Body ``{"img": base64}``.
Errors: HTTP 400 with a plain-text body from the function, 403 ``{"message"}`` from the gateway.
"""

from __future__ import annotations

import json
import logging
import re
from urllib.parse import urlsplit

from ..core.recognizer import RecognizeOptions
from . import _http
from ._base import CloudRecognizer, SettingsError, Upload, require
from .credentials import Secret, mask, protect_logger, register_secret, reveal

log = protect_logger(logging.getLogger(__name__))

_REGION_IN_HOST = re.compile(r"\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$")


def region_from_url(url: str) -> str | None:
    """``us-east-1`` from ``https://abc.execute-api.us-east-1.amazonaws.com/prod/...``."""
    m = _REGION_IN_HOST.search(urlsplit(url).hostname or "")
    return m.group(1) if m else None


class AwsBackend(CloudRecognizer):
    name = "aws"
    accepted_formats = ("jpeg", "png", "bmp")
    max_side = 4096  # "the longest side not exceeding 4096px"
    max_bytes = 4_400_000  # Lambda takes 6 MB per request: 4.4 MB of image once base64-encoded

    def __init__(self, endpoint: str | None = None, *, auth: str | None = None, region: str | None = None,
                 access_key_id: str | None = None, secret_access_key=None, session_token=None,
                 **kw):
        super().__init__(**kw)
        if not endpoint:
            raise SettingsError("the AWS backend needs the endpoint URL of your deployed solution "
                                "(https://{api-id}.execute-api.{region}.amazonaws.com/{stage}/{path})",
                                fields=("endpoint",))
        parts = urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise SettingsError(f"not an http(s) URL: {endpoint!r}")
        self.endpoint = endpoint if parts.path else endpoint.rstrip("/") + "/"
        self.access_key_id = reveal(access_key_id)
        register_secret(self.access_key_id)  # an access key id is scrubbed from messages too
        self.secret_access_key = secret_access_key if isinstance(secret_access_key, Secret) or \
            secret_access_key is None else Secret(secret_access_key)
        self.session_token = session_token if isinstance(session_token, Secret) or not session_token \
            else Secret(session_token)
        if auth is None:
            auth = "iam" if self.access_key_id and self.secret_access_key else "none"
        if auth not in ("none", "iam"):
            raise SettingsError("AWS auth is 'none' or 'iam'")
        self.auth = auth
        self.region = region or region_from_url(endpoint)
        if auth == "iam":
            if not (self.access_key_id and self.secret_access_key):
                raise SettingsError("IAM auth needs an access key id and secret access key",
                                    fields=("access_key_id", "secret_access_key"))
            if not self.region:
                raise SettingsError("cannot tell the region from this endpoint: give the region "
                                    "(e.g. us-east-1)", fields=("region",))
            require("botocore.auth", "AWS (IAM)")

    def describe(self) -> str:
        who = f", key {mask(self.access_key_id)}" if self.auth == "iam" else ""
        return f"{self.endpoint} auth={self.auth}{who}"

    def signed_headers(self, body: bytes) -> dict[str, str]:
        """Headers for one request; with IAM, signed by botocore's SigV4Auth for execute-api."""
        headers = {"Content-Type": "application/json"}
        if self.auth != "iam":
            return headers
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials

        creds = Credentials(self.access_key_id, reveal(self.secret_access_key),
                            reveal(self.session_token) or None)
        req = AWSRequest(method="POST", url=self.endpoint, data=body, headers=headers)
        req.context["payload_signing_enabled"] = True
        SigV4Auth(creds, "execute-api", self.region).add_auth(req)
        return dict(req.headers.items())

    def request(self, upload: Upload, options: RecognizeOptions):
        body = json.dumps({"img": upload.b64}).encode()
        headers = self.signed_headers(body)  # re-signed on every attempt: fresh X-Amz-Date
        resp = _http.post(self.endpoint, body, headers, timeout=self.timeout, vendor=self.vendor)
        if resp.status == 200:
            try:
                obj = json.loads(resp.body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                raise _http.bad_answer(self.vendor, "not_json", detail=_http.snippet(resp.body)) from None
            if isinstance(obj, list):  # the function's answer: a list of lines
                return obj
            if isinstance(obj, dict) and (obj.get("message") or obj.get("Message")):  # a gateway's error
                raise self.vendor_error(obj, 200)
            raise _http.bad_answer(self.vendor, "unexpected", detail="not a list of lines")
        err = self.vendor_error(_error_body(resp), resp.status, resp.header("retry-after"))
        if err.request_id is None:
            err.request_id = resp.header("x-amzn-requestid") or None
        raise err


def _error_body(resp: _http.HttpResponse):
    """The function answers plain text, the gateway JSON ``{"message"}``: hand load_error either."""
    text = resp.body.decode("utf-8", "replace")
    try:
        return json.loads(text)
    except ValueError:
        return text
