"""``desktop-ocr serve``: the real server (``python -m desktop_ocr serve`` in a subprocess, one engine
worker, a queue of one, a keys file) answering the vendors' official SDKs, our own cloud backends
pointed at it, and raw requests signed with the vendors' schemes: right text for good requests, the
vendor's own error in the vendor's shape for bad input, bad signatures and a full queue.

One server for the whole module (its worker loads the models once); the last test shuts it down.
The unit tests at the end need no server.
"""

from __future__ import annotations

import base64
import json
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from desktop_ocr import backends, formats
from desktop_ocr.backends.tencent_legacy import multipart
from desktop_ocr.core.sources import decode_bytes
from desktop_ocr.signatures import aws_sigv4, huawei_apig, tencent_legacy, tencent_tc3
from tests.drawing import render_lines, to_png_bytes
from tests.fakes.kits import AWS_KEY_ID, AWS_SECRET, HW_AK, HW_PROJECT, HW_SK, HW_TOKEN, LEGACY_APPID, TC_ID, TC_KEY
from tests.vendor_schema import check_answer, validate

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

REPO = Path(__file__).resolve().parent.parent
VENDORS = ("aws", "tencent", "tencent-legacy", "huawei")
LINES = ["发票号码 No. 20240615", "合计 Total 1,280.50 元", "上海市浦东新区 电话 021-6888"]
BURST_LINES = [f"第{i}行 Line {i} 编号 {1000 + i * 37} 金额 {i * 13.5:.2f}" for i in range(1, 13)]
AWS_PATH = "/prod/general-ocr-standard"
HW_PATH = f"/v2/{HW_PROJECT}/ocr/general-text"
PNG = to_png_bytes(render_lines(LINES, font_size=36))
BIG_PNG = to_png_bytes(render_lines(BURST_LINES, font_size=28))
B64 = base64.b64encode(PNG).decode()
MAX_BODY_MB = 2


@dataclass
class Server:
    proc: subprocess.Popen
    host: str  # 127.0.0.1:PORT
    log: Path

    @property
    def url(self) -> str:
        return "http://" + self.host


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.loads(r.read())


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve")
    keys = tmp / "keys.json"
    keys.write_text(json.dumps({
        "aws": {"keys": {AWS_KEY_ID: AWS_SECRET}, "region": "us-east-1"},
        "tencent": {TC_ID: TC_KEY},  # the short form
        "tencent-legacy": {"keys": {TC_ID: TC_KEY}, "appid": LEGACY_APPID},
        "huawei": {"keys": {HW_AK: HW_SK}, "tokens": [HW_TOKEN], "project_id": HW_PROJECT},
    }))
    port, log = free_port(), tmp / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "desktop_ocr", "serve", "--port", str(port), "--workers", "1",
                                 "--queue", "1", "--keys", str(keys), "--max-body-mb", str(MAX_BODY_MB)],
                                cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
    srv = Server(proc, f"127.0.0.1:{port}", log)
    deadline = time.monotonic() + 240
    while True:
        if proc.poll() is not None:
            pytest.fail(f"the server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if get_json(srv.url + "/healthz")["status"] == "ok":
                break
        except OSError:
            pass
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the server did not become healthy:\n{log.read_text()[-3000:]}")
        time.sleep(0.5)
    yield srv
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def web():
    """A plain web server with an image, an HTML page and a redirect (URL sources)."""
    html = b"<!doctype html><html><body>not an image</body></html>"
    pages = {"/page.png": ("image/png", PNG), "/page.html": ("text/html", html)}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802 - http.server's name
            if self.path == "/moved":
                self.send_response(302)
                self.send_header("Location", "/page.png")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            ctype, body = pages.get(self.path, ("text/plain", b""))
            self.send_response(200 if self.path in pages else 404)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


# -- raw requests, signed as each vendor's scheme says ---------------------------------------------

@dataclass
class Answer:
    status: int
    content_type: str
    body: bytes

    def json(self):
        return json.loads(self.body)


def post(srv: Server, path: str, body: bytes, headers: dict[str, str]) -> Answer:
    req = urllib.request.Request(srv.url + path, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return Answer(r.status, r.headers.get("Content-Type", ""), r.read())
    except urllib.error.HTTPError as exc:
        with exc:
            return Answer(exc.code, exc.headers.get("Content-Type", ""), exc.read())


def basic_date(at: float) -> str:
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(at))


def signed(vendor: str, srv: Server, path: str, body: bytes, *, at: float | None = None, secret: str | None = None,
           content_type: str = "application/json", action: str = "GeneralBasicOCR") -> dict[str, str]:
    """Headers of a request signed at ``at`` (default now) with the right secret (or ``secret``)."""
    at = time.time() if at is None else at
    headers = {"Content-Type": content_type, "Host": srv.host}
    if vendor == "aws":
        headers["X-Amz-Date"] = amz = basic_date(at)
        names = ["content-type", "host", "x-amz-date"]
        sig = aws_sigv4.sigv4_signature(secret or AWS_SECRET, method="POST", path=path, query="", headers=headers,
                                        signed=names, body=body, amz_date=amz, region="us-east-1",
                                        service="execute-api")
        headers["Authorization"] = (f"AWS4-HMAC-SHA256 Credential={AWS_KEY_ID}/{amz[:8]}/us-east-1/execute-api/"
                                    f"aws4_request, SignedHeaders={';'.join(names)}, Signature={sig}")
    elif vendor == "tencent":
        ts, date = str(int(at)), time.strftime("%Y-%m-%d", time.gmtime(int(at)))
        headers.update({"X-TC-Action": action, "X-TC-Version": "2018-11-19", "X-TC-Timestamp": ts})
        sig = tencent_tc3.tc3_signature(secret or TC_KEY, method="POST", path=path, query="", headers=headers,
                                        signed=["content-type", "host"], body=body, timestamp=ts, date=date)
        headers["Authorization"] = (f"TC3-HMAC-SHA256 Credential={TC_ID}/{date}/ocr/tc3_request, "
                                    f"SignedHeaders=content-type;host, Signature={sig}")
    elif vendor == "huawei":
        headers["X-Sdk-Date"] = sdk_date = basic_date(at)
        names = ["content-type", "host", "x-sdk-date"]
        sig = huawei_apig.apig_signature(secret or HW_SK, method="POST", path=path, query="", headers=headers,
                                         signed=names, body=body, sdk_date=sdk_date)
        headers["Authorization"] = f"SDK-HMAC-SHA256 Access={HW_AK}, SignedHeaders={';'.join(names)}, Signature={sig}"
    else:
        headers["Authorization"] = tencent_legacy.sign(LEGACY_APPID, "", TC_ID, secret or TC_KEY, now=int(at))
    return headers


def legacy_form(image: bytes | None = None, **fields: str) -> tuple[bytes, str]:
    """A multipart body as the legacy service takes it (appid and bucket first)."""
    fields = {"appid": LEGACY_APPID, "bucket": "", **fields}
    if image is None:
        body, ctype = multipart(fields, "unused", "x.txt", "text/plain", b"")
        return body, ctype
    return multipart(fields, "image", "page.png", "image/png", image)


PATHS = {"aws": AWS_PATH, "tencent": "/", "tencent-legacy": "/ocr/general", "huawei": HW_PATH}
IMAGE_FIELD = {"aws": "img", "tencent": "ImageBase64", "huawei": "image"}


def send(srv: Server, vendor: str, body: bytes, *, path: str | None = None, content_type: str = "application/json",
         **sign) -> Answer:
    path = path or PATHS[vendor]
    return post(srv, path, body, signed(vendor, srv, path, body, content_type=content_type, **sign))


def send_image(srv: Server, vendor: str, png: bytes) -> Answer:
    if vendor == "tencent-legacy":
        body, ctype = legacy_form(png)
        return send(srv, vendor, body, content_type=ctype)
    return send(srv, vendor, json.dumps({IMAGE_FIELD[vendor]: base64.b64encode(png).decode()}).encode())


def error_of(vendor: str, answer: Answer):
    """(HTTP status, the vendor's error code) after checking the answer has the vendor's error shape;
    AWS has no codes: its gateway's message (or None for the function's plain-text 400)."""
    if vendor == "aws":
        if answer.status == 400:
            assert answer.content_type.startswith("text/plain") and answer.body.strip()
            return 400, None
        validate(answer.json(), "aws_gateway_error")
        return answer.status, answer.json()["message"]
    assert answer.content_type == "application/json", answer.content_type  # exactly: the Tencent SDK needs it
    obj = answer.json()
    if vendor == "tencent":
        validate(obj, "tencent_error")
        return answer.status, obj["Response"]["Error"]["Code"]
    if vendor == "tencent-legacy":
        validate(obj, "tencent_legacy_error")
        return answer.status, obj["code"]
    validate(obj, "huawei_error")
    return answer.status, obj["error_code"]


def texts(vendor: str, obj) -> list[str]:
    check_answer(vendor, obj)
    return [ln.text for ln in formats.get(vendor).load(obj).lines]


# -- good requests: the vendors' SDKs and our own backends -----------------------------------------

def test_the_official_tencent_sdk_reads_the_page(server):
    from tencentcloud.common import credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.ocr.v20181119 import models, ocr_client

    profile = ClientProfile(httpProfile=HttpProfile(protocol="http", endpoint=server.host))
    client = ocr_client.OcrClient(credential.Credential(TC_ID, TC_KEY), "ap-guangzhou", profile)
    req = models.GeneralBasicOCRRequest()
    req.ImageBase64, req.IsWords = B64, True
    resp = client.GeneralBasicOCR(req)
    assert [d.DetectedText for d in resp.TextDetections] == LINES
    assert "".join(w.Character for w in resp.TextDetections[0].Words).replace(" ", "") == LINES[0].replace(" ", "")
    assert resp.RequestId


def test_the_official_huawei_sdk_reads_the_page(server):
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkocr.v1 import GeneralTextRequestBody, OcrClient, RecognizeGeneralTextRequest

    client = (OcrClient.new_builder().with_credentials(BasicCredentials(HW_AK, HW_SK, HW_PROJECT))
              .with_endpoint(server.url).build())
    resp = client.recognize_general_text(RecognizeGeneralTextRequest(
        body=GeneralTextRequestBody(image=B64, detect_direction=True)))
    assert [b.words for b in resp.result.words_block_list] == LINES
    assert resp.result.direction == 0 and resp.result.words_block_count == 3


def test_single_line_fast_path_through_both_sdks(server):
    """Tencent EnableDetectText=false and Huawei quick_mode read a one-line image without detection
    (the engine's single-line mode): the one line comes back whole, its box the whole image."""
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkocr.v1 import GeneralTextRequestBody, OcrClient, RecognizeGeneralTextRequest
    from tencentcloud.common import credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.ocr.v20181119 import models, ocr_client

    line = render_lines(["单行识别 No. 20240521-0078"], font_size=36, margin=8, spacing=1.4)  # a line cut close
    b64 = base64.b64encode(to_png_bytes(line)).decode()
    profile = ClientProfile(httpProfile=HttpProfile(protocol="http", endpoint=server.host))
    client = ocr_client.OcrClient(credential.Credential(TC_ID, TC_KEY), "ap-guangzhou", profile)
    req = models.GeneralAccurateOCRRequest()
    req.ImageBase64, req.EnableDetectText = b64, False
    det = client.GeneralAccurateOCR(req).TextDetections
    assert [d.DetectedText for d in det] == ["单行识别 No. 20240521-0078"]
    assert {(p.X, p.Y) for p in det[0].Polygon} == {(0, 0), (line.width, 0), (line.width, line.height),
                                                    (0, line.height)}
    hw = (OcrClient.new_builder().with_credentials(BasicCredentials(HW_AK, HW_SK, HW_PROJECT))
          .with_endpoint(server.url).build())
    resp = hw.recognize_general_text(RecognizeGeneralTextRequest(body=GeneralTextRequestBody(image=b64,
                                                                                             quick_mode=True)))
    assert [b.words for b in resp.result.words_block_list] == ["单行识别 No. 20240521-0078"]


BACKENDS = {
    "aws": lambda s: dict(endpoint=s.url + AWS_PATH, auth="iam", region="us-east-1", access_key_id=AWS_KEY_ID,
                          secret_access_key=AWS_SECRET),  # botocore's SigV4Auth
    "tencent": lambda s: dict(endpoint=s.url, secret_id=TC_ID, secret_key=TC_KEY),  # the SDK's client.call
    "tencent-legacy": lambda s: dict(endpoint=s.url, appid=LEGACY_APPID, secret_id=TC_ID, secret_key=TC_KEY),
    "huawei": lambda s: dict(endpoint=s.url, project_id=HW_PROJECT, token=HW_TOKEN),  # IAM token, plain http
}


@pytest.mark.parametrize("vendor", VENDORS)
def test_our_cloud_backend_pointed_at_the_server_reads_the_page(server, vendor):
    recognizer = backends.create(vendor, **BACKENDS[vendor](server))
    result = recognizer.recognize(decode_bytes(PNG, "page.png"))
    assert [ln.text for ln in result.lines] == LINES
    assert result.engine == vendor


def test_an_image_url_is_fetched_and_wins_over_the_image_as_documented(server, web):
    body = json.dumps({"ImageUrl": web + "/moved", "ImageBase64": "not base64 at all!"}).encode()
    answer = send(server, "tencent", body)
    assert answer.status == 200 and texts("tencent", answer.json()) == LINES  # the redirect was followed too


# -- bad input: the vendor's own error, never a 500 ------------------------------------------------

def bad_request(kind: str, vendor: str, web: str) -> tuple[str | None, bytes, str]:
    """(path or None for the vendor's, body, content type) of one kind of bad request."""
    if kind == "not_json":  # broken JSON, or JSON nested deeper than the parser recurses
        return None, b'{"img": "oops' if vendor in ("aws", "huawei") else b"[" * 100_000, "application/json"
    if kind == "too_large":
        return None, json.dumps({IMAGE_FIELD.get(vendor, "url"): "A" * (MAX_BODY_MB * 1048576 + 10)}).encode(), \
            "application/json"
    if kind == "unknown":
        path = {"aws": "/prod/no-such-ocr", "tencent": "/", "tencent-legacy": "/ocr/idcard",
                "huawei": f"/v2/{HW_PROJECT}/ocr/no-such-ocr"}[vendor]
        return path, b"{}", "application/json"
    if vendor == "tencent-legacy":
        if kind == "html_url":
            return None, json.dumps({"appid": LEGACY_APPID, "bucket": "", "url": web + "/page.html"}).encode(), \
                "application/json"
        body, ctype = legacy_form(None if kind == "missing" else b"GIF89a but not really an image at all")
        return None, body, ctype
    field, url_field = IMAGE_FIELD[vendor], "ImageUrl" if vendor == "tencent" else "url"
    html = {url_field: web + "/page.html"}
    params = {"missing": {}, "bad_base64": {field: "@@ not base64 @@"},
              # with a good image beside it for the vendors whose URL wins: the error proves the URL was used
              "html_url": html if vendor == "huawei" else {**html, field: B64},
              "both": {field: B64, "url": web + "/page.png"}}[kind]
    return None, json.dumps(params).encode(), "application/json"


BAD = {  # kind -> vendor -> (HTTP status, the vendor's code or AWS gateway message)
    "not_json": {"aws": (400, None), "tencent": (200, "InvalidParameter"), "tencent-legacy": (200, 3),
                 "huawei": (400, "AIS.0101")},
    "missing": {"aws": (400, None), "tencent": (200, "FailedOperation.EmptyImageError"),
                "tencent-legacy": (200, -1300), "huawei": (400, "AIS.0101")},
    "bad_base64": {"aws": (400, None), "tencent": (200, "FailedOperation.ImageDecodeFailed"),
                   "tencent-legacy": (200, -1102), "huawei": (400, "AIS.0102")},
    "html_url": {"aws": (400, None), "tencent": (200, "FailedOperation.ImageDecodeFailed"),
                 "tencent-legacy": (200, -1102), "huawei": (400, "AIS.0102")},
    "both": {"huawei": (400, "AIS.0101")},  # the others take the URL, as documented (test above)
    "too_large": {"aws": (413, "Request Too Long"), "tencent": (200, "RequestSizeLimitExceeded"),
                  "tencent-legacy": (200, 23), "huawei": (413, "APIG.0201")},
    "unknown": {"aws": (403, "Missing Authentication Token"), "tencent": (200, "InvalidAction"),
                "tencent-legacy": (200, 21), "huawei": (404, "APIG.0101")},
}


@pytest.mark.parametrize("kind,vendor", [(k, v) for k, by in BAD.items() for v in by])
def test_bad_input_gets_the_vendors_own_error(server, web, kind, vendor):
    path, body, ctype = bad_request(kind, vendor, web)
    action = "NoSuchAction" if kind == "unknown" else "GeneralBasicOCR"
    answer = send(server, vendor, body, path=path, content_type=ctype, action=action)
    assert error_of(vendor, answer) == BAD[kind][vendor], answer.body[:300]


# -- authentication (the server runs with --keys) ---------------------------------------------------

AUTH = {  # vendor -> (status, code or message start) for: wrong key, stale timestamp, tampered body, unsigned
    "aws": [(403, "The request signature we calculated"), (403, "Signature expired"),
            (403, "The request signature we calculated"), (403, "Missing Authentication Token")],
    "tencent": [(200, "AuthFailure.SignatureFailure"), (200, "AuthFailure.SignatureExpire"),
                (200, "AuthFailure.SignatureFailure"), (200, "AuthFailure.SignatureFailure")],
    "tencent-legacy": [(200, 14), (200, 9), (200, 6), (200, 4)],  # its signature covers appid/bucket, not the image
    "huawei": [(401, "APIG.0301"), (401, "APIG.0301"), (401, "APIG.0301"), (401, "APIG.0301")],
}


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_wrong_key_a_stale_timestamp_a_tampered_body_and_no_signature_are_refused(server, vendor):
    if vendor == "tencent-legacy":
        body, ctype = legacy_form(PNG)
        tampered = body.replace(LEGACY_APPID.encode(), b"1259999999")
    else:
        body, ctype = json.dumps({IMAGE_FIELD[vendor]: B64}).encode(), "application/json"
        tampered = body.replace(B64[:40].encode(), b"A" * 40)
    path = PATHS[vendor]
    good = signed(vendor, server, path, body, content_type=ctype)
    answers = [
        post(server, path, body, signed(vendor, server, path, body, content_type=ctype, secret="wrong-secret-0123")),
        post(server, path, body, signed(vendor, server, path, body, content_type=ctype, at=time.time() - 3600)),
        post(server, path, tampered, good),
        post(server, path, body, {k: v for k, v in good.items() if k != "Authorization"}),
    ]
    got = []
    for answer, (_, expected) in zip(answers, AUTH[vendor]):
        status, code = error_of(vendor, answer)
        got.append((status, expected if vendor == "aws" and str(code).startswith(expected) else code))
    assert got == AUTH[vendor]


# -- a full queue ------------------------------------------------------------------------------------

RATE = {"aws": (429, "Too Many Requests"), "tencent": (200, "RequestLimitExceeded"), "tencent-legacy": (200, 15),
        "huawei": (429, "APIG.0308")}


def test_a_full_queue_answers_the_vendors_rate_limit_error_at_once(server):
    burst = [v for v in VENDORS for _ in range(3)]  # 12 at once; 1 worker + a queue of 1 hold 2
    gate = threading.Barrier(len(burst))

    def one(vendor):
        gate.wait()
        t0 = time.perf_counter()
        return vendor, send_image(server, vendor, BIG_PNG), time.perf_counter() - t0

    with ThreadPoolExecutor(len(burst)) as pool:
        answers = list(pool.map(one, burst))
    refused = {v: 0 for v in VENDORS}
    served = 0
    for vendor, answer, seconds in answers:
        if answer.status == 200 and not formats.get(vendor).is_error(answer.json()):
            served += 1
            assert texts(vendor, answer.json()) == BURST_LINES
            continue
        assert error_of(vendor, answer) == RATE[vendor], answer.body[:300]
        assert seconds < 5, "refused at once, not after waiting"
        refused[vendor] += 1
    assert served >= 1 and all(refused.values()), (served, refused)
    health = get_json(server.url + "/healthz")
    assert health["queue"] == {"capacity": 1, "waiting": 0, "in_flight": 0} and health["workers"] == 1


# -- health, metrics, OpenAPI ------------------------------------------------------------------------

def test_health_metrics_and_openapi(server):
    health = get_json(server.url + "/healthz")
    assert health["status"] == "ok" and health["auth"] is True and health["vendors"] == list(VENDORS)
    with urllib.request.urlopen(server.url + "/metrics", timeout=10) as r:
        assert r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        metrics = r.read().decode()
    assert 'desktop_ocr_requests_total{vendor="tencent",status="200"}' in metrics
    assert 'desktop_ocr_errors_total{vendor="tencent",code="InvalidAction"}' in metrics
    assert 'desktop_ocr_errors_total{vendor="huawei",code="APIG.0101"}' in metrics
    assert 'desktop_ocr_request_duration_seconds_bucket{vendor="aws",le="+Inf"}' in metrics
    assert "desktop_ocr_queue_depth 0" in metrics and "desktop_ocr_workers 1" in metrics
    spec = get_json(server.url + "/openapi.json")
    assert spec["openapi"].startswith("3.")
    assert set(spec["paths"]) == {"/", "/ocr/general", "/v2/{project_id}/ocr/general-text", "/{stage}/general_ocr",
                                  "/{stage}/general-ocr-standard", "/{stage}/lite-ocr", "/healthz", "/metrics",
                                  "/openapi.json"}
    assert {p["name"] for p in spec["paths"]["/"]["post"]["parameters"]} == {"X-TC-Action", "X-TC-Version"}
    assert set(spec["paths"]["/ocr/general"]["post"]["requestBody"]["content"]) == {"multipart/form-data",
                                                                                    "application/json"}


def test_the_access_log_has_no_image_data_or_secrets(server):
    log = server.log.read_text("utf-8", "replace")
    assert '"POST /v2/' in log and " 401 huawei APIG.0301 " in log
    for secret in (B64[:40], AWS_SECRET, TC_KEY, HW_SK, HW_TOKEN, "Signature=", "Authorization"):
        assert secret not in log


def test_a_page_without_text_is_an_error_only_where_the_vendor_says_so(server):
    """Tencent API 3.0 answers a page without text with FailedOperation.ImageNoText; Huawei and the
    others answer an empty result."""
    from PIL import Image

    blank = to_png_bytes(Image.new("RGB", (320, 200), "white"))
    assert error_of("tencent", send_image(server, "tencent", blank)) == (200, "FailedOperation.ImageNoText")
    answer = send_image(server, "huawei", blank)
    assert answer.status == 200 and texts("huawei", answer.json()) == []


# -- graceful shutdown (ends the module's server) ------------------------------------------------------

def test_shutdown_finishes_the_request_in_flight_then_refuses_new_ones(server):
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(send_image, server, "huawei", BIG_PNG)
        deadline = time.monotonic() + 30
        while get_json(server.url + "/healthz")["queue"]["in_flight"] == 0:
            assert time.monotonic() < deadline and not pending.done()
            time.sleep(0.05)
        server.proc.send_signal(signal.SIGTERM)
        answer = pending.result(120)
    assert answer.status == 200 and texts("huawei", answer.json()) == BURST_LINES
    server.proc.wait(60)
    with pytest.raises(OSError):
        get_json(server.url + "/healthz")
    log = server.log.read_text()
    assert "Application shutdown complete" in log and "Traceback" not in log


# -- without a server ----------------------------------------------------------------------------------

def test_every_vendor_module_serves_the_protocol_from_its_registry_entry():
    from desktop_ocr.server import VendorServer, routes

    table = routes()
    assert [spec.name for spec, _ in table] == list(VENDORS)
    for spec, route in table:
        assert isinstance(route, VendorServer) and route.vendor == spec.name and route.endpoints


def test_listening_beyond_loopback_without_keys_is_refused(capsys):
    from desktop_ocr.cli import main

    assert main(["serve", "--host", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert "refusing to listen on 0.0.0.0 without authentication" in err and "--keys" in err


def test_a_bad_keys_file_is_a_usage_error(tmp_path, capsys):
    from desktop_ocr.cli import main

    bad = tmp_path / "keys.json"
    bad.write_text(json.dumps({"tencnet": {"id": "key"}}))
    assert main(["serve", "--keys", str(bad)]) == 2
    assert "unknown vendor 'tencnet'" in capsys.readouterr().err
    bad.write_text(json.dumps({"huawei": {"keys": {"AK": "SK"}, "tokens": "one"}}))
    assert main(["serve", "--keys", str(bad)]) == 2
    assert "tokens must be a list of IAM tokens" in capsys.readouterr().err


def test_without_the_serve_extra_the_message_names_it(monkeypatch, capsys):
    from desktop_ocr.cli import main

    monkeypatch.setitem(sys.modules, "uvicorn", None)  # `import uvicorn` now fails as if not installed
    monkeypatch.delitem(sys.modules, "desktop_ocr.server.run", raising=False)
    assert main(["serve"]) == 2
    assert "pip install 'desktop-ocr[serve]'" in capsys.readouterr().err


def test_threads_reach_each_workers_engine(monkeypatch):
    from desktop_ocr.cli import build_serve_parser
    from desktop_ocr.core import engine as engine_mod
    from desktop_ocr.server import pool as pool_mod
    from desktop_ocr.server.app import create_app
    from desktop_ocr.server.config import ServerConfig

    args = build_serve_parser().parse_args(["--workers", "2", "--threads", "1"])
    app = create_app(ServerConfig(workers=args.workers, threads=args.threads))
    assert app.state.pool.threads == 1
    executor = app.state.pool._new_executor()
    try:
        assert executor._initargs == (1,)  # what each spawned worker's _start_worker receives
    finally:
        executor.shutdown(wait=False)
    built = []

    class Engine:
        def __init__(self, threads=None):
            built.append(threads)

        def warm_up(self):
            pass

    monkeypatch.setattr(engine_mod, "LocalEngine", Engine)
    monkeypatch.setattr(pool_mod, "_engine", None)
    old = signal.getsignal(signal.SIGINT)
    try:
        pool_mod._start_worker(1)
    finally:
        signal.signal(signal.SIGINT, old)
    assert built == [1]
    defaults = build_serve_parser().parse_args([])
    assert (defaults.workers, defaults.threads) == (2, 1)  # measured best on 2 cores (README)


def test_private_addresses_are_refused_for_url_images_beyond_loopback():
    from desktop_ocr.core.errors import DownloadFailed
    from desktop_ocr.server.config import ServerConfig
    from desktop_ocr.server.urls import public_only

    for url in ("http://127.0.0.1:8080/a.png", "http://169.254.169.254/latest/meta-data", "http://10.1.2.3/x",
                "http://[::1]/x", "http://[::ffff:192.168.1.1]/x", "http://0.0.0.0/x", "http://localhost/x"):
        with pytest.raises(DownloadFailed, match="private or local address"):
            public_only(url)
    public_only("http://8.8.8.8/a.png")  # a public address literal: no DNS needed
    assert ServerConfig(host="127.0.0.1").private_urls and not ServerConfig(host="0.0.0.0", keys={}).private_urls
    assert ServerConfig(host="0.0.0.0", keys={}, allow_private_urls=True).private_urls


def test_the_url_check_also_vets_every_redirect(web):
    from desktop_ocr.core.download import fetch
    from desktop_ocr.core.errors import DownloadFailed

    seen = []

    def check(url):
        seen.append(url)
        if url.endswith("/page.png"):
            raise DownloadFailed("refused by the check", source=url)

    with pytest.raises(DownloadFailed, match="refused by the check"):
        fetch(web + "/moved", check_url=check)
    assert seen == [web + "/moved", web + "/page.png"]

