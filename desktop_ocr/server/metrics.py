"""Prometheus metrics of the server, in the text exposition format (version 0.0.4), by hand: a few
counters and one histogram do not need a client library.

    desktop_ocr_requests_total{vendor,status}          answers by vendor and HTTP status
    desktop_ocr_errors_total{vendor,code}              error answers by the vendor's error code
    desktop_ocr_request_duration_seconds{vendor}       histogram of the time to answer
    desktop_ocr_queue_depth / _in_flight / _workers    the engine queue now
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field

BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def _label(value: object) -> str:
    return str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


@dataclass
class _Histogram:
    counts: list[int] = field(default_factory=lambda: [0] * len(BUCKETS))
    total: float = 0.0
    n: int = 0


class Metrics:
    def __init__(self) -> None:
        self.requests: Counter[tuple[str, int]] = Counter()
        self.errors: Counter[tuple[str, str]] = Counter()
        self.latency: dict[str, _Histogram] = {}
        self.answered = 0  # OCR requests answered (plain ints: read from other threads by server.run)
        self.failed = 0  # of which error answers
        self.last_error: tuple[str, str, str] | None = None  # vendor, its error code, the message

    def observe(self, vendor: str, status: int, seconds: float, code: str | None = None, message: str = "") -> None:
        self.requests[vendor, status] += 1
        self.answered += 1
        if code is not None:
            self.errors[vendor, code] += 1
            self.failed += 1
            self.last_error = (vendor, code, message)
        h = self.latency.setdefault(vendor, _Histogram())
        i = bisect.bisect_left(BUCKETS, seconds)
        if i < len(BUCKETS):
            h.counts[i] += 1
        h.total += seconds
        h.n += 1

    def render(self, *, queue_depth: int, in_flight: int, workers: int) -> str:
        out = ["# HELP desktop_ocr_requests_total Answers to OCR requests by vendor and HTTP status.",
               "# TYPE desktop_ocr_requests_total counter"]
        out += [f'desktop_ocr_requests_total{{vendor="{_label(v)}",status="{s}"}} {n}'
                for (v, s), n in sorted(self.requests.items())]
        out += ["# HELP desktop_ocr_errors_total Error answers by vendor and the vendor's error code.",
                "# TYPE desktop_ocr_errors_total counter"]
        out += [f'desktop_ocr_errors_total{{vendor="{_label(v)}",code="{_label(c)}"}} {n}'
                for (v, c), n in sorted(self.errors.items())]
        out += ["# HELP desktop_ocr_request_duration_seconds Time from request to answer.",
                "# TYPE desktop_ocr_request_duration_seconds histogram"]
        for vendor, h in sorted(self.latency.items()):
            v = _label(vendor)
            running = 0
            for bound, count in zip(BUCKETS, h.counts):
                running += count
                out.append(f'desktop_ocr_request_duration_seconds_bucket{{vendor="{v}",le="{bound:g}"}} {running}')
            out.append(f'desktop_ocr_request_duration_seconds_bucket{{vendor="{v}",le="+Inf"}} {h.n}')
            out.append(f'desktop_ocr_request_duration_seconds_sum{{vendor="{v}"}} {h.total:.6f}')
            out.append(f'desktop_ocr_request_duration_seconds_count{{vendor="{v}"}} {h.n}')
        for name, value, text in (("queue_depth", queue_depth, "Requests waiting for an engine worker."),
                                  ("in_flight", in_flight, "Requests an engine worker is reading now."),
                                  ("workers", workers, "Engine worker processes ready.")):
            out += [f"# HELP desktop_ocr_{name} {text}", f"# TYPE desktop_ocr_{name} gauge",
                    f"desktop_ocr_{name} {value}"]
        return "\n".join(out) + "\n"
