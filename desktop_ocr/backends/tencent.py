"""Tencent Cloud OCR API 3.0: GeneralAccurateOCR / GeneralBasicOCR (Version 2018-11-19).

Called through the official tencentcloud-sdk-python-ocr, which signs with TC3-HMAC-SHA256. The SDK's
HttpProfile takes the endpoint host (``ocr.tencentcloudapi.com``, the international
``ocr.intl.tencentcloudapi.com``, or any ``host:port``) and the protocol, so ``--endpoint
http://127.0.0.1:PORT`` works without patching anything. We use ``client.call`` to get the raw JSON
and read it with formats.tencent, the same reader the exports round-trip through.

API 3.0 answers errors with HTTP 200 and ``{"Response":{"Error":{"Code","Message"},"RequestId"}}``;
the SDK raises them as TencentCloudSDKException(code, message, requestId) (only when the answer's
Content-Type is exactly application/json). Non-200 answers (a gateway 5xx) come as
``ServerNetworkError``, network failures as ``ClientNetworkError``.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import urlsplit

from ..core.errors import BackendError
from ..core.recognizer import RecognizeOptions
from . import _http
from ._base import CloudRecognizer, SettingsError, Upload, require
from .credentials import Secret, mask, protect_logger, register_secret, reveal

log = protect_logger(logging.getLogger(__name__))

ACTIONS = ("GeneralAccurateOCR", "GeneralBasicOCR")
VERSION = "2018-11-19"
DEFAULT_ENDPOINT = "ocr.tencentcloudapi.com"
INTL_ENDPOINT = "ocr.intl.tencentcloudapi.com"
DEFAULT_REGION = "ap-guangzhou"


def parse_endpoint(endpoint: str | None) -> tuple[str, str]:
    """(protocol, host[:port]) from ``ocr.tencentcloudapi.com`` or ``http://127.0.0.1:8080``."""
    if not endpoint:
        return "https", DEFAULT_ENDPOINT
    if "://" not in endpoint:
        return "https", endpoint.strip("/")
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError(f"not an http(s) endpoint: {endpoint!r}")
    if parts.path not in ("", "/"):
        raise SettingsError("API 3.0 always posts to '/': give the endpoint without a path")
    return parts.scheme, parts.netloc


class TencentBackend(CloudRecognizer):
    name = "tencent"
    accepted_formats = ("jpeg", "png", "bmp")
    max_bytes = 7_500_000  # "no more than 10M" once base64-encoded

    def __init__(self, *, secret_id=None, secret_key=None, token=None,
                 action: str = "GeneralAccurateOCR", region: str | None = None,
                 endpoint: str | None = None, **kw):
        super().__init__(**kw)
        if action not in ACTIONS:
            raise SettingsError(f"unknown Tencent action {action!r}; choose from {', '.join(ACTIONS)}")
        self.secret_id = reveal(secret_id)
        register_secret(self.secret_id)  # a SecretId is scrubbed from messages too
        self.secret_key = secret_key if isinstance(secret_key, Secret) or secret_key is None \
            else Secret(secret_key)
        self.token = token if isinstance(token, Secret) or not token else Secret(token)
        if not (self.secret_id and self.secret_key):
            raise SettingsError("Tencent Cloud needs a SecretId and SecretKey", fields=("secret_id", "secret_key"))
        self.action = action
        self.region = region or DEFAULT_REGION
        self.protocol, self.host = parse_endpoint(endpoint)
        require("tencentcloud.ocr.v20181119.ocr_client", "Tencent Cloud")
        self._client = None

    def describe(self) -> str:
        return f"{self.action} at {self.protocol}://{self.host} ({self.region}), id {mask(self.secret_id)}"

    def client(self):
        if self._client is None:
            from tencentcloud.common import credential
            from tencentcloud.common.profile.client_profile import ClientProfile
            from tencentcloud.common.profile.http_profile import HttpProfile
            from tencentcloud.ocr.v20181119 import ocr_client

            http = HttpProfile(protocol=self.protocol, endpoint=self.host,
                               reqTimeout=self.timeout)
            # The SDK's own retryer stays off: our policy (one retry, never on auth) applies.
            profile = ClientProfile(httpProfile=http, language="en-US")
            cred = credential.Credential(self.secret_id, reveal(self.secret_key), reveal(self.token) or None)
            self._client = ocr_client.OcrClient(cred, self.region, profile)
        return self._client

    def request(self, upload: Upload, options: RecognizeOptions):
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

        params: dict[str, str | bool] = {"ImageBase64": upload.b64}
        if options.chars:
            params["IsWords"] = True
        if options.single_line and self.action == "GeneralAccurateOCR":  # GeneralBasicOCR lacks it
            params["EnableDetectText"] = False
        client = self.client()
        try:
            body = client.call(self.action, params)
        except TencentCloudSDKException as exc:
            raise self.sdk_error(exc) from None
        except Exception as exc:
            # The SDK reads the body after its network wrapper (a cut-off body comes through as
            # requests' ChunkedEncodingError), and indexes into the JSON looking for an error
            # (KeyError/TypeError on another shape; ValueError when Content-Type said JSON and the
            # body was not): a bad answer, never an unexpected error.
            raise self._call_failed(exc) from None
        try:
            obj = json.loads(body)
        except (ValueError, TypeError):
            raise _http.bad_answer(self.vendor, "not_json", detail=_http.snippet(body)) from None
        if not isinstance(obj, dict) or not isinstance(obj.get("Response"), dict):
            raise _http.bad_answer(self.vendor, "unexpected", detail="no Response object in the answer")
        if "Error" in obj["Response"]:  # an error the SDK did not raise (Content-Type not exactly JSON)
            raise self.vendor_error(obj, 200)
        return obj

    def _call_failed(self, exc: Exception) -> BackendError:
        if isinstance(exc, _http.sdk_network_errors()):
            return _http.network_error(exc, vendor=self.vendor, host=self.host, timeout=self.timeout,
                                       answered=True)
        if isinstance(exc, ValueError):
            return _http.bad_answer(self.vendor, "not_json")
        return _http.bad_answer(self.vendor, "unexpected", detail=type(exc).__name__)

    def sdk_error(self, exc) -> BackendError:
        code = exc.get_code() if hasattr(exc, "get_code") else getattr(exc, "code", None)
        message = exc.get_message() if hasattr(exc, "get_message") else str(exc)
        request_id = exc.get_request_id() if hasattr(exc, "get_request_id") else None
        if isinstance(message, bytes):
            message = message.decode("utf-8", "replace")
        message = str(message or "")
        if code == "ClientNetworkError":
            # The SDK wraps every requests exception as ClientNetworkError(str(e)): requests' own text
            # ("HTTPSConnectionPool(...): Max retries exceeded ... NewConnectionError(...)"). The real
            # exception is its __context__ (raised while handling it): classify that instead.
            return _http.network_error(exc, vendor=self.vendor, host=self.host, timeout=self.timeout)
        if code == "ServerNetworkError":  # a non-200 answer: gateway trouble, not an API error
            return _http.TransientError(f"{self.vendor} answered with an HTTP error instead of an API "
                                        f"answer: {_http.snippet(message)}", vendor_code=code, reason="server",
                                        params={"vendor": self.vendor, "host": self.host,
                                                "vendor_message": _http.snippet(message)})
        obj = {"Response": {"Error": {"Code": code, "Message": message}, "RequestId": request_id}}
        return self.vendor_error(obj, 200)
