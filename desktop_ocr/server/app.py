"""The Starlette application: vendor routes generated from the registry, the request pipeline, and
/healthz, /metrics, /openapi.json.

Routing order: our own endpoints, then every vendor's endpoints, then the vendors' fallbacks (the
paths a vendor's gateway owns but we do not serve, answered with its own "no such API" error),
longest literal prefix first, so AWS's ``/{rest:path}`` (API Gateway answers any unknown path)
comes last and nothing is ever answered outside a vendor's shape.

Access log: one line per request on the ``desktop_ocr.server.access`` logger: client, method, path
(never the query string, headers or body, so no image data, signature or token), status, vendor
error code, time. uvicorn's own access log is off (server.run).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from .. import __version__
from ..core.download import fetch
from ..core.errors import BackendError, EngineUnavailable, NoTextFound, OcrError
from ..signatures import SignedRequest
from . import Endpoint, Job, VendorKeys, VendorServer, openapi, routes
from .config import ServerConfig
from .metrics import CONTENT_TYPE, Metrics
from .pool import Busy, Draining, EnginePool
from .urls import public_only

log = logging.getLogger("desktop_ocr.server")
access_log = logging.getLogger("desktop_ocr.server.access")

ANY_METHOD = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]  # the vendor answers a wrong one
DRAIN_LIMIT = 64 * 1048576  # bytes over the cap still read (and dropped) so the client gets our answer
OWN = (
    (Endpoint("/healthz", "health: status, engine workers, queue", {}, method="GET"),
     "JSON {status, workers, queue: {capacity, waiting, in_flight}, vendors, auth}"),
    (Endpoint("/metrics", "Prometheus metrics", {}, method="GET"), "Prometheus text format 0.0.4"),
    (Endpoint("/openapi.json", "this description", {}, method="GET"), "OpenAPI 3 JSON"),
)


async def read_body(request: Request, cap: int) -> bytes | None:
    """The body, or None when it is over ``cap`` bytes."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > cap + DRAIN_LIMIT:
        return None  # not worth reading: the connection is closed after the answer
    chunks, got = [], 0
    async for chunk in request.stream():
        got += len(chunk)
        if got <= cap:
            chunks.append(chunk)
        elif got > cap + DRAIN_LIMIT:
            break
    return None if got > cap else b"".join(chunks)


def signed_request(request: Request, body: bytes) -> SignedRequest:
    """The request as the vendors' verifiers see it: the path and query as sent, every header."""
    scope = request.scope
    raw = scope.get("raw_path") or scope["path"].encode("utf-8")
    headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
    return SignedRequest(request.method, raw.decode("latin-1"), scope.get("query_string", b"").decode("latin-1"),
                         headers, body)


def error_code(fmt: Any, err: OcrError) -> str:
    """The vendor's code for an error answer (our own code where the vendor has none: AWS)."""
    code_of = getattr(fmt, "error_code", None)
    if code_of is not None:
        return str(code_of(err))
    return err.vendor_code if isinstance(err, BackendError) and err.vendor_code else err.code


def error_response(fmt: Any, err: OcrError) -> Response:
    body, status = fmt.dump_error(err), fmt.error_status(err)
    if isinstance(body, str):  # AWS: the function's plain-text 400
        return PlainTextResponse(body, status)
    return JSONResponse(body, status)


def create_app(config: ServerConfig, pool: EnginePool | None = None) -> Starlette:
    """The ASGI app. The engine workers start with the app (lifespan) and stop after the last answer."""
    pool = pool or EnginePool(config.workers, config.queue_size, config.threads)
    metrics = Metrics()
    table = routes()

    def download(url: str) -> bytes:  # in a thread
        check = None if config.private_urls else public_only
        return fetch(url, timeout=config.url_timeout, max_bytes=config.max_body, check_url=check).data

    async def recognize(route: VendorServer, fmt: Any, job: Job) -> Any:
        try:
            with pool.slot():
                data, origin = job.image, "data"
                if job.url:
                    data, origin = await asyncio.to_thread(download, job.url), "url"
                assert data is not None, "a Job has an image or a URL"
                result = await pool.recognize(data, job.options, pdf=job.pdf, pdf_page=job.pdf_page, origin=origin)
        except Busy:
            raise route.busy() from None
        except Draining:
            raise EngineUnavailable("the server is shutting down") from None
        if fmt.NO_TEXT_IS_ERROR and not result.lines:
            raise NoTextFound("no text was found in the image")
        return fmt.dump(result)

    def vendor_endpoint(spec: Any, route: VendorServer, served: bool) -> Callable[[Request], Awaitable[Response]]:
        fmt = spec.format_module()
        keys = None if config.keys is None else config.keys.get(spec.name, VendorKeys())

        async def answer(request: Request) -> Response:
            body = await read_body(request, config.max_body)
            if body is None:
                raise route.too_large(config.max_body)
            req = signed_request(request, body)
            if not served:
                raise route.not_found(req)
            if keys is not None:
                refused = route.authenticate(req, keys, time.time())
                if refused is not None:
                    raise refused
            return JSONResponse(await recognize(route, fmt, route.parse(req)))

        async def endpoint(request: Request) -> Response:
            t0 = time.perf_counter()
            code, message = None, ""
            try:
                response = await answer(request)
            except OcrError as err:
                code, message = error_code(fmt, err), err.message
                response = error_response(fmt, err)
            except Exception:  # a bug of ours: logged here, answered in the vendor's shape
                log.exception("unexpected error answering %s %s", request.method, request.url.path)
                internal = EngineUnavailable("internal error of the OCR server (see its log)")
                code, message = error_code(fmt, internal), internal.message
                response = error_response(fmt, internal)
            seconds = time.perf_counter() - t0
            metrics.observe(spec.name, response.status_code, seconds, code, message)
            client = request.client.host if request.client else "-"
            access_log.info('%s "%s %s" %d %s %s %.0fms', client, request.method, request.url.path,
                            response.status_code, spec.name, code or "-", seconds * 1000)
            return response

        return endpoint

    async def healthz(request: Request) -> Response:
        status = "draining" if pool.draining else "ok" if pool.ready else "starting"
        return JSONResponse({"status": status, "workers": pool.ready,
                             "queue": {"capacity": pool.queue, "waiting": pool.waiting, "in_flight": pool.running},
                             "vendors": [spec.name for spec, _ in table], "auth": config.keys is not None},
                            200 if status == "ok" else 503)

    async def metrics_text(request: Request) -> Response:
        return PlainTextResponse(metrics.render(queue_depth=pool.waiting, in_flight=pool.running,
                                                workers=pool.ready), media_type=CONTENT_TYPE)

    description = openapi.build(table, OWN, version=__version__)

    async def openapi_json(request: Request) -> Response:
        return JSONResponse(description)

    own_handlers = {"/healthz": healthz, "/metrics": metrics_text, "/openapi.json": openapi_json}
    served = [Route(ep.path, own_handlers[ep.path], methods=[ep.method]) for ep, _ in OWN]
    served += [Route(ep.path, vendor_endpoint(spec, route, True), methods=ANY_METHOD)
               for spec, route in table for ep in route.endpoints]
    fallbacks = [(path, vendor_endpoint(spec, route, False)) for spec, route in table for path in route.fallbacks]
    fallbacks.sort(key=lambda item: -len(item[0].partition("{")[0]))  # the most specific first

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            await pool.start()
        except Exception as exc:
            app.state.startup_error = exc  # for server.run.ServerHandle: uvicorn only logs it
            raise
        log.info("ready: %d engine worker(s), queue %d, vendors %s, auth %s", pool.ready, pool.queue,
                 ", ".join(spec.name for spec, _ in table), "on" if config.keys is not None else "off")
        yield
        await pool.stop()

    app = Starlette(routes=served + [Route(path, handler, methods=ANY_METHOD) for path, handler in fallbacks],
                    lifespan=lifespan)
    app.state.pool = pool
    app.state.metrics = metrics
    app.state.startup_error = None
    return app
