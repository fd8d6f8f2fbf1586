"""One "kit" per vendor: how to start its fake, which settings/env/CLI flags reach it, and which
vendor error each auth failure must produce. Shared by the backend, CLI and window tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from desktop_ocr import vendors

from .aws import FakeAws
from .huawei import FakeHuawei
from .tencent import FakeTencent
from .tencent_legacy import FakeTencentLegacy

# Distinctive made-up credentials, so a leak is easy to spot in logs and files.
AWS_KEY_ID, AWS_SECRET = "AKIAFAKEKEYID0000001", "awsSecret/FAKE+0123456789abcdefghij"
AWS_TOKEN = "awsSessTok-FAKE-987654321"
TC_ID, TC_KEY = "AKIDfakeTencentSecretId000001", "tcSecretKey-FAKE-0123456789abcdef"
HW_AK, HW_SK = "HWFAKEAK0000000000001", "hwSecretKey-FAKE-0123456789abcdefghijk"
HW_TOKEN = "MIIFAKEhuaweiIAMtoken0123456789"
HW_PROJECT = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
LEGACY_APPID = "1250000000"
ALL_SECRETS = (AWS_SECRET, AWS_TOKEN, TC_KEY, HW_SK, HW_TOKEN)


@dataclass
class Kit:
    name: str  # backend name
    make_fake: Callable  # engine -> FakeService
    settings: Callable  # fake -> create() kwargs with good credentials
    wrong: dict  # settings overrides with a wrong secret
    env: dict  # environment for the CLI (good credentials)
    cli: Callable  # fake -> extra CLI args
    auth_code: str  # vendor code (or message start) of a wrong-key failure
    expired_code: str  # ... of a stale timestamp
    expired_text: str  # a word of the vendor's message for it
    rate_code: str
    extra: dict = field(default_factory=dict)


def env_of(vendor: str, **fields: str) -> dict[str, str]:
    """The environment that carries ``fields`` for ``vendor``: the variable names are its registry entry's."""
    spec = vendors.get(vendor)
    return {spec.field(k).env: v for k, v in fields.items()}


def _aws_settings(f):
    return dict(endpoint=f.endpoint, auth="iam", region="us-east-1", access_key_id=AWS_KEY_ID,
                secret_access_key=AWS_SECRET)


KITS = {
    "aws": Kit(
        "aws",
        lambda eng: FakeAws(eng, {AWS_KEY_ID: AWS_SECRET}),
        _aws_settings,
        {"secret_access_key": "wrongSecret/0123456789abcdefghijKLMNOP"},
        env_of("aws", access_key_id=AWS_KEY_ID, secret_access_key=AWS_SECRET),
        lambda f: ["--endpoint", f.endpoint, "--region", "us-east-1"],
        "The request signature we calculated does not match", "Signature expired", "expired",
        "Too Many Requests",
    ),
    "tencent": Kit(
        "tencent",
        lambda eng: FakeTencent(eng, {TC_ID: TC_KEY}),
        lambda f: dict(endpoint=f.url, secret_id=TC_ID, secret_key=TC_KEY, region="ap-guangzhou"),
        {"secret_key": "wrongTencentKey-0123456789abcdef"},
        env_of("tencent", secret_id=TC_ID, secret_key=TC_KEY),
        lambda f: ["--endpoint", f.url, "--region", "ap-guangzhou"],
        "AuthFailure.SignatureFailure", "AuthFailure.SignatureExpire", "expired",
        "RequestLimitExceeded",
    ),
    "tencent-legacy": Kit(
        "tencent-legacy",
        lambda eng: FakeTencentLegacy(eng, {TC_ID: TC_KEY}, appid=LEGACY_APPID),
        lambda f: dict(endpoint=f.url, appid=LEGACY_APPID, secret_id=TC_ID, secret_key=TC_KEY),
        {"secret_key": "wrongTencentKey-0123456789abcdef"},
        env_of("tencent-legacy", secret_id=TC_ID, secret_key=TC_KEY),
        lambda f: ["--endpoint", f.url, "--appid", LEGACY_APPID],
        "14", "9", "签名过期",
        "15",
    ),
    "huawei": Kit(
        "huawei",
        lambda eng: FakeHuawei(eng, {HW_AK: HW_SK}, project_id=HW_PROJECT, tokens={HW_TOKEN}),
        lambda f: dict(endpoint=f.url, project_id=HW_PROJECT, ak=HW_AK, sk=HW_SK),
        {"sk": "wrongHuaweiSecret-0123456789abcdefghijk"},
        env_of("huawei", ak=HW_AK, sk=HW_SK, project_id=HW_PROJECT),
        lambda f: ["--endpoint", f.url, "--region", "cn-north-4"],
        "APIG.0301", "APIG.0301", "expired",
        "APIG.0308",
    ),
}
