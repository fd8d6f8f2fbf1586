"""Run the app with uvicorn: one process holding the event loop, the engine workers beside it.

Graceful shutdown (SIGINT / SIGTERM): the pool starts refusing new requests at once (the vendor's
error), uvicorn stops listening and lets the requests in flight finish, then the workers end.
uvicorn's access log is off: the app logs each request itself, without query string, headers or body.

In-process (the window's Serve API): ``start_in_thread(config)`` binds the port at once (OSError
when it is taken), then runs the same server in a background thread with its own event loop and
returns a ServerHandle: ``.port``, ``.stats()`` (state, requests answered, the last error answer)
and ``.stop(timeout)``, the same graceful shutdown as a SIGTERM. No Qt here.
"""

from __future__ import annotations

import copy
import logging
import signal
import socket
import threading
from dataclasses import dataclass
from types import FrameType

import uvicorn
from starlette.applications import Starlette
from uvicorn.config import LOGGING_CONFIG

from ..core.errors import user_message
from .app import create_app
from .config import ServerConfig

log = logging.getLogger("desktop_ocr.server")


def log_config() -> dict:
    """uvicorn's logging set-up, plus our loggers on its default handler."""
    cfg = copy.deepcopy(LOGGING_CONFIG)
    cfg["loggers"]["desktop_ocr"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return cfg


class _Server(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, app: Starlette):
        super().__init__(config)
        self.app = app
        self.pool = app.state.pool

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.pool.draining = True  # from now on new requests are refused; admitted ones finish
        super().handle_exit(sig, frame)


def _server(config: ServerConfig, logging_config: dict | None) -> _Server:
    """The app and uvicorn around it. ``logging_config`` None leaves logging as the host set it up."""
    config.check()
    app = create_app(config)
    uv = uvicorn.Config(app, host=config.host, port=config.port, access_log=False, log_config=logging_config,
                        server_header=False, lifespan="on")
    return _Server(uv, app)


def serve(config: ServerConfig) -> bool:
    """Serve until interrupted; False when the server could not start (the reason is logged)."""
    server = _server(config, log_config())
    server.run()
    return server.started


# -- in-process --------------------------------------------------------------------------------

STATES = ("starting", "serving", "stopping", "stopped", "error")


@dataclass(frozen=True)
class ServerStats:
    state: str  # one of STATES; "starting" lasts until the engine workers are warm
    requests: int  # OCR requests answered (vendor endpoints; not /healthz, /metrics, /openapi.json)
    errors: int  # of which error answers
    last_error_code: str | None  # the vendor's code of the last error answer
    last_error_message: str | None
    error: str  # state "error": why the server could not start or stopped


class ServerHandle:
    """A server running in a background thread (see start_in_thread). Thread-safe to read and stop."""

    def __init__(self, config: ServerConfig, server: _Server, sock: socket.socket):
        self.config = config
        self.host = config.host
        self.port: int = sock.getsockname()[1]
        self._server = server
        self._sock = sock
        self._error = ""
        self._thread = threading.Thread(target=self._run, name=f"desktop-ocr-serve-{self.port}", daemon=True)

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def _run(self) -> None:
        try:
            self._server.run(sockets=[self._sock])
        except SystemExit:  # uvicorn's way of saying the app did not start
            exc = self._server.app.state.startup_error
            self._error = user_message(exc) if exc is not None else "the server could not start (see the log)"
        except BaseException as exc:  # noqa: BLE001 - recorded for stats(); the thread ends either way
            log.exception("the server on %s stopped", self.address)
            self._error = user_message(exc)
        finally:
            self._sock.close()
        if not self._server.started and not self._error and not self._server.should_exit:
            self._error = "the server could not start (see the log)"

    @property
    def state(self) -> str:
        if self._thread.is_alive():
            if self._server.should_exit:
                return "stopping"
            return "serving" if self._server.started else "starting"
        return "error" if self._error else "stopped"

    def stats(self) -> ServerStats:
        metrics = self._server.app.state.metrics
        last = metrics.last_error
        return ServerStats(self.state, metrics.answered, metrics.failed, last[1] if last else None,
                           last[2] if last else None, self._error)

    def stop(self, timeout: float = 10.0) -> bool:
        """Stop as on SIGTERM: new requests are refused, those in flight finish, the workers end.
        True when the server has stopped within ``timeout`` seconds (then it is forced to)."""
        if self._thread.is_alive():
            self._server.handle_exit(signal.SIGTERM, None)
        self._thread.join(timeout)
        if self._thread.is_alive():
            log.warning("the server on %s did not stop within %gs: closing its connections", self.address, timeout)
            self._server.force_exit = True
            self._thread.join(1.0)
        return not self._thread.is_alive()


def bind(host: str, port: int) -> socket.socket:
    """A socket bound to host:port (port 0: a free one), not yet listening; OSError when taken."""
    family, kind, proto, _, addr = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                      flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn's own bind: TIME_WAIT is free
        sock.bind(addr)
    except BaseException:
        sock.close()
        raise
    return sock


def start_in_thread(config: ServerConfig) -> ServerHandle:
    """Serve in a background thread with its own event loop, the engine workers as the CLI runs them.
    Returns at once (state "starting" until the workers are warm). ValueError for settings that must
    not run (ServerConfig.check: no keys beyond loopback); OSError when the port cannot be bound."""
    config.check()
    sock = bind(config.host, config.port)
    try:
        server = _server(config, None)
    except BaseException:
        sock.close()
        raise
    handle = ServerHandle(config, server, sock)
    handle._thread.start()
    return handle
