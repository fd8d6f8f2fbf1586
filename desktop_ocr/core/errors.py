"""Typed errors, so every layer (CLI, window, vendor formats) can map them to clear messages and codes."""

from __future__ import annotations


class OcrError(Exception):
    """Base of every error we raise on purpose. ``code`` is a stable machine name."""

    code = "ocr_error"

    def __init__(self, message: str, *, source: str | None = None):
        super().__init__(message)
        self.message = message
        self.source = source

    def __str__(self) -> str:  # the message names the source when we know it
        return f"{self.source}: {self.message}" if self.source else self.message


class EmptyInput(OcrError):
    code = "empty_input"


class UnsupportedSource(OcrError):
    code = "unsupported_source"


class UndecodableImage(OcrError):
    code = "undecodable_image"


class ImageTooSmall(OcrError):
    code = "image_too_small"


class ImageTooLarge(OcrError):
    code = "image_too_large"


class DownloadFailed(OcrError):
    """A URL could not be fetched. ``status`` is the HTTP status when the server answered one."""

    code = "download_failed"

    def __init__(self, message: str, *, status: int | None = None, source: str | None = None):
        super().__init__(message, source=source)
        self.status = status


class NoTextFound(OcrError):
    """Raised only where a vendor format treats an empty page as an error; our own format does not."""

    code = "no_text_found"


class EngineUnavailable(OcrError):
    """The local models or runtime are missing or failed to load."""

    code = "engine_unavailable"


class BackendError(OcrError):
    """A cloud service answered with an error. ``vendor_code`` is the vendor's own code, shown verbatim."""

    code = "backend_error"

    def __init__(self, message: str, *, vendor_code: str | None = None, status: int | None = None,
                 request_id: str | None = None, source: str | None = None):
        super().__init__(message, source=source)
        self.vendor_code = vendor_code
        self.status = status
        self.request_id = request_id

    def __str__(self) -> str:
        head = f"[{self.vendor_code}] " if self.vendor_code else ""
        return head + super().__str__()


class AuthFailed(BackendError):
    code = "auth_failed"


class RateLimited(BackendError):
    code = "rate_limited"


class Cancelled(OcrError):
    code = "cancelled"
