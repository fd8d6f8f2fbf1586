"""The legacy Tencent signer against its documented form (its verifier: test_signatures), and the
credential plumbing: masking, redaction, keyring storage and the session-only fallback, environment variables."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging

import pytest

from desktop_ocr.backends import credentials as C
from desktop_ocr.signatures import tencent_legacy as S

APPID, BUCKET, SID, SKEY = "1250000000", "tencentyun", "AKIDexampleSecretId12345", "exampleSecretKey-abcdef123456"


def test_plaintext_is_the_documented_field_order():
    text = S.plaintext(APPID, BUCKET, SID, expire=1700000600, now=1700000000, rand=2081486256)
    assert text == ("a=1250000000&b=tencentyun&k=AKIDexampleSecretId12345&e=1700000600&t=1700000000"
                    "&r=2081486256&u=0&f=")


def test_signature_is_base64_of_hmac_sha1_digest_then_plaintext():
    sig = S.sign(APPID, BUCKET, SID, SKEY, ttl=600, now=1700000000, rand=2081486256)
    # Built by hand from the documented recipe, not through the module's helpers.
    original = b"a=1250000000&b=tencentyun&k=AKIDexampleSecretId12345&e=1700000600&t=1700000000&r=2081486256&u=0&f="
    digest = hmac.new(SKEY.encode(), original, hashlib.sha1).digest()
    assert sig == base64.b64encode(digest + original).decode()
    raw = base64.b64decode(sig)
    assert len(raw) == 20 + len(original) and raw[20:] == original


def test_the_documented_example_header_has_the_same_layout():
    # The vendor page's example Authorization is an excerpt; decoding it at the right offset shows
    # plain text "...&k=AKID..." after binary bytes: the digest-then-plaintext layout we build.
    frag = base64.b64decode("CHXdPTEwMDAwMzc5Jms9QUtJRGVRZDBrRU1yM2J4ZjhRckJi")
    assert b"=10000379&k=AKIDeQd0kEMr3bxf8QrBb" in frag


def test_random_and_time_vary_between_signatures():
    a, b = S.sign(APPID, "", SID, SKEY), S.sign(APPID, "", SID, SKEY)
    assert a != b and S.parse(a).fields["b"] == ""


# --- credentials ---------------------------------------------------------------------------------


def test_secret_masks_itself():
    s = C.Secret("verySecretValue-0123456789")
    for shown in (repr(s), str(s), f"{s}", f"{s!r}", str([s]), str({"k": s})):
        assert "verySecretValue" not in shown
    assert s.reveal() == "verySecretValue-0123456789"
    with pytest.raises(TypeError):
        __import__("pickle").dumps(s)


def test_redaction_scrubs_registered_secrets_and_auth_headers(caplog):
    C.Secret("anotherSecret-ABCDEFGH1234")
    C.install_log_redaction()
    log = logging.getLogger("tencentcloud_sdk_common")
    caplog.set_level(logging.DEBUG, logger="tencentcloud_sdk_common")
    log.debug("SendRequest: key=%s\nAuthorization: TC3-HMAC-SHA256 Credential=AKIDxyz/2024",
              "anotherSecret-ABCDEFGH1234")
    assert "anotherSecret" not in caplog.text and "AKIDxyz" not in caplog.text
    assert "Authorization: ***" in caplog.text


class MemoryKeyring:
    """A keyring backend's three calls over a dict (not registered with the keyring package, so
    it never becomes anyone's default)."""

    def __init__(self):
        self.store: dict = {}

    def set_password(self, service, username, password):
        self.store[(service, username)] = password

    def get_password(self, service, username):
        return self.store.get((service, username))

    def delete_password(self, service, username):
        self.store.pop((service, username), None)


def test_store_uses_a_working_keyring():
    kr = MemoryKeyring()
    store = C.CredentialStore(keyring_backend=kr)
    assert store.persistent and store.backend_name == "MemoryKeyring"
    store.save("tencent", {"secret_id": "AKIDstored0001", "secret_key": C.Secret("storedKey-0123456789")})
    assert kr.store[("desktop-ocr", "tencent:secret_key")] == "storedKey-0123456789"
    fresh = C.CredentialStore(keyring_backend=kr)  # a new session finds them again
    loaded = fresh.load("tencent")
    assert loaded["secret_key"].reveal() == "storedKey-0123456789"
    assert "storedKey" not in repr(loaded)
    fresh.clear("tencent")
    assert fresh.load("tencent") == {}


def test_without_a_keyring_secrets_live_for_the_session_only():
    from keyring.backends import fail

    assert C.usable_keyring(fail.Keyring()) is None
    store = C.CredentialStore(keyring_backend=fail.Keyring())
    assert not store.persistent and store.backend_name == ""
    store.save("huawei", {"ak": "HWAK0000001", "sk": "hwSessionOnly-0123456789"})
    assert store.load("huawei")["sk"].reveal() == "hwSessionOnly-0123456789"
    assert C.CredentialStore(keyring_backend=fail.Keyring()).load("huawei") == {}  # a new session starts empty


def test_environment_variables_per_vendor():
    env = {"AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "envSecret-0123456789",
           "AWS_SESSION_TOKEN": "envToken-0123456789", "TENCENTCLOUD_SECRET_ID": "AKIDENV",
           "TENCENTCLOUD_SECRET_KEY": "tcEnvKey-0123456789", "HUAWEICLOUD_SDK_AK": "HWENV",
           "HUAWEICLOUD_SDK_SK": "hwEnvSk-0123456789", "HUAWEICLOUD_SDK_PROJECT_ID": "proj1"}
    aws = C.from_env("aws", env)
    assert aws["secret_access_key"].reveal() == "envSecret-0123456789"
    assert aws["session_token"].reveal() == "envToken-0123456789"
    assert C.from_env("tencent", env)["secret_key"].reveal() == "tcEnvKey-0123456789"
    assert C.from_env("tencent-legacy", env)["secret_id"].reveal() == "AKIDENV"
    hw = C.from_env("huawei", env)
    assert hw["project_id"] == "proj1" and hw["sk"].reveal() == "hwEnvSk-0123456789"
    assert C.from_env("aws", {}) == {}


def test_backend_repr_never_shows_keys():
    from desktop_ocr import backends

    b = backends.create("tencent", secret_id="AKIDrepr000000001", secret_key="reprSecret-0123456789",
                        endpoint="http://127.0.0.1:9")
    assert "reprSecret" not in repr(b) and "reprSecret" not in str(vars(b))
    assert "AKIDrepr000000001" not in repr(b)  # the id is shortened too
