"""Taxonomy as code: load and validate `lexicons/*.toml`, compile them into fast matchers.

One schema for every group (touchpoints, pillars, costs, signals, sentiment, frustration, agent,
quality). A group file has a `[group]` table and `[labels.<id>]` tables; a label holds cue sets:
its own `zh`/`en`/`patterns` lists (variant "cues"), or, for polar groups such as pillars,
sub-tables `violated`, `honoured` and `aspect` (aspect cues take their polarity from the clause's
sentiment). `exclude` lists near-miss terms that must not count. See lexicons/README.md.

Matching is done on the folded text (see voc.text.fold) with one trie-shaped regex per group, so a
group with thousands of terms costs one C-level scan, and the longest term wins at each position
("不错" beats "错").
"""
from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from voc.errors import LexiconError
from voc.text import fold

GROUP_KINDS = {
    "aspect": {"cues"},  # touchpoints: sentiment comes from the clause
    "polar": {"violated", "honoured", "aspect"},  # pillars
    "plain": {"cues"},  # costs, signals, quality
    "weighted": {"cues"},  # sentiment, frustration, agent: weights matter
}
_LABEL_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_LABEL_KEYS = {"name", "description", "weight", "zh", "en", "emoji", "patterns", "exclude", "threshold",
               "pillars", "suggestion"}
_SET_KEYS = {"zh", "en", "emoji", "patterns", "exclude", "weight"}
_SPACE, _WILD, _END = "\x00sp", "\x00wild", ""


@dataclass(slots=True, frozen=True)
class Cue:
    group: str
    label: str | None  # None: an exclusion (near-miss) term that blocks the position
    variant: str
    weight: float
    source: str  # "zh:物流", "en:deliver*", "pattern:3"


@dataclass(slots=True, frozen=True)
class Hit:
    start: int
    end: int
    cue: Cue


@dataclass(slots=True)
class LabelInfo:
    id: str
    name: dict
    description: str
    weight: float
    extra: dict = field(default_factory=dict)


def _canon_en(s: str) -> str:
    return re.sub(r"[\s\-]+", " ", s)


def _tokens(term: str, en: bool) -> list[str]:
    toks: list[str] = []
    body, wild = (term[:-1], True) if en and term.endswith("*") else (term, False)
    for ch in body:
        if en and ch in " -":
            if not toks or toks[-1] != _SPACE:
                toks.append(_SPACE)
        else:
            toks.append(ch)
    if wild:
        toks.append(_WILD)
    return toks


def trie_regex(terms: list[list[str]]) -> str:
    """A regex matching any of the token lists, sharing prefixes; greedy, so longer terms win."""
    trie: dict = {}
    for toks in terms:
        node = trie
        for t in toks:
            node = node.setdefault(t, {})
        node[_END] = {}

    def build(node: dict) -> str:
        literal = sorted(k for k in node if k not in (_END, _WILD))
        alts = []
        for k in literal:
            head = r"[\s\-]+" if k == _SPACE else re.escape(k)
            alts.append(head + build(node[k]))
        if _WILD in node:
            alts.append(r"[a-z]*")
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 and len(alts[0]) == 1 else "(?:" + "|".join(alts) + ")"
        return body + "?" if _END in node else body

    return build(trie)


class GroupMatcher:
    """All cues of one group compiled into a literal trie regex plus one pattern regex."""

    def __init__(self, name: str, literal: dict[str, list[Cue]], wild: dict[str, list[Cue]],
                 patterns: list[tuple[str, Cue]]):
        self.name = name
        self._literal = literal
        self._wild = wild
        zh = [_tokens(t, en=False) for t in literal if not t.isascii()]
        en = [_tokens(t, en=True) for t in literal if t.isascii()]
        en += [_tokens(t + "*", en=True) for t in wild]
        parts = []
        if zh:
            parts.append(trie_regex(zh))
        if en:
            parts.append(r"(?<![a-z0-9])" + trie_regex(en) + r"(?![a-z0-9])")
        self._rx = re.compile("|".join(parts)) if parts else None
        self._patterns = [c for _, c in patterns]
        self.size = sum(len(v) for v in literal.values()) + sum(len(v) for v in wild.values()) + len(patterns)
        self._prx = (re.compile("|".join(f"(?P<p{i}>{p})" for i, (p, _) in enumerate(patterns)))
                     if patterns else None)

    def _lookup(self, matched: str) -> list[Cue]:
        if matched in self._literal:
            return self._literal[matched]
        canon = _canon_en(matched)
        if canon in self._literal:
            return self._literal[canon]
        for i in range(len(canon), 0, -1):
            if canon[:i] in self._wild:
                return self._wild[canon[:i]]
        return []

    def match(self, folded: str) -> list[Hit]:
        hits: list[Hit] = []
        if self._rx is not None:
            for m in self._rx.finditer(folded):
                if m.end() > m.start():
                    hits.extend(Hit(m.start(), m.end(), c) for c in self._lookup(m.group()))
        if self._prx is not None:
            for m in self._prx.finditer(folded):
                if m.end() > m.start():
                    hits.append(Hit(m.start(), m.end(), self._patterns[int(m.lastgroup[1:])]))
        # Exclusions block every hit of the group they overlap.
        blocks = [h for h in hits if h.cue.label is None]
        if blocks:
            hits = [h for h in hits if h.cue.label is not None
                    and not any(b.start < h.end and h.start < b.end for b in blocks)]
        hits.sort(key=lambda h: (h.start, -h.end))
        return hits


@dataclass
class Group:
    name: str
    kind: str
    description: str
    labels: dict[str, LabelInfo]
    matcher: GroupMatcher
    path: str


class LexiconSet:
    """Every group of a lexicon directory, validated and compiled; `hash` identifies the exact
    vocabulary a report was made with."""

    def __init__(self, groups: dict[str, Group], digest: str, root: Path, protected: list[str]):
        self.groups = groups
        self.hash = digest
        self.root = root
        self.protected_words = protected

    def match(self, group: str, folded: str) -> list[Hit]:
        g = self.groups.get(group)
        return g.matcher.match(folded) if g else []

    def label_ids(self, group: str) -> list[str]:
        g = self.groups.get(group)
        return list(g.labels) if g else []

    @classmethod
    def load(cls, root: str | Path) -> "LexiconSet":
        root = Path(root)
        if not root.is_dir():
            raise LexiconError([f"{root}: lexicon directory not found (set --lexicons or VOC_LEXICONS)"])
        problems: list[str] = []
        groups: dict[str, Group] = {}
        digest = hashlib.sha256()
        protected: list[str] = []
        for path in sorted(root.glob("*.toml")):
            raw = path.read_bytes()
            digest.update(path.name.encode() + b"\0" + raw)
            try:
                data = tomllib.loads(raw.decode("utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                problems.append(f"{path.name}: not valid TOML: {exc}")
                continue
            if path.stem == "userdict":
                protected.extend(str(w) for w in data.get("words", []))
                continue
            group = _compile_group(path, data, problems)
            if group is not None:
                if group.name in groups:
                    problems.append(f"{path.name}: group {group.name!r} also defined in {groups[group.name].path}")
                groups[group.name] = group
        if not groups and not problems:
            problems.append(f"{root}: no lexicon files (*.toml) found")
        if problems:
            raise LexiconError(problems)
        return cls(groups, digest.hexdigest()[:16], root, protected)


def _compile_group(path: Path, data: dict, problems: list[str]) -> Group | None:
    where = path.name
    head = data.get("group")
    if not isinstance(head, dict) or "name" not in head:
        problems.append(f"{where}: missing [group] table with a name")
        return None
    name, kind = str(head["name"]), str(head.get("kind", "plain"))
    if kind not in GROUP_KINDS:
        problems.append(f"{where}: [group] kind {kind!r} must be one of {sorted(GROUP_KINDS)}")
        return None
    for key in data:
        if key not in ("group", "labels"):
            problems.append(f"{where}: unknown top-level table [{key}] (expected [group] and [labels.<id>])")
    literal: dict[str, list[Cue]] = {}
    wild: dict[str, list[Cue]] = {}
    patterns: list[tuple[str, Cue]] = []
    labels: dict[str, LabelInfo] = {}
    for label_id, body in (data.get("labels") or {}).items():
        at = f"{where}: label {label_id!r}"
        if not _LABEL_ID.match(label_id):
            problems.append(f"{at}: id must be lower_snake_case ascii")
        if not isinstance(body, dict):
            problems.append(f"{at}: must be a table")
            continue
        weight = body.get("weight", 1.0)
        if not isinstance(weight, (int, float)):
            problems.append(f"{at}: weight must be a number, got {weight!r}")
            weight = 1.0
        name_ = body.get("name", {"en": label_id})
        if not isinstance(name_, dict):
            problems.append(f"{at}: name must be a table like {{zh = \"...\", en = \"...\"}}")
            name_ = {"en": label_id}
        extra = {k: body[k] for k in ("threshold", "pillars", "suggestion") if k in body}
        labels[label_id] = LabelInfo(label_id, name_, str(body.get("description", "")), float(weight), extra)
        allowed = GROUP_KINDS[kind]
        sets = {"cues": {k: v for k, v in body.items() if k in _SET_KEYS}}
        for key, val in body.items():
            if key in _LABEL_KEYS:
                continue
            if key in allowed and isinstance(val, dict):
                sets[key] = val
            else:
                problems.append(f"{at}: unknown key {key!r} (allowed: {sorted(_LABEL_KEYS | allowed)})")
        if kind == "polar" and any(sets["cues"].get(k) for k in ("zh", "en", "emoji", "patterns")):
            problems.append(f"{at}: a polar group puts its cues under violated / honoured / aspect")
        n_cues = 0
        for variant, cset in sets.items():
            vat = f"{at} [{variant}]" if variant != "cues" else at
            for key in cset:
                if key not in _SET_KEYS:
                    problems.append(f"{vat}: unknown key {key!r} (allowed: {sorted(_SET_KEYS)})")
            w = cset.get("weight", weight)
            if not isinstance(w, (int, float)):
                problems.append(f"{vat}: weight must be a number")
                w = 1.0
            for lang in ("zh", "en", "emoji", "exclude"):
                terms = cset.get(lang, [])
                if not isinstance(terms, list):
                    problems.append(f"{vat}: {lang} must be a list of strings")
                    continue
                seen: set[str] = set()
                for i, term in enumerate(terms):
                    pos = f"{vat}: {lang}[{i}]"
                    if not isinstance(term, str) or not term.strip():
                        problems.append(f"{pos}: must be a non-empty string, got {term!r}")
                        continue
                    folded = fold(term.strip())
                    if folded in seen:
                        problems.append(f"{pos}: duplicate term {term!r}")
                        continue
                    seen.add(folded)
                    if lang == "en" and not folded.isascii():
                        problems.append(f"{pos}: en term {term!r} has non-ascii characters (put it under zh)")
                        continue
                    if lang == "en" and ("*" in folded.rstrip("*") or folded == "*"):
                        problems.append(f"{pos}: '*' is only allowed at the end of an en term")
                        continue
                    cue = Cue(name, None if lang == "exclude" else label_id, variant, float(w),
                              f"{lang}:{term}")
                    if lang == "en" and folded.endswith("*"):
                        wild.setdefault(_canon_en(folded[:-1]), []).append(cue)
                    else:
                        literal.setdefault(_canon_en(folded) if folded.isascii() else folded, []).append(cue)
                    n_cues += lang != "exclude"
            pats = cset.get("patterns", [])
            if not isinstance(pats, list):
                problems.append(f"{vat}: patterns must be a list of regular expressions")
                pats = []
            for i, pat in enumerate(pats):
                pos = f"{vat}: patterns[{i}]"
                try:
                    rx = re.compile(str(pat))
                except re.error as exc:
                    problems.append(f"{pos}: invalid regex {pat!r}: {exc}")
                    continue
                if rx.groupindex:
                    problems.append(f"{pos}: named groups (?P<...>) are not allowed")
                    continue
                if rx.match(""):
                    problems.append(f"{pos}: pattern {pat!r} matches the empty string")
                    continue
                patterns.append((str(pat), Cue(name, label_id, variant, float(w), f"pattern:{pat}")))
                n_cues += 1
        if n_cues == 0:
            problems.append(f"{at}: has no cues (zh, en or patterns)")
    return Group(name, kind, str(head.get("description", "")), labels,
                 GroupMatcher(name, literal, wild, patterns), where)
