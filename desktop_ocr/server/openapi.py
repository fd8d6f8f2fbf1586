"""The OpenAPI 3 description of the server, built from the same route table the app routes by."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from . import Endpoint

_PARAM = re.compile(r"{(\w+)(?::\w+)?}")


def operation(tag: str, ep: Endpoint, answer: str, errors: str) -> dict[str, Any]:
    params: list[dict[str, Any]] = [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                                    for name in _PARAM.findall(ep.path)]
    params += [{"name": name, "in": "header", "required": True, "schema": dict(schema)}
               for name, schema in ep.headers.items()]
    op: dict[str, Any] = {"tags": [tag], "summary": ep.summary,
                          "operationId": re.sub(r"\W+", "_", f"{tag}_{ep.method}_{ep.path}").strip("_"),
                          "responses": {"200": {"description": answer}, "default": {"description": errors}}}
    if params:
        op["parameters"] = params
    if ep.request:
        op["requestBody"] = {"required": True, "content": {ct: {"schema": dict(schema)}
                                                           for ct, schema in ep.request.items()}}
    return op


def build(vendor_routes: Iterable[tuple[Any, Any]], own: Iterable[tuple[Endpoint, str]], *,
          version: str) -> dict[str, Any]:
    """``vendor_routes``: (registry entry, VendorServer); ``own``: (endpoint, what it answers)."""
    paths: dict[str, dict[str, Any]] = {}
    tags = []
    for spec, route in vendor_routes:
        tags.append({"name": spec.name, "description": f"{spec.title}: {spec.docs}"})
        for ep in route.endpoints:
            paths.setdefault(_PARAM.sub(r"{\1}", ep.path), {})[ep.method.lower()] = operation(
                spec.name, ep, f"the vendor's answer ({spec.format_title})",
                "the vendor's error answer, with the vendor's codes and HTTP status")
    tags.append({"name": "server", "description": "this server's own endpoints"})
    for ep, answer in own:
        paths.setdefault(ep.path, {})[ep.method.lower()] = operation("server", ep, answer, "an error")
    return {"openapi": "3.0.3",
            "info": {"title": "desktop-ocr serve", "version": version,
                     "description": "The cloud OCR vendors' APIs, answered offline by the local engine."},
            "tags": tags, "paths": paths}
