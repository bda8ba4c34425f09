"""The lexicon matching engine (voc/matching.py) against a brute-force oracle written from the
documented semantics: every term found by its own regex, per group leftmost-longest, patterns as one
unfiltered alternation, exclusions blocking what they overlap. zh, en, mixed, emoji and hostile
texts; hypothesis texts stitched from real lexicon terms; and the soundness of the pattern
prefilter (every match of a pattern contains one of its factors)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voc.lexicon import LexiconSet
from voc.lexicon_tests import load_cases
from voc.matching import pattern_factors
from voc.text import fold

ROOT = Path(__file__).resolve().parent.parent
LEXICONS = ROOT / "lexicons"
AIRLINE = LEXICONS / "journeys" / "airline"


def _term_regex(term: str) -> str:
    if not term.isascii():
        return re.escape(term)
    body = r"[\s\-]+".join(re.escape(t) for t in term.split(" "))
    return r"(?<![a-z0-9])" + body + r"(?![a-z0-9])"


class Oracle:
    """Slow and obvious: one regex per term, run at every position."""

    def __init__(self, lex: LexiconSet):
        self.groups = {}
        for name, g in lex.groups.items():
            m = g.matcher
            terms = [(re.compile("(?=(" + _term_regex(t) + "))"), cues, 2) for t, cues in m.literal.items()]
            terms += [(re.compile(r"(?<![a-z0-9])(?=(" + r"[\s\-]+".join(re.escape(x) for x in stem.split(" "))
                                  + r"[a-z]*)(?![a-z0-9]))"), cues, 1, len(stem)) for stem, cues in m.wild.items()]
            alternation = (re.compile("|".join(f"(?P<p{i}>{src})" for i, (src, _) in enumerate(m.patterns)))
                           if m.patterns else None)
            self.groups[name] = (terms, alternation, [c for _, c in m.patterns])

    def match(self, group: str, folded: str) -> list[tuple]:
        terms, alternation, pcues = self.groups[group]
        at: dict[int, tuple] = {}  # start -> (end, kind, stem length, cues)
        for entry in terms:
            rx, cues, kind = entry[0], entry[1], entry[2]
            stem = entry[3] if len(entry) > 3 else 0
            for m in rx.finditer(folded):
                s, e = m.start(1), m.end(1)
                if e <= s:
                    continue
                old = at.get(s)
                if old is None or (e, kind, stem) > old[:3]:
                    at[s] = (e, kind, stem, cues)
        hits, nxt = [], -1
        for s in sorted(at):
            if s >= nxt:
                e, _, _, cues = at[s]
                hits += [(s, e, c) for c in cues]
                nxt = e
        if alternation is not None:
            hits += [(m.start(), m.end(), pcues[int(m.lastgroup[1:])])
                     for m in alternation.finditer(folded) if m.end() > m.start()]
        blocks = [h for h in hits if h[2].label is None]
        hits = [h for h in hits if h[2].label is not None
                and not any(b[0] < h[1] and h[0] < b[1] for b in blocks)]
        return sorted((s, e, c.label, c.variant, c.source) for s, e, c in hits)


@pytest.fixture(scope="module", params=[LEXICONS, AIRLINE], ids=["default", "airline"])
def lex_and_oracle(request):
    lex = LexiconSet.load(request.param)
    return lex, Oracle(lex)


def _same(lex, oracle, text):
    folded = fold(text)
    got = lex.match_all(folded)
    for group in lex.groups:
        have = sorted((h.start, h.end, h.cue.label, h.cue.variant, h.cue.source) for h in got[group])
        assert have == oracle.match(group, folded), (group, text)


CASES = [
    "送货态度非常好,提前了20多分钟,奶茶一如既往的好", "外包装名称写清楚了,不然不知是什么口味",
    "@中国联通客服 信号差！！😡", "Delivery fee? late fee! wi-fi 信号 ok", "口", "",
    "the crew members left and the crew was rude", "I have a girlfriend -_-", "我等了3个小时还没到",
    "打了5次电话，第三次才有人接", "They said it was delivered but nothing came", "deliveryman delivered2 late2",
    "好评好评好评好评", "great great great great!!", "退款退了一个月还是处理中", "app闪退，customer service 不理",
    "on-hold for 45 minutes", "on   hold  -  again", "充值了100元却没到账,投诉到工信部",
]


def test_engine_equals_oracle_on_examples(lex_and_oracle):
    lex, oracle = lex_and_oracle
    examples = [c["text"] for _, _, c in load_cases(lex.root)]
    for text in CASES + examples:
        _same(lex, oracle, text)


def _vocabulary(root: Path) -> list[str]:
    lex = LexiconSet.load(root)
    words = []
    for g in lex.groups.values():
        words += list(g.matcher.literal)[:400] + [w + "ed" for w in list(g.matcher.wild)[:100]]
    return words


_WORDS = _vocabulary(LEXICONS)
_NOISE = st.sampled_from([" ", "-", "  ", ",", "，", "。", "!", "?", "？", "了", "不", "没", "很", "a", "1", "3个", "😡",
                          "also", "但是", "but ", "not ", "第", "次", "天", "还", "说好的", "却"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(_WORDS), _NOISE), max_size=14))
def test_engine_equals_oracle_on_stitched_texts(parts):
    lex = _default_lex()
    _same(lex, _default_oracle(), "".join(parts))


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=60))
def test_engine_equals_oracle_on_arbitrary_unicode(text):
    _same(_default_lex(), _default_oracle(), text)


_CACHE: dict = {}


def _default_lex():
    if "lex" not in _CACHE:
        _CACHE["lex"] = LexiconSet.load(LEXICONS)
    return _CACHE["lex"]


def _default_oracle():
    if "oracle" not in _CACHE:
        _CACHE["oracle"] = Oracle(_default_lex())
    return _CACHE["oracle"]


# ----------------------------------------------------------------------------- pattern factors
@pytest.mark.parametrize("pattern,text,should_match", [
    ("(?:换|转)了(?:[二三]+|好几)次", "我换了好几次客服", True),
    ("第[二三四0-9]+次", "这是第3次了", True),
    (r"(?<![a-z])called\s+(?:[a-z]+\s){0,3}again", "i called them again", True),
    ("说好的?[^。]{0,16}(?:结果|却)", "说好今天到结果没到", True),
    (r"[?？]\s*[!！]", "what?!", True),
    ("^(?:好评[!！,，。.~\\s]*){3,}$", "好评好评好评", True),
    ("(?:a|b)?c", "xcx", True),
])
def test_factors_are_found_in_every_match(pattern, text, should_match):
    factors = pattern_factors(pattern)
    m = re.search(pattern, text)
    assert bool(m) == should_match
    if factors is not None and m:
        assert any(f in text for f in factors), (pattern, factors)


@pytest.mark.parametrize("pattern", ["(?i)abc", "a|", ".*", r"\w+", "(?:x)?", "(a)?(?(1)b|c)"])
def test_factors_are_none_when_nothing_is_certain(pattern):
    assert pattern_factors(pattern) is None


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_factors_of_shipped_patterns_are_sound(data):
    """For a shipped pattern and a text built to match it often, every match holds a factor."""
    lex = _default_lex()
    patterns = [src for g in lex.groups.values() for src, _ in g.matcher.patterns]
    src = data.draw(st.sampled_from(patterns))
    factors = pattern_factors(src)
    pieces = st.sampled_from(["还", "没", "次", "天", "个", "了", "多", "3", "10", "第", "分钟", "小时", "说好", "却",
                              "结果", " ", "called", "times", "again", "for", "the", "second", "time", "?", "!",
                              "吗", "难道", "不是", "promised", "but", "still", "days", "¥", "$", "5"])
    text = "".join(data.draw(st.lists(pieces, max_size=16)))
    for m in re.finditer(src, text):
        if factors is not None and m.end() > m.start():
            assert any(f in text for f in factors), (src, text)
