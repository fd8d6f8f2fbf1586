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
    raise NotImplementedError(f"the {name} backend is not built yet")
