#!/usr/bin/env python3
"""Server-timed latency between two scrapes of xmr serve's /metrics: ASP.NET Core's request-duration histogram
(from the request's headers read to its answer written, the concurrency limiter's queue included), per status, for
the engine's routes. Histogram buckets only bound a quantile from above, so each is printed as "<= bucket".
Usage: server_latency.py BEFORE.txt AFTER.txt"""
import re
import sys
from collections import defaultdict

LINE = re.compile(r'^http_server_request_duration_seconds_bucket\{(?P<labels>[^}]*)\} (?P<count>\S+)$')


def buckets(path):
    """{status: {le: cumulative count}} over the /v1 routes."""
    out = defaultdict(lambda: defaultdict(float))
    for line in open(path, encoding="utf-8"):
        m = LINE.match(line.strip())
        if not m:
            continue
        labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group("labels")))
        if not labels.get("http_route", "").startswith("/v1/") and labels.get("http_route") is not None:
            continue
        le = float("inf") if labels["le"] == "+Inf" else float(labels["le"])
        out[labels.get("http_response_status_code", "?")][le] += float(m.group("count"))
    return out


def quantile(cumulative, q):
    total = cumulative[float("inf")]
    for le in sorted(cumulative):
        if cumulative[le] >= q * total:
            return le
    return float("inf")


def main():
    before, after = buckets(sys.argv[1]), buckets(sys.argv[2])
    for status in sorted(after):
        delta = {le: after[status][le] - before.get(status, {}).get(le, 0.0) for le in after[status]}
        n = delta.get(float("inf"), 0)
        if n <= 0:
            continue
        p50, p99 = (quantile(delta, q) * 1000 for q in (0.5, 0.99))
        print(f"server-timed {status}: {n:,.0f} requests; p50 <= {p50:g} ms, p99 <= {p99:g} ms")


if __name__ == "__main__":
    main()
