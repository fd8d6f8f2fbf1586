"""Our typed errors -> each vendor's documented error body, and vendor error bodies -> typed errors."""

from __future__ import annotations

import json

import pytest

from desktop_ocr import formats
from desktop_ocr.core import errors as E
from tests.vendor_schema import validate

SRC = "scan.png"

OURS = {
    "empty": E.EmptyInput("the file is empty", source=SRC),
    "undecodable": E.UndecodableImage("not an image (or a damaged one)", source=SRC),
    "small": E.ImageTooSmall("the image is 10x8 px; each side must be at least 15 px", source=SRC),
    "large": E.ImageTooLarge("the image has 200000000 pixels; the limit is 100000000", source=SRC),
    "download": E.DownloadFailed("HTTP 404 Not Found", source="https://example.test/a.png"),
    "notext": E.NoTextFound("no text was found", source=SRC),
    "engine": E.EngineUnavailable("OCR model files missing"),
    "unsupported": E.UnsupportedSource("ftp:// URLs are not supported", source="ftp://x/y.png"),
}

EXPECTED = {
    "tencent": {"empty": "FailedOperation.EmptyImageError", "undecodable": "FailedOperation.ImageDecodeFailed",
                "small": "InvalidParameterValue.InvalidParameterValueLimit",
                "large": "FailedOperation.ImageSizeTooLarge", "download": "FailedOperation.DownLoadError",
                "notext": "FailedOperation.ImageNoText", "engine": "FailedOperation.OcrFailed",
                "unsupported": "InvalidParameterValue.InvalidParameterValueLimit"},
    "tencent-legacy": {"empty": -1300, "undecodable": -1102, "small": 21, "large": 23, "download": -1308,
                       "notext": -9003, "engine": 213, "unsupported": 21},
    "huawei": {"empty": "AIS.0101", "undecodable": "AIS.0102", "small": "AIS.0103", "large": "AIS.0103",
               "download": "ModelArts.4603", "notext": "AIS.0104", "engine": "AIS.0105",
               "unsupported": "AIS.0101"},
}
ERROR_SCHEMA = {"tencent": "tencent_error", "tencent-legacy": "tencent_legacy_error", "huawei": "huawei_error"}


def code_of(fmt: str, body) -> object:
    return {"tencent": lambda b: b["Response"]["Error"]["Code"],
            "tencent-legacy": lambda b: b["code"],
            "huawei": lambda b: b["error_code"]}[fmt](body)


def message_of(fmt: str, body) -> str:
    return {"tencent": lambda b: b["Response"]["Error"]["Message"],
            "tencent-legacy": lambda b: b["message"],
            "huawei": lambda b: b["error_msg"]}[fmt](body)


@pytest.mark.parametrize("fmt", sorted(EXPECTED))
@pytest.mark.parametrize("kind", sorted(OURS))
def test_our_errors_map_to_the_documented_codes(fmt, kind):
    err = OURS[kind]
    body = formats.get(fmt).dump_error(err)
    validate(json.loads(json.dumps(body, ensure_ascii=False)), ERROR_SCHEMA[fmt])
    assert code_of(fmt, body) == EXPECTED[fmt][kind]
    assert message_of(fmt, body) == str(err)  # our sentence, naming the source


def test_documented_codes_only():
    from desktop_ocr.formats import tencent, tencent_legacy

    for code in EXPECTED["tencent"].values():
        assert code in tencent.DOCUMENTED_CODES, code
    for code in EXPECTED["tencent-legacy"].values():
        assert code in tencent_legacy.CODES, code


def test_tencent_error_carries_a_request_id_and_answers_http_200():
    mod = formats.get("tencent")
    a = mod.dump_error(OURS["undecodable"])["Response"]["RequestId"]
    b = mod.dump_error(OURS["undecodable"])["Response"]["RequestId"]
    assert a != b and len(a) == 36
    err = E.BackendError("图片解码失败", vendor_code="FailedOperation.ImageDecodeFailed", request_id="req-1")
    assert mod.dump_error(err)["Response"]["RequestId"] == "req-1"
    assert mod.error_status(OURS["download"]) == 200


# -- vendor error bodies -> our typed errors -------------------------------------------------

@pytest.mark.parametrize("code, cls", [
    ("AuthFailure.SignatureFailure", E.AuthFailed),
    ("AuthFailure.SecretIdNotFound", E.AuthFailed),
    ("AuthFailure.SignatureExpire", E.AuthFailed),
    ("UnauthorizedOperation", E.AuthFailed),
    ("RequestLimitExceeded", E.RateLimited),
    ("RequestLimitExceeded.UinLimitExceeded", E.RateLimited),
    ("LimitExceeded.TooLargeFileError", E.BackendError),  # a size limit, not throttling
    ("FailedOperation.ImageNoText", E.BackendError),
    ("ResourceUnavailable.InArrears", E.BackendError),
])
def test_tencent_load_error(code, cls):
    body = {"Response": {"Error": {"Code": code, "Message": "原样的信息 verbatim"}, "RequestId": "r-42"}}
    err = formats.get("tencent").load_error(body, 200)
    assert type(err) is cls
    assert err.vendor_code == code and err.message == "原样的信息 verbatim" and err.request_id == "r-42"
    assert formats.get("tencent").dump_error(err) == body  # a Tencent code re-exports as itself


@pytest.mark.parametrize("code, cls", [(4, E.AuthFailed), (5, E.AuthFailed), (9, E.AuthFailed),
                                       (11, E.AuthFailed), (14, E.AuthFailed), (12, E.AuthFailed),
                                       (15, E.RateLimited), (-1102, E.BackendError), (-1308, E.BackendError),
                                       (23, E.BackendError), (213, E.BackendError)])
def test_tencent_legacy_load_error(code, cls):
    body = {"data": {}, "code": code, "message": "message verbatim"}
    mod = formats.get("tencent-legacy")
    err = mod.load_error(body, 200)
    assert type(err) is cls and err.vendor_code == str(code) and err.message == "message verbatim"
    assert mod.dump_error(err) == body
    with pytest.raises(cls):
        mod.load(body)


def test_tencent_legacy_error_without_message_uses_the_documented_meaning():
    err = formats.get("tencent-legacy").load_error({"code": -1308}, 200)
    assert err.message == "图片下载失败"


@pytest.mark.parametrize("code, status, cls", [
    ("APIG.0301", 401, E.AuthFailed), ("APIG.0303", 401, E.AuthFailed), ("ModelArts.4102", 400, E.AuthFailed),
    ("APIG.0308", 429, E.RateLimited), ("AIS.0103", 400, E.BackendError), ("AIS.0105", 400, E.BackendError),
    ("ModelArts.4204", 403, E.BackendError),  # service not enabled: not a credentials problem
    ("APIG.9999", 401, E.AuthFailed),  # an undocumented gateway code: the status decides
    ("APIG.9998", 429, E.RateLimited),
])
def test_huawei_load_error(code, status, cls):
    body = {"error_code": code, "error_msg": "verbatim"}
    mod = formats.get("huawei")
    err = mod.load_error(body, status)
    assert type(err) is cls and err.vendor_code == code and err.message == "verbatim" and err.status == status
    assert mod.dump_error(err) == body
    assert mod.error_status(err) == status


def test_huawei_statuses_for_our_errors():
    mod = formats.get("huawei")
    assert mod.error_status(OURS["small"]) == 400
    assert mod.error_status(E.AuthFailed("bad key")) == 401
    assert mod.error_status(E.RateLimited("slow down")) == 429


@pytest.mark.parametrize("body, status, cls", [
    ({"message": "The security token included in the request is invalid."}, 403, E.AuthFailed),
    ({"message": "Missing Authentication Token"}, 403, E.AuthFailed),
    ({"message": "Unauthorized"}, 401, E.AuthFailed),
    ({"message": "Too Many Requests"}, 429, E.RateLimited),
    ({"message": "Internal server error"}, 502, E.BackendError),
    ("invalid param", 400, E.BackendError),
    (b"`parameter `img` illegal", 400, E.BackendError),
])
def test_aws_load_error(body, status, cls):
    err = formats.get("aws").load_error(body, status)
    assert type(err) is cls and err.status == status
    expected = body["message"] if isinstance(body, dict) else (body.decode() if isinstance(body, bytes) else body)
    assert err.message == expected


def test_aws_error_type_header_becomes_the_vendor_code():
    err = formats.get("aws").load_error({"message": "Forbidden"}, 403, "ForbiddenException")
    assert err.vendor_code == "ForbiddenException" and str(err) == "[ForbiddenException] Forbidden"


def test_aws_dump_error_shapes():
    mod = formats.get("aws")
    # bad input: the Lambda's 400 with a plain-text body
    assert mod.error_status(OURS["undecodable"]) == 400
    assert mod.dump_error(OURS["undecodable"]) == f"{SRC}: not an image (or a damaged one)"
    # the gateway's JSON for auth / throttling / function failure
    auth = E.AuthFailed("The security token included in the request is invalid.", status=403)
    assert mod.error_status(auth) == 403
    assert mod.dump_error(auth) == {"message": "The security token included in the request is invalid."}
    validate(mod.dump_error(auth), "aws_gateway_error")
    assert mod.error_status(E.RateLimited("Too Many Requests")) == 429
    assert mod.error_status(OURS["engine"]) == 502
    validate(mod.dump_error(OURS["engine"]), "aws_gateway_error")
    # a page without text is no error for the solution: 200 and an empty list
    assert mod.error_status(OURS["notext"]) == 200 and mod.dump_error(OURS["notext"]) == []
    # load() of a gateway error raises it
    with pytest.raises(E.BackendError):
        mod.load({"message": "Internal server error"})


def test_errors_cross_vendors_by_meaning():
    """A cloud error from one vendor, exported in another vendor's shape, keeps its meaning."""
    tencent_auth = formats.get("tencent").load_error(
        {"Response": {"Error": {"Code": "AuthFailure.SignatureFailure", "Message": "签名错误"}, "RequestId": "r"}})
    assert formats.get("huawei").dump_error(tencent_auth) == {"error_code": "APIG.0301", "error_msg": "签名错误"}
    assert formats.get("tencent-legacy").dump_error(tencent_auth)["code"] == 14
    assert formats.get("aws").error_status(tencent_auth) == 403
    huawei_rate = formats.get("huawei").load_error({"error_code": "APIG.0308", "error_msg": "throttled"}, 429)
    assert formats.get("tencent").dump_error(huawei_rate)["Response"]["Error"]["Code"] == "RequestLimitExceeded"
    assert formats.get("tencent-legacy").dump_error(huawei_rate)["code"] == 15
    other = formats.get("huawei").load_error({"error_code": "AIS.0105", "error_msg": "Recognition failed."}, 400)
    assert formats.get("tencent").dump_error(other)["Response"]["Error"]["Code"] == "FailedOperation.OcrFailed"
    assert formats.get("tencent-legacy").dump_error(other)["code"] == -9003


def test_our_json_and_text_errors():
    body = formats.get("json").dump_error(OURS["small"])
    assert body == {"error": {"code": "image_too_small", "message": str(OURS["small"])}}
    cloud = E.RateLimited("slow down", vendor_code="RequestLimitExceeded", status=200, request_id="r1")
    assert formats.get("json").dump_error(cloud)["error"] == {
        "code": "rate_limited", "message": "[RequestLimitExceeded] slow down",
        "vendor_code": "RequestLimitExceeded", "status": 200, "request_id": "r1"}
    assert formats.get("text").dump_error(OURS["download"]) == "https://example.test/a.png: HTTP 404 Not Found"


@pytest.mark.parametrize("fmt", formats.names())
def test_every_format_writes_an_error_file(fmt):
    text = formats.export_error_text(OURS["undecodable"], fmt)
    assert text.endswith("\n") and "not an image" in text
    if fmt not in ("text", "aws"):  # aws: the Lambda's plain-text 400 body
        json.loads(text)
