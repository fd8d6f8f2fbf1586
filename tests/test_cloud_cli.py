"""`desktop-ocr recognize --backend X --endpoint http://127.0.0.1:PORT` as a real process against each
fake vendor, credentials from the vendors' usual environment variables; every output format."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_ocr import formats, vendors
from tests.drawing import render_lines
from tests.fakes.kits import ALL_SECRETS, KITS

REPO = Path(__file__).resolve().parent.parent
EXE = REPO / ".venv" / "bin" / "desktop-ocr"
CRED_VARS = {f.env for spec in vendors.specs() for f in spec.fields if f.env}


@pytest.fixture(scope="module")
def picture(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "云端样张.png"
    render_lines(["命令行云端识别 Backend test", "金额 ¥ 42.00 元"], font_size=40).save(path)
    return path


def run_cli(args: list[str], env_extra: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in CRED_VARS}
    env.update(env_extra)
    exe = [str(EXE)] if EXE.exists() else [sys.executable, "-m", "desktop_ocr.cli"]
    return subprocess.run(exe + ["recognize", *args], env=env, capture_output=True, timeout=120)


@pytest.mark.parametrize("vendor", list(KITS))
def test_cli_recognizes_through_the_fake_in_every_format(vendor, engine, picture, tmp_path):
    kit = KITS[vendor]
    with kit.make_fake(engine) as fake:
        texts = {}
        for name in formats.names():
            proc = run_cli([str(picture), "--backend", vendor, *kit.cli(fake), "--format", name, "-q"], kit.env)
            out, err = proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8", "replace")
            assert proc.returncode == 0, err
            for secret in ALL_SECRETS:
                assert secret not in out and secret not in err
            texts[name] = out
        assert len(fake.requests) == len(formats.names())  # each run really called the service
    ours = json.loads(texts["json"])
    assert ours["engine"] == vendor
    assert "Backend test" in formats.get("text").dump(formats.get("json").load(ours))
    for name in formats.names():
        if name == "text":
            assert "Backend test" in texts[name] and "42.00" in texts[name]
        else:
            result = formats.get(name).load(json.loads(texts[name]))
            assert "Backend test" in result.text


@pytest.mark.parametrize("vendor", list(KITS))
def test_cli_wrong_key_names_the_vendor_error(vendor, engine, picture):
    kit = KITS[vendor]
    env = dict(kit.env)
    for var in env:
        if var.endswith(("SECRET_KEY", "SECRET_ACCESS_KEY", "_SK")):
            env[var] = "wrong-" + env[var][::-1]
    with kit.make_fake(engine) as fake:
        proc = run_cli([str(picture), "--backend", vendor, *kit.cli(fake)], env)
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 1
    assert kit.auth_code in err
    assert proc.stdout == b""
    for value in env.values():
        if len(value) > 12 and value not in kit.env.values():  # the wrong secret itself
            assert value not in err


def test_cli_cloud_backend_without_keys_is_a_usage_error(picture):
    proc = run_cli([str(picture), "--backend", "tencent", "--endpoint", "http://127.0.0.1:9"], {})
    assert proc.returncode == 2
    assert b"TENCENTCLOUD_SECRET_ID" in proc.stderr


def test_cli_aws_needs_an_endpoint(picture):
    proc = run_cli([str(picture), "--backend", "aws"], {})
    assert proc.returncode == 2 and b"--endpoint" in proc.stderr
