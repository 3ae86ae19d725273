"""Reuters-21578, ModApte split (LEWISSPLIT TRAIN / TEST, TOPICS="YES", at least one topic), as a text2text set:
each article (title + body) is a query whose relevant items are its topics; an item's text is the topic's name.
Writes OUT/train.txt, OUT/test.txt ('id1,id2<TAB>text') and OUT/items.txt (one topic name per line); topics that
only occur in test articles are items too, so the test can ask for them.
Usage: python3 reuters_text2text.py REUTERS_DIR OUT_DIR"""
import html
import os
import re
import sys

DOC = re.compile(r"<REUTERS([^>]*)>(.*?)</REUTERS>", re.S)


def field(tag, text):
    m = re.search(rf"<{tag}>(.*?)</{tag}>", text, re.S)
    return html.unescape(m.group(1)) if m else ""


def main():
    src, out = sys.argv[1], sys.argv[2]
    docs = []
    for name in sorted(os.listdir(src)):
        if not name.endswith(".sgm"):
            continue
        with open(os.path.join(src, name), encoding="latin-1") as f:
            for attrs, body in DOC.findall(f.read()):
                split = re.search(r'LEWISSPLIT="([A-Z-]+)"', attrs).group(1)
                if 'TOPICS="YES"' not in attrs or split not in ("TRAIN", "TEST"):
                    continue
                topics = re.findall(r"<D>(.*?)</D>", field("TOPICS", body))
                text = " ".join((field("TITLE", body) + " " + field("BODY", body)).split())
                if topics and text:
                    docs.append((split, topics, text))
    names = sorted({t for _, topics, _ in docs for t in topics})
    ids = {t: i for i, t in enumerate(names)}
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "items.txt"), "w", encoding="utf-8") as f:
        f.writelines(n + "\n" for n in names)
    for split, file in (("TRAIN", "train.txt"), ("TEST", "test.txt")):
        with open(os.path.join(out, file), "w", encoding="utf-8") as f:
            for s, topics, text in docs:
                if s == split:
                    f.write(",".join(str(ids[t]) for t in sorted(set(topics), key=ids.get)) + "\t" + text + "\n")
    print(f"{sum(s == 'TRAIN' for s, _, _ in docs)} train / {sum(s == 'TEST' for s, _, _ in docs)} test articles, {len(names)} topics")


if __name__ == "__main__":
    main()
