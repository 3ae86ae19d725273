"""PECOS text2text with its defaults, on the same files `xmr text2text` reads, scored as `xmr text2text evaluate`
scores (recall@k = relevant items in the top k / relevant items, precision@1, both averaged over test queries).
Usage: PYTHONPATH=PECOS_SRC /usr/bin/python3 pecos_text2text.py TRAIN.txt ITEMS.txt TEST.txt MODEL_DIR [threads]
Prints one JSON object: train_s, model_bytes, P@1, R@10, R@100, p50_ms, p99_ms (one query per call, after a warm-up)."""
import json
import os
import subprocess
import sys
import time

import numpy as np


def read_test(path):
    relevant, texts = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            ids, _, text = line.rstrip("\n").partition("\t")
            relevant.append({int(i) for i in ids.split(",") if i})
            texts.append(text)
    return relevant, texts


def folder_bytes(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(path) for f in files)


def main():
    train, items, test, model = sys.argv[1:5]
    threads = sys.argv[5] if len(sys.argv) > 5 else "2"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pecos.apps.text2text.train", "-i", train, "-q", items, "-m", model,
                    "--threads", threads], check=True, stdout=subprocess.DEVNULL)
    train_s = time.perf_counter() - started
    from pecos.apps.text2text import Text2Text

    t2t = Text2Text.load(model, is_predict_only=True)
    relevant, texts = read_test(test)
    pred = t2t.predict(texts, only_topk=100, threads=int(threads)).tocsr()
    p1 = r10 = r100 = 0.0
    counted = 0
    for i, rel in enumerate(relevant):
        if not rel:
            continue
        counted += 1
        row = pred.indices[pred.indptr[i]:pred.indptr[i + 1]]
        order = row[np.argsort(-pred.data[pred.indptr[i]:pred.indptr[i + 1]], kind="stable")]
        p1 += 1.0 if len(order) and order[0] in rel else 0.0
        r10 += len(rel.intersection(order[:10].tolist())) / len(rel)
        r100 += len(rel.intersection(order[:100].tolist())) / len(rel)
    n = min(500, len(texts))
    for q in texts[:n]:
        t2t.predict([q], only_topk=10, threads=1)
    lat = []
    for q in texts[:n]:
        s = time.perf_counter()
        t2t.predict([q], only_topk=10, threads=1)
        lat.append((time.perf_counter() - s) * 1e3)
    lat.sort()
    print(json.dumps({"train_s": round(train_s, 2), "model_bytes": folder_bytes(model),
                      "P@1": round(100 * p1 / counted, 4), "R@10": round(100 * r10 / counted, 4), "R@100": round(100 * r100 / counted, 4),
                      "p50_ms": round(lat[n // 2], 4), "p99_ms": round(lat[min(n - 1, int(0.99 * n))], 4)}))


if __name__ == "__main__":
    main()
