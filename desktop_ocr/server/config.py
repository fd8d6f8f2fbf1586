"""The server's settings, the --keys file and the loopback rule (no Starlette, no uvicorn here).

The keys file (``--keys FILE``, JSON) gives each vendor the credentials its clients sign with::

    {
      "aws":            {"keys": {"AKIDEXAMPLE": "secret access key"}, "region": "us-east-1",
                         "tokens": {"AKIDEXAMPLE": "session token (temporary keys only)"}},
      "tencent":        {"keys": {"SecretId": "SecretKey"}},
      "tencent-legacy": {"keys": {"SecretId": "SecretKey"}, "appid": "1250000000"},
      "huawei":         {"keys": {"AK": "SK"}, "tokens": ["an IAM token"], "project_id": "..."}
    }

``keys`` is key id -> secret; the other members are optional: ``region`` (AWS, default us-east-1:
the region your clients sign for), ``appid`` (legacy; default: whatever appid the request names),
``project_id`` (Huawei; default: any), ``tokens``. The short form ``"tencent": {"SecretId":
"SecretKey"}`` (the key map alone) and a top-level ``"huawei_tokens": [...]`` are accepted too.
With a keys file every vendor's requests must be signed: a vendor the file leaves out refuses all.
Without one, nothing is checked, which is allowed on a loopback address only.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import VendorKeys

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8866
# measured best on a 2-core machine (benchmarks/bench_serve.py, README): one single-threaded ONNX
# Runtime per core beats fewer workers with more threads (Python's share of a page runs in parallel too)
DEFAULT_WORKERS = 2
DEFAULT_THREADS = 1
DEFAULT_MAX_BODY_MB = 10.0
URL_TIMEOUT = 20.0  # seconds for a whole URL image download
_SETTINGS = ("region", "appid", "project_id")


@dataclass(frozen=True)
class ServerConfig:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    workers: int = DEFAULT_WORKERS
    threads: int | None = DEFAULT_THREADS  # ONNX Runtime intra-op threads per worker; None: ORT's own choice
    queue: int | None = None  # requests that may wait for a worker; None: 2 x workers
    keys: dict[str, VendorKeys] | None = None  # None: no authentication
    max_body: int = int(DEFAULT_MAX_BODY_MB * 1048576)  # bytes of a request body (and of a URL image)
    allow_private_urls: bool = False
    url_timeout: float = URL_TIMEOUT

    @property
    def queue_size(self) -> int:
        return 2 * self.workers if self.queue is None else self.queue

    @property
    def private_urls(self) -> bool:
        """URL images may point at loopback/private addresses: on loopback, or when allowed."""
        return self.allow_private_urls or is_loopback(self.host)

    def check(self) -> None:
        """ValueError with one sentence when these settings must not run."""
        if not 0 <= self.port <= 65535:
            raise ValueError(f"--port {self.port}: ports go from 0 to 65535")
        if self.keys is None and not is_loopback(self.host):
            raise ValueError(f"refusing to listen on {self.host} without authentication: anyone who can reach "
                             "it could use it. Give --keys FILE (the vendors' keys your clients sign with), or "
                             f"listen on {DEFAULT_HOST}")


def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name or an empty string (all interfaces): not known to be loopback
        return False


def load_keys(path: str | Path, vendors: Iterable[str]) -> dict[str, VendorKeys]:
    """Read a keys file (see the module doc); ValueError naming the problem."""
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except OSError as exc:
        raise ValueError(f"--keys {path}: cannot read it ({exc.strerror or exc})") from None
    except ValueError as exc:
        raise ValueError(f"--keys {path}: not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise ValueError(f"--keys {path}: the file must hold a JSON object with one member per vendor")
    names = tuple(vendors)
    unknown = sorted(set(data) - set(names) - {"huawei_tokens"})
    if unknown:
        raise ValueError(f"--keys {path}: unknown vendor {', '.join(map(repr, unknown))}; "
                         f"the vendors are {', '.join(names)}")
    out = {name: _vendor_keys(path, name, data.get(name) or {}) for name in names}
    extra = data.get("huawei_tokens")
    if extra is not None and "huawei" in out:
        if not _strings(extra):
            raise ValueError(f"--keys {path}: huawei_tokens must be a list of strings")
        old = out["huawei"]
        out["huawei"] = VendorKeys(old.secrets, [*(old.tokens or []), *extra], old.settings)
    return out


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _str_map(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())


def _vendor_keys(path: str | Path, name: str, entry: Any) -> VendorKeys:
    where = f"--keys {path}: {name}"
    if not isinstance(entry, dict):
        raise ValueError(f"{where} must be an object")
    if "keys" not in entry:  # the short form: the key map alone
        if not _str_map(entry):
            raise ValueError(f"{where}: give {{\"keys\": {{\"key id\": \"secret\"}}}}")
        return VendorKeys(dict(entry))
    unknown = sorted(set(entry) - {"keys", "tokens", *_SETTINGS})
    if unknown or not _str_map(entry["keys"]):
        raise ValueError(f"{where}: \"keys\" must map key ids to secrets; the other members may be "
                         f"tokens, {', '.join(_SETTINGS)}" + (f" (not {', '.join(unknown)})" if unknown else ""))
    tokens = entry.get("tokens")
    if tokens is not None and not (_strings(tokens) if name == "huawei" else _str_map(tokens)):
        shape = "a list of IAM tokens" if name == "huawei" else "an object: key id -> session token"
        raise ValueError(f"{where}: tokens must be {shape}")
    settings = {k: entry[k] for k in _SETTINGS if k in entry}
    if not _str_map(settings):
        raise ValueError(f"{where}: {', '.join(settings)} must be strings")
    return VendorKeys(dict(entry["keys"]), tokens, settings)
