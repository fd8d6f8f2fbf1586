"""``desktop-ocr serve``: the four vendors' OCR APIs over http, answered offline by the local engine.

Code written against a vendor's API (with its official SDK) points at this server instead of the
cloud and keeps working: same paths, request fields, answers and errors, read by the same engine
as the window. Which vendors are served, on which paths, is generated from the vendor registry
(``VendorSpec.server`` in desktop_ocr.vendors names each vendor's module here).

Why Starlette + uvicorn: an ASGI app on the best-known small async stack, production-grade
(uvicorn is what most Python API servers run on) without a framework's weight: Starlette brings
routing and responses and nothing we would have to turn off, uvicorn brings HTTP/1.1, keep-alive,
signal handling and graceful shutdown. Being async, one process holds many slow clients (uploads,
URL downloads) while the CPU-bound recognition runs in engine worker processes (server.pool);
waiting requests cost a coroutine, not a thread. Both are only in the optional ``serve`` extra.

Layout:
    __init__   what every vendor module shares: Endpoint, Job, VendorKeys, the VendorServer protocol,
               and request-reading helpers that raise typed OcrErrors
    aws, tencent, tencent_legacy, huawei
               one VendorServer each (``ROUTE``): its paths, request parsing, authentication and
               refusals. No Starlette here: they see a signatures.SignedRequest and raise or return
               core.errors.OcrError, which formats.<vendor>.dump_error/error_status turn into the
               vendor's own error answer
    config     ServerConfig, the --keys file, the loopback rule
    pool       the bounded queue in front of the engine worker processes
    urls       the refusal of private addresses for URL images
    metrics    Prometheus counters and the latency histogram
    openapi    the OpenAPI 3 description, from the same route table
    app        the Starlette application (imports starlette)
    run        uvicorn with graceful shutdown (imports uvicorn)

Every request goes: body (capped) -> route -> authenticate (when --keys) -> parse -> admission to
the queue (or the vendor's rate-limit error at once) -> URL download if any -> a worker decodes and
recognises the bytes -> ``formats.<vendor>.dump(result)``. Every failure on the way is an OcrError
answered in the vendor's shape; nothing answers a bare 500.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from ..core.errors import AuthFailed, BackendError, EmptyInput, OcrError, UnsupportedSource
from ..core.recognizer import RecognizeOptions
from ..core.sources import decode_base64
from ..signatures import AuthFailure, SignedRequest

SERVE_EXTRA_HINT = "pip install 'desktop-ocr[serve]'"


@dataclass(frozen=True)
class Endpoint:
    """One operation a vendor module serves (what the router and the OpenAPI description read)."""

    path: str  # Starlette pattern: "/v2/{project_id}/ocr/general-text"
    summary: str
    request: Mapping[str, Mapping[str, Any]]  # content type -> JSON schema of the body
    headers: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # header -> schema (required)
    method: str = "POST"


@dataclass
class Job:
    """What a request asks for: an image (bytes, or a URL to fetch) and how to read it."""

    image: bytes | None = None
    url: str | None = None  # wins over ``image`` where a vendor documents both
    options: RecognizeOptions = field(default_factory=RecognizeOptions)
    pdf: bool = False  # a PDF is accepted (Tencent's IsPdf); other vendors take images only
    pdf_page: int = 1


@dataclass(frozen=True)
class VendorKeys:
    """One vendor's part of the --keys file (server.config documents the file)."""

    secrets: Mapping[str, str] = field(default_factory=dict)  # key id -> secret
    tokens: Any = None  # AWS / Tencent: key id -> session token; Huawei: the valid IAM tokens
    settings: Mapping[str, str] = field(default_factory=dict)  # region, appid, project_id


@runtime_checkable
class VendorServer(Protocol):
    """One vendor's API as this server offers it (``ROUTE`` in each vendor module)."""

    vendor: str  # its registry name: formats.get(vendor) answers, vendors.get(vendor) describes
    endpoints: tuple[Endpoint, ...]  # the operations, routed in this order
    fallbacks: tuple[str, ...]  # path patterns of the vendor's other paths: answered with not_found()

    def authenticate(self, req: SignedRequest, keys: VendorKeys, now: float) -> OcrError | None:
        """The vendor's auth error for a request its verifier refuses, else None."""

    def parse(self, req: SignedRequest) -> Job:
        """The request as a Job; raises the OcrError the vendor answers a bad request with."""

    def not_found(self, req: SignedRequest) -> OcrError:
        """The vendor's answer to a path, method or action it does not have."""

    def busy(self) -> OcrError:
        """The vendor's rate-limit error (the queue is full)."""

    def too_large(self, limit: int) -> OcrError:
        """The vendor's error for a request body over ``limit`` bytes."""


# -- helpers for the vendor modules --------------------------------------------------------------

def body_schema(description: str, *, required: tuple[str, ...] = (), **properties: Any) -> dict[str, Any]:
    """The JSON schema of a request body (an object with these properties), for the OpenAPI description."""
    schema: dict[str, Any] = {"type": "object", "description": description, "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


def auth_error(failure: AuthFailure) -> AuthFailed:
    """A verifier's refusal as the typed error the vendor formats answer with its code and status."""
    return AuthFailed(failure.message, vendor_code=failure.vendor_code or None, status=failure.status)


def vendor_error(code: str | int, message: str, status: int | None = None) -> BackendError:
    """An error the vendor names by its own code (kept verbatim by formats.<vendor>.dump_error)."""
    return BackendError(message, vendor_code=str(code), status=status)


def json_object(body: bytes, bad: OcrError) -> dict[str, Any]:
    """The body as a JSON object, else raises ``bad``."""
    try:
        obj = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: absurdly nested arrays
        raise bad from None
    if not isinstance(obj, dict):
        raise bad
    return obj


def text_field(params: Mapping[str, Any], name: str) -> str | None:
    """A string parameter; None when absent, empty or null; UnsupportedSource when not a string."""
    value = params.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise UnsupportedSource(f"the parameter {name} must be a string, not {type(value).__name__}")
    return value


def flag(params: Mapping[str, Any], name: str, default: bool = False) -> bool:
    """A Boolean parameter (JSON true/false); UnsupportedSource for any other type."""
    value = params.get(name)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise UnsupportedSource(f"the parameter {name} must be true or false, not {json.dumps(value)[:40]}")
    return value


def image_job(params: Mapping[str, Any], url_field: str, image_field: str, options: RecognizeOptions,
              *, both_allowed: bool = True, **job: Any) -> Job:
    """A Job from a JSON body carrying a URL field and a base64 image field: the URL wins when both
    are given (as AWS and Tencent document), or both is an error (``both_allowed=False``, Huawei)."""
    url, b64 = text_field(params, url_field), text_field(params, image_field)
    if url and b64 and not both_allowed:
        raise UnsupportedSource(f"give either {image_field} or {url_field}, not both")
    if url:
        return Job(url=url, options=options, **job)
    if b64:
        return Job(image=decode_base64(b64, f"the parameter {image_field}"), options=options, **job)
    raise EmptyInput(f"no image: give {image_field} (base64) or {url_field}")


def routes() -> list[tuple[Any, VendorServer]]:
    """(registry entry, its VendorServer) for every registered vendor that has one, in registry order."""
    from .. import vendors

    out = []
    for spec in vendors.specs():
        route = spec.server_route()
        if route is not None:
            out.append((spec, route))
    return out
