"""Every cloud backend against its fake vendor on 127.0.0.1: real HTTP, the vendor's real signature
checked server-side, answers in the vendor's real format with text the real engine read from the
uploaded image. Success, auth failures (wrong key, stale clock, tampered body), rate limiting, 5xx,
timeouts, malformed bodies, and no secret in any log line or exported file."""

from __future__ import annotations

import http.client
import json
import logging

import pytest

from desktop_ocr import backends, formats
from desktop_ocr.core import sources
from desktop_ocr.core.errors import AuthFailed, BackendError, RateLimited
from desktop_ocr.core.image import LoadedImage
from desktop_ocr.core.recognizer import CLOUD_MIN_SCORE, LOCAL_MIN_SCORE, RecognizeOptions
from tests.drawing import render_lines, rgb_array, to_png_bytes
from tests.fakes.kits import ALL_SECRETS, KITS, TC_ID, TC_KEY

VENDORS = list(KITS)
LINES = ["云端识别测试 Cloud OCR 2024", "第二行：价格 ¥128.50"]


@pytest.fixture(scope="module")
def image():
    img = render_lines(LINES, font_size=40)
    return LoadedImage(pixels=rgb_array(img), source="drawn.png", data=to_png_bytes(img), format="png")


@pytest.fixture(scope="module")
def local_text(engine, image):
    return engine.recognize(image, RecognizeOptions()).text


@pytest.fixture(params=VENDORS)
def kit(request):
    return KITS[request.param]


@pytest.fixture
def fake(kit, engine):
    with kit.make_fake(engine) as f:
        yield f


def make(kit, fake, **over):
    # generous: the fake runs the real engine on a shared 2-core machine (test_timeout tests the limit)
    settings = {**kit.settings(fake), "timeout": 90, "backoff": 0.05, **over}
    return backends.create(kit.name, **settings)


def test_recognizes_the_uploaded_image(kit, fake, image, local_text):
    result = make(kit, fake).recognize(image)
    assert result.engine == kit.name
    assert (result.width, result.height) == (image.width, image.height)
    # The fake ran the real engine on the bytes it received: same text as reading locally.
    assert result.text == local_text
    assert "Cloud OCR" in result.text and "128.50" in result.text
    for line in result.lines:
        left, top, right, bottom = line.bbox()
        assert 0 <= left < right <= image.width + 1 and 0 <= top < bottom <= image.height + 1
    assert len(fake.requests) == 1 and fake.requests[0].method == "POST"


def test_answer_exports_in_every_format(kit, fake, image, tmp_path):
    result = make(kit, fake).recognize(image)
    for name in formats.names():
        text = formats.export_text(result, name)
        path = tmp_path / f"out{formats.file_extension(name)}"
        path.write_text(text, encoding="utf-8")
        assert "Cloud OCR" in path.read_text(encoding="utf-8") and "128.50" in text
        if name != "text":
            back = formats.get(name).load(json.loads(text))
            assert [ln.text for ln in back.lines] == [ln.text for ln in result.lines]


def test_wrong_key_is_an_auth_failure_with_the_vendor_code_and_no_retry(kit, fake, image):
    with pytest.raises(AuthFailed) as exc:
        make(kit, fake, **kit.wrong).recognize(image)
    err = exc.value
    assert kit.auth_code in (err.vendor_code or "") + " " + err.message
    assert len(fake.requests) == 1  # auth errors are never retried


def test_stale_timestamp_is_rejected_with_the_vendor_expiry_error(kit, fake, image):
    fake.clock_offset = 3 * 3600  # the server's clock is three hours ahead of ours
    with pytest.raises(AuthFailed) as exc:
        make(kit, fake).recognize(image)
    err = exc.value
    assert kit.expired_code in (err.vendor_code or "") + " " + err.message
    assert kit.expired_text in err.message.lower() or kit.expired_text in err.message
    assert len(fake.requests) == 1


def _replay(fake, req, body: bytes):
    """Send a captured request again with another body, as a man in the middle would."""
    conn = http.client.HTTPConnection("127.0.0.1", fake.port, timeout=90)
    headers = {k: v for k, v in req.headers.items() if k.lower() != "content-length"}
    conn.request(req.method, req.path, body=body, headers=headers)
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, data.decode("utf-8", "replace")


def test_tampered_body_is_rejected(kit, fake, image):
    make(kit, fake).recognize(image)
    req = fake.requests[-1]
    status, _ = _replay(fake, req, req.body)  # the untouched replay is accepted...
    assert status == 200
    if kit.name == "tencent-legacy":
        # ...the legacy signature does not cover the body; it names appid/bucket, which the
        # server cross-checks against the form: change the appid and it says code 6.
        tampered = req.body.replace(b"1250000000", b"1250000001")
        status, text = _replay(fake, req, tampered)
        assert '"code": 6' in text
        return
    tampered = req.body[:-40] + bytes(reversed(req.body[-40:]))
    status, text = _replay(fake, req, tampered)
    assert kit.auth_code in text


def test_rate_limited_once_then_succeeds_after_one_retry(kit, fake, image):
    fake.fail_next("rate")
    result = make(kit, fake).recognize(image)
    assert "Cloud OCR" in result.text
    assert len(fake.requests) == 2


def test_persistent_rate_limiting_gives_up_after_one_retry(kit, fake, image):
    fake.fail_next("rate", times=5)
    with pytest.raises(RateLimited) as exc:
        make(kit, fake).recognize(image)
    assert kit.rate_code in (exc.value.vendor_code or "") + " " + exc.value.message
    assert len(fake.requests) == 2


def test_server_error_once_is_retried(kit, fake, image):
    fake.fail_next("server")
    assert "Cloud OCR" in make(kit, fake).recognize(image).text
    assert len(fake.requests) == 2


def test_persistent_server_error_is_a_backend_error(kit, fake, image):
    fake.fail_next("server", times=5)
    with pytest.raises(BackendError) as exc:
        make(kit, fake).recognize(image)
    assert not isinstance(exc.value, (AuthFailed, RateLimited))
    assert len(fake.requests) == 2


def test_timeout(kit, fake, image):
    fake.fail_next("slow", seconds=2.0)
    with pytest.raises(BackendError) as exc:
        make(kit, fake, timeout=0.5).recognize(image)
    assert "within 0.5 s" in str(exc.value)
    assert len(fake.requests) == 1  # a timeout is not retried: the request may have been billed


def test_malformed_body(kit, fake, image):
    fake.fail_next("malformed")
    with pytest.raises(BackendError) as exc:
        make(kit, fake).recognize(image)
    assert not isinstance(exc.value, (AuthFailed, RateLimited))
    assert len(fake.requests) == 1


def test_no_secret_in_logs_reprs_or_exports(kit, fake, image, caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    for name in ("tencentcloud_sdk_common", "botocore", "botocore.auth", "urllib3",
                 "HuaweiCloud-SDK-OcrClient", "desktop_ocr"):
        caplog.set_level(logging.DEBUG, logger=name)
    backend = make(kit, fake)
    result = backend.recognize(image)
    with pytest.raises(AuthFailed) as exc:
        make(kit, fake, **kit.wrong).recognize(image)
    texts = [caplog.text, repr(backend), str(backend.__dict__), str(exc.value), repr(exc.value)]
    for name in formats.names():
        path = tmp_path / f"out{formats.file_extension(name)}"
        path.write_text(formats.export_text(result, name), encoding="utf-8")
        texts.append(path.read_text(encoding="utf-8"))
        texts.append(formats.export_error_text(exc.value, name))
    blob = "\n".join(texts)
    for secret in ALL_SECRETS + tuple(v for v in kit.wrong.values()):
        assert secret not in blob


def test_sdk_debug_logging_is_scrubbed(engine, image, caplog):
    """The Tencent SDK logs whole requests at DEBUG when asked to: the filter scrubs credentials."""
    kit = KITS["tencent"]
    with kit.make_fake(engine) as fake:
        backend = make(kit, fake, token="tcTemporaryToken-FAKE-0123456789")
        caplog.set_level(logging.DEBUG, logger="tencentcloud_sdk_common")
        caplog.set_level(logging.DEBUG)
        fake.tokens[TC_ID] = "anotherToken-0123456789"
        with pytest.raises(AuthFailed) as exc:  # a temporary key with the wrong session token
            backend.recognize(image)
        assert exc.value.vendor_code == "AuthFailure.TokenFailure"
        fake.tokens[TC_ID] = "tcTemporaryToken-FAKE-0123456789"
        assert "Cloud OCR" in backend.recognize(image).text  # X-TC-Token carried the right one
        assert fake.requests[-1].header("X-TC-Token") == "tcTemporaryToken-FAKE-0123456789"
    assert "SendRequest" in caplog.text  # the SDK did log the request, signed headers included...
    assert "Authorization: ***" in caplog.text and "TC3-HMAC-SHA256" not in caplog.text
    for secret in (TC_KEY, "tcTemporaryToken-FAKE-0123456789"):
        assert secret not in caplog.text


# --- per-vendor specifics ---------------------------------------------------------------


def test_aws_without_iam_auth(engine, image):
    from tests.fakes.aws import FakeAws

    with FakeAws(engine, None) as fake:
        result = backends.create("aws", endpoint=fake.endpoint).recognize(image)
        assert "Cloud OCR" in result.text
        assert "Authorization" not in fake.requests[0].headers


def test_aws_session_token_is_signed(engine, image, caplog):
    from tests.fakes.aws import FakeAws
    from tests.fakes.kits import AWS_KEY_ID, AWS_SECRET, AWS_TOKEN

    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="botocore.auth")  # logs the canonical request, token header included

    with FakeAws(engine, {AWS_KEY_ID: AWS_SECRET}, tokens={AWS_KEY_ID: AWS_TOKEN}) as fake:
        settings = dict(endpoint=fake.endpoint, region="us-east-1", access_key_id=AWS_KEY_ID,
                        secret_access_key=AWS_SECRET)
        with pytest.raises(AuthFailed):  # the key needs its session token
            backends.create("aws", **settings).recognize(image)
        result = backends.create("aws", session_token=AWS_TOKEN, **settings).recognize(image)
        assert "Cloud OCR" in result.text
        auth = fake.requests[-1].header("Authorization")
        assert "x-amz-security-token" in auth
    assert "CanonicalRequest" in caplog.text  # botocore did log it...
    assert AWS_TOKEN not in caplog.text and AWS_SECRET not in caplog.text  # ...scrubbed


def test_aws_function_error_is_plain_text(engine, image):
    from tests.fakes.aws import FakeAws

    with FakeAws(engine, None) as fake:
        bad = LoadedImage(pixels=image.pixels, source="x", data=b"not an image at all", format="png")
        with pytest.raises(BackendError) as exc:
            backends.create("aws", endpoint=fake.endpoint).recognize(bad)
        assert exc.value.status == 400 and "Invalid image" in str(exc.value)


def test_aws_region_comes_from_the_url():
    from desktop_ocr.backends.aws import region_from_url

    assert region_from_url("https://abc123.execute-api.ap-northeast-1.amazonaws.com/prod/lite-ocr") == "ap-northeast-1"
    assert region_from_url("https://abc123.execute-api.cn-north-1.amazonaws.com.cn/prod/x") == "cn-north-1"
    assert region_from_url("http://127.0.0.1:8080/prod/x") is None
    with pytest.raises(ValueError, match="region"):
        backends.create("aws", endpoint="http://127.0.0.1:9/prod/x", access_key_id="AKIA", secret_access_key="x" * 20)


def test_tencent_basic_action_and_characters(engine, image):
    kit = KITS["tencent"]
    with kit.make_fake(engine) as fake:
        backend = make(kit, fake, action="GeneralBasicOCR")
        result = backend.recognize(image, RecognizeOptions(chars=True))
        assert fake.requests[0].header("X-TC-Action") == "GeneralBasicOCR"
        assert b'"IsWords": true' in fake.requests[0].body
        assert any(ln.chars for ln in result.lines)


def test_huawei_iam_token(engine, image):
    from tests.fakes.kits import HW_PROJECT, HW_TOKEN

    kit = KITS["huawei"]
    with kit.make_fake(engine) as fake:
        result = backends.create("huawei", endpoint=fake.url, project_id=HW_PROJECT, token=HW_TOKEN,
                                 backoff=0.05).recognize(image)
        assert "Cloud OCR" in result.text
        assert fake.requests[0].header("X-Auth-Token") == HW_TOKEN
        assert b'"detect_direction": true' in fake.requests[0].body
        with pytest.raises(AuthFailed) as exc:
            backends.create("huawei", endpoint=fake.url, project_id=HW_PROJECT,
                            token="MIIexpiredToken0000000000").recognize(image)
        assert exc.value.vendor_code == "APIG.0307"


def test_huawei_wrong_project_is_named(engine, image):
    kit = KITS["huawei"]
    with kit.make_fake(engine) as fake:
        with pytest.raises(AuthFailed) as exc:
            make(kit, fake, project_id="ffffffffffffffffffffffffffffffff").recognize(image)
        assert exc.value.vendor_code == "APIG.0302"


def test_unreachable_host_is_a_clear_error(kit, fake, image):
    port = fake.port
    fake.stop()
    with pytest.raises(BackendError) as exc:
        backends.create(kit.name, **_with_port(kit, port), backoff=0.01, timeout=2).recognize(image)
    assert "127.0.0.1" in str(exc.value) or "reach" in str(exc.value).lower() or "connect" in str(exc.value).lower()


def _with_port(kit, port):
    class _Dead:
        url = f"http://127.0.0.1:{port}"
        endpoint = url + "/prod/general-ocr-standard"
    return kit.settings(_Dead)


def test_missing_settings_are_clear_errors():
    with pytest.raises(ValueError, match="endpoint"):
        backends.create("aws", endpoint="")
    with pytest.raises(ValueError, match="SecretId"):
        backends.create("tencent")
    with pytest.raises(ValueError, match="APPID"):
        backends.create("tencent-legacy", secret_id="x", secret_key="y")
    with pytest.raises(ValueError, match="project id"):
        backends.create("huawei", ak="x", sk="y")
    with pytest.raises(ValueError, match="unknown Tencent action"):
        backends.create("tencent", secret_id="x", secret_key="y", action="Nope")


def test_wide_image_is_shrunk_to_the_vendor_limit_and_mapped_back(kit, fake):
    """AWS and Huawei take at most 4096 px on the longest side: we send a shrunk copy and map the
    answer back to original pixels; the others get the original."""
    from PIL import Image

    text = render_lines(["超宽图片 Wide image 4096"], font_size=48)
    page = Image.new("RGB", (5200, 300), "white")
    page.paste(text, (4000, 60))
    big = LoadedImage(pixels=rgb_array(page), source="wide.png", data=to_png_bytes(page), format="png")
    result = make(kit, fake, timeout=120).recognize(big)  # the engine reads a 5200 px strip in tiles
    assert "Wide image" in result.text
    (w, h), = fake.seen_sizes
    if fake.max_side:
        assert max(w, h) == fake.max_side
    else:
        assert (w, h) == (5200, 300)
    line = next(ln for ln in result.lines if "Wide" in ln.text)
    left, top, right, bottom = line.bbox()
    assert abs(left - (4000 + 40)) < 20 and abs(top - (60 + 40)) < 20  # original pixel coordinates
    assert right <= 5200 and (result.width, result.height) == (5200, 300)


@pytest.mark.skipif(not sources.HAVE_AVIF, reason="this Pillow has no libavif")
def test_avif_source_is_sent_in_a_format_the_vendor_takes(kit, fake):
    """No vendor takes AVIF: an .avif the user opened goes up as PNG and reads the same."""
    import io

    buf = io.BytesIO()
    render_lines(LINES, font_size=40).save(buf, format="AVIF", quality=90)
    avif = sources.decode_bytes(buf.getvalue(), "网页图片.avif")
    assert avif.format == "avif"
    result = make(kit, fake).recognize(avif)
    assert fake.seen_formats == ["png"]
    assert "Cloud OCR 2024" in result.text and "128.50" in result.text


def test_a_cloud_line_is_kept_from_half_confidence_as_the_service_rates_it(kit, fake, image):
    # the local engine drops its own readings under LOCAL_MIN_SCORE (0.6); a cloud service's
    # confidences are its own, and its lines are kept from CLOUD_MIN_SCORE (0.5) unless the
    # caller says otherwise
    vendor_answer = fake.answer

    def rated(result):
        result.lines[0].score, result.lines[1].score = 0.55, 0.45
        return vendor_answer(result)

    fake.answer = rated
    backend = make(kit, fake)
    assert backend.min_score_for(RecognizeOptions()) == CLOUD_MIN_SCORE < LOCAL_MIN_SCORE
    kept = backend.recognize(image)
    if kit.name == "tencent-legacy":  # the legacy service rates characters only: no line is dropped
        assert [ln.score for ln in kept.lines] == [None, None] and "128.50" in kept.text
        return
    assert [round(ln.score, 2) for ln in kept.lines] == [0.55]
    assert "Cloud OCR" in kept.text and "128.50" not in kept.text
    strict = backend.recognize(image, RecognizeOptions(min_score=0.6))
    assert strict.lines == []
