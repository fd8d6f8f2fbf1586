"""desktop_ocr.signatures on its own (no fake server): each verifier accepts a request signed by the
vendor's own client code (botocore's SigV4Auth, the tencentcloud SDK, huaweicloudsdkcore's Signer, our
legacy ``sign()``) and refuses a wrong secret, an unknown key, a stale timestamp, a tampered body and
missing credentials with a vendor-neutral reason and the vendor's own answer."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import pytest

from desktop_ocr.signatures import (
    REASONS,
    AuthFailure,
    SignedRequest,
    aws_sigv4,
    huawei_apig,
    tencent_legacy,
    tencent_tc3,
)

HOST = "127.0.0.1:8080"
KEY_ID, SECRET = "KEYIDfake0000000001", "secretFAKE/0123456789+abcdefghij"
IMAGE = base64.b64encode(b"\x89PNG\r\n\x1a\nnot really an image").decode()
AWS_PATH, AWS_REGION = "/prod/general-ocr-standard", "us-east-1"
HW_PROJECT = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
HW_PATH = f"/v2/{HW_PROJECT}/ocr/general-text"
APPID, BUCKET = "1250000000", "tencentyun"


def aws_signed(secret: str = SECRET, token: str | None = None) -> SignedRequest:
    """As the aws backend signs: botocore's SigV4Auth for execute-api, payload signed."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    body = f'{{"img": "{IMAGE}"}}'.encode()
    req = AWSRequest(method="POST", url=f"http://{HOST}{AWS_PATH}", data=body,
                     headers={"Content-Type": "application/json"})
    req.context["payload_signing_enabled"] = True
    SigV4Auth(Credentials(KEY_ID, secret, token), "execute-api", AWS_REGION).add_auth(req)
    return SignedRequest("POST", AWS_PATH, "", {"Host": HOST, **dict(req.headers.items())}, body)


def tc3_signed(secret: str = SECRET, token: str | None = None) -> SignedRequest:
    """As the tencent backend's SDK client builds a request (its own TC3 signing)."""
    from tencentcloud.common import credential
    from tencentcloud.common.http.request import RequestInternal
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.ocr.v20181119 import ocr_client

    client = ocr_client.OcrClient(credential.Credential(KEY_ID, secret, token), "ap-guangzhou",
                                  ClientProfile(httpProfile=HttpProfile(endpoint=HOST)))
    req = RequestInternal(client._get_endpoint(), "POST", "/")
    client._build_req_inter("GeneralBasicOCR", {"ImageBase64": IMAGE}, req)
    return SignedRequest("POST", "/", "", dict(req.header), req.data.encode())


def apig_signed(secret: str = SECRET) -> SignedRequest:
    """As huaweicloudsdkcore's Signer signs the general-text request."""
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.sdk_request import SdkRequest
    from huaweicloudsdkcore.signer.signer import Signer

    body = f'{{"image": "{IMAGE}", "detect_direction": true}}'.encode()
    req = SdkRequest(method="POST", schema="http", host=HOST, resource_path=HW_PATH, query_params=[],
                     header_params={"Content-Type": "application/json;charset=utf-8", "X-Project-Id": HW_PROJECT},
                     body=body)
    Signer(BasicCredentials(KEY_ID, secret, HW_PROJECT)).sign(req)
    return SignedRequest("POST", HW_PATH, "", dict(req.header_params), body)


def legacy_signed(secret: str = SECRET, bucket: str = BUCKET) -> SignedRequest:
    """As the tencent-legacy backend sends it: its multipart body and our ``sign()``."""
    from desktop_ocr.backends.tencent_legacy import multipart

    body, ctype = multipart({"appid": APPID, "bucket": bucket}, "image", "image.png", "image/png",
                            base64.b64decode(IMAGE))
    return SignedRequest("POST", "/ocr/general", "", {"Content-Type": ctype,
                                                      "Authorization": tencent_legacy.sign(APPID, BUCKET, KEY_ID,
                                                                                           secret)}, body)


@dataclass
class Scheme:
    name: str
    sign: Callable[..., SignedRequest]
    verify: Callable[..., AuthFailure | None]  # (req, secrets, now=...)
    expired_code: str  # the vendor's answer to a stale timestamp
    expired_status: int


SCHEMES = [
    Scheme("aws", aws_signed, lambda r, s, now: aws_sigv4.verify(r, s, now=now, region=AWS_REGION), "", 403),
    Scheme("tencent", tc3_signed, lambda r, s, now: tencent_tc3.verify(r, s, now=now),
           "AuthFailure.SignatureExpire", 200),
    Scheme("huawei", apig_signed, lambda r, s, now: huawei_apig.verify(r, s, now=now, project_id=HW_PROJECT),
           "APIG.0301", 401),
    Scheme("tencent-legacy", legacy_signed, lambda r, s, now: tencent_legacy.verify(r, s, now=now, appid=APPID),
           "9", 200),
]
BODY_SIGNED = [s for s in SCHEMES if s.name != "tencent-legacy"]
ids = [s.name for s in SCHEMES]


def check(scheme: Scheme, req: SignedRequest, *, secrets: dict | None = None, now: float | None = None):
    failure = scheme.verify(req, {KEY_ID: SECRET} if secrets is None else secrets,
                            time.time() if now is None else now)
    if failure is not None:
        assert failure.reason in REASONS and failure.message and failure.status in (200, 401, 403)
    return failure


@pytest.mark.parametrize("scheme", SCHEMES, ids=ids)
def test_a_request_signed_by_the_vendors_client_is_accepted(scheme):
    assert check(scheme, scheme.sign()) is None


@pytest.mark.parametrize("scheme", SCHEMES, ids=ids)
def test_a_wrong_secret_is_a_signature_mismatch(scheme):
    assert check(scheme, scheme.sign(SECRET + "x")).reason == "signature_mismatch"


@pytest.mark.parametrize("scheme", SCHEMES, ids=ids)
def test_an_unknown_key_id(scheme):
    assert check(scheme, scheme.sign(), secrets={"SOMEONEELSE": SECRET}).reason == "unknown_key"


@pytest.mark.parametrize("scheme", SCHEMES, ids=ids)
def test_a_stale_timestamp_is_expired_with_the_vendors_code(scheme):
    failure = check(scheme, scheme.sign(), now=time.time() + 3600)  # signed an hour before the server's now
    assert (failure.reason, failure.vendor_code, failure.status) == ("expired", scheme.expired_code,
                                                                     scheme.expired_status)


@pytest.mark.parametrize("scheme", BODY_SIGNED, ids=[s.name for s in BODY_SIGNED])
def test_a_tampered_body_is_a_signature_mismatch(scheme):
    req = scheme.sign()
    tampered = replace(req, body=req.body.replace(IMAGE[:8].encode(), b"AAAAAAAA"))
    assert tampered.body != req.body and check(scheme, tampered).reason == "signature_mismatch"


def test_legacy_does_not_sign_the_body_so_a_tampered_image_is_still_accepted():
    scheme = SCHEMES[3]
    req = scheme.sign()
    tampered = replace(req, body=req.body.replace(b"not really", b"NOT REALLY"))
    assert tampered.body != req.body and check(scheme, tampered) is None


@pytest.mark.parametrize("scheme", SCHEMES, ids=ids)
def test_no_authorization_header_is_missing(scheme):
    req = scheme.sign()
    bare = replace(req, headers={k: v for k, v in req.headers.items() if k.lower() != "authorization"})
    assert check(scheme, bare).reason == "missing"


def test_headers_are_found_whatever_their_case():
    req = SignedRequest.from_target("POST", "/a/b?x=1&y=2", {"X-Amz-Date": "d"}, b"")
    assert (req.path, req.query, req.header("x-amz-date"), req.header("X-AMZ-DATE"), req.header("host")) == \
        ("/a/b", "x=1&y=2", "d", "d", None)


# --- the vendors' answers ------------------------------------------------------------------------


def test_aws_answers_are_gateway_messages():
    f = aws_sigv4.verify(aws_signed(SECRET + "x"), {KEY_ID: SECRET}, now=time.time(), region=AWS_REGION)
    assert (f.vendor_code, f.status, f.message) == ("", 403, aws_sigv4.MSG_MISMATCH)
    f = aws_sigv4.verify(aws_signed(), {KEY_ID: SECRET}, now=time.time(), region="eu-west-1")
    assert f.reason == "scope_mismatch" and "not 'us-east-1'" in f.message
    f = aws_sigv4.verify(aws_signed(), {KEY_ID: SECRET}, now=time.time() + 3600, region=AWS_REGION)
    assert f.message.startswith("Signature expired: ") and f.message.endswith(" - 5 min.)")


def test_aws_session_token_must_be_sent_and_signed():
    tokens = {KEY_ID: "sessTok-0123456789"}
    assert aws_sigv4.verify(aws_signed(token="sessTok-0123456789"), {KEY_ID: SECRET}, now=time.time(),
                            region=AWS_REGION, tokens=tokens) is None
    f = aws_sigv4.verify(aws_signed(), {KEY_ID: SECRET}, now=time.time(), region=AWS_REGION, tokens=tokens)
    assert (f.reason, f.message) == ("token_invalid", "The security token included in the request is invalid.")


def test_tencent_answers_and_temporary_key_token():
    f = tencent_tc3.verify(tc3_signed(SECRET + "x"), {KEY_ID: SECRET}, now=time.time())
    assert (f.vendor_code, f.status) == ("AuthFailure.SignatureFailure", 200)
    f = tencent_tc3.verify(tc3_signed(), {"other": SECRET}, now=time.time())
    assert f.vendor_code == "AuthFailure.SecretIdNotFound"
    tokens = {KEY_ID: "tcToken-0123456789"}
    assert tencent_tc3.verify(tc3_signed(token="tcToken-0123456789"), {KEY_ID: SECRET}, now=time.time(),
                              tokens=tokens) is None
    f = tencent_tc3.verify(tc3_signed(), {KEY_ID: SECRET}, now=time.time(), tokens=tokens)
    assert (f.reason, f.vendor_code) == ("token_invalid", "AuthFailure.TokenFailure")


def test_huawei_iam_token_and_project():
    token_req = SignedRequest("POST", HW_PATH, "", {"X-Auth-Token": "MIIgoodToken"}, b"{}")
    assert huawei_apig.verify(token_req, {}, now=time.time(), tokens={"MIIgoodToken"}, project_id=HW_PROJECT) is None
    f = huawei_apig.verify(token_req, {}, now=time.time(), tokens={"MIIother"}, project_id=HW_PROJECT)
    assert (f.reason, f.vendor_code, f.status) == ("token_invalid", "APIG.0307", 401)
    f = huawei_apig.verify(apig_signed(), {KEY_ID: SECRET}, now=time.time(), project_id="another")
    assert (f.reason, f.vendor_code, f.status) == ("scope_mismatch", "APIG.0302", 403)
    f = huawei_apig.verify(apig_signed(SECRET + "x"), {KEY_ID: SECRET}, now=time.time())
    assert f.message == "Incorrect IAM authentication information: verify aksk signature fail"


def test_legacy_codes_and_the_appid_bucket_cross_check():
    now = time.time()
    f = tencent_legacy.verify(legacy_signed(bucket="otherbucket"), {KEY_ID: SECRET}, now=now, appid=APPID)
    assert (f.reason, f.vendor_code) == ("scope_mismatch", "6")  # the form names another bucket
    f = tencent_legacy.verify(legacy_signed(), {KEY_ID: SECRET}, now=now, appid="1250000001")
    assert (f.reason, f.vendor_code, f.message) == ("unknown_key", "10", "appid 不存在")
    req = legacy_signed()
    f = tencent_legacy.verify(replace(req, headers={**req.headers, "Authorization": "bm90IGEgc2lnbmF0dXJl"}),
                              {KEY_ID: SECRET}, now=now, appid=APPID)
    assert (f.reason, f.vendor_code) == ("missing", "5")
    f = tencent_legacy.verify(legacy_signed(SECRET + "x"), {KEY_ID: SECRET}, now=now, appid=APPID)
    assert (f.vendor_code, f.message, f.status) == ("14", "签名校验失败", 200)


def test_legacy_parse_reads_the_fields_and_refuses_a_short_signature():
    sig = tencent_legacy.sign(APPID, BUCKET, KEY_ID, SECRET, ttl=60, now=1700000000, rand=7)
    p = tencent_legacy.parse(sig)
    assert p.fields == {"a": APPID, "b": BUCKET, "k": KEY_ID, "e": "1700000060", "t": "1700000000", "r": "7",
                        "u": "0", "f": ""}
    assert p.digest == tencent_legacy.signature_digest(SECRET, p.text)
    with pytest.raises(ValueError):
        tencent_legacy.parse(base64.b64encode(b"x" * 25).decode())


# --- the signature functions against the vendors' published examples -----------------------------


def test_tc3_signature_reproduces_tencents_documented_example():
    """Tencent's "签名方法 v3" page: DescribeInstances for "未命名" at 1551113065 signs to 72e494ea..."""
    body = b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
    sig = tencent_tc3.tc3_signature(
        "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", method="POST", path="/", query="",
        headers={"Content-Type": "application/json; charset=utf-8", "Host": "cvm.tencentcloudapi.com"},
        signed=["content-type", "host"], body=body, timestamp="1551113065", date="2019-02-25", service="cvm")
    assert sig == "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"


def test_sigv4_signature_reproduces_the_aws_test_suite_get_vanilla():
    """AWS's Signature V4 test suite, "get-vanilla"."""
    sig = aws_sigv4.sigv4_signature("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", method="GET", path="/", query="",
                                    headers={"Host": "example.amazonaws.com", "X-Amz-Date": "20150830T123600Z"},
                                    signed=["host", "x-amz-date"], body=b"", amz_date="20150830T123600Z",
                                    region="us-east-1", service="service")
    assert sig == "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"


def test_the_package_stays_standard_library_only():
    import ast
    from pathlib import Path

    import desktop_ocr.signatures as pkg

    for path in Path(pkg.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                assert not node.module.startswith(("desktop_ocr", "PySide", "botocore", "tencentcloud",
                                                   "huaweicloud")), (path.name, node.module)
            elif isinstance(node, ast.ImportFrom):
                assert node.level == 1 and not node.module, (path.name, node.module)  # only "from . import"
            elif isinstance(node, ast.Import):
                assert not any(a.name.split(".")[0] in ("desktop_ocr", "PySide6") for a in node.names)
