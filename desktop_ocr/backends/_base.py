"""What every cloud backend shares: image encoding, timing, retry, and mapping answers to our model."""

from __future__ import annotations

import base64
import importlib
import io
import logging
import time
from dataclasses import dataclass
from typing import Any

from .. import vendors
from ..core.codes import add_codes
from ..core.errors import BackendError, EngineUnavailable, ImageTooLarge, OcrError
from ..core.image import LoadedImage
from ..core.model import OcrResult
from ..core.recognizer import RecognizeOptions, Recognizer
from . import _http
from .credentials import install_log_redaction, scrub_error

log = logging.getLogger(__name__)

CLOUD_EXTRA_HINT = "install the cloud extra: pip install 'desktop-ocr[cloud]'"


class SettingsError(EngineUnavailable, ValueError):
    """A cloud backend cannot be built: a setting or key is missing or malformed. A ValueError for the
    command line (a usage error), an OcrError with a plain sentence for the window. ``fields`` names
    the registry fields concerned, so each front end can say where to give them (a flag, a
    variable, a settings tab)."""

    def __init__(self, message: str, *, fields: tuple[str, ...] = ()):
        super().__init__(message, reason="settings", params={"fields": list(fields)})
        self.fields = fields


def require(module: str, what: str):
    """Import an optional SDK or fail with a clear message naming the extra to install."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        package = module.split('.')[0]
        raise EngineUnavailable(f"the {what} backend needs the {package} package: {CLOUD_EXTRA_HINT}",
                                reason="cloud_extra_missing",
                                params={"vendor": what, "package": package}) from exc


#: vendor codes meaning the account cannot make calls now (reason "quota", never retried): in
#: arrears, a used-up resource package, a billing state the vendor refuses, the service not enabled.
#: Tencent API 3.0 and legacy codes from their error tables (formats.tencent.DOCUMENTED_CODES,
#: formats.tencent_legacy.CODES); Huawei's ModelArts.4204 is named on the general-text API page.
QUOTA_CODES: dict[str, tuple[str, ...]] = {
    "tencent": ("ResourceUnavailable.InArrears", "ResourceUnavailable.ResourcePackageRunOut",
                "ResourcesSoldOut.ChargeStatusException", "FailedOperation.UnOpenError"),
    "tencent-legacy": ("25",),
    "huawei": ("ModelArts.4204",),
}


def is_quota_code(vendor: str, code: Any) -> bool:
    if code is None:
        return False
    code = str(code)
    return any(code == e or code.startswith(e + ".") for e in QUOTA_CODES.get(vendor, ()))


@dataclass
class Upload:
    """The encoded image sent to a vendor; ``scale`` = sent pixels per original pixel."""

    data: bytes
    format: str
    scale: float = 1.0

    @property
    def b64(self) -> str:
        return base64.b64encode(self.data).decode("ascii")


class CloudRecognizer(Recognizer):
    """A Recognizer that sends the image to a vendor and maps the answer with formats.<vendor>.load."""

    name = "cloud"  # the vendor's registry name (desktop_ocr.vendors): title, format, error codes
    accepted_formats: tuple[str, ...] = ("jpeg", "png", "bmp")  # encoded formats we upload as they are
    max_side: int | None = None  # the vendor's longest-side limit in pixels
    max_bytes: int | None = None  # the vendor's limit on the encoded image (before base64)

    def __init__(self, *, timeout: float = _http.DEFAULT_TIMEOUT, retries: int = 1,
                 backoff: float = 1.0):
        install_log_redaction()
        self.timeout = float(timeout)
        self.retries = int(retries)
        self.backoff = float(backoff)

    # -- helpers for subclasses -------------------------------------------------

    def prepare(self, image: LoadedImage) -> Upload:
        """What we send: the original file when the vendor takes it as it is; otherwise the pixels,
        shrunk to the vendor's longest-side limit and encoded to fit its size limit (the answer's
        coordinates are scaled back to the original image in ``to_result``)."""
        w, h = image.width, image.height
        scale = 1.0
        if self.max_side and max(w, h) > self.max_side:
            scale = self.max_side / max(w, h)
        fmt = (image.format or "").lower()
        if (scale == 1.0 and image.data and fmt in self.accepted_formats and image.page is None
                and (not self.max_bytes or len(image.data) <= self.max_bytes)):
            return Upload(image.data, fmt, 1.0)
        from PIL import Image

        pil = Image.fromarray(image.pixels)
        if scale != 1.0:
            size = (max(1, round(w * scale)), max(1, round(h * scale)))
            pil = pil.resize(size, Image.Resampling.LANCZOS)
            scale = size[0] / w  # the scale really applied (rounded to whole pixels)
        buf = io.BytesIO()
        pil.save(buf, format="PNG")
        data, fmt = buf.getvalue(), "png"
        for quality in (92, 85, 75, 60):  # a photo too big as PNG: JPEG, stepping the quality down
            if not self.max_bytes or len(data) <= self.max_bytes:
                break
            buf = io.BytesIO()
            pil.save(buf, format="JPEG", quality=quality)
            data, fmt = buf.getvalue(), "jpeg"
        if self.max_bytes and len(data) > self.max_bytes:
            raise ImageTooLarge(f"the image is {len(data) / 1e6:.1f} MB even as JPEG; {self.vendor} "
                                f"accepts at most {self.max_bytes / 1e6:.1f} MB", source=image.source)
        if scale != 1.0:
            log.info("image %dx%d shrunk by %.3f for %s (longest side limit %d px)", w, h, scale,
                     self.vendor, self.max_side)
        return Upload(data, fmt, scale)

    @property
    def spec(self) -> vendors.VendorSpec:
        return vendors.get(self.name)

    @property
    def vendor(self) -> str:
        """The service's name in messages."""
        return self.spec.title

    def fmt(self):
        return self.spec.format_module()

    def to_result(self, obj: Any, image: LoadedImage, options: RecognizeOptions, t0: float,
                  scale: float = 1.0) -> OcrResult:
        """Vendor JSON -> OcrResult, with our bookkeeping (size, source, engine, timing) filled in."""
        try:
            result = self.fmt().load(obj, width=round(image.width * scale), height=round(image.height * scale))
        except OcrError:
            raise
        except Exception as exc:  # valid JSON, but not the vendor's answer shape
            raise _http.bad_answer(self.vendor, "unexpected", detail=f"{type(exc).__name__}: {exc}") from None
        if scale != 1.0:  # the vendor saw a shrunk copy: back to original pixels
            for ln in result.lines:
                ln.polygon = [(x / scale, y / scale) for x, y in ln.polygon]
                for c in ln.chars or []:
                    if c.polygon is not None:
                        c.polygon = [(x / scale, y / scale) for x, y in c.polygon]
        result.width, result.height = image.width, image.height
        result.engine = self.name
        result.source = image.source
        result.elapsed = time.perf_counter() - t0
        floor = self.min_score_for(options)
        if floor > 0:
            result.lines = [ln for ln in result.lines if ln.score is None or ln.score >= floor]
        return result

    def vendor_error(self, obj: Any, status: int, retry_after: str | None = None) -> BackendError:
        """The vendor's error body -> our typed error, through formats.<vendor>.load_error."""
        err = self._load_error(obj, status)
        err.retry_after = _http.retry_after_seconds(retry_after)
        return err

    def _load_error(self, obj: Any, status: int) -> BackendError:
        """formats.<vendor>.load_error (which classes auth and rate codes by the registry entry),
        then the entry's transient codes and 5xx answers become worth one retry."""
        try:
            err = self.fmt().load_error(obj, status)
        except Exception:  # not the vendor's error shape: fall through to the generic message
            err = None
        if not isinstance(err, BackendError):
            err = _http.classify(status, f"{self.vendor} answered HTTP {status}")
            err.params.update(vendor=self.vendor, status=status)
            return err
        params = {"vendor": self.vendor, "vendor_message": err.message}
        if is_quota_code(self.name, err.vendor_code):
            err.reason = "quota"
        transient = self.spec.classify(err.vendor_code) == "transient"
        if (transient or (status is not None and status >= 500)) and type(err) is BackendError:
            # keep the vendor's code and text, but let the retry policy see it as transient
            return _http.TransientError(err.message, vendor_code=err.vendor_code, status=status,
                                        request_id=err.request_id, reason="server", params=params)
        if err.status is None:
            err.status = status
        err.reason = _http.reason_of(err)
        err.params.update(params)
        return err

    def finish_error(self, err: OcrError) -> OcrError:
        """Every error leaving a backend call: a cloud error gets its reason and the values a
        sentence about it needs (vendor, vendor_code, request_id, status), and everything a front
        end shows of it is scrubbed of secrets."""
        if isinstance(err, BackendError):
            err.reason = _http.reason_of(err)
            err.params.setdefault("vendor", self.vendor)
            for name in ("vendor_code", "request_id", "status"):
                value = getattr(err, name)
                if value is not None:
                    err.params.setdefault(name, value)
        scrub_error(err)
        return err

    def run(self, call):
        return _http.with_retry(call, retries=self.retries, backoff=self.backoff)

    def recognize(self, image: LoadedImage, options: RecognizeOptions | None = None) -> OcrResult:
        options = options or RecognizeOptions()
        t0 = time.perf_counter()
        try:
            upload = self.prepare(image)
            obj = self.run(lambda: self.request(upload, options))
            result = self.to_result(obj, image, options, t0, upload.scale)
        except OcrError as err:
            self.finish_error(err)
            raise
        if options.codes and not options.single_line:  # decoded here, as for the local engine
            add_codes(result, image.pixels)
            result.elapsed = time.perf_counter() - t0
        return result

    def request(self, upload: Upload, options: RecognizeOptions) -> Any:
        """One call: the parsed JSON answer on success, or raise a BackendError subclass."""
        raise NotImplementedError

    def __repr__(self) -> str:  # never shows credentials: subclasses keep them as Secret
        return f"<{type(self).__name__} {self.describe()}>"

    def describe(self) -> str:
        return self.vendor
