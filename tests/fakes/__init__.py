"""Fake cloud OCR services on 127.0.0.1 that check each vendor's real signature and answer in the
vendor's real format, with text the real local engine read from the uploaded image."""

from .aws import FakeAws
from .huawei import FakeHuawei
from .tencent import FakeTencent
from .tencent_legacy import FakeTencentLegacy

__all__ = ["FakeAws", "FakeHuawei", "FakeTencent", "FakeTencentLegacy"]
