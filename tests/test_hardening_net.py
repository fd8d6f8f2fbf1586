"""Issue #12, network faults: what a misbehaving server does to a URL download and to a cloud call.

Raw TCP servers on 127.0.0.1 send each bad answer byte for byte (a garbled status line, a cut-off
chunked body, hundreds of headers, a Content-Length that lies, a connection closed or reset
mid-body); the vendor fakes of tests/fakes (which check the vendors' real signatures) play the
services. Every failure must be one typed error with a machine reason and the values a sentence
needs, never an "unexpected error", never a library's raw text, never a secret; a timed-out
download leaves no thread and no open connection behind.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop_ocr import backends
from desktop_ocr.core.download import THREAD_NAME, fetch
from desktop_ocr.core.errors import AuthFailed, BackendError, DownloadFailed, OcrError, RateLimited, user_message
from desktop_ocr.core.image import LoadedImage
from tests.drawing import render_lines, rgb_array, to_png_bytes
from tests.fakes.kits import AWS_KEY_ID, AWS_SECRET, AWS_TOKEN, HW_PROJECT, HW_TOKEN, KITS

REPO = Path(__file__).resolve().parent.parent
PNG = to_png_bytes(render_lines(["网络故障 Network 12"], font_size=28))
RAW_LIBRARY_TEXT = ("HTTPConnectionPool", "HTTPSConnectionPool", "Max retries", "Caused by", "NewConnectionError",
                    "object at 0x", "Errno", "Traceback", "RemoteDisconnected", "IncompleteRead",
                    "ProtocolError", "ChunkedEncodingError")


# --------------------------------------------------------------------------- a raw TCP server


def read_request(conn: socket.socket) -> tuple[bytes, dict[str, str], bytes]:
    """(request line, headers with lower-case names, body) of one HTTP request."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    line, *rows = head.split(b"\r\n")
    headers = {}
    for row in rows:
        name, _, value = row.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    need = int(headers.get("content-length") or 0)
    while len(body) < need:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return line, headers, body


class RawServer:
    """Answers every connection on 127.0.0.1 with ``script(conn)`` (after which the connection is
    closed). ``connections`` counts them; ``client_closed`` is set when a script saw the client
    hang up (recv returned b'')."""

    def __init__(self, script: Callable[[socket.socket, RawServer], None]):
        self.script = script
        self.connections = 0
        self.client_closed = threading.Event()
        self.stop = threading.Event()
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def __enter__(self) -> RawServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(10)
        self.sock.close()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            threading.Thread(target=self._run, args=(conn,), daemon=True).start()

    def _run(self, conn: socket.socket) -> None:
        with conn:
            try:
                self.script(conn, self)
            except OSError:
                pass


def answer(raw: bytes, *, reset: bool = False) -> Callable[[socket.socket, RawServer], None]:
    """A script: read the request, send ``raw``, then close (``reset``: with a TCP RST)."""
    def script(conn: socket.socket, server: RawServer) -> None:
        read_request(conn)
        conn.sendall(raw)
        if reset:
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    return script


def head(status: str = "200 OK", ctype: str = "image/png", **extra: str) -> bytes:
    rows = [f"HTTP/1.1 {status}", f"Content-Type: {ctype}", "Connection: close"]
    rows += [f"{k.replace('_', '-')}: {v}" for k, v in extra.items()]
    return ("\r\n".join(rows) + "\r\n\r\n").encode("latin-1")


MANY_HEADERS = (b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n"
                + b"".join(b"X-Filler-%d: %d\r\n" % (i, i) for i in range(300)) + b"\r\n" + PNG)
BAD_ANSWERS = {
    # name: (bytes the server sends, reset?, the reason we must report)
    "garbled status line": (b"SPAM EGGS \x00\xff\r\n\r\n", False, "malformed"),
    "hundreds of headers": (MANY_HEADERS, False, "malformed"),
    "a header line too long": (b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 70000 + b"\r\n\r\n", False, "malformed"),
    "chunked body cut off": (head(Transfer_Encoding="chunked") + b"1000\r\n" + PNG[:100], False, "truncated"),
    "bad chunk size": (head(Transfer_Encoding="chunked") + b"zz\r\n" + PNG[:100], False, "truncated"),
    "Content-Length that lies": (head(Content_Length=str(len(PNG) + 5000)) + PNG, False, "truncated"),
    "reset mid-body": (head(Content_Length=str(len(PNG))) + PNG[:200], True, "truncated"),
    "closed without answering": (b"", False, "connection"),
}


# --------------------------------------------------------------------------- 1. URL downloads


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)


@pytest.mark.parametrize("case", list(BAD_ANSWERS))
def test_malformed_download_answers_are_one_clear_download_error(case):
    raw, reset, reason = BAD_ANSWERS[case]
    with RawServer(answer(raw, reset=reset)) as srv:
        url = srv.url + "/img.png"
        with pytest.raises(OcrError) as ei:
            fetch(url, timeout=20)
    err = ei.value
    assert isinstance(err, DownloadFailed), f"{type(err).__name__}: {err}"
    assert err.reason == reason and err.key == f"download_failed.{reason}"
    assert err.params["host"] == url.split("/")[2]
    text = user_message(err, with_source=True)
    assert "unexpected" not in text and "\n" not in text and "SPAM" not in text and "X-Filler" not in text
    assert text.startswith(url + ": ")
    if reason == "truncated":
        assert err.params["received"] < len(PNG) + 5000


def test_a_lying_content_length_is_not_handed_on_as_half_an_image():
    """http.client ends a read at the connection's end without a word: the declared length is ours to check."""
    from desktop_ocr.core.sources import load_image

    raw, _, _ = BAD_ANSWERS["Content-Length that lies"]
    with RawServer(answer(raw)) as srv, pytest.raises(DownloadFailed) as ei:
        load_image(srv.url + "/img.png", timeout=20)
    assert ei.value.params["expected"] == len(PNG) + 5000 and ei.value.params["received"] == len(PNG)
    assert f"broke off after {len(PNG)} of {len(PNG) + 5000} bytes" in ei.value.message


def test_the_command_line_reports_a_garbled_answer_in_one_line():
    raw, _, _ = BAD_ANSWERS["garbled status line"]
    with RawServer(answer(raw)) as srv:
        proc = subprocess.run([sys.executable, "-m", "desktop_ocr", "recognize", srv.url + "/a.png"],
                              cwd=REPO, capture_output=True, timeout=120, env={**os.environ, "DESKTOP_OCR_DEBUG": ""})
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 1 and proc.stdout == b""
    assert len(err.strip().splitlines()) == 1, err
    assert "not valid HTTP" in err and "unexpected" not in err and "Traceback" not in err


# --------------------------------------------------------------------------- 2. timeouts leave nothing behind


def trickle(conn: socket.socket, server: RawServer) -> None:
    """Headers for a 1 MB image, then one byte every 50 ms: no single read ever times out. Stops
    (and records it) when the client hangs up."""
    read_request(conn)
    conn.sendall(head(Content_Length=str(1024 * 1024)))
    conn.settimeout(0.05)
    while not server.stop.is_set():
        try:
            if conn.recv(1) == b"":
                server.client_closed.set()
                return
        except TimeoutError:
            pass
        try:
            conn.send(b"\x00")
        except OSError:
            server.client_closed.set()
            return


def stall_in_headers(conn: socket.socket, server: RawServer) -> None:
    read_request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n")
    conn.settimeout(0.05)
    while not server.stop.is_set():
        try:
            if conn.recv(1) == b"":
                server.client_closed.set()
                return
        except TimeoutError:
            pass


def _download_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == THREAD_NAME and t.is_alive()]


@pytest.mark.parametrize("script", [trickle, stall_in_headers], ids=["trickling body", "stalled headers"])
def test_a_timed_out_download_leaves_no_thread_and_no_connection(script):
    assert _download_threads() == []
    with RawServer(script) as srv:
        with pytest.raises(DownloadFailed) as ei:
            fetch(srv.url + "/slow.png", timeout=1.0, connect_timeout=30)
        assert _download_threads() == []  # ended before the error was raised, not just abandoned
        assert srv.client_closed.wait(10), "the server still has an open connection from us"
    assert ei.value.reason == "timeout" and ei.value.params["seconds"] == 1.0


def test_a_connect_that_hangs_is_woken_when_the_download_is_cut_off():
    """A listener whose backlog is full drops our SYNs: connect() would wait its whole 30 s timeout.
    Cutting the exchange off (what fetch does at its deadline) ends it at once."""
    from desktop_ocr.core.download import Connections

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(4):  # fill the accept queue (never accepted)
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
        fillers.append(filler)
    conns = Connections()
    outcome: dict[str, BaseException | socket.socket] = {}

    def connect() -> None:
        try:
            outcome["sock"] = conns.create_connection(("127.0.0.1", port), 30)
        except BaseException as exc:  # handed to the test
            outcome["err"] = exc

    worker = threading.Thread(target=connect, daemon=True)
    try:
        worker.start()
        worker.join(0.5)
        if not worker.is_alive():
            pytest.skip(f"this kernel answered the connect ({outcome}): no hanging connect to cut off")
        conns.abort()
        worker.join(10)
        assert not worker.is_alive()
        assert isinstance(outcome.get("err"), OSError) and "cut off" in str(outcome["err"])
    finally:
        conns.close()
        for s in (*fillers, listener):
            s.close()


# --------------------------------------------------------------------------- 1+3. the cloud backends' HTTP


def _image() -> LoadedImage:
    img = render_lines(["云端 Cloud 12"], font_size=28)
    return LoadedImage(pixels=rgb_array(img), source="drawn.png", data=to_png_bytes(img), format="png")


def _settings_at(vendor: str, base: str, **over) -> dict:
    """The kit's good settings for ``vendor``, pointed at ``base`` (a raw server or a closed port)."""
    class _At:
        url = base
        endpoint = base + "/prod/general-ocr-standard"
        host = base.split("//", 1)[1]
    return {**KITS[vendor].settings(_At), "timeout": 20, "backoff": 0.01, **over}


VENDOR_MODES = {  # every way we talk to a vendor: our urllib client or the vendor's SDK (requests)
    "aws": {},
    "tencent": {},
    "tencent-legacy": {},
    "huawei": {},
    "huawei-token": {"ak": None, "sk": None, "token": HW_TOKEN},
}


def _backend(mode: str, base: str, **over):
    vendor = mode.split("-token")[0]
    settings = {k: v for k, v in _settings_at(vendor, base, **{**VENDOR_MODES[mode], **over}).items()
                if v is not None}
    return backends.create(vendor, **settings)


CLOUD_BAD_ANSWERS = {
    "garbled status line": (b"SPAM EGGS\r\n\r\n", "bad_answer"),
    "hundreds of headers": (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                            + b"".join(b"X-Filler-%d: %d\r\n" % (i, i) for i in range(300)) + b"\r\n{}",
                            "bad_answer"),
    "chunked body cut off": (head(ctype="application/json", Transfer_Encoding="chunked") + b"400\r\n{\"Resp",
                             "bad_answer"),
    "Content-Length that lies": (head(ctype="application/json", Content_Length="5000") + b'{"Response": {',
                                 "bad_answer"),
    "JSON of another shape": (head(ctype="application/json", Content_Length="17") + b'{"unexpected": 1}',
                              "bad_answer"),
    "a JSON list": (head(ctype="application/json", Content_Length="6") + b"[1, 2]", "bad_answer"),
    "closed without answering": (b"", "no_connection"),
}


@pytest.mark.parametrize("case", list(CLOUD_BAD_ANSWERS))
@pytest.mark.parametrize("mode", list(VENDOR_MODES))
def test_malformed_vendor_answers_are_backend_errors_with_a_reason(mode, case):
    raw, reason = CLOUD_BAD_ANSWERS[case]
    with RawServer(answer(raw)) as srv:
        backend = _backend(mode, srv.url)
        with pytest.raises(OcrError) as ei:
            backend.recognize(_image())
    err = ei.value
    assert isinstance(err, BackendError), f"{type(err).__name__}: {err}"
    assert err.reason == reason, f"{err.key}: {err}"
    assert err.params["vendor"] == backend.vendor
    text = user_message(err)
    assert "unexpected error" not in text and "\n" not in text
    for raw_text in RAW_LIBRARY_TEXT + ("SPAM", "X-Filler"):
        assert raw_text not in text, text


def _closed_port() -> int:
    with socket.socket() as s:  # a port that was free a moment ago and has no listener
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("mode", list(VENDOR_MODES))
def test_an_unreachable_vendor_is_no_connection_in_our_words(mode, capfd):
    backend = _backend(mode, f"http://127.0.0.1:{_closed_port()}", timeout=5)
    with pytest.raises(BackendError) as ei:
        backend.recognize(_image())
    assert capfd.readouterr().err == ""  # no library printing its own raw line beside our error
    err = ei.value
    assert err.key == "backend_error.no_connection" and err.params["cause"] == "refused"
    assert err.params["vendor"] == backend.vendor and err.params["host"].startswith("127.0.0.1:")
    assert "cannot reach" in err.message and "refused" in err.message
    for raw_text in RAW_LIBRARY_TEXT:
        assert raw_text not in str(err), str(err)


@pytest.fixture(params=list(KITS))
def kit(request):
    return KITS[request.param]


def test_every_failure_of_a_vendor_call_has_one_reason(kit):
    """timeout, auth, quota, server and bad_answer against the vendor's fake (faults injected before
    any recognition, so no engine is needed); the vendor's own code and request id stay in params."""
    image = _image()
    with kit.make_fake(None) as fake:
        def make(**over):
            return backends.create(kit.name, **{**kit.settings(fake), "timeout": 20, "backoff": 0.01, **over})

        fake.fail_next("slow", seconds=2.0)  # (wrong keys: the late request ends in an auth error, not the engine)
        with pytest.raises(BackendError) as ei:
            make(timeout=0.5, **kit.wrong).recognize(image)
        assert ei.value.key == "backend_error.timeout" and ei.value.params["seconds"] == 0.5

        with pytest.raises(AuthFailed) as ei:
            make(**kit.wrong).recognize(image)
        assert ei.value.reason == "auth"
        if kit.name != "aws":  # API Gateway's 403 {"message"} has no code
            assert ei.value.params["vendor_code"] == ei.value.vendor_code and ei.value.vendor_code

        fake.fail_next("rate", times=2)
        with pytest.raises(RateLimited) as ei:
            make().recognize(image)
        assert ei.value.reason == "quota"

        fake.fail_next("server", times=2)
        with pytest.raises(BackendError) as ei:
            make().recognize(image)
        assert ei.value.key == "backend_error.server"

        fake.fail_next("malformed")
        with pytest.raises(BackendError) as ei:
            make().recognize(image)
        assert ei.value.key == "backend_error.bad_answer"


def _tencent_error(code: str, message: str) -> bytes:
    body = json.dumps({"Response": {"Error": {"Code": code, "Message": message},
                                    "RequestId": "req-0123"}}).encode()
    return head(ctype="application/json", Content_Length=str(len(body))) + body


@pytest.mark.parametrize("code,reason", [("ResourceUnavailable.InArrears", "quota"),
                                         ("FailedOperation.UnOpenError", "quota"),
                                         ("FailedOperation.ImageDecodeFailed", "rejected"),
                                         ("InternalError", "server")])
def test_vendor_account_codes_are_quota_and_keep_code_and_request_id(code, reason):
    with RawServer(answer(_tencent_error(code, "words of the vendor"))) as srv:
        with pytest.raises(BackendError) as ei:
            _backend("tencent", srv.url).recognize(_image())
    err = ei.value
    assert err.reason == reason
    assert err.params["vendor_code"] == code and err.params["request_id"] == "req-0123"
    assert err.params["vendor_message"] == "words of the vendor"


# --------------------------------------------------------------------------- 4. test connection


def test_check_connection_ok_with_good_keys(kit, engine):
    from desktop_ocr.backends.check import check_connection

    with kit.make_fake(engine) as fake:
        result = check_connection(kit.name, kit.settings(fake), timeout=60)
        assert result.ok and result.reason is None and result.error is None and result.key == "ok"
        assert len(fake.requests) == 1 and fake.seen_formats == ["png"]  # one real, small call


def test_check_connection_names_wrong_keys_and_a_closed_port(kit):
    from desktop_ocr.backends.check import check_connection

    with kit.make_fake(None) as fake:
        result = check_connection(kit.name, {**kit.settings(fake), **kit.wrong}, timeout=20)
        assert not result.ok and result.reason == "auth" and result.key == "auth_failed.auth"
        assert len(fake.requests) == 1  # never retried
        for secret in kit.wrong.values():
            assert secret not in result.message and secret not in repr(result.params)
    result = check_connection(kit.name, _settings_at(kit.name, f"http://127.0.0.1:{_closed_port()}"), timeout=5)
    assert not result.ok and result.reason == "no_connection" and result.params["cause"] == "refused"


def test_check_connection_names_missing_settings_without_raising(monkeypatch):
    from desktop_ocr.backends.check import check_connection

    for var in ("TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TENCENTCLOUD_SESSION_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    result = check_connection("tencent", {"endpoint": "http://127.0.0.1:9"})
    assert not result.ok and result.reason == "settings" and set(result.params["fields"]) == {"secret_id", "secret_key"}
    assert not check_connection("no-such-vendor").ok


# --------------------------------------------------------------------------- 5. secrets echoed back


def echo_credentials(conn: socket.socket, server: RawServer) -> None:
    """A misbehaving endpoint: its error answer quotes the credentials it received."""
    _line, headers, _body = read_request(conn)
    echoed = " | ".join(f"{name}={headers[name]}" for name in ("x-amz-security-token", "x-auth-token",
                                                                "authorization") if name in headers)
    text = f"Request refused; we saw {echoed}"
    if "x-auth-token" in headers:  # Huawei: its JSON error shape, the token inside error_msg
        body = json.dumps({"error_code": "APIG.0307", "error_msg": text}).encode()
        conn.sendall(head("401 Unauthorized", "application/json", Content_Length=str(len(body))) + body)
    else:  # AWS: the function's plain-text 400
        body = text.encode()
        conn.sendall(head("400 Bad Request", "text/plain", Content_Length=str(len(body))) + body)


def echo_in_garbage(conn: socket.socket, server: RawServer) -> None:
    """200 with a body that is not JSON, the session token straddling the 80th character."""
    _line, headers, _body = read_request(conn)
    body = ("x" * 70 + headers.get("x-amz-security-token", "") + " trailing words").encode()
    conn.sendall(head(ctype="application/json", Content_Length=str(len(body))) + body)


def _no_secret(texts: list[str], secrets: tuple[str, ...]) -> None:
    blob = "\n".join(texts)
    for secret in secrets:
        assert secret not in blob
        assert secret[:8] not in blob  # not even cut in half


def _aws_iam(base: str) -> dict:
    return dict(endpoint=base + "/prod/general-ocr-standard", auth="iam", region="us-east-1",
                access_key_id=AWS_KEY_ID, secret_access_key=AWS_SECRET, session_token=AWS_TOKEN, timeout=20)


@pytest.mark.parametrize("script", [echo_credentials, echo_in_garbage])
def test_an_aws_session_token_echoed_back_never_shows(script):
    with RawServer(script) as srv, pytest.raises(BackendError) as ei:
        backends.create("aws", **_aws_iam(srv.url)).recognize(_image())
    err = ei.value
    _no_secret([str(err), err.message, repr(err.params), user_message(err), repr(err)],
               (AWS_TOKEN, AWS_SECRET, AWS_KEY_ID))


def test_a_huawei_iam_token_echoed_back_never_shows():
    with RawServer(echo_credentials) as srv, pytest.raises(AuthFailed) as ei:
        backends.create("huawei", endpoint=srv.url, project_id=HW_PROJECT, token=HW_TOKEN).recognize(_image())
    err = ei.value
    assert err.vendor_code == "APIG.0307" and "Request refused" in err.message
    _no_secret([str(err), err.message, repr(err.params), user_message(err)], (HW_TOKEN,))


def test_the_command_line_never_prints_an_echoed_session_token(tmp_path):
    picture = tmp_path / "cloud.png"
    picture.write_bytes(_image().data or b"")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "TENCENTCLOUD_", "HUAWEICLOUD_"))}
    env.update(AWS_ACCESS_KEY_ID=AWS_KEY_ID, AWS_SECRET_ACCESS_KEY=AWS_SECRET, AWS_SESSION_TOKEN=AWS_TOKEN)
    with RawServer(echo_credentials) as srv:
        proc = subprocess.run([sys.executable, "-m", "desktop_ocr", "recognize", str(picture),
                               "--backend", "aws", "--endpoint", srv.url + "/prod/general-ocr-standard",
                               "--region", "us-east-1"], cwd=REPO, env=env, capture_output=True, timeout=120)
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 1 and "Request refused" in err
    _no_secret([err], (AWS_TOKEN, AWS_SECRET, AWS_KEY_ID))


def test_redaction_knows_every_kind_of_secret():
    from desktop_ocr.backends.credentials import Secret, redact

    token = "sessTok/with+slash-0123456789"
    Secret(token)
    for echoed in (token, json.dumps(token)[1:-1].replace("/", "\\/"), "sessTok%2Fwith%2Bslash-0123456789"):
        assert "sessTok" not in redact(f"body: {echoed} end")
    assert redact("https://user:hunter2pass@example.com/a.png") == "https://user:***@example.com/a.png"
    presigned = ("https://b.s3.amazonaws.com/a.png?X-Amz-Credential=AKIAX%2F20261130&X-Amz-Security-Token=IQoJb3JpZ2"
                 "&X-Amz-Signature=abcdef0123")
    clean = redact(presigned)
    assert "IQoJb3JpZ2" not in clean and "abcdef0123" not in clean and "AKIAX" not in clean
    assert clean.startswith("https://b.s3.amazonaws.com/a.png?")
    assert "X-Subject-Token: ***" in redact("X-Subject-Token: MIIsubjecttoken")


def test_a_secret_in_a_logged_traceback_is_scrubbed(caplog):
    import logging

    from desktop_ocr.backends.credentials import Secret, install_log_redaction

    Secret("tracebackSecret-0123456789")
    install_log_redaction()
    caplog.set_level(logging.DEBUG)
    # ours, a child logger no filter is attached to (the window's crash report), a library's
    for name in ("desktop_ocr.backends", "desktop_ocr.gui", "some.library.http"):
        try:
            raise RuntimeError("server said tracebackSecret-0123456789")
        except RuntimeError:
            logging.getLogger(name).exception("call failed: %s", "tracebackSecret-0123456789")
        assert caplog.records[-1].getMessage() == "call failed: ***"
        assert "tracebackSecret" not in (caplog.records[-1].exc_text or "")
    assert "call failed" in caplog.text and "tracebackSecret" not in caplog.text



def test_a_trickling_vendor_is_cut_off_at_the_time_limit():
    """Our own HTTP client (AWS, legacy Tencent, Huawei with a token) bounds the whole call, not each
    read: a service that answers one byte at a time is cut off at the limit, its connection closed."""
    def slow_answer(conn: socket.socket, server: RawServer) -> None:
        read_request(conn)
        conn.sendall(head(ctype="application/json", Content_Length="400"))
        conn.settimeout(0.05)
        for _ in range(400):
            try:
                if conn.recv(1) == b"":
                    server.client_closed.set()
                    return
            except TimeoutError:
                pass
            conn.send(b" ")
    with RawServer(slow_answer) as srv:
        with pytest.raises(BackendError) as ei:
            _backend("aws", srv.url, timeout=1.0).recognize(_image())
        assert srv.client_closed.wait(10), "the server still has an open connection from us"
    assert ei.value.key == "backend_error.timeout" and ei.value.params["seconds"] == 1.0


def test_a_settings_error_quoting_an_endpoint_hides_its_password():
    with pytest.raises(ValueError) as ei:
        backends.create("aws", endpoint="ftp://deploy:Pa55word-Secret@example.com/prod/x")
    assert "Pa55word" not in str(ei.value) and "deploy:***@example.com" in str(ei.value)
