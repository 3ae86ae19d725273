"""Turns the suite's results.jsonl into its table (printed, Markdown) and suite.json: every row, and one summary
row per set with the seeds averaged: the engine's default and quality preset beside PECOS and napkinXC, and the
default's margin over PECOS on the set's main metric (P@1 for XMC and text2text sets' P@1 / R@10, MRR@10 for QAC).
Usage: python3 table.py RESULTS.jsonl SUITE.json"""
import json
import sys
from collections import OrderedDict, defaultdict

MAIN = {"xmc": "P@1", "text2text": "R@10", "qac": "MRR@10"}
DEFAULT = {"xmc": "xmr balanced", "text2text": "xmr defaults", "qac": "xmr fused"}
PEER = {"xmc": "PECOS", "text2text": "PECOS", "qac": "most popular"}


def fmt(v, digits=2):
    return "-" if v is None else (f"{v:.{digits}f}" if isinstance(v, float) else str(v))


def mean(values):
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def main():
    rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
    print("\n| set | seed | system | P@1 | P@3 | P@5 | R@10 | R@100 | MRR@10 | train s | model MB | p50 / p99 ms |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        mb = r.get("model_bytes")
        lat = f"{fmt(r.get('p50_ms'), 4)} / {fmt(r.get('p99_ms'), 4)}" if r.get("p50_ms") is not None else "-"
        print(f"| {r['set']} | {r['seed']} | {r['system']} | {fmt(r.get('P@1'))} | {fmt(r.get('P@3'))} | {fmt(r.get('P@5'))} | "
              f"{fmt(r.get('R@10'))} | {fmt(r.get('R@100'))} | {fmt(r.get('MRR@10'), 4)} | {fmt(r.get('train_s'))} | "
              f"{fmt(mb / 1e6 if mb else None)} | {lat} |")
    groups = OrderedDict()
    for r in rows:
        groups.setdefault((r["set"], r["kind"]), defaultdict(list))[r["system"]].append(r)
    summary = []
    print("\n| set | metric | xmr default | xmr quality | PECOS | napkinXC | default - PECOS | seeds |")
    print("|---|---|---|---|---|---|---|---|")
    for (name, kind), systems in groups.items():
        metric = MAIN[kind]
        value = {s: mean([r.get(metric) for r in rs]) for s, rs in systems.items()}
        d, peer = value.get(DEFAULT[kind]), value.get(PEER[kind])
        row = {"set": name, "kind": kind, "metric": metric, "default": d, "quality": value.get("xmr quality"),
               "PECOS": value.get("PECOS"), "napkinXC": value.get("napkinXC"), "most_popular": value.get("most popular"),
               "margin": None if d is None or peer is None else d - peer, "seeds": max(len(rs) for rs in systems.values())}
        summary.append(row)
        digits = 4 if kind == "qac" else 2
        print(f"| {name} | {metric} | {fmt(d, digits)} | {fmt(row['quality'], digits)} | {fmt(row['PECOS'] if kind != 'qac' else row['most_popular'], digits)} | "
              f"{fmt(row['napkinXC'], digits)} | {fmt(row['margin'], digits)} | {row['seeds']} |")
    json.dump({"rows": rows, "summary": summary}, open(sys.argv[2], "w"), indent=1)


if __name__ == "__main__":
    main()
