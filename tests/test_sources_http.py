"""URL sources against a real HTTP server on 127.0.0.1: images, HTML, status errors, redirects, hangs, caps."""

from __future__ import annotations

import io
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from desktop_ocr.core.download import fetch
from desktop_ocr.core.errors import DownloadFailed, EmptyInput, ImageTooLarge, UndecodableImage, UnsupportedSource
from desktop_ocr.core.sources import load_image
from tests.drawing import render_lines, to_png_bytes

PAGE = render_lines(["网址 URL 图片 42"], font_size=28)
PNG = to_png_bytes(PAGE)
HTML = b"<!DOCTYPE html>\n<html><head><title>Login</title></head><body>Please sign in</body></html>"


def _pdf() -> bytes:
    buf = io.BytesIO()
    PAGE.save(buf, format="PDF", resolution=100.0)
    return buf.getvalue()


class Handler(BaseHTTPRequestHandler):
    release: threading.Event  # set at teardown so hanging handlers end

    def log_message(self, *args):  # keep test output clean
        pass

    def _send(self, status: int, body: bytes, ctype: str = "image/png", length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 (http.server's naming)
        path = self.path
        if path == "/image.png":
            self._send(200, PNG)
        elif path == "/doc.pdf":
            self._send(200, _pdf(), "application/pdf")
        elif path == "/page.html":
            self._send(200, HTML, "text/html; charset=utf-8")
        elif path == "/lying.png":  # HTML with an image content type: sniffing must catch it
            self._send(200, HTML, "image/png")
        elif path == "/notes.txt":
            self._send(200, b"plain words, no pixels here", "text/plain")
        elif path == "/empty.png":
            self._send(200, b"")
        elif path == "/missing.png":
            self._send(404, b"not found", "text/plain")
        elif path == "/broken":
            self._send(500, b"oops", "text/plain")
        elif path.startswith("/hop/"):  # /hop/N redirects N more times, then serves the image
            n = int(path.rsplit("/", 1)[1])
            if n == 0:
                self._send(200, PNG)
            else:
                self._redirect(f"/hop/{n - 1}")
        elif path == "/loop":
            self._redirect("/loop")
        elif path == "/to-file":
            self._redirect("file:///etc/passwd")
        elif path == "/huge-declared":
            self._send(200, b"", length=200 * 1024 * 1024)  # says 200 MB, sends nothing
        elif path == "/huge-stream":  # no Content-Length: the cap must cut the stream
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                for _ in range(64):
                    self.wfile.write(b"\x00" * 65536)
            except OSError:
                pass
        elif path == "/hang-after-headers":
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(PNG)))
            self.end_headers()
            self.wfile.write(PNG[:100])
            self.wfile.flush()
            self.release.wait(30)
        elif path == "/hang-before-headers":
            self.release.wait(30)
        elif path == "/trickle":  # a byte every 0.2 s: no single read times out, the total must
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(PNG)))
            self.end_headers()
            try:
                for b in PNG:
                    if self.release.wait(0.2):
                        break
                    self.wfile.write(bytes([b]))
                    self.wfile.flush()
            except OSError:
                pass
        else:
            self._send(404, b"?", "text/plain")

    def _redirect(self, where: str) -> None:
        self.send_response(302)
        self.send_header("Location", where)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture(scope="module")
def server():
    release = threading.Event()
    handler = type("H", (Handler,), {"release": release})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    release.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)


def test_image_url(server):
    img = load_image(server + "/image.png")
    assert np.array_equal(img.pixels, np.asarray(PAGE))
    assert img.data == PNG and img.format == "png" and img.source == server + "/image.png"


def test_pdf_url(server):
    img = load_image(server + "/doc.pdf")
    assert img.page == 1 and (img.width, img.height) == (PAGE.width * 2, PAGE.height * 2)  # 100 -> 200 dpi


@pytest.mark.parametrize("path", ["/page.html", "/lying.png"])
def test_html_page_is_named_as_such(server, path):
    with pytest.raises(UndecodableImage) as ei:
        load_image(server + path)
    assert str(ei.value) == f"{server}{path}: the URL returned an HTML page, not an image"


def test_other_content_type_is_named(server):
    with pytest.raises(UndecodableImage, match="the URL returned text/plain content, not an image"):
        load_image(server + "/notes.txt")


def test_empty_body(server):
    with pytest.raises(EmptyInput, match="the URL returned no data"):
        load_image(server + "/empty.png")


@pytest.mark.parametrize("path,status,reason", [("/missing.png", 404, "Not Found"),
                                                 ("/broken", 500, "Internal Server Error")])
def test_status_errors(server, path, status, reason):
    with pytest.raises(DownloadFailed) as ei:
        load_image(server + path)
    assert ei.value.status == status
    assert str(ei.value) == f"{server}{path}: the server answered HTTP {status} {reason}"


def test_redirects_followed_up_to_five(server):
    assert load_image(server + "/hop/5").width == PAGE.width
    with pytest.raises(DownloadFailed, match="stopped after 5 redirects") as ei:
        load_image(server + "/hop/6")
    assert ei.value.status == 302


def test_redirect_loop(server):
    with pytest.raises(DownloadFailed, match=r"stopped after 5 redirects \(a redirect loop\?\)"):
        load_image(server + "/loop")


def test_redirect_to_file_scheme_refused(server):
    with pytest.raises(DownloadFailed, match="redirected to a file URL .* only http/https are followed"):
        load_image(server + "/to-file")


@pytest.mark.parametrize("path", ["/hang-after-headers", "/hang-before-headers", "/trickle"])
def test_total_deadline(server, path):
    t0 = time.monotonic()
    with pytest.raises(DownloadFailed, match=r"no complete answer within 1 s"):
        load_image(server + path, timeout=1.0)
    assert time.monotonic() - t0 < 5  # the deadline held: we did not wait for the server


def test_size_cap_from_content_length(server):
    with pytest.raises(ImageTooLarge, match="the download is 200 MB; the limit is 50 MB"):
        load_image(server + "/huge-declared")


def test_size_cap_while_streaming(server):
    with pytest.raises(ImageTooLarge, match="passed the 1 MB limit and was stopped"):
        load_image(server + "/huge-stream", max_bytes=1024 * 1024)


def test_connection_refused():
    with socket.socket() as s:  # a port that was free a moment ago and has no listener
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/a.png"
    with pytest.raises(DownloadFailed, match="cannot connect: .*refused") as ei:
        load_image(url, timeout=2)
    assert ei.value.source == url and ei.value.status is None


def test_fetch_reports_final_url_and_type(server):
    got = fetch(server + "/hop/2", timeout=2)
    assert got.url == server + "/hop/0" and got.content_type == "image/png" and got.data == PNG


def test_unsupported_scheme_never_connects():
    with pytest.raises(UnsupportedSource):
        fetch("ftp://127.0.0.1/x.png")


# -- https ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def https_server(tmp_path_factory):
    import shutil
    import ssl
    import subprocess

    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a test certificate")
    d = tmp_path_factory.mktemp("tls")
    cert, key = d / "cert.pem", d / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    release = threading.Event()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), type("H", (Handler,), {"release": release}))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{httpd.server_address[1]}", cert
    release.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def test_https_untrusted_certificate_is_refused(https_server):
    base, _ = https_server
    untrusted = r"cannot connect: the server's HTTPS certificate is not trusted \(self.signed certificate"
    with pytest.raises(DownloadFailed, match=untrusted):
        load_image(base + "/image.png", timeout=5)


def test_https_with_trusted_certificate(https_server, monkeypatch):
    base, cert = https_server
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # how a user adds a company CA, too
    img = load_image(base + "/image.png", timeout=5)
    assert np.array_equal(img.pixels, np.asarray(PAGE))
