"""Strict JSON schemas of the vendors' answers (tests/fixtures/vendor/schemas) and the checks the
format tests share: ``validate`` one document, ``check_answer`` an export of ours."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator, ValidationError, validators

VENDOR = Path(__file__).parent / "fixtures" / "vendor"
SCHEMAS = VENDOR / "schemas"

# Stricter than JSON Schema's own types: an "integer" is a JSON integer (never 3.0 or true), and
# the keyword "x-float" marks the fields the docs type Float, which must be written as floats.
_TYPES = Draft202012Validator.TYPE_CHECKER.redefine_many({
    "integer": lambda _c, x: isinstance(x, int) and not isinstance(x, bool),
    "number": lambda _c, x: isinstance(x, (int, float)) and not isinstance(x, bool),
})


def _x_float(validator, wanted, instance, schema):
    if wanted and validator.is_type(instance, "number") and not isinstance(instance, float):
        yield ValidationError(f"{instance!r} is not written as a float")


StrictValidator = validators.extend(Draft202012Validator, validators={"x-float": _x_float}, type_checker=_TYPES)

# format name -> schema of its answer
ANSWER_SCHEMA = {"aws": "aws", "tencent": "tencent", "tencent-legacy": "tencent_legacy", "huawei": "huawei"}


@cache
def schema(name: str) -> dict:
    s = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    StrictValidator.check_schema(s)
    return s


def errors(obj, name: str) -> list[str]:
    v = StrictValidator(schema(name))
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in v.iter_errors(obj)]


def validate(obj, name: str) -> None:
    problems = errors(obj, name)
    assert not problems, "\n".join(problems[:10])


def check_answer(fmt: str, obj) -> None:
    """Schema plus what a schema cannot say (counts, string contents, round trip through JSON text)."""
    obj = json.loads(json.dumps(obj, ensure_ascii=False))  # what a consumer parses
    validate(obj, ANSWER_SCHEMA[fmt])
    if fmt == "huawei":
        assert obj["result"]["words_block_count"] == len(obj["result"]["words_block_list"])
    if fmt == "tencent":
        for det in obj["Response"]["TextDetections"]:
            assert json.loads(det["AdvancedInfo"])["Parag"]["ParagNo"] >= 1
            assert len(det["WordCoordPoint"]) in (0, len(det["Words"]))
            xs = [p["X"] for p in det["Polygon"]]
            ys = [p["Y"] for p in det["Polygon"]]
            assert det["ItemPolygon"] == {"Height": max(ys) - min(ys) + 1, "Width": max(xs) - min(xs) + 1,
                                          "X": min(xs), "Y": min(ys)}
