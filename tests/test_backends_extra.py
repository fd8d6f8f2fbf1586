"""The local app works without the [cloud] extra: SDKs load only when a cloud backend is built, and a
missing SDK is a clear message naming the extra to install (in Python and on the command line)."""

from __future__ import annotations

import subprocess
import sys

SDKS = ("botocore", "tencentcloud", "huaweicloudsdkcore", "huaweicloudsdkocr", "keyring")
BLOCK = f"import sys\nfor m in {SDKS!r}: sys.modules[m] = None\n"  # import of any of them fails


def run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_local_use_imports_no_cloud_sdk():
    proc = run("import sys\nfrom desktop_ocr import backends, cli\nfrom desktop_ocr.backends import "
               "aws, tencent, tencent_legacy, huawei, credentials, cli_options\n"
               "backends.create('local')\n"
               f"print([m for m in {SDKS!r} if m in sys.modules])")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_missing_sdk_is_a_clear_message():
    proc = run(BLOCK + "from desktop_ocr import backends\nfrom desktop_ocr.core.errors import EngineUnavailable\n"
               "cases = [('tencent', dict(secret_id='AKIDx', secret_key='k' * 20)),\n"
               "         ('huawei', dict(project_id='p', ak='a', sk='s' * 20)),\n"
               "         ('aws', dict(endpoint='https://a.execute-api.us-east-1.amazonaws.com/p/x', "
               "access_key_id='AKIA', secret_access_key='s' * 20))]\n"
               "for name, kw in cases:\n"
               "    try:\n        backends.create(name, **kw)\n        print('built', name)\n"
               "    except EngineUnavailable as e:\n        print('missing', name, '|', e)\n"
               "b = backends.create('aws', endpoint='https://a.execute-api.us-east-1.amazonaws.com/p/x')\n"
               "print('aws without IAM needs no SDK:', type(b).__name__)\n"
               "b = backends.create('tencent-legacy', appid='1', secret_id='AKIDx', secret_key='k' * 20)\n"
               "print('legacy needs no SDK:', type(b).__name__)\n"
               "from desktop_ocr.backends.credentials import CredentialStore\n"
               "print('store without keyring persistent:', CredentialStore().persistent)\n")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for name, pkg in (("tencent", "tencentcloud"), ("huawei", "huaweicloudsdkocr"), ("aws", "botocore")):
        assert f"missing {name} |" in out
        line = next(ln for ln in out.splitlines() if ln.startswith(f"missing {name} |"))
        assert pkg in line and "desktop-ocr[cloud]" in line
    assert "aws without IAM needs no SDK: AwsBackend" in out
    assert "legacy needs no SDK: TencentLegacyBackend" in out
    assert "store without keyring persistent: False" in out


def test_cli_names_the_extra_when_it_is_missing(tmp_path):
    from tests.drawing import render_lines

    img = tmp_path / "a.png"
    render_lines(["abc"]).save(img)
    proc = run(BLOCK + "import os\nos.environ['TENCENTCLOUD_SECRET_ID'] = 'AKIDx'\n"
               "os.environ['TENCENTCLOUD_SECRET_KEY'] = 'k' * 20\n"
               "from desktop_ocr.cli import main\n"
               f"sys.exit(main(['recognize', {str(img)!r}, '--backend', 'tencent']))")
    assert proc.returncode == 2
    assert "pip install 'desktop-ocr[cloud]'" in proc.stderr


def test_redaction_hides_whole_signed_authorization_headers():
    """A TC3 / SigV4 / SDK-HMAC Authorization header carries a replayable Signature after commas:
    the whole value is masked, in header dumps and in dict reprs alike."""
    from desktop_ocr.backends.credentials import redact

    dump = ("Authorization: TC3-HMAC-SHA256 Credential=AKIDx/2026-11-30/ocr/tc3_request, "
            "SignedHeaders=content-type;host, Signature=9f86d081884c7d65\nHost: ocr.tencentcloudapi.com")
    assert redact(dump) == "Authorization: ***\nHost: ocr.tencentcloudapi.com"
    headers = repr({"Authorization": "SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host, Signature=ab12",
                    "X-Auth-Token": "MIIFAKEtoken", "Host": "h"})
    assert "Signature" not in redact(headers) and "MIIFAKEtoken" not in redact(headers)
    assert "'Host': 'h'" in redact(headers)
