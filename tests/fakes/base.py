"""A fake cloud OCR service on 127.0.0.1: a real HTTP server in a thread that checks the vendor's
signature and answers in the vendor's format with text the real local engine read from the image
actually sent. How a vendor's requests are authenticated and read, and how its errors look, is the
product's own knowledge (desktop_ocr.server.<vendor>, the module `desktop-ocr serve` answers with,
and formats.<vendor>); subclasses add the gateway's path check, their keys and the faults' answers.
This class records requests and injects the faults tests need (rate limiting, 5xx, slowness,
malformed bodies, clock skew).
"""

from __future__ import annotations

import io
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np

from desktop_ocr import formats, vendors
from desktop_ocr.core.errors import DownloadFailed, ImageTooLarge, OcrError, UndecodableImage
from desktop_ocr.server import VendorKeys, VendorServer
from desktop_ocr.signatures import SignedRequest


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]  # as received (original case)
    body: bytes

    def header(self, name: str, default: str | None = None) -> str | None:
        for k, v in self.headers.items():
            if k.lower() == name.lower():
                return v
        return default


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, obj, content_type: str = "application/json", **headers) -> Response:
        return cls(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"), content_type, headers)

    @classmethod
    def text(cls, status: int, text: str, content_type: str = "text/plain", **headers) -> Response:
        return cls(status, text.encode("utf-8"), content_type, headers)


class TooLarge(ImageTooLarge):
    """The uploaded image breaks the vendor's documented size limit."""


class FakeService:
    """Start with ``with FakeX(engine, ...) as fake:``; ``fake.url`` is http://127.0.0.1:PORT."""

    vendor = "fake"
    max_side: int | None = None  # the vendor's documented longest-side limit

    def __init__(self, engine, *, clock_offset: float = 0.0):
        self.engine = engine
        self.clock_offset = clock_offset  # seconds the server's clock runs ahead of ours
        self.requests: list[Request] = []
        self.seen_sizes: list[tuple[int, int]] = []  # (w, h) of each image the fake decoded
        self.seen_formats: list[str] = []  # and its encoding as PIL names it ("png", "jpeg"...)
        # Optional change to what the engine read, to play a vendor that reads some lines differently.
        self.edit_result = None
        self._faults: list[tuple[str, float]] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------------

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self) -> None:
        service = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out as two writes: no 40 ms ACK stalls

            def log_message(self, *args):  # keep test output clean
                pass

            def _handle(self):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n) if n else b""
                req = Request(self.command, self.path, dict(self.headers.items()), body)
                resp = service.dispatch(req)
                if resp is None:  # the connection is dropped on purpose
                    return
                try:
                    self.send_response(resp.status)
                    self.send_header("Content-Type", resp.content_type)
                    self.send_header("Content-Length", str(len(resp.body)))
                    for k, v in resp.headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(resp.body)
                except (BrokenPipeError, ConnectionResetError):  # client gave up (timeout test)
                    pass

            do_POST = _handle
            do_GET = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name=f"fake-{self.vendor}",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    # -- faults ---------------------------------------------------------------------

    def fail_next(self, kind: str, times: int = 1, seconds: float = 0.0) -> None:
        """Queue faults for the next requests: 'rate', 'server', 'slow' (sleep ``seconds`` first),
        'malformed' (200 with a broken body)."""
        with self._lock:
            self._faults.extend([(kind, seconds)] * times)

    def now(self) -> float:
        return time.time() + self.clock_offset

    # -- request handling -----------------------------------------------------------

    def dispatch(self, req: Request) -> Response | None:
        with self._lock:
            self.requests.append(req)
            fault = self._faults.pop(0) if self._faults else None
        if fault is not None:
            kind, seconds = fault
            if kind == "slow":
                time.sleep(seconds)
            elif kind == "rate":
                return self.rate_limited(req)
            elif kind == "server":
                return self.server_error(req)
            elif kind == "malformed":
                return self.malformed(req)
        err = self.authenticate(req)
        if err is not None:
            return err
        return self.handle(req)

    # -- the vendor's API, as the product serves it --------------------------------

    @property
    def route(self) -> VendorServer:
        return vendors.get(self.vendor).server_route()

    @staticmethod
    def signed(req: Request) -> SignedRequest:
        return SignedRequest.from_target(req.method, req.path, req.headers, req.body)

    def error_answer(self, err: OcrError) -> Response:
        """The vendor's own error answer (formats.<vendor>: shape, code and HTTP status)."""
        fmt = formats.get(self.vendor)
        body, status = fmt.dump_error(err), fmt.error_status(err)
        return Response.text(status, body) if isinstance(body, str) else Response.json(status, body)

    def authenticate(self, req: Request) -> Response | None:
        err = self.route.authenticate(self.signed(req), self.vendor_keys(), self.now())
        return None if err is None else self.error_answer(err)

    def handle(self, req: Request) -> Response:
        try:
            job = self.route.parse(self.signed(req))
            if job.image is None:
                raise DownloadFailed("the fake service does not fetch URLs", source=job.url)
            result = self.recognize(job.image, chars=job.options.chars, detect_rotation=job.options.detect_rotation)
        except OcrError as err:
            return self.error_answer(err)
        return Response.json(200, self.answer(result))

    def answer(self, result):
        """The success answer for ``result`` (subclasses add what only the real service knows)."""
        return formats.get(self.vendor).dump(result)

    # Subclasses implement these.
    def vendor_keys(self) -> VendorKeys:
        raise NotImplementedError

    def rate_limited(self, req: Request) -> Response:
        raise NotImplementedError

    def server_error(self, req: Request) -> Response:
        raise NotImplementedError

    def malformed(self, req: Request) -> Response:
        return Response(200, b'{"truncated": [', "application/json")

    # -- the recognition itself -----------------------------------------------------

    def recognize(self, data: bytes, *, chars: bool = False, detect_rotation: bool = True):
        """Run the real local engine on the bytes the client sent (UndecodableImage if not an image,
        TooLarge past the vendor's longest side)."""
        from PIL import Image, UnidentifiedImageError

        from desktop_ocr.core.image import LoadedImage
        from desktop_ocr.core.recognizer import RecognizeOptions

        try:
            img = Image.open(io.BytesIO(data))
            img.load()
        except (UnidentifiedImageError, OSError) as exc:
            raise UndecodableImage(f"Invalid image: the data cannot be decoded ({type(exc).__name__})") from None
        if self.max_side and max(img.size) > self.max_side:
            raise TooLarge(f"{img.size[0]}x{img.size[1]} exceeds {self.max_side}px")
        self.seen_sizes.append(img.size)
        self.seen_formats.append((img.format or "").lower())
        pixels = np.asarray(img.convert("RGB"))
        loaded = LoadedImage(pixels=pixels, source="upload", data=data, format=(img.format or "").lower())
        result = self.engine.recognize(loaded, RecognizeOptions(chars=chars, detect_rotation=detect_rotation))
        return self.edit_result(result) if self.edit_result is not None else result

    @staticmethod
    def request_id() -> str:
        return str(uuid.uuid4())
