"""Typed errors, so every layer (CLI, window, vendor formats) can map them to clear messages and codes."""

from __future__ import annotations


class OcrError(Exception):
    """Base of every error we raise on purpose.

    ``code`` (per class) and ``reason`` (per raise, optional) are stable machine names; ``key`` joins
    them ("download_failed.timeout"). ``params`` holds the values a sentence about the error needs
    (numbers, names). The window words an error from its key and params in the user's language
    (gui/error_text.py); ``message`` is the English sentence the command line prints and the window
    offers as details.
    """

    code = "ocr_error"

    def __init__(self, message: str, *, source: str | None = None, reason: str | None = None,
                 params: dict | None = None):
        super().__init__(message)
        self.message = message
        self.source = source
        self.reason = reason
        self.params = dict(params or {})

    @property
    def key(self) -> str:
        return f"{self.code}.{self.reason}" if self.reason else self.code

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

    def __init__(self, message: str, *, status: int | None = None, source: str | None = None,
                 reason: str | None = None, params: dict | None = None):
        super().__init__(message, source=source, reason=reason, params=params)
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
    #: seconds the vendor asked for before a retry (its Retry-After header), set by the backend when sent
    retry_after: float | None = None

    def __init__(self, message: str, *, vendor_code: str | None = None, status: int | None = None,
                 request_id: str | None = None, source: str | None = None, reason: str | None = None,
                 params: dict | None = None):
        super().__init__(message, source=source, reason=reason, params=params)
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


class WriteFailed(OcrError):
    """A result could not be written (core.atomic). ``fatal``: nothing more can be written there
    (folder not writable, disk full...), as opposed to this one file (it exists, a folder is in the way)."""

    code = "write_failed"

    def __init__(self, message: str, *, fatal: bool = False, source: str | None = None,
                 reason: str | None = None, params: dict | None = None):
        super().__init__(message, source=source, reason=reason, params=params)
        self.fatal = fatal


class CaptureFailed(OcrError):
    """The screen could not be captured, or a rectangle of it not cut out.

    Reasons: "no_handler" (no way of taking a screenshot worked; params["tried"] names each with why),
    "black_image" (a handler gave an all-black picture, as Qt's grab does on Wayland), "portal_denied"
    (the desktop portal's request was refused or cancelled), "portal_failed" (the portal failed or did
    not answer in time), "no_screen" (no screen, or no screen with the asked number), "bad_rect" (the
    rectangle is empty or lies outside every screen).
    """

    code = "capture_failed"


class HotkeyFailed(OcrError):
    """The global shortcut (desktop_ocr.hotkey) could not be set up.

    Reasons: "key_taken" (another program holds the key: params["key"]), "bad_key" (the key cannot be
    read or is on no key of this keyboard), "display_failed" (the X display cannot be opened),
    "portal_denied" (the desktop portal refused or the user cancelled), "portal_failed" (the portal
    failed; "portal_timeout": it did not answer in time), "no_handler" (no way of setting a global
    shortcut works in this session; params["tried"] names each with why), "unsupported" (none is
    implemented on this system: Windows, macOS).
    """

    code = "hotkey_failed"


def user_message(exc: BaseException, *, with_source: bool = False) -> str:
    """The one-line reason a user sees for any failure, in the command line and the window alike.

    An OcrError words itself (a cloud error leads with the vendor's code, as sent); ``with_source``
    prefixes the input it concerns where the error knows it. Anything else is a fault of ours:
    it is named as such, never shown as a traceback.
    """
    if isinstance(exc, OcrError):
        if with_source:
            return str(exc)
        if isinstance(exc, BackendError) and exc.vendor_code:
            return f"[{exc.vendor_code}] {exc.message}"
        return exc.message
    if isinstance(exc, FileNotFoundError):
        return f"file not found: {exc.filename or exc}"
    if isinstance(exc, OSError) and exc.strerror:
        where = f"{exc.filename}: " if with_source and exc.filename else ""
        return where + exc.strerror
    if isinstance(exc, ValueError) and str(exc):  # a setting missing or wrong: the sentence says which
        return str(exc)
    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return f"unexpected error ({detail}); please report it"
