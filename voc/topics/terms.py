"""Words for topic terms (c-TF-IDF) and readable labels.

The CountVectorizer behind the c-TF-IDF terms gets a tokenizer built on voc.text.Segmenter: a
private jieba tokenizer that knows the lexicon's protected words (product names, code-mixed tokens)
for Chinese and mixed text, a word regex for English (spaCy's tokenizer cost 10x more here). Tokens
are folded (full-width, traditional, upper case share a form), and dropped when they are zh/en stop
words (spaCy's lists, read without importing spaCy), single characters, numbers or punctuation.
Bigrams of adjacent kept words give readable phrases; a bigram of two Chinese words is shown
without the space ("物流 太慢" -> "物流太慢").
"""
from __future__ import annotations

import re
from functools import lru_cache

from voc.text import Segmenter, detect_lang, fold

_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffa-z]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NUMERIC = re.compile(r"^[\d.,:%/+\-]+$")
# Words that say nothing about a topic in feedback, beyond spaCy's stop lists.
_EXTRA_STOP = {
    "一个", "这个", "那个", "东西", "感觉", "觉得", "真的", "还是", "就是", "非常", "比较", "有点", "一下",
    "已经", "没有", "什么", "怎么", "可以", "知道", "现在", "时候", "一直", "不是", "这样", "还有", "以后",
    "i'm", "i've", "it's", "don't", "can't", "didn't", "doesn't", "won't", "isn't", "get", "got", "would",
    "could", "also", "really", "just", "like", "one", "still",
}


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    en, zh = spacy_stop_words("en"), spacy_stop_words("zh")
    return frozenset({fold(w) for w in en} | {fold(w) for w in zh} | _EXTRA_STOP)


@lru_cache(maxsize=None)
def spacy_stop_words(lang: str) -> frozenset[str]:
    """spaCy's stop-word list for `lang` (the data module spacy/lang/<lang>/stop_words.py), read
    without importing spaCy: `import spacy` costs seconds (thinc, torch) and the list needs none of it.
    The module is found with find_spec("spacy"), which locates the package without running its
    __init__, and only that one file is executed."""
    import importlib
    import sys

    from voc.standalone import module_file

    name = f"spacy.lang.{lang}.stop_words"
    if "spacy" in sys.modules:  # already paid for: the ordinary import
        return frozenset(importlib.import_module(name).STOP_WORDS)
    module = module_file("spacy", f"lang/{lang}/stop_words.py", f"voc.topics._spacy_stop_words_{lang}",
                         "topic terms need spaCy's zh/en stop-word lists, and spaCy is not installed "
                         "(pip install -e .)")
    if module is not None and hasattr(module, "STOP_WORDS"):
        return frozenset(module.STOP_WORDS)
    return frozenset(importlib.import_module(name).STOP_WORDS)


_EN_WORD = re.compile(r"[a-z][a-z0-9]*(?:['’][a-z]+)?|[0-9]+[a-z]+[a-z0-9]*")
_EN_BREAK = re.compile(r"[.,;:!?()\[\]{}\"/|]+")


class TopicTokenizer:
    """Callable text -> topic words. Results are cached per text: BERTopic and voc tokenise the
    same sampled documents several times (c-TF-IDF, representative documents, final terms)."""

    CACHE = 200_000

    def __init__(self, user_words: list[str] | None = None):
        self._seg = Segmenter(user_words)
        self._stop = stop_words()
        self._cache: dict[str, list[str]] = {}

    def __call__(self, text: str) -> list[str]:
        """Unigrams, then bigrams of words that were adjacent in the text (a removed stop word or
        punctuation between two words breaks the pair: no "太慢 一周" from "太慢了，一周")."""
        if not text:
            return []
        hit = self._cache.get(text)
        if hit is None:
            hit = self._tokenize(text)
            if len(self._cache) >= self.CACHE:
                self._cache.clear()
            self._cache[text] = hit
        return hit

    def _raw(self, text: str) -> list[str]:
        if detect_lang(text) == "en":  # a regex is 10x faster than spaCy here and enough for terms
            out: list[str] = []
            for piece in _EN_BREAK.split(fold(text)):
                out.extend(_EN_WORD.findall(piece))
                out.append("")  # punctuation breaks bigrams
            return out
        return self._seg.tokens(text, "zh")

    def _tokenize(self, text: str) -> list[str]:
        words: list[str] = []
        pairs: list[str] = []
        prev = None
        for tok in self._raw(text):
            t = fold(tok).strip()
            if len(t) < 2 or t in self._stop or _NUMERIC.match(t) or not _WORD.search(t):
                prev = None
                continue
            words.append(t)
            if prev is not None:
                pairs.append(prev + " " + t)
            prev = t
        return words + pairs


def make_vectorizer(tokenizer: TopicTokenizer | None = None, min_df: int = 2):
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(tokenizer=tokenizer or TopicTokenizer(), token_pattern=None, lowercase=False,
                           ngram_range=(1, 1), min_df=min_df)  # bigrams come from the tokenizer


def phrase(term: str) -> str:
    """A vectorizer n-gram as a reader would write it."""
    parts = term.split(" ")
    if len(parts) == 2 and _HAN.search(parts[0][-1]) and _HAN.search(parts[1][0]):
        return parts[0] + parts[1]
    return term


def pick_terms(scored: list[tuple[str, float]], n: int, lang: str | None = None) -> list[str]:
    """Top `n` readable phrases: duplicates and phrases contained in a better one are skipped, and
    when the topic's records are mostly in one language, terms in the other script go last."""
    seen: list[str] = []
    later: list[str] = []
    for term, score in scored:
        if not term or score <= 0:
            continue
        p = phrase(term)
        if any(p in q or q in p for q in seen):
            continue
        han = bool(_HAN.search(p))
        if (lang == "en" and han) or (lang == "zh" and not han):
            later.append(p)
            continue
        seen.append(p)
    for p in later:
        if not any(p in q or q in p for q in seen):
            seen.append(p)
    return seen[:n]
