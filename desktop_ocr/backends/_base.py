"""What every cloud backend shares: image encoding, timing, retry, and mapping answers to our model."""

from __future__ import annotations

import base64
import importlib
import io
import logging
import time
from typing import Any

from ..core.errors import BackendError, EngineUnavailable, OcrError
from ..core.image import LoadedImage
from ..core.model import OcrResult
from ..core.recognizer import RecognizeOptions, Recognizer
from . import _http
from .credentials import install_log_redaction

log = logging.getLogger(__name__)

CLOUD_EXTRA_HINT = "install the cloud extra: pip install 'desktop-ocr[cloud]'"


def require(module: str, what: str):
    """Import an optional SDK or fail with a clear message naming the extra to install."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise EngineUnavailable(f"the {what} backend needs the {module.split('.')[0]} package: "
                                f"{CLOUD_EXTRA_HINT}") from exc


class CloudRecognizer(Recognizer):
    """A Recognizer that sends the image to a vendor and maps the answer with formats.<vendor>.load."""

    name = "cloud"
    vendor = "cloud"  # human name in messages
    format_name = ""  # formats module that reads this vendor's answers
    accepted_formats = ("jpeg", "png", "bmp")  # encoded formats we upload as they are

    def __init__(self, *, timeout: float = _http.DEFAULT_TIMEOUT, retries: int = 1,
                 backoff: float = 1.0):
        install_log_redaction()
        self.timeout = float(timeout)
        self.retries = int(retries)
        self.backoff = float(backoff)

    # -- helpers for subclasses -------------------------------------------------

    def image_bytes(self, image: LoadedImage) -> bytes:
        """The original file when the vendor takes its format, else a lossless PNG of the pixels."""
        if image.data and (image.format or "").lower() in self.accepted_formats and image.page is None:
            return image.data
        from PIL import Image

        buf = io.BytesIO()
        Image.fromarray(image.pixels).save(buf, format="PNG")
        return buf.getvalue()

    def image_base64(self, image: LoadedImage) -> str:
        return base64.b64encode(self.image_bytes(image)).decode("ascii")

    def fmt(self):
        from .. import formats

        return formats.get(self.format_name)

    def to_result(self, obj: Any, image: LoadedImage, options: RecognizeOptions, t0: float) -> OcrResult:
        """Vendor JSON -> OcrResult, with our bookkeeping (size, source, engine, timing) filled in."""
        try:
            result = self.fmt().load(obj, width=image.width, height=image.height)
        except OcrError:
            raise
        except Exception as exc:
            raise BackendError(f"{self.vendor} answered with a body we cannot read "
                               f"({type(exc).__name__}: {exc})") from exc
        result.width, result.height = image.width, image.height
        result.engine = self.name
        result.source = image.source
        result.elapsed = time.perf_counter() - t0
        if options.min_score > 0:
            result.lines = [ln for ln in result.lines if ln.score is None or ln.score >= options.min_score]
        return result

    def vendor_error(self, obj: Any, status: int, retry_after: str | None = None) -> BackendError:
        """The vendor's error body -> our typed error, through formats.<vendor>.load_error."""
        err = self._load_error(obj, status)
        err.retry_after = _http.retry_after_seconds(retry_after)
        return err

    def _load_error(self, obj: Any, status: int) -> BackendError:
        err = None
        load_error = getattr(self.fmt(), "load_error", None)
        if load_error is not None:
            try:
                err = load_error(obj, status)
            except Exception:  # not the vendor's error shape: fall through to the generic message
                err = None
        if err is None:
            return _http.classify(status, f"{self.vendor} answered HTTP {status}")
        if status is not None and status >= 500 and type(err) is BackendError:
            # keep the vendor's code and text, but let the retry policy see it as transient
            return _http.TransientError(err.message, vendor_code=err.vendor_code, status=status,
                                        request_id=err.request_id)
        if err.status is None:
            err.status = status
        return err

    def run(self, call):
        return _http.with_retry(call, retries=self.retries, backoff=self.backoff)

    def recognize(self, image: LoadedImage, options: RecognizeOptions | None = None) -> OcrResult:
        options = options or RecognizeOptions()
        t0 = time.perf_counter()
        obj = self.run(lambda: self.request(image, options))
        return self.to_result(obj, image, options, t0)

    def request(self, image: LoadedImage, options: RecognizeOptions) -> Any:
        """One call: the parsed JSON answer on success, or raise a BackendError subclass."""
        raise NotImplementedError

    def __repr__(self) -> str:  # never shows credentials: subclasses keep them as Secret
        return f"<{type(self).__name__} {self.describe()}>"

    def describe(self) -> str:
        return self.vendor
