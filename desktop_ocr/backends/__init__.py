"""Recognisers by name: the local engine and the cloud backends, all behind core.recognizer.Recognizer."""

from __future__ import annotations

from ..core.recognizer import Recognizer

BACKEND_NAMES = ("local", "aws", "tencent", "tencent-legacy", "huawei")


def create(name: str, **settings) -> Recognizer:
    """A ready recogniser. Cloud backends take endpoint/region/credentials in ``settings``."""
    if name == "local":
        from ..core.engine import LocalEngine

        return LocalEngine()
    if name not in BACKEND_NAMES:
        raise ValueError(f"unknown backend {name!r}; choose from {', '.join(BACKEND_NAMES)}")
    # Cloud backends import their SDKs lazily: the local app runs without the [cloud] extra.
    if name == "aws":
        from .aws import AwsBackend as cls
    elif name == "tencent":
        from .tencent import TencentBackend as cls
    elif name == "tencent-legacy":
        from .tencent_legacy import TencentLegacyBackend as cls
    else:
        from .huawei import HuaweiBackend as cls
    settings = {k: v for k, v in settings.items() if v is not None}
    return cls(**settings)


CLOUD_BACKENDS = BACKEND_NAMES[1:]
