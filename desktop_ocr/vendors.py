"""The cloud OCR vendors: everything the app knows about each one, in one registry entry.

Every front end is generated from these entries: the command line's ``--backend`` choices and
connection options (backends.cli_options), the window's Cloud Settings tabs and backend menu
(gui.cloud_settings), the export formats (formats.get / formats.FORMAT_NAMES), credential lookup
(backends.credentials.resolve), the recognisers (backends.create), the request verifiers
(desktop_ocr.signatures) and the routes of ``desktop-ocr serve`` (desktop_ocr.server). A new vendor
is one module (its recogniser and format) plus one ``register(VendorSpec(...))``.

This module is data only: it imports nothing from the rest of the app, and the code it names
(recogniser class, format module, signature verifier) is given as dotted paths that are imported
when first used, so the local app never loads a vendor SDK it does not call.

Where settings come from (the CLI, the window and the server alike; ``backends.credentials.resolve``):

1. values given explicitly: command-line flags, or the window's saved non-secret settings;
2. the vendor's usual environment variables (``Field.env``);
3. the system keyring, for secrets the window saved.

Secrets are taken as one set: if any of a vendor's secret environment variables is set, the
environment's secrets are used and the keyring's are not, so a key id never pairs with a secret
from another place.

Texts marked ``QT_TRANSLATE_NOOP`` are English source strings that the window translates (the
Qt translation tools pick them up from this file; nothing here depends on Qt).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name Qt's lupdate looks for
    """Marks ``text`` for translation in ``context``; returns it unchanged (translated by the GUI)."""
    return text


# translation context of the labels and titles below
TR_CONTEXT = "Vendors"


@dataclass(frozen=True)
class Field:
    """One setting of a vendor: a keyword of its recogniser, a settings-dialog row, maybe a flag."""

    key: str  # keyword argument of the recogniser class
    label: str  # settings dialog label (translated in the window, context "Vendors")
    secret: bool = False  # keyring only: never a flag, QSettings, log or export
    env: str | None = None  # the vendor's usual environment variable for it
    flag: str | None = None  # command-line option; the same flag may serve several vendors
    help: str = ""  # command-line help, for this vendor
    choices: tuple[str, ...] = ()
    default: str | None = None
    placeholder: str = ""


@dataclass(frozen=True)
class VendorSpec:
    """What the app knows about one cloud OCR API."""

    name: str  # --backend value, settings group, format name
    title: str  # the service's name as the user knows it
    recognizer: str  # "package.module:Class", a core.recognizer.Recognizer taking the fields
    format: str  # "package.module" exposing dump/load/dump_error/load_error (formats.FormatModule)
    format_title: str  # export menu label
    fields: tuple[Field, ...]
    verifier: str | None = None  # "package.module" of desktop_ocr.signatures with verify()
    # "package.module:ROUTE", a desktop_ocr.server.VendorServer: the vendor's API as `desktop-ocr serve` offers it
    server: str | None = None
    # Vendor error codes by what they mean to us. A code matches an entry equal to it, or an entry
    # naming its family ("AuthFailure" matches "AuthFailure.SignatureFailure").
    auth_codes: tuple[str, ...] = ()  # wrong key, bad signature, no permission: never retried
    rate_codes: tuple[str, ...] = ()  # slow down: retried once after a pause
    transient_codes: tuple[str, ...] = ()  # the service's own passing failures: retried once
    docs: str = ""  # where the vendor documents the API

    # -- derived views ----------------------------------------------------------------------
    @property
    def secret_fields(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields if f.secret)

    @property
    def plain_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if not f.secret)

    @property
    def env_vars(self) -> dict[str, str]:
        """field key -> environment variable."""
        return {f.key: f.env for f in self.fields if f.env}

    def field(self, key: str) -> Field:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(f"{self.name} has no setting {key!r}")

    def classify(self, code: Any) -> str | None:
        """'auth', 'rate' or 'transient' for a vendor error code, else None."""
        if code is None:
            return None
        code = str(code)
        for kind, entries in (("auth", self.auth_codes), ("rate", self.rate_codes),
                              ("transient", self.transient_codes)):
            if any(code == e or code.startswith(e + ".") for e in entries):
                return kind
        return None

    def recognizer_class(self) -> type:
        return load_object(self.recognizer)

    def format_module(self) -> Any:
        return importlib.import_module(self.format)

    def verifier_module(self) -> Any:
        if self.verifier is None:
            raise LookupError(f"{self.name} has no request verifier")
        return importlib.import_module(self.verifier)

    def server_route(self) -> Any:
        """The vendor's server-side API (desktop_ocr.server.VendorServer), None if it has none."""
        return None if self.server is None else load_object(self.server)


def load_object(path: str) -> Any:
    """``package.module:attribute`` -> the attribute (imported now)."""
    module, _, attr = path.partition(":")
    obj = importlib.import_module(module)
    return getattr(obj, attr) if attr else obj


_REGISTRY: dict[str, VendorSpec] = {}


def register(spec: VendorSpec) -> VendorSpec:
    """Add (or replace) a vendor. Its name must not clash with a built-in format or 'local'."""
    if spec.name in ("local", "json", "text"):
        raise ValueError(f"{spec.name!r} is reserved")
    _REGISTRY[spec.name] = spec
    return spec


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def get(name: str) -> VendorSpec:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown cloud service {name!r}; choose from {', '.join(_REGISTRY)}") from None


def names() -> tuple[str, ...]:
    """The registered vendors, in registration order."""
    return tuple(_REGISTRY)


def specs() -> tuple[VendorSpec, ...]:
    return tuple(_REGISTRY.values())


# ---------------------------------------------------------------------------------------------
# The four built-in vendors
# ---------------------------------------------------------------------------------------------
register(VendorSpec(
    name="aws",
    title=QT_TRANSLATE_NOOP("Vendors", "AWS General OCR"),
    recognizer="desktop_ocr.backends.aws:AwsBackend",
    format="desktop_ocr.formats.aws",
    format_title=QT_TRANSLATE_NOOP("Vendors", "AWS General OCR JSON"),
    verifier="desktop_ocr.signatures.aws_sigv4",
    server="desktop_ocr.server.aws:ROUTE",
    docs="AWS AI Solution Kit, General OCR (an API Gateway + Lambda in your own account)",
    fields=(
        Field("endpoint", QT_TRANSLATE_NOOP("Vendors", "Invoke URL"), flag="--endpoint",
              help="the full invoke URL https://{api-id}.execute-api.{region}.amazonaws.com/{stage}/{path}",
              placeholder="https://{api-id}.execute-api.{region}.amazonaws.com/{stage}/{path}"),
        Field("auth", QT_TRANSLATE_NOOP("Vendors", "Authentication"), flag="--aws-auth", choices=("iam", "none"),
              help="IAM (SigV4) or none (default: iam when AWS keys are set)"),
        Field("region", QT_TRANSLATE_NOOP("Vendors", "Region"), flag="--region",
              help="parsed from the URL when possible",
              placeholder=QT_TRANSLATE_NOOP("Vendors", "from the URL (e.g. us-east-1)")),
        Field("access_key_id", QT_TRANSLATE_NOOP("Vendors", "Access key ID"), secret=True,
              env="AWS_ACCESS_KEY_ID"),
        Field("secret_access_key", QT_TRANSLATE_NOOP("Vendors", "Secret access key"), secret=True,
              env="AWS_SECRET_ACCESS_KEY"),
        Field("session_token", QT_TRANSLATE_NOOP("Vendors", "Session token (optional)"), secret=True,
              env="AWS_SESSION_TOKEN"),
    ),
))

# Tencent's API 3.0 and legacy services take the same account keys from the same variables.
_TENCENT_KEYS = (
    Field("secret_id", QT_TRANSLATE_NOOP("Vendors", "SecretId"), secret=True, env="TENCENTCLOUD_SECRET_ID"),
    Field("secret_key", QT_TRANSLATE_NOOP("Vendors", "SecretKey"), secret=True, env="TENCENTCLOUD_SECRET_KEY"),
)

register(VendorSpec(
    name="tencent",
    title=QT_TRANSLATE_NOOP("Vendors", "Tencent Cloud OCR"),
    recognizer="desktop_ocr.backends.tencent:TencentBackend",
    format="desktop_ocr.formats.tencent",
    format_title=QT_TRANSLATE_NOOP("Vendors", "Tencent Cloud OCR JSON"),
    verifier="desktop_ocr.signatures.tencent_tc3",
    server="desktop_ocr.server.tencent:ROUTE",
    docs="Tencent Cloud OCR API 3.0, GeneralAccurateOCR / GeneralBasicOCR (Version 2018-11-19)",
    auth_codes=("AuthFailure", "UnauthorizedOperation"),
    rate_codes=("RequestLimitExceeded",),  # not LimitExceeded.*: those are sizes
    transient_codes=("InternalError", "FailedOperation.EngineRecognizeTimeout", "ServerNetworkError"),
    fields=(
        Field("endpoint", QT_TRANSLATE_NOOP("Vendors", "Endpoint"), flag="--endpoint",
              help="another host, e.g. ocr.intl.tencentcloudapi.com or http://127.0.0.1:8866",
              placeholder="ocr.tencentcloudapi.com (or ocr.intl.tencentcloudapi.com)"),
        Field("region", QT_TRANSLATE_NOOP("Vendors", "Region"), flag="--region", help="default ap-guangzhou",
              placeholder="ap-guangzhou"),
        Field("action", QT_TRANSLATE_NOOP("Vendors", "API"), flag="--tencent-action",
              choices=("GeneralAccurateOCR", "GeneralBasicOCR"), default="GeneralAccurateOCR",
              help="which API 3.0 action (default GeneralAccurateOCR)"),
        *_TENCENT_KEYS,
        Field("token", QT_TRANSLATE_NOOP("Vendors", "Session token (optional)"), secret=True,
              env="TENCENTCLOUD_SESSION_TOKEN"),
    ),
))

register(VendorSpec(
    name="tencent-legacy",
    title=QT_TRANSLATE_NOOP("Vendors", "Tencent OCR (legacy)"),
    recognizer="desktop_ocr.backends.tencent_legacy:TencentLegacyBackend",
    format="desktop_ocr.formats.tencent_legacy",
    format_title=QT_TRANSLATE_NOOP("Vendors", "Tencent legacy ocr/general JSON"),
    verifier="desktop_ocr.signatures.tencent_legacy",
    server="desktop_ocr.server.tencent_legacy:ROUTE",
    docs="Tencent Cloud image OCR, POST recognition.image.myqcloud.com/ocr/general",
    auth_codes=("4", "5", "6", "9", "10", "11", "12", "13", "14", "24"),
    rate_codes=("15",),
    transient_codes=("107", "108", "213"),
    fields=(
        Field("endpoint", QT_TRANSLATE_NOOP("Vendors", "Endpoint"), flag="--endpoint",
              help="another host, e.g. http://127.0.0.1:8866",
              placeholder="https://recognition.image.myqcloud.com/ocr/general"),
        Field("appid", QT_TRANSLATE_NOOP("Vendors", "APPID"), flag="--appid", help="your APPID"),
        Field("bucket", QT_TRANSLATE_NOOP("Vendors", "Bucket (optional)"), flag="--bucket", default="",
              help="bucket (default empty)"),
        *_TENCENT_KEYS,
    ),
))

register(VendorSpec(
    name="huawei",
    title=QT_TRANSLATE_NOOP("Vendors", "Huawei Cloud OCR"),
    recognizer="desktop_ocr.backends.huawei:HuaweiBackend",
    format="desktop_ocr.formats.huawei",
    format_title=QT_TRANSLATE_NOOP("Vendors", "Huawei Cloud OCR JSON"),
    verifier="desktop_ocr.signatures.huawei_apig",
    server="desktop_ocr.server.huawei:ROUTE",
    docs="Huawei Cloud OCR, POST /v2/{project_id}/ocr/general-text",
    auth_codes=("APIG.0301", "APIG.0302", "APIG.0303", "APIG.0305", "APIG.0306", "APIG.0307",
                "APIGW.0301", "APIGW.0303", "ModelArts.0203", "ModelArts.4101", "ModelArts.4102",
                "ModelArts.4103"),  # not ModelArts.4204: the service is not enabled, the keys are fine
    rate_codes=("APIG.0308", "APIGW.0308", "ModelArts.4203"),
    fields=(
        Field("endpoint", QT_TRANSLATE_NOOP("Vendors", "Endpoint"), flag="--endpoint",
              help="another host, e.g. http://127.0.0.1:8866", placeholder="https://ocr.{region}.myhuaweicloud.com"),
        Field("region", QT_TRANSLATE_NOOP("Vendors", "Region"), flag="--region", help="default cn-north-4",
              placeholder="cn-north-4"),
        Field("project_id", QT_TRANSLATE_NOOP("Vendors", "Project ID"), flag="--project-id",
              env="HUAWEICLOUD_SDK_PROJECT_ID", help="project id of the region"),
        Field("ak", QT_TRANSLATE_NOOP("Vendors", "Access key (AK)"), secret=True, env="HUAWEICLOUD_SDK_AK"),
        Field("sk", QT_TRANSLATE_NOOP("Vendors", "Secret key (SK)"), secret=True, env="HUAWEICLOUD_SDK_SK"),
        Field("token", QT_TRANSLATE_NOOP("Vendors", "IAM token (instead of AK/SK)"), secret=True,
              env="HUAWEICLOUD_SDK_TOKEN"),
    ),
))
