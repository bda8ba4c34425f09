"""One scan for every lexicon group: Aho-Corasick automata over all terms, plus prefiltered patterns.

Why: the analyzer needs the hits of eight groups (touchpoints, pillars, costs, signals, sentiment,
frustration, agent, quality; ~7,000 cues) for every record. One regex per group costs eight scans of
the text and ~300 µs on a 40-character record; two Aho-Corasick automata (C code, pyahocorasick)
find every occurrence of every term of every group in one pass each, and the per-group rules are
then applied to the few hits only.

Semantics (the same for every group, checked against a brute-force oracle in tests/test_lexicon.py):
- Terms match the folded text (voc.text.fold). A non-ASCII term (zh, emoji, mixed "app闪退") matches
  anywhere; an ASCII term only between word boundaries (no [a-z0-9] right before or after it), with
  any run of spaces/hyphens in the text standing for one space of the term ("wi-fi" = "wi fi"), and
  "deliver*" matching "deliver", "delivered", "delivery".
- Per group, leftmost-longest and non-overlapping: scanning left to right, the longest term of the
  group that starts at a position wins ("不错" beats "错") and the next hit of that group starts after
  it. Groups never shadow each other.
- A group's patterns (regular expressions) run as one alternation over the folded text; a pattern is
  skipped when the text lacks every string one of its matches must contain (its "factors", derived
  from the regex syntax tree), which cannot change the result, since such a pattern matches nowhere.
- Exclusion terms (label None) remove every hit of their group that they overlap.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

import ahocorasick

try:  # Python >= 3.11 keeps the regex parser here
    from re import _constants as sre_c
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as sre_c  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

_WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
_SEP_RUN = re.compile(r"[\s\-]+")
_ASCII = re.compile(r"[\x00-\x7f]")
_ODD_SEPARATOR = re.compile(r"[^\S ]|  |-")  # anything the spaced view would change
_EDGE = -1  # trigger ids of edge terms: -1, -2, ... (pattern ids are >= 0)
_LITERAL = 1 << 30  # rank of a literal term (a stem ranks by its length)
_MAX_CLASS = 64  # a character class larger than this is not a useful factor


class Hit(NamedTuple):
    """One cue found in a folded text: [start, end) and the cue (voc.lexicon.Cue). A tuple, since
    a record makes dozens of them and a tuple is the cheapest immutable object to build."""
    start: int
    end: int
    cue: object


# ----------------------------------------------------------------------------- pattern factors
def pattern_factors(pattern: str) -> frozenset[str] | None:
    """Strings of which every match of `pattern` contains at least one, or None if none can be
    derived (then the pattern always runs). Conservative: any construct not understood gives None."""
    try:
        tree = sre_parse.parse(pattern)
    except re.error:
        return None
    if tree.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    try:
        return _seq_factors(list(tree))
    except _Unsafe:
        return None


class _Unsafe(Exception):
    pass


def _score(fs: frozenset[str]) -> tuple[bool, int, int]:
    # Longer factors are rarer in text; at equal length, fewer alternatives are more selective; a
    # set of very many short strings ("00".."99") is nearly always present, so it ranks last.
    return (len(fs) <= 64, min(len(f) for f in fs), -len(fs))


def _seq_factors(items: list) -> frozenset[str] | None:
    """Best factor set of a sequence: each run of consecutive items that match a small finite set
    of strings gives the set of their concatenations ("(?:换|转)了" -> {换了, 转了}, rarer than
    {了}); any other item gives its own factors."""
    candidates: list[frozenset[str]] = []
    run: list[frozenset[str]] = []

    def close_run():
        if run:
            product = _EMPTY
            for part in run:
                nxt = _concat(product, part)
                if nxt is None:  # too many: keep what was built, start again here
                    if "" not in product:
                        candidates.append(product)
                    nxt = part
                product = nxt
            if "" not in product:
                candidates.append(product)
            run.clear()

    for op, av in items:
        exact = _exact(op, av)
        if exact is not None:
            if exact != _EMPTY:  # zero-width items (lookarounds, anchors) keep the run going
                run.append(exact)
            continue
        close_run()
        got = _node_factors(op, av)
        if got:
            candidates.append(got)
    close_run()
    return max(candidates, key=_score) if candidates else None


_EMPTY = frozenset([""])
_MAX_PRODUCT = 256


def _concat(left: frozenset[str], right: frozenset[str]) -> frozenset[str] | None:
    """Every string of `left` followed by every string of `right`; None if more than _MAX_PRODUCT."""
    if len(left) * len(right) > _MAX_PRODUCT * 4:
        return None
    out = frozenset(a + b for a in left for b in right)
    return out if len(out) <= _MAX_PRODUCT else None


def _subpattern_body(av) -> list:
    """The items of a group; a group that switches on case-insensitive or verbose matching makes
    literal factors meaningless, so the whole pattern gets none."""
    _group, add_flags, _del_flags, body = av
    if add_flags & (re.IGNORECASE | re.VERBOSE):
        raise _Unsafe
    return list(body)


def _exact(op, av) -> frozenset[str] | None:
    """The finite set of strings this item matches, if small (None: unbounded, large or unknown)."""
    if op is sre_c.LITERAL:
        return frozenset([chr(av)])
    if op in (sre_c.AT, sre_c.ASSERT, sre_c.ASSERT_NOT):
        return _EMPTY
    if op is sre_c.IN:
        return _node_factors(op, av)
    if op is sre_c.SUBPATTERN:
        return _exact_seq(_subpattern_body(av))
    if op is sre_c.BRANCH:
        out: set[str] = set()
        for alt in av[1]:
            got = _exact_seq(list(alt))
            if got is None:
                return None
            out |= got
        return frozenset(out) if len(out) <= _MAX_PRODUCT else None
    if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT) and av[1] <= 3:
        lo, hi, body = av
        one = _exact_seq(list(body))
        if one is None:
            return None
        out, layer = set(), _EMPTY
        for k in range(hi + 1):
            if k >= lo:
                out |= layer
            if k < hi:
                layer = _concat(layer, one)
                if layer is None:
                    return None
        return frozenset(out) if len(out) <= _MAX_PRODUCT else None
    return None


def _exact_seq(items: list) -> frozenset[str] | None:
    product: frozenset[str] | None = _EMPTY
    for op, av in items:
        part = _exact(op, av)
        if part is None:
            return None
        product = _concat(product, part)
        if product is None:
            return None
    return product


def _node_factors(op, av) -> frozenset[str] | None:
    if op is sre_c.SUBPATTERN:
        return _seq_factors(_subpattern_body(av))
    if op is sre_c.ATOMIC_GROUP:
        return _seq_factors(list(av))
    if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, getattr(sre_c, "POSSESSIVE_REPEAT", None)):
        lo, _hi, body = av
        return _seq_factors(list(body)) if lo >= 1 else None
    if op is sre_c.BRANCH:
        union: set[str] = set()
        for alt in av[1]:
            got = _seq_factors(list(alt))
            if not got:
                return None
            union |= got
        return frozenset(union)
    if op is sre_c.IN:
        chars: set[str] = set()
        for iop, iav in av:
            if iop is sre_c.LITERAL:
                chars.add(chr(iav))
            elif iop is sre_c.RANGE and iav[1] - iav[0] < _MAX_CLASS:
                chars.update(chr(c) for c in range(iav[0], iav[1] + 1))
            else:  # NEGATE, CATEGORY, big ranges
                return None
        return frozenset(chars) if 0 < len(chars) <= _MAX_CLASS else None
    if op is sre_c.GROUPREF_EXISTS:
        raise _Unsafe
    return None  # ANY, AT, lookarounds, categories: no factor, but no harm


# ----------------------------------------------------------------------------- compiled engine
@dataclass(slots=True)
class GroupTerms:
    """What the engine needs of one group (built by voc.lexicon from the TOML)."""
    name: str
    literal: dict  # folded term (ASCII terms with one space per separator run) -> [Cue]
    wild: dict  # ASCII stem of "stem*" -> [Cue]
    patterns: list  # [(regex source, Cue)]


class LexiconMatcher:
    """Every group of a lexicon set compiled into two automata and prefiltered pattern sets."""

    def __init__(self, groups: list[GroupTerms]):
        self.names = [g.name for g in groups]
        self._groups = groups
        # Non-ASCII terms and pattern factors are found in the folded text itself; ASCII terms in
        # its "spaced" view where every run of spaces/hyphens is one space.
        self._han = ahocorasick.Automaton()
        self._ascii = ahocorasick.Automaton()
        han: dict[str, tuple[list, list]] = {}
        asc: dict[str, tuple[list, list]] = {}
        self._always: list[list[int]] = []  # per group: patterns with no factor
        self._edge: list[list] = []  # per group: [(regex, cues)] of terms with edge separators
        self._pattern_cues: list[list] = []
        self._pattern_src: list[list[str]] = []
        for gi, g in enumerate(groups):
            edge = []
            for term, cues in g.literal.items():
                if term.isascii() and (term.startswith(" ") or term.endswith(" ")):
                    # "-_-": a separator at the edge of a term may start or end anywhere in a run
                    # of separators, which the spaced view cannot show; such rare terms use a regex.
                    pieces = term.split(" ")
                    body = r"[\s\-]+".join(re.escape(t) for t in pieces)
                    core = max(pieces, key=len)
                    if core:  # run the regex only when the text holds the term's longest piece
                        han.setdefault(core, ([], []))[1].append((gi, _EDGE - len(edge)))
                    edge.append((re.compile(r"(?<![a-z0-9])(?=(" + body + r")(?![a-z0-9]))"), tuple(cues),
                                 not core))
                    continue
                table = asc if term.isascii() else han
                table.setdefault(term, ([], []))[0].append((gi, tuple(cues)))
            self._edge.append(edge)
            for stem, cues in g.wild.items():
                asc.setdefault(stem, ([], []))[1].append((gi, tuple(cues)))
            always = []
            for pi, (src, _cue) in enumerate(g.patterns):
                fs = pattern_factors(src)
                if not fs:
                    always.append(pi)
                    continue
                for f in fs:
                    han.setdefault(f, ([], []))[1].append((gi, pi))
            self._always.append(always)
            self._pattern_cues.append([c for _, c in g.patterns])
            self._pattern_src.append([s for s, _ in g.patterns])
        for key, (lit, extra) in han.items():
            self._han.add_word(key, (len(key), tuple(lit), tuple(extra)))
        for key, (lit, wild) in asc.items():
            self._ascii.add_word(key, (len(key), tuple(lit), tuple(wild)))
        for a, table in ((self._han, han), (self._ascii, asc)):
            if table:
                a.make_automaton()
        self._has_han, self._has_edge = bool(han), any(self._edge)
        # The ASCII automaton runs only on text holding a character some ASCII term starts with.
        firsts = sorted({k[0] for k in asc})
        self._ascii_gate = re.compile("[" + "".join(re.escape(c) for c in firsts) + "]") if firsts else None
        self._alternations: list[dict] = [{} for _ in groups]

    def _alternation(self, gi: int, chosen: tuple[int, ...]):
        cache = self._alternations[gi]
        rx = cache.get(chosen)
        if rx is None:
            src = self._pattern_src[gi]
            rx = re.compile("|".join(f"(?P<p{pi}>{src[pi]})" for pi in chosen))
            if len(cache) < 4096:
                cache[chosen] = rx
        return rx

    def match_all(self, folded: str) -> dict[str, list[Hit]]:
        n = len(self._groups)
        # per group: start -> (end, cues, rank) of the longest term starting there
        best: list[dict] = [{} for _ in range(n)]
        triggered: dict[int, set[int]] = {}
        if self._has_han:
            for last, (ln, lit, pats) in self._han.iter(folded):
                start, end = last + 1 - ln, last + 1
                for gi, cues in lit:
                    cand = best[gi]
                    old = cand.get(start)
                    if old is None or end > old[0]:
                        cand[start] = (end, cues, _LITERAL)
                for gi, pi in pats:
                    got = triggered.get(gi)
                    if got is None:
                        triggered[gi] = {pi}
                    else:
                        got.add(pi)
        if self._ascii_gate is not None and self._ascii_gate.search(folded):
            self._ascii_hits(folded, best)
        if self._has_edge and _ASCII.search(folded):
            for gi, edge in enumerate(self._edge):
                fired = triggered.get(gi, ())
                for ei, (rx, cues, ungated) in enumerate(edge):
                    if ungated or _EDGE - ei in fired:
                        for m in rx.finditer(folded):
                            _keep_longest(best[gi], m.start(1), m.end(1), cues, _LITERAL)
        out: dict[str, list[Hit]] = {}
        for gi, name in enumerate(self.names):
            cand = best[gi]
            chosen = triggered.get(gi)
            if chosen and self._edge[gi]:
                chosen = {pi for pi in chosen if pi >= 0}  # drop the edge-term triggers
            always = self._always[gi]
            if not cand and not chosen and not always:
                out[name] = []
                continue
            hits: list[Hit] = []
            blocks: list[Hit] = []
            if cand:
                nxt = -1
                for start in sorted(cand):
                    if start >= nxt:
                        end, cues, _rank = cand[start]
                        for c in cues:
                            h = Hit(start, end, c)
                            hits.append(h)
                            if c.label is None:
                                blocks.append(h)
                        nxt = end
            if chosen or always:
                order = tuple(sorted(chosen.union(always) if chosen else always))
                pcues = self._pattern_cues[gi]
                for m in self._alternation(gi, order).finditer(folded):
                    if m.end() > m.start():
                        hits.append(Hit(m.start(), m.end(), pcues[int(m.lastgroup[1:])]))
            if blocks:  # exclusion terms block every hit of their group they overlap
                hits = [h for h in hits if h.cue.label is not None
                        and not any(b.start < h.end and h.start < b.end for b in blocks)]
            if len(hits) > 1:
                hits.sort(key=_hit_order)
            out[name] = hits
        return out

    def _ascii_hits(self, folded: str, best: list[dict]) -> None:
        spaced, where = _spaced_view(folded)
        size = len(spaced)
        for last, (ln, lit, wild) in self._ascii.iter(spaced):
            start, end = last + 1 - ln, last + 1
            if start > 0 and spaced[start - 1] in _WORD:
                continue
            o_start = where[start]
            if lit and (end == size or spaced[end] not in _WORD):
                o_end = where[end - 1] + 1
                for gi, cues in lit:
                    _keep_longest(best[gi], o_start, o_end, cues, rank=_LITERAL)
            if wild:
                stop = end
                while stop < size and spaced[stop] in _LETTERS:
                    stop += 1
                if stop < size and spaced[stop] in _WORD:
                    continue  # letters then a digit: "late2" is no word "late*"
                o_end = where[stop - 1] + 1
                for gi, cues in wild:
                    _keep_longest(best[gi], o_start, o_end, cues, rank=ln)


def _hit_order(h: Hit) -> tuple[int, int]:
    return (h.start, -h.end)


def _keep_longest(cand: dict, start: int, end: int, cues: tuple, rank: int) -> None:
    """Longest wins; on an equal span a literal term beats a stem, and a longer stem a shorter one
    ("delivery" over "deliver*", "advertis*" over "advert*")."""
    old = cand.get(start)
    if old is None or end > old[0] or (end == old[0] and rank > old[2]):
        cand[start] = (end, cues, rank)


def _spaced_view(folded: str) -> tuple[str, list[int]]:
    """The folded text with each run of whitespace/hyphens as one space, and for each character of
    it the index of the corresponding character of the folded text."""
    if _ODD_SEPARATOR.search(folded) is None:
        return folded, range(len(folded))  # type: ignore[return-value]
    parts, where, pos = [], [], 0
    for m in _SEP_RUN.finditer(folded):
        parts.append(folded[pos:m.start()])
        where.extend(range(pos, m.start()))
        parts.append(" ")
        where.append(m.start())
        pos = m.end()
    parts.append(folded[pos:])
    where.extend(range(pos, len(folded)))
    return "".join(parts), where
