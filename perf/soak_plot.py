"""Draws the soak's per-window CSV (xmr bench load --csv) as one PNG: p50/p99 of the answers, and the server's RSS,
GC heap and open handles, over time, with the reloads marked. Usage: soak_plot.py SOAK.csv OUT.png RATE"""
import csv
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

rows = list(csv.DictReader(open(sys.argv[1])))
if not rows:
    sys.exit(f"{sys.argv[1]}: no windows")
t = [float(r["t_s"]) / 60 for r in rows]
num = lambda key: [float(r[key]) for r in rows]
fig, (lat, mem) = plt.subplots(2, 1, figsize=(10, 7), sharex=True)
lat.plot(t, num("p50_ms"), label="p50")
lat.plot(t, num("p99_ms"), label="p99")
for x, r in zip(t, rows):
    if int(r["reloads_ok"]) or int(r["reloads_failed"]):
        lat.axvline(x, color="grey", alpha=0.15)
failed = sum(int(r["sent"]) - int(r["ok"]) for r in rows)
lat.set_ylabel("answer latency (ms)")
lat.set_title(f"xmr serve, auto-complete on AOL: {sys.argv[3]} req/s, a reload every 30 s (grey); {failed} requests not answered 200")
lat.legend()
mem.plot(t, num("rss_mb"), label="RSS (MB)")
mem.plot(t, num("gc_heap_mb"), label="GC heap (MB)")
handles = mem.twinx()
handles.plot(t, num("handles"), color="tab:green", label="open handles")
handles.set_ylabel("open handles")
mem.set_ylabel("MB")
mem.set_xlabel("minutes")
mem.legend(loc="upper left")
handles.legend(loc="upper right")
fig.tight_layout()
fig.savefig(sys.argv[2], dpi=90)
