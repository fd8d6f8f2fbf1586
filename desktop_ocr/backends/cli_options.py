"""Command-line options that pick and configure a recogniser (``desktop-ocr recognize --backend ...``).

Secrets never come from flags (they would land in shell history and ``ps``): the command line reads
the vendors' usual environment variables, then the keyring the window saved them in.
"""

from __future__ import annotations

import argparse

from ..core.errors import EngineUnavailable
from . import BACKEND_NAMES
from .credentials import ENV_VARS, default_store, from_env


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value <= 600:
        raise argparse.ArgumentTypeError(f"must be more than 0 and at most 600 seconds, got {text}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group(
        "recognizer",
        "local: the offline engine (default). Cloud backends read keys from the environment "
        "(AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY[/AWS_SESSION_TOKEN], TENCENTCLOUD_SECRET_ID/"
        "TENCENTCLOUD_SECRET_KEY, HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK[/HUAWEICLOUD_SDK_PROJECT_ID] "
        "or HUAWEICLOUD_SDK_TOKEN), else from the keyring the window saved them in")
    g.add_argument("--backend", choices=BACKEND_NAMES, default="local",
                   help="who recognises: the local engine or a cloud API (default local)")
    g.add_argument("--endpoint", metavar="URL",
                   help="service address: the full invoke URL for aws; another host for the others, "
                        "e.g. http://127.0.0.1:8080")
    g.add_argument("--region", metavar="R", help="cloud region (aws: parsed from the URL when possible; "
                   "tencent: default ap-guangzhou; huawei: default cn-north-4)")
    g.add_argument("--aws-auth", choices=("none", "iam"),
                   help="aws: IAM (SigV4) or none (default: iam when AWS keys are set)")
    g.add_argument("--tencent-action", choices=("GeneralAccurateOCR", "GeneralBasicOCR"),
                   default="GeneralAccurateOCR", help="tencent: which API 3.0 action (default GeneralAccurateOCR)")
    g.add_argument("--project-id", metavar="ID", help="huawei: project id of the region "
                   "(default $HUAWEICLOUD_SDK_PROJECT_ID)")
    g.add_argument("--appid", metavar="APPID", help="tencent-legacy: your APPID")
    g.add_argument("--bucket", metavar="NAME", default="", help="tencent-legacy: bucket (default empty)")
    g.add_argument("--cloud-timeout", type=_seconds, default=30.0, metavar="SECONDS",
                   help="cloud backends: limit for each request (default 30)")


def secrets_for(name: str, environ=None) -> dict:
    """Environment first (the usual CLI way), then whatever the window stored in the keyring."""
    found = from_env(name, environ)
    secret_fields = [f for f in ENV_VARS.get(name, {}) if f != "project_id"]
    if not any(f in found for f in secret_fields):
        found.update(default_store().load(name))
    return found


def settings_from_args(args: argparse.Namespace, environ=None) -> dict:
    name = getattr(args, "backend", "local") or "local"
    if name == "local":
        return {}
    creds = secrets_for(name, environ)
    s: dict = {"timeout": getattr(args, "cloud_timeout", 30.0)}
    if name == "aws":
        if not args.endpoint:
            raise ValueError("--backend aws needs --endpoint: the invoke URL of your deployed General OCR "
                             "(https://{api-id}.execute-api.{region}.amazonaws.com/{stage}/{path})")
        s.update(endpoint=args.endpoint, region=args.region, auth=args.aws_auth,
                 access_key_id=creds.get("access_key_id"), secret_access_key=creds.get("secret_access_key"),
                 session_token=creds.get("session_token"))
    elif name == "tencent":
        s.update(endpoint=args.endpoint, region=args.region, action=args.tencent_action,
                 secret_id=creds.get("secret_id"), secret_key=creds.get("secret_key"), token=creds.get("token"))
    elif name == "tencent-legacy":
        s.update(endpoint=args.endpoint, appid=args.appid, bucket=args.bucket,
                 secret_id=creds.get("secret_id"), secret_key=creds.get("secret_key"))
    elif name == "huawei":
        s.update(endpoint=args.endpoint, region=args.region,
                 project_id=args.project_id or creds.get("project_id"),
                 ak=creds.get("ak"), sk=creds.get("sk"), token=creds.get("token"))
    return s


def recognizer_from_args(args: argparse.Namespace):
    """The recogniser the options describe; ValueError (a usage error) when something is missing."""
    from . import create

    name = getattr(args, "backend", "local") or "local"
    try:
        return create(name, **settings_from_args(args))
    except EngineUnavailable as exc:  # the [cloud] extra is not installed
        raise ValueError(str(exc)) from None
