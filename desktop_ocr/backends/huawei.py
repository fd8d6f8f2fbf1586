"""Huawei Cloud OCR general-text: POST /v2/{project_id}/ocr/general-text.

Two ways in, as the vendor offers them:
- AK/SK through the official huaweicloudsdkocr, which signs with SDK-HMAC-SHA256. The project id is
  given explicitly, so the SDK never calls IAM to look it up.
- An IAM token in ``X-Auth-Token``: a plain JSON POST (the SDK has no token credential).
``detect_direction`` is always on, so ``direction`` comes back as the page angle. Errors are
``{"error_code", "error_msg"}`` (the gateway's APIG.xxxx, the service's AIS.xxxx / ModelArts.xxxx).
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

DEFAULT_REGION = "cn-north-4"
PATH = "/v2/{project_id}/ocr/general-text"


def endpoint_url(endpoint: str | None, region: str | None) -> str:
    """Scheme://host[:port] of the service: given, or ``ocr.{region}.myhuaweicloud.com``."""
    if not endpoint:
        return f"https://ocr.{region or DEFAULT_REGION}.myhuaweicloud.com"
    if "://" not in endpoint:
        endpoint = "https://" + endpoint
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError(f"not an http(s) endpoint: {endpoint!r}")
    return f"{parts.scheme}://{parts.netloc}"


class HuaweiBackend(CloudRecognizer):
    name = "huawei"
    accepted_formats = ("jpeg", "png", "bmp", "tiff", "webp")
    max_side = 4096  # "最长边不超过4096px"
    max_bytes = 7_500_000  # 10 MB once base64-encoded

    def __init__(self, *, project_id: str | None = None, ak=None, sk=None, token=None,
                 region: str | None = None, endpoint: str | None = None, **kw):
        super().__init__(**kw)
        self.project_id = str(project_id or "").strip()
        if not self.project_id:
            raise SettingsError("Huawei Cloud needs the project id of your region", fields=("project_id",))
        self.ak = reveal(ak)
        register_secret(self.ak)  # an access key is scrubbed from messages too
        self.sk = sk if isinstance(sk, Secret) or sk is None else Secret(sk)
        self.token = token if isinstance(token, Secret) or not token else Secret(token)
        if not ((self.ak and self.sk) or self.token):
            raise SettingsError("Huawei Cloud needs an AK/SK pair or an IAM token", fields=("ak", "sk", "token"))
        self.mode = "aksk" if self.ak and self.sk else "token"
        self.region = region or DEFAULT_REGION
        self.base_url = endpoint_url(endpoint, self.region)
        if self.mode == "aksk":
            require("huaweicloudsdkocr.v1", "Huawei Cloud (AK/SK)")
        self._client = None

    def describe(self) -> str:
        who = f"AK {mask(self.ak)}" if self.mode == "aksk" else "IAM token"
        return f"{self.base_url} project {self.project_id}, {who}"

    # -- AK/SK through the SDK ---------------------------------------------------

    def client(self):
        if self._client is None:
            from huaweicloudsdkcore.auth.credentials import BasicCredentials
            from huaweicloudsdkcore.http.http_config import HttpConfig
            from huaweicloudsdkocr.v1 import OcrClient

            config = HttpConfig.get_default_config()
            config.timeout = (self.timeout, self.timeout)
            config.retry_times = 0  # our policy retries, the SDK does not
            creds = BasicCredentials(self.ak, reveal(self.sk), self.project_id)
            self._client = (OcrClient.new_builder().with_http_config(config)
                            .with_credentials(creds).with_endpoint(self.base_url).build())
            # The SDK logs each failure at ERROR on its own logger (no propagation, no handler), so
            # Python's last-resort handler printed it on stderr ("ConnectionException occurred.
            # HTTPConnection(host=...)"): a second, raw line beside ours. Our error says it all.
            sdk_log = protect_logger(logging.getLogger(f"HuaweiCloud-SDK-{OcrClient.__name__}"))
            if not sdk_log.handlers:
                sdk_log.addHandler(logging.NullHandler())
        return self._client

    def _request_sdk(self, b64: str):
        from huaweicloudsdkcore.exceptions import exceptions as hx
        from huaweicloudsdkocr.v1 import GeneralTextRequestBody, RecognizeGeneralTextRequest

        req = RecognizeGeneralTextRequest(body=GeneralTextRequestBody(image=b64, detect_direction=True))
        client = self.client()
        try:
            resp = client.recognize_general_text(req)
        except hx.ServiceResponseException as exc:
            obj = {"error_code": exc.error_code, "error_msg": exc.error_msg}
            err = self.vendor_error(obj, exc.status_code)
            err.request_id = err.request_id or exc.request_id
            raise err from None
        except hx.RequestTimeoutException:
            raise BackendError(f"{self.vendor} did not answer within {self.timeout:g} s", reason="timeout",
                               params={"vendor": self.vendor, "host": self._host, "seconds": self.timeout}) from None
        except Exception as exc:
            # The SDK's ConnectionException carries requests' text ("HTTPConnectionPool(...): Max
            # retries exceeded ... NewConnectionError(...)"), and some requests exceptions (a cut-off
            # or malformed answer, a read timeout) come through as they are; the SDK also chokes on
            # bodies it cannot parse (KeyError, TypeError...). The real cause is in the chain.
            raise self._transport_error(exc) from None
        raw = resp.raw_content
        return _parse(raw, self.vendor, 200)

    @property
    def _host(self) -> str:
        return urlsplit(self.base_url).netloc

    def _transport_error(self, exc: Exception) -> BackendError:
        from huaweicloudsdkcore.exceptions import exceptions as hx

        if isinstance(exc, _http.sdk_network_errors(hx.ConnectionException, hx.RequestTimeoutException)):
            return _http.network_error(exc, vendor=self.vendor, host=self._host, timeout=self.timeout)
        return _http.bad_answer(self.vendor, "unexpected", detail=type(exc).__name__)

    # -- IAM token: plain HTTP ---------------------------------------------------

    def _request_token(self, b64: str):
        url = self.base_url + PATH.format(project_id=self.project_id)
        body = json.dumps({"image": b64, "detect_direction": True}).encode()
        token = reveal(self.token)
        assert token, "token mode: __init__ refuses a missing token"
        headers = {"Content-Type": "application/json", "X-Auth-Token": token}
        resp = _http.post(url, body, headers, timeout=self.timeout, vendor=self.vendor)
        if resp.status == 200:
            return _parse(resp.body, self.vendor, 200)
        try:
            obj = json.loads(resp.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            obj = None
        err = self.vendor_error(obj, resp.status, resp.header("retry-after"))
        err.request_id = err.request_id or resp.header("x-request-id") or None
        raise err

    def request(self, upload: Upload, options: RecognizeOptions):
        b64 = upload.b64
        obj = self._request_sdk(b64) if self.mode == "aksk" else self._request_token(b64)
        if not isinstance(obj, dict) or "result" not in obj:
            if isinstance(obj, dict) and "error_code" in obj:
                raise self.vendor_error(obj, 200)
            raise _http.bad_answer(self.vendor, "unexpected", detail="no result object in the answer")
        return obj


def _parse(raw, vendor: str, status: int):
    if isinstance(raw, (bytes, bytearray)):
        raw = raw.decode("utf-8", "replace")
    try:
        return json.loads(raw)
    except (TypeError, ValueError):
        raise _http.bad_answer(vendor, "not_json", detail=_http.snippet(str(raw)), status=status) from None
