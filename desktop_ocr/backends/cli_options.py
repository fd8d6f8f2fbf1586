"""Command-line options that pick and configure a recogniser (``desktop-ocr recognize --backend ...``),
generated from the vendor registry (desktop_ocr.vendors): ``--backend`` lists every registered
vendor and each vendor field with a ``flag`` becomes an option (one option serves every vendor
that shares the flag, e.g. ``--endpoint``).

Secrets never come from flags (they would land in shell history and ``ps``): the command line reads
the vendors' usual environment variables, then the keyring the window saved them in
(backends.credentials.resolve, the precedence documented in desktop_ocr.vendors).
"""

from __future__ import annotations

import argparse
from typing import Any

from .. import vendors
from ..core.errors import EngineUnavailable
from ..core.rapid import RUNTIMES
from . import create, names
from ._base import SettingsError
from .credentials import resolve


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value <= 600:
        raise argparse.ArgumentTypeError(f"must be more than 0 and at most 600 seconds, got {text}")
    return value


def _dest(flag: str) -> str:
    return flag.lstrip("-").replace("-", "_")


def _flags() -> dict[str, list[tuple[vendors.VendorSpec, vendors.Field]]]:
    """flag -> the (vendor, field) pairs it serves, in registry order."""
    out: dict[str, list[tuple[vendors.VendorSpec, vendors.Field]]] = {}
    for spec in vendors.specs():
        for f in spec.fields:
            if f.flag and not f.secret:
                out.setdefault(f.flag, []).append((spec, f))
    return out


def _env_help() -> str:
    parts = []
    for spec in vendors.specs():
        env = [f.env for f in spec.fields if f.env]
        if env:
            parts.append(f"{spec.name}: {'/'.join(env)}")
    return "; ".join(parts)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group(
        "recognizer",
        "local: the offline engine (default). Cloud backends read keys from the vendor's environment "
        f"variables ({_env_help()}), else from the keyring the window saved them in")
    g.add_argument("--backend", choices=names(), default="local",
                   help="who recognises: the local engine or a cloud API (default local)")
    g.add_argument("--runtime", choices=("auto", *RUNTIMES), default="auto",
                   help="local engine: what runs the text detector; auto (default) = OpenVINO when the "
                        "[fast] extra is installed (same results, several times faster on most x86 CPUs, "
                        "more memory), else ONNX Runtime")
    for flag, users in _flags().items():
        first = users[0][1]
        choices = sorted({c for _, f in users for c in f.choices}) or None
        help_text = "; ".join(f"{spec.name}: {f.help}" + (f" (default ${f.env})" if f.env else "")
                              for spec, f in users)
        g.add_argument(flag, dest=_dest(flag), metavar=None if choices else first.key.upper(),
                       choices=choices, default=None, help=help_text)
    g.add_argument("--cloud-timeout", type=_seconds, default=30.0, metavar="SECONDS",
                   help="cloud backends: limit for each request (default 30)")


def settings_from_args(args: argparse.Namespace, environ=None) -> dict[str, Any]:
    """Keyword arguments for ``create(args.backend, ...)``: the flags given for this vendor, then
    the environment, then the keyring (credentials.resolve)."""
    name = getattr(args, "backend", "local") or "local"
    if name == "local":
        return {"runtime": getattr(args, "runtime", None)}
    spec = vendors.get(name)
    given = {f.key: getattr(args, _dest(f.flag), None) for f in spec.fields if f.flag and not f.secret}
    settings = resolve(name, given, environ)
    settings["timeout"] = getattr(args, "cloud_timeout", 30.0)
    return settings


def where_to_give(name: str, fields: tuple[str, ...]) -> str:
    """How the command line takes ``fields`` of vendor ``name``: its flags and environment variables."""
    spec = vendors.get(name)
    ways = []
    for key in fields:
        f = spec.field(key)
        ways += [w for w in (f.flag if not f.secret else None, f.env) if w]
    return " / ".join(dict.fromkeys(ways))


def recognizer_from_args(args: argparse.Namespace):
    """The recogniser the options describe; ValueError (a usage error) when something is missing."""
    name = getattr(args, "backend", "local") or "local"
    try:
        return create(name, **settings_from_args(args))
    except SettingsError as exc:
        ways = where_to_give(name, exc.fields)
        raise ValueError(f"{exc} ({ways})" if ways else str(exc)) from None
    except EngineUnavailable as exc:  # the [cloud] extra is not installed
        raise ValueError(str(exc)) from None
