"""Errors in the user's language: one sentence per error key, the English details on demand.

Lower layers raise typed errors (core.errors.OcrError) with a stable ``key`` ("code" or
"code.reason") and ``params`` (the values a sentence needs); their ``message`` is the English
sentence the command line prints. The window never shows that message as its main text:

    summary(exc, **context) -> str   one translated sentence for the error's key, its {placeholders}
                                     filled from exc.params (``context`` fills what the error does
                                     not know, e.g. vendor= when the caller knows the backend)
    details(exc) -> str              the English technical text (core.errors.user_message with the
                                     source, the vendor's code and request id), for a Details button

The templates are marked QT_TRANSLATE_NOOP("Errors", ...) so that lupdate extracts them; they are
translated at run time with QCoreApplication.translate("Errors", template). Each key has variants,
most specific first: the first whose placeholders the error's params can all fill is used, so a
missing value never shows as "{host}". A key without an entry falls back to its class's sentence
(the part before the dot), then to a generic one. Both texts pass through the credential
redaction (no key or token ever reaches the window). Qt only for translate(); no widgets here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication

from .. import vendors
from ..core.errors import BackendError, OcrError, user_message
from ..vendors import QT_TRANSLATE_NOOP

CONTEXT = "Errors"

#: key -> variants (most specific first). Placeholders are {name}s from the error's params (or the
#: caller's context); see _value for how each is written.
CATALOG: dict[str, tuple[str, ...]] = {
    # -- class fallbacks -----------------------------------------------------------------------
    "ocr_error": (QT_TRANSLATE_NOOP("Errors", "The operation failed."),),
    "empty_input": (QT_TRANSLATE_NOOP("Errors", "There is nothing to read: the input is empty."),),
    "unsupported_source": (QT_TRANSLATE_NOOP("Errors", "This input cannot be opened as an image."),),
    "undecodable_image": (QT_TRANSLATE_NOOP("Errors", "The file is not an image that can be read, or it is damaged."),),
    "image_too_small": (QT_TRANSLATE_NOOP("Errors", "The image is too small to read."),),
    "image_too_large": (QT_TRANSLATE_NOOP("Errors", "The image is too large to read."),),
    "download_failed": (
        QT_TRANSLATE_NOOP("Errors", "The image could not be downloaded from {host}."),
        QT_TRANSLATE_NOOP("Errors", "The image could not be downloaded."),
    ),
    "no_text_found": (QT_TRANSLATE_NOOP("Errors", "No text was found in the image."),),
    "engine_unavailable": (QT_TRANSLATE_NOOP("Errors", "The OCR engine is not available."),),
    "backend_error": (
        QT_TRANSLATE_NOOP("Errors", "{vendor} answered with an error ({vendor_code})."),
        QT_TRANSLATE_NOOP("Errors", "{vendor} answered with an error."),
        QT_TRANSLATE_NOOP("Errors", "The cloud service answered with an error."),
    ),
    "auth_failed": (
        QT_TRANSLATE_NOOP("Errors", "{vendor} refused the keys ({vendor_code}): check them in Cloud Settings."),
        QT_TRANSLATE_NOOP("Errors", "{vendor} refused the keys: check them in Cloud Settings."),
        QT_TRANSLATE_NOOP("Errors", "The cloud service refused the keys: check them in Cloud Settings."),
    ),
    "rate_limited": (
        QT_TRANSLATE_NOOP("Errors", "{vendor} refused the call: too many requests, or the quota is used up "
                                    "({vendor_code})."),
        QT_TRANSLATE_NOOP("Errors", "{vendor} refused the call: too many requests, or the quota is used up."),
        QT_TRANSLATE_NOOP("Errors", "The cloud service refused the call: too many requests, or the quota is "
                                    "used up."),
    ),
    "cancelled": (QT_TRANSLATE_NOOP("Errors", "Cancelled."),),
    "write_failed": (
        QT_TRANSLATE_NOOP("Errors", "{path} could not be written."),
        QT_TRANSLATE_NOOP("Errors", "The result could not be written."),
    ),
    # -- empty input ---------------------------------------------------------------------------
    "empty_input.empty_folder": (QT_TRANSLATE_NOOP("Errors", "The folder holds no images."),),
    # -- sources -------------------------------------------------------------------------------
    "unsupported_source.url_scheme": (
        QT_TRANSLATE_NOOP("Errors", "Only http:// and https:// addresses can be opened, not {scheme}://."),),
    "unsupported_source.folder": (QT_TRANSLATE_NOOP("Errors", "This is a folder, not an image file."),),
    "unsupported_source.fifo": (QT_TRANSLATE_NOOP("Errors", "This is a named pipe (FIFO), not a file."),),
    "unsupported_source.device": (QT_TRANSLATE_NOOP("Errors", "This is a device, not a file."),),
    "unsupported_source.socket": (QT_TRANSLATE_NOOP("Errors", "This is a socket, not a file."),),
    "unsupported_source.not_a_file": (QT_TRANSLATE_NOOP("Errors", "This is not a regular file."),),
    "unsupported_source.not_regular_file": (QT_TRANSLATE_NOOP("Errors", "This is not a regular file."),),
    "unsupported_source.symlink_loop": (
        QT_TRANSLATE_NOOP("Errors", "This is a symbolic link loop (it points back to itself)."),),
    "unsupported_source.broken_link": (QT_TRANSLATE_NOOP("Errors", "This is a symbolic link to a missing file."),),
    "unsupported_source.not_found": (QT_TRANSLATE_NOOP("Errors", "The file does not exist (any more)."),),
    "unsupported_source.permission": (QT_TRANSLATE_NOOP("Errors", "You are not allowed to read this file."),),
    "unsupported_source.unreadable": (QT_TRANSLATE_NOOP("Errors", "The file cannot be read (a system error)."),),
    # -- PDF (core.pdf) ------------------------------------------------------------------------
    "empty_input.pdf_no_pages": (QT_TRANSLATE_NOOP("Errors", "The PDF has no pages."),),
    "unsupported_source.pdf_page_number": (QT_TRANSLATE_NOOP("Errors", "PDF page numbers start at 1."),),
    "empty_input.no_such_page": (  # a page of a multi-page TIFF (core.sources)
        QT_TRANSLATE_NOOP("Errors", "The TIFF has no page {page}: it has {count} page(s)."),
        QT_TRANSLATE_NOOP("Errors", "The TIFF has no such page."),
    ),
    "unsupported_source.pdf_no_such_page": (
        QT_TRANSLATE_NOOP("Errors", "The PDF has no page {page}: it has {count} page(s)."),
        QT_TRANSLATE_NOOP("Errors", "The PDF has no such page."),
    ),
    "image_too_large.pdf_page_size": (
        QT_TRANSLATE_NOOP("Errors", "PDF page {page} is {width_in} x {height_in} inches: too large to render "
                                    "readably."),
        QT_TRANSLATE_NOOP("Errors", "The PDF page is too large to render readably."),
    ),
    "undecodable_image.pdf_password": (
        QT_TRANSLATE_NOOP("Errors", "The PDF is password-protected; open it without a password first."),),
    "undecodable_image.pdf_damaged": (QT_TRANSLATE_NOOP("Errors", "The PDF is damaged and cannot be read."),),
    # -- sizes ---------------------------------------------------------------------------------
    "image_too_large.file_size": (
        QT_TRANSLATE_NOOP("Errors", "The file is {size_mb} MB; the limit is {limit_mb} MB."),),
    "image_too_large.download": (
        QT_TRANSLATE_NOOP("Errors", "The download is {size_mb} MB; the limit is {limit_mb} MB."),
        QT_TRANSLATE_NOOP("Errors", "The download passed the {limit_mb} MB limit and was stopped."),
    ),
    # -- downloads -----------------------------------------------------------------------------
    "download_failed.timeout": (
        QT_TRANSLATE_NOOP("Errors", "{host} did not answer within {seconds} s."),
        QT_TRANSLATE_NOOP("Errors", "The download timed out."),
    ),
    "download_failed.connection": (
        QT_TRANSLATE_NOOP("Errors", "Cannot connect to {host}: check the address and the network connection."),
        QT_TRANSLATE_NOOP("Errors", "Cannot connect to the server: check the address and the network connection."),
    ),
    "download_failed.malformed": (
        QT_TRANSLATE_NOOP("Errors", "{host} sent an answer that is not valid HTTP."),
        QT_TRANSLATE_NOOP("Errors", "The server sent an answer that is not valid HTTP."),
    ),
    "download_failed.truncated": (
        QT_TRANSLATE_NOOP("Errors", "The download from {host} broke off before the end."),
        QT_TRANSLATE_NOOP("Errors", "The download broke off before the end."),
    ),
    "download_failed.http_status": (
        QT_TRANSLATE_NOOP("Errors", "{host} answered HTTP {status}: the image is not available there."),
        QT_TRANSLATE_NOOP("Errors", "The server answered HTTP {status}: the image is not available there."),
    ),
    "download_failed.too_large": (
        QT_TRANSLATE_NOOP("Errors", "The download passed the {limit_mb} MB limit and was stopped."),
        QT_TRANSLATE_NOOP("Errors", "The download is too large."),
    ),
    "download_failed.bad_redirect": (
        QT_TRANSLATE_NOOP("Errors", "{host} redirected to a {scheme}:// address; only http and https are followed."),
        QT_TRANSLATE_NOOP("Errors", "The server redirected to an address that is not http or https."),
    ),
    "download_failed.too_many_redirects": (
        QT_TRANSLATE_NOOP("Errors", "{host} redirected more than {limit} times (a redirect loop?)."),
        QT_TRANSLATE_NOOP("Errors", "The server redirected too many times (a redirect loop?)."),
    ),
    # -- engine and settings -------------------------------------------------------------------
    "engine_unavailable.settings": (
        QT_TRANSLATE_NOOP("Errors", "{vendor} is not set up: {fields} missing or wrong. Open Cloud Settings."),
        QT_TRANSLATE_NOOP("Errors", "{vendor} is not set up: a setting is missing or wrong. Open Cloud Settings."),
        QT_TRANSLATE_NOOP("Errors", "The cloud service is not set up: a setting is missing or wrong. "
                                    "Open Cloud Settings."),
    ),
    "engine_unavailable.models_missing": (
        QT_TRANSLATE_NOOP("Errors", "The OCR model files are missing: reinstall desktop_ocr (models are never "
                                    "downloaded)."),),
    "engine_unavailable.load_failed": (QT_TRANSLATE_NOOP("Errors", "The OCR engine failed to load."),),
    "engine_unavailable.cloud_extra_missing": (
        QT_TRANSLATE_NOOP("Errors", "{vendor} needs the optional cloud packages, which are not installed."),
        QT_TRANSLATE_NOOP("Errors", "The cloud services need the optional cloud packages, which are not installed."),
    ),
    # -- cloud calls (reasons from backends._http) ---------------------------------------------
    "backend_error.no_connection": (
        QT_TRANSLATE_NOOP("Errors", "Cannot reach {vendor} at {host}: check the network connection and the endpoint."),
        QT_TRANSLATE_NOOP("Errors", "Cannot reach {vendor}: check the network connection and the endpoint."),
        QT_TRANSLATE_NOOP("Errors", "Cannot reach the cloud service: check the network connection and the endpoint."),
    ),
    "backend_error.timeout": (
        QT_TRANSLATE_NOOP("Errors", "{vendor} did not answer within {seconds} s."),
        QT_TRANSLATE_NOOP("Errors", "{vendor} did not answer in time."),
        QT_TRANSLATE_NOOP("Errors", "The cloud service did not answer in time."),
    ),
    "backend_error.server": (
        QT_TRANSLATE_NOOP("Errors", "{vendor} had a server error ({vendor_code}); try again later."),
        QT_TRANSLATE_NOOP("Errors", "{vendor} had a server error (HTTP {status}); try again later."),
        QT_TRANSLATE_NOOP("Errors", "{vendor} had a server error; try again later."),
        QT_TRANSLATE_NOOP("Errors", "The cloud service had a server error; try again later."),
    ),
    "backend_error.bad_answer": (
        QT_TRANSLATE_NOOP("Errors", "{vendor} sent an answer that cannot be read."),
        QT_TRANSLATE_NOOP("Errors", "The cloud service sent an answer that cannot be read."),
    ),
    "backend_error.rejected": (
        QT_TRANSLATE_NOOP("Errors", "{vendor} refused the request ({vendor_code})."),
        QT_TRANSLATE_NOOP("Errors", "{vendor} refused the request (HTTP {status})."),
        QT_TRANSLATE_NOOP("Errors", "{vendor} refused the request."),
        QT_TRANSLATE_NOOP("Errors", "The cloud service refused the request."),
    ),
    "ocr_error.unexpected": (
        QT_TRANSLATE_NOOP("Errors", "An unexpected error stopped the test; please report it with the details."),),
    # -- writing results (core.atomic) ---------------------------------------------------------
    "write_failed.no_space": (
        QT_TRANSLATE_NOOP("Errors", "{path} could not be written: the disk is full."),
        QT_TRANSLATE_NOOP("Errors", "The result could not be written: the disk is full."),
    ),
    "write_failed.too_large": (
        QT_TRANSLATE_NOOP("Errors", "{path} could not be written: the file size limit was reached."),
        QT_TRANSLATE_NOOP("Errors", "The result could not be written: the file size limit was reached."),
    ),
    "write_failed.read_only_fs": (
        QT_TRANSLATE_NOOP("Errors", "{path} could not be written: the file system is read-only."),
        QT_TRANSLATE_NOOP("Errors", "The result could not be written: the file system is read-only."),
    ),
    "write_failed.io_error": (
        QT_TRANSLATE_NOOP("Errors", "{path} could not be written: input/output error on the device."),
        QT_TRANSLATE_NOOP("Errors", "The result could not be written: input/output error on the device."),
    ),
    "write_failed.not_a_folder": (
        QT_TRANSLATE_NOOP("Errors", "{folder} is not a folder."),
        QT_TRANSLATE_NOOP("Errors", "The output folder is not a folder."),
    ),
    "write_failed.folder": (
        QT_TRANSLATE_NOOP("Errors", "Nothing can be written into the folder {folder}."),
        QT_TRANSLATE_NOOP("Errors", "Nothing can be written into the output folder."),
    ),
    "write_failed.permission": (
        QT_TRANSLATE_NOOP("Errors", "{path} could not be written: permission denied."),
        QT_TRANSLATE_NOOP("Errors", "The result could not be written: permission denied."),
    ),
    "write_failed.is_folder": (
        QT_TRANSLATE_NOOP("Errors", "{path} is a folder; the result cannot be written there."),),
    "write_failed.exists": (
        QT_TRANSLATE_NOOP("Errors", "{path} already exists and was not replaced."),),
    "write_failed.failed": (
        QT_TRANSLATE_NOOP("Errors", "{path} could not be written."),
        QT_TRANSLATE_NOOP("Errors", "The result could not be written."),
    ),
    "write_failed.remove": (
        QT_TRANSLATE_NOOP("Errors", "{path} could not be removed."),
        QT_TRANSLATE_NOOP("Errors", "A file could not be removed."),
    ),
    # -- screen capture ------------------------------------------------------------------------
    "capture_failed": (QT_TRANSLATE_NOOP("Errors", "The screen could not be captured."),),
    "capture_failed.no_handler": (
        QT_TRANSLATE_NOOP("Errors", "The screen cannot be captured: no way of taking a screenshot worked on "
                                    "this desktop."),),
    "capture_failed.bad_rect": (
        QT_TRANSLATE_NOOP("Errors", "The rectangle {x},{y} {width}x{height} lies outside every screen."),
        QT_TRANSLATE_NOOP("Errors", "The rectangle lies outside every screen."),
    ),
    "capture_failed.portal_denied": (
        QT_TRANSLATE_NOOP("Errors", "The screenshot was cancelled or not allowed by the desktop."),),
    "capture_failed.portal_failed": (
        QT_TRANSLATE_NOOP("Errors", "The desktop could not take the screenshot."),),
    "capture_failed.portal_timeout": (
        QT_TRANSLATE_NOOP("Errors", "The desktop did not answer the screenshot request within {timeout} s."),
        QT_TRANSLATE_NOOP("Errors", "The desktop did not answer the screenshot request."),
    ),
    "capture_failed.no_screen": (
        QT_TRANSLATE_NOOP("Errors", "There is no screen {screen} to capture."),
        QT_TRANSLATE_NOOP("Errors", "There is no screen to capture."),
    ),
    "capture_failed.grab_failed": (QT_TRANSLATE_NOOP("Errors", "The screen could not be grabbed."),),
    # -- global shortcut (desktop_ocr.hotkey) --------------------------------------------------
    "hotkey_failed": (QT_TRANSLATE_NOOP("Errors", "The global shortcut could not be set up."),),
    "hotkey_failed.key_taken": (
        QT_TRANSLATE_NOOP("Errors", "{key} is already a global shortcut of another program."),
        QT_TRANSLATE_NOOP("Errors", "The key is already a global shortcut of another program."),
    ),
    "hotkey_failed.bad_key": (
        QT_TRANSLATE_NOOP("Errors", "{key} cannot be used as a global shortcut on this keyboard."),
        QT_TRANSLATE_NOOP("Errors", "The key cannot be used as a global shortcut on this keyboard."),
    ),
    "hotkey_failed.display_failed": (
        QT_TRANSLATE_NOOP("Errors", "The X display {display} cannot be opened for the global shortcut."),
        QT_TRANSLATE_NOOP("Errors", "The X display cannot be opened for the global shortcut."),
    ),
    "hotkey_failed.portal_denied": (
        QT_TRANSLATE_NOOP("Errors", "The desktop did not allow the global shortcut, or it was cancelled."),),
    "hotkey_failed.portal_failed": (
        QT_TRANSLATE_NOOP("Errors", "The desktop could not set up the global shortcut."),),
    "hotkey_failed.portal_timeout": (
        QT_TRANSLATE_NOOP("Errors", "The desktop did not answer the global shortcut request within {timeout} s."),
        QT_TRANSLATE_NOOP("Errors", "The desktop did not answer the global shortcut request."),
    ),
    "hotkey_failed.no_handler": (
        QT_TRANSLATE_NOOP("Errors", "This desktop offers no way of setting a global shortcut: bind a desktop "
                                    "shortcut to \"desktop-ocr capture\" instead."),),
    "hotkey_failed.unsupported": (
        QT_TRANSLATE_NOOP("Errors", "Global shortcuts are not available on this system yet: bind a system "
                                    "shortcut to \"desktop-ocr capture\" instead."),),
}

#: a quota reason on a vendor's own error code reads like a rate limit; an auth reason like AuthFailed
_ALIASES = {
    "backend_error.quota": "rate_limited",
    "rate_limited.quota": "rate_limited",
    "backend_error.auth": "auth_failed",
    "auth_failed.auth": "auth_failed",
}

GENERIC = QT_TRANSLATE_NOOP("Errors", "Something went wrong (a fault of desktop_ocr); please report it with "
                                      "the details.")
OS_NOT_FOUND = QT_TRANSLATE_NOOP("Errors", "The file does not exist (any more).")
OS_PERMISSION = QT_TRANSLATE_NOOP("Errors", "Permission denied.")
OS_OTHER = QT_TRANSLATE_NOOP("Errors", "A system error stopped the operation.")
SETTING = QT_TRANSLATE_NOOP("Errors", "A setting is missing or wrong.")

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def _vendor_spec(value: Any):
    for spec in vendors.specs():
        if value in (spec.name, spec.title):
            return spec
    return None


def _value(name: str, value: Any, params: Mapping[str, Any]) -> str | None:
    """A param as the sentence shows it; None when it cannot be shown (the variant is skipped)."""
    if value is None or value == "" or value == [] or value == ():
        return None
    if name == "vendor":
        spec = _vendor_spec(value)
        return QCoreApplication.translate(vendors.TR_CONTEXT, spec.title) if spec else str(value)
    if name == "fields":
        spec = _vendor_spec(params.get("vendor"))
        labels = {f.key: QCoreApplication.translate(vendors.TR_CONTEXT, f.label) for f in spec.fields} if spec else {}
        items = [labels.get(str(k), str(k)) for k in (value if isinstance(value, (list, tuple)) else [value])]
        return ", ".join(items)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _params(exc: BaseException, context: Mapping[str, Any]) -> dict[str, Any]:
    params: dict[str, Any] = {k: v for k, v in context.items() if v is not None}
    if isinstance(exc, OcrError):
        params.update({k: v for k, v in exc.params.items() if v is not None and v != ""})  # the error's own win
    if isinstance(exc, BackendError):
        for attr in ("vendor_code", "request_id", "status"):
            if params.get(attr) is None and getattr(exc, attr, None) is not None:
                params[attr] = getattr(exc, attr)
    for size in ("size", "limit"):  # bytes -> MB where a template wants MB
        if f"{size}_mb" not in params and isinstance(params.get(size), (int, float)) and params[size] > 1024:
            params[f"{size}_mb"] = f"{params[size] / 1048576:.0f}"
    if "host" not in params and isinstance(params.get("url"), str):
        from ..core.download import host_of

        params["host"] = host_of(params["url"])
    return params


def _fill(template: str, params: Mapping[str, Any]) -> str | None:
    text = _tr(template)
    missing = False

    def sub(m: re.Match) -> str:
        nonlocal missing
        shown = _value(m.group(1), params.get(m.group(1)), params)
        if shown is None:
            missing = True
            return m.group(0)
        return shown

    out = _PLACEHOLDER.sub(sub, text)
    return None if missing else out


def key_of(exc: BaseException) -> str:
    """The catalog key used for ``exc`` (its own key, an alias, or its class's code)."""
    if not isinstance(exc, OcrError):
        return ""
    key = _ALIASES.get(exc.key, exc.key)
    if key in CATALOG:
        return key
    code = _ALIASES.get(exc.code, exc.code)
    return code if code in CATALOG else "ocr_error"


def summary(exc: BaseException, **context: Any) -> str:
    """One sentence in the user's language for ``exc``; ``context`` supplies values the error does not
    carry (vendor=<registry name> when the caller knows the backend)."""
    from ..backends.credentials import redact

    if isinstance(exc, OcrError):
        params = _params(exc, context)
        key = key_of(exc)
        for candidates in (CATALOG[key], CATALOG.get(exc.code, ()), CATALOG["ocr_error"]):
            for template in candidates:
                text = _fill(template, params)
                if text is not None:
                    return redact(text)
        return _tr(GENERIC)
    if isinstance(exc, FileNotFoundError):
        return _tr(OS_NOT_FOUND)
    if isinstance(exc, PermissionError):
        return _tr(OS_PERMISSION)
    if isinstance(exc, OSError):
        return _tr(OS_OTHER)
    if isinstance(exc, ValueError) and str(exc):
        return _tr(SETTING)
    return _tr(GENERIC)


def details(exc: BaseException) -> str:
    """The English technical text: core.errors.user_message with the source it concerns, plus the
    vendor's request id when there is one (what a vendor's support asks for). No secrets."""
    from ..backends.credentials import redact

    text = user_message(exc, with_source=True)
    request_id = getattr(exc, "request_id", None) or (exc.params.get("request_id") if isinstance(exc, OcrError)
                                                      else None)
    if request_id and str(request_id) not in text:
        text += f" (request id {request_id})"
    return redact(text)


def fill(template: str, *values: object) -> str:
    """``template`` (a translated text) with %1, %2... replaced in one pass, so a value that itself
    contains "%2" (a file name) is never substituted again."""
    return re.sub(r"%(\d)", lambda m: str(values[int(m.group(1)) - 1]) if 0 < int(m.group(1)) <= len(values)
                  else m.group(0), template)


def reason_text(reason: object, **context: Any) -> tuple[str, str]:
    """(summary, details) of what a worker reported: an exception, or (from older code) a sentence."""
    if isinstance(reason, BaseException):
        return summary(reason, **context), details(reason)
    return str(reason), ""


def vendor_name(exc: BaseException) -> str:
    """The registry name of the cloud vendor an error came from ("" when it names none)."""
    spec = _vendor_spec(exc.params.get("vendor")) if isinstance(exc, OcrError) else None
    return spec.name if spec else ""
