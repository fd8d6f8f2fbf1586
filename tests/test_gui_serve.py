"""Serve API in the window (gui.serve_panel over server.run.start_in_thread): the real toggle, a
real server on 127.0.0.1 with one engine worker process, real HTTP. One server start per test."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.request

import pytest

from desktop_ocr import backends
from desktop_ocr.core.sources import decode_bytes
from desktop_ocr.gui import serve_panel
from tests.drawing import render_lines, to_png_bytes
from tests.fakes.kits import TC_ID, TC_KEY

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

LINES = ["发票号码 No. 20240615", "合计 Total 1,280.50 元"]
PNG = to_png_bytes(render_lines(LINES, font_size=36))
START_TIMEOUT = 90_000  # ms: the worker process loads and warms its models (a shared 2-core machine)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except ConnectionRefusedError:
        return True
    return False


def serve_on(window, qtbot, port: int) -> None:
    window.serve_panel.port_spin.setValue(port)
    window.act_serve.trigger()
    assert window.act_serve.isChecked()
    qtbot.waitUntil(lambda: window.serve_panel.state in ("serving", "error"), timeout=START_TIMEOUT)
    assert window.serve_panel.state == "serving", window.serve_panel.error


def tencent(port: int):
    return backends.create("tencent", endpoint=f"http://127.0.0.1:{port}", secret_id=TC_ID, secret_key=TC_KEY)


def test_serve_api_toggle_answers_requests_counts_them_and_stops(window, qtbot, engine):
    panel, port = window.serve_panel, free_port()
    assert panel.state == "stopped" and refused(port)
    serve_on(window, qtbot, port)
    assert f"127.0.0.1:{port}" in panel.state_label.text()

    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as r:
        health = json.loads(r.read())
    assert health["status"] == "ok" and health["workers"] == 1 and health["auth"] is False

    result = tencent(port).recognize(decode_bytes(PNG, "page.png"))  # our own client, the SDK's signing
    assert [ln.text for ln in result.lines] == LINES
    qtbot.waitUntil(lambda: panel.requests == 1, timeout=5000)
    assert "1 request" in panel.state_label.text()

    bad = urllib.request.Request(f"http://127.0.0.1:{port}/", data=b"{}", method="POST",  # no Version
                                 headers={"Content-Type": "application/json", "X-TC-Action": "GeneralBasicOCR"})
    with urllib.request.urlopen(bad, timeout=10) as r:  # Tencent answers its errors with a 200
        assert json.loads(r.read())["Response"]["Error"]["Code"] == "MissingParameter"
    qtbot.waitUntil(lambda: panel.requests == 2 and "MissingParameter" in panel.state_label.text(), timeout=5000)
    assert window.host.get("local") is engine  # the window's own engine is not the server's

    window.act_serve.trigger()
    assert not window.act_serve.isChecked()
    qtbot.waitUntil(lambda: panel.state == "stopped", timeout=15_000)
    assert refused(port)
    assert panel.port_spin.isEnabled() and window.act_serve.isEnabled()


def test_a_port_in_use_is_one_clear_message_and_the_toggle_goes_back_off(window, qtbot):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        window.serve_panel.port_spin.setValue(port)
        with qtbot.waitSignal(window.error_shown, timeout=10_000) as shown:
            window.act_serve.trigger()
        assert not window.act_serve.isChecked()
    message = shown.args[0]
    assert f"port {port} is already in use" in message and message == window.message_bar.text()
    assert window.serve_panel.state == "error" and "error" in window.serve_panel.state_label.text()
    assert window.serve_panel.port_spin.isEnabled() and window.act_serve.isEnabled()
    with qtbot.waitSignal(window.result_shown, timeout=30_000):  # the window still works
        window.open_bytes(PNG, "page.png")
    assert [ln.text for ln in window.current_job().result.lines] == LINES


def test_closing_the_window_stops_the_server_after_the_request_in_flight(window, qtbot):
    port = free_port()
    serve_on(window, qtbot, port)
    handle = window.serve_panel.handle
    answers: list = []
    client = threading.Thread(target=lambda: answers.append(tencent(port).recognize(decode_bytes(PNG, "p.png"))))
    client.start()
    qtbot.waitUntil(lambda: handle._server.pool.admitted == 1, timeout=10_000)  # the request is in flight

    t0 = time.monotonic()
    window.close()
    took = time.monotonic() - t0
    client.join(10)
    assert [ln.text for ln in answers[0].lines] == LINES  # it finished, not cut off
    # the close kept its deadline (QUIT_TIMEOUT for the request in flight, plus the forced close's
    # join of 1 s in ServerHandle.stop): a bound on waiting, not a speed target
    assert handle.state == "stopped" and took < serve_panel.QUIT_TIMEOUT + 2, took
    assert refused(port)
