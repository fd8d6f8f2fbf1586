"""Run the app with uvicorn: one process holding the event loop, the engine workers beside it.

Graceful shutdown (SIGINT / SIGTERM): the pool starts refusing new requests at once (the vendor's
error), uvicorn stops listening and lets the requests in flight finish, then the workers end.
uvicorn's access log is off: the app logs each request itself, without query string, headers or body.
"""

from __future__ import annotations

import copy
import logging
from types import FrameType

import uvicorn
from uvicorn.config import LOGGING_CONFIG

from .app import create_app
from .config import ServerConfig

log = logging.getLogger("desktop_ocr.server")


def log_config() -> dict:
    """uvicorn's logging set-up, plus our loggers on its default handler."""
    cfg = copy.deepcopy(LOGGING_CONFIG)
    cfg["loggers"]["desktop_ocr"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return cfg


class _Server(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, pool):
        super().__init__(config)
        self.pool = pool

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.pool.draining = True  # from now on new requests are refused; admitted ones finish
        super().handle_exit(sig, frame)


def serve(config: ServerConfig) -> bool:
    """Serve until interrupted; False when the server could not start (the reason is logged)."""
    config.check()
    app = create_app(config)
    uv = uvicorn.Config(app, host=config.host, port=config.port, access_log=False, log_config=log_config(),
                        server_header=False, lifespan="on")
    server = _Server(uv, app.state.pool)
    server.run()
    return server.started
