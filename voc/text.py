"""Text layer: cleaning, a length-preserving folded view for matching, language, clauses, tokens.

Why a *length-preserving* fold: every label carries evidence offsets into the emitted text. If
matching ran on an NFKC/simplified/lower-cased copy whose length differed, every offset would need
a mapping back. Folding one character to exactly one character keeps offsets identical, so a span
found in `fold(text)` is the same span in `text`.
"""
from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

from voc.records import Span

# ---------------------------------------------------------------- cleaning
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]{0,200}>")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")
_BR = re.compile(r"<\s*(?:br|/p|/div|/li)\s*/?\s*>", re.I)
# C0/C1 controls (but tab/newline), zero-width and bidi controls, lone surrogates.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069"
    "\ufeff\ud800-\udfff]"
)
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")


def clean(raw: str, max_chars: int) -> tuple[str, list[str]]:
    """Make a raw cell analysable; returns (text, flags). Never raises on any str."""
    flags: list[str] = []
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    if "<" in text and _TAG.search(text):
        text = _TAG.sub(" ", _BR.sub("\n", text))
        flags.append("html_stripped")
    if "&" in text and _ENTITY.search(text):
        text = html.unescape(text)
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    if len(text) > max_chars:
        text = text[:max_chars]
        flags.append("truncated")
    return text, flags


# ---------------------------------------------------------------- folding
@lru_cache(maxsize=1)
def _t2s() -> dict[str, str]:
    """Traditional -> simplified, single characters only (phrase rules would change length)."""
    from zhconv import zhconv

    table = zhconv.getdict("zh-cn")
    return {k: v for k, v in table.items() if len(k) == 1 and len(v) == 1 and k != v}


class _FoldTable(dict):
    """str.translate table that computes each character's fold on first sight."""

    def __missing__(self, code: int) -> int:
        ch = chr(code)
        folded = unicodedata.normalize("NFKC", ch)
        if len(folded) != 1:
            folded = ch
        folded = _t2s().get(folded, folded)
        low = folded.lower()
        if len(low) == 1:
            folded = low
        self[code] = ord(folded)
        return self[code]


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Full-width -> half-width, compatibility forms (NFKC), traditional -> simplified, lower case;
    exactly one output character per input character."""
    return text.translate(_FOLD)


# ---------------------------------------------------------------- language
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")
_OTHER_SCRIPT = re.compile(r"[\u0400-\u04ff\u0590-\u06ff\u0e00-\u0e7f\u0900-\u097f]")
_RARE_SCRIPT = re.compile(r"[\u3040-\u30ff\uac00-\ud7af\u1100-\u11ff\u0400-\u04ff\u0590-\u06ff\u0e00-\u0e7f\u0900-\u097f]")
_LATIN_WORD = re.compile(r"[a-zA-Z][a-zA-Z']+")
# Latin-script text is English unless it shows another language: its function words outnumber
# English ones, or letters with diacritics are common (French, Spanish, German, Vietnamese...).
_EN_COMMON = frozenset(
    "the a an and or but is are was were be been to of in on at for with my me i you your it this "
    "that not no so very too have has had do does did can can't cannot will would could should "
    "they we our us he she his her them what when why how just get got still after again though "
    "than then there their from by as if about all any some more most much out up down over only "
    "also even ever never always because while which who whom whose where here now one two took "
    "make made take want need like love hate good bad great poor".split()
)
_OTHER_COMMON = frozenset(
    "le la les des du un une et est sont pas tres très avec pour dans sur mais que qui ne "
    "el los las del y es muy pero con por para una uno lo su al "
    "der die das und ist nicht sehr mit ein eine auf zu den dem ich "
    "il di che non per sono con una della "
    "não nao muito com uma os as é "
    "dan yang tidak ini itu saya dengan untuk".split()
)
_DIACRITIC = re.compile(r"[à-öø-ÿĀ-ž]")


def detect_lang(text: str) -> str:
    """zh | en | mixed | other, from the scripts present (deterministic, no model).

    mixed = at least two Han characters *and* at least one Latin word of two or more letters, the
    way code-mixed feedback looks ("app更新之后一直闪退")."""
    if text.isascii():
        han = 0
    else:
        han = len(_HAN.findall(text))
        if _RARE_SCRIPT.search(text):  # one scan instead of three for the usual zh/en text
            kana = len(_KANA.findall(text))
            if kana and kana * 4 >= han:
                return "other"  # Japanese uses Han too; kana gives it away
            if _HANGUL.search(text) or (_OTHER_SCRIPT.search(text) and not han):
                return "other"
    words = _LATIN_WORD.findall(text)
    if han >= 2 and words:
        return "mixed"
    if han:
        return "zh"
    if not words:
        return "other"
    lowered = [w.lower() for w in words]
    en = sum(w in _EN_COMMON for w in lowered)
    foreign = sum(w in _OTHER_COMMON for w in lowered)
    if foreign >= 2 and foreign > en:
        return "other"  # e.g. French or Spanish
    marks = len(_DIACRITIC.findall(text))
    if marks >= 2 and marks * 20 > sum(map(len, words)):
        return "other"
    return "en"


# ---------------------------------------------------------------- clauses
# Clause ends at punctuation; a contrast connective starts a new clause. Contrast matters for
# aspect sentiment: "菜很好吃但是配送太慢" has two clauses with opposite sentiment.
_CLAUSE_BREAK = re.compile(r"[。！？!?；;，,\n…~～]+|\.(?:\s+|$)|\s+-\s+")
_CONTRAST = re.compile(
    r"但是|(?<!不)但|不过|可是|然而|却|就是(?=太|有点|不)|(?<![a-z])(?:but|however|though|although|yet)(?![a-z])"
)


# Every _CONTRAST match contains one of these; most texts contain none, and a substring test is far
# cheaper than running the lookaround alternation over each clause.
_CONTRAST_WORDS = ("但", "不过", "可是", "然而", "却", "就是", "but", "however", "though", "yet")


def split_clauses(text: str, folded: str | None = None) -> list[Span]:
    """Clause spans covering the text's content (punctuation between clauses is left out)."""
    folded = fold(text) if folded is None else folded
    contrast = any(w in folded for w in _CONTRAST_WORDS)
    spans: list[Span] = []
    pos = 0
    for m in _CLAUSE_BREAK.finditer(folded):
        _add_clause(text, folded, pos, m.start(), spans, contrast)
        pos = m.end()
    _add_clause(text, folded, pos, len(text), spans, contrast)
    return spans


def _add_clause(text: str, folded: str, start: int, end: int, out: list[Span], contrast: bool) -> None:
    # Split once more at contrast connectives, keeping the connective with the clause it opens.
    points = [m.start() for m in _CONTRAST.finditer(folded, start, end) if m.start() > start] if contrast else ()
    for a, b in zip([start, *points], [*points, end]):
        part = text[a:b]
        core = part.strip()  # the same characters as str.isspace
        if core:
            a += len(part) - len(part.lstrip())
            out.append(Span(a, a + len(core), core))


def clause_index(clauses: list[Span], pos: int) -> int:
    """Index of the clause containing character `pos` (or the nearest before it)."""
    lo, hi = 0, len(clauses) - 1
    best = 0
    while lo <= hi:
        mid = (lo + hi) // 2
        if clauses[mid].start <= pos:
            best = mid
            lo = mid + 1
        else:
            hi = mid - 1
    return best


# ---------------------------------------------------------------- tokens
class Segmenter:
    """Words for topics and `lexicon explain`: a private jieba tokenizer for zh and mixed text (so
    user words never leak into the process-wide jieba), spaCy's rule tokenizer for English."""

    def __init__(self, user_words: list[str] | None = None):
        self._user_words = list(user_words or [])
        self._jieba = None
        self._spacy = None

    def _zh(self):
        if self._jieba is None:
            import logging

            import jieba

            jieba.setLogLevel(logging.WARNING)
            tok = jieba.Tokenizer()
            for w in self._user_words:
                tok.add_word(w, freq=2_000_000)
            tok.initialize()
            self._jieba = tok
        return self._jieba

    def _en(self):
        if self._spacy is None:
            import spacy

            self._spacy = spacy.blank("en").tokenizer
        return self._spacy

    def warm_up(self) -> None:
        self._zh().lcut("预热")

    def tokens(self, text: str, lang: str | None = None) -> list[str]:
        lang = lang or detect_lang(text)
        if lang == "en":
            return [t.text for t in self._en()(text) if not t.is_space]
        return [t for t in self._zh().lcut(text) if t.strip()]
