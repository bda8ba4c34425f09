"""Taxonomy as code: load and validate `lexicons/*.toml`, compile them into fast matchers.

One schema for every group (touchpoints, pillars, costs, signals, sentiment, frustration, agent,
quality). A group file has a `[group]` table and `[labels.<id>]` tables; a label holds cue sets:
its own `zh`/`en`/`patterns` lists (variant "cues"), or, for polar groups such as pillars,
sub-tables `violated`, `honoured` and `aspect` (aspect cues take their polarity from the clause's
sentiment). `exclude` lists near-miss terms that must not count. See lexicons/README.md.

Matching is done on the folded text (see voc.text.fold) by voc.matching: every term of every group
in two Aho-Corasick automata, so all groups together cost one C-level scan; per group the longest
term wins at each position ("不错" beats "错").
"""
from __future__ import annotations

import hashlib
import re
import threading
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from voc.errors import LexiconError
from voc.matching import GroupTerms, Hit, LexiconMatcher
from voc.text import fold

__all__ = ["Cue", "Group", "GroupMatcher", "Hit", "LabelInfo", "LexiconSet"]

GROUP_KINDS = {
    "aspect": {"cues"},  # touchpoints: sentiment comes from the clause
    "polar": {"violated", "honoured", "aspect"},  # pillars
    "plain": {"cues"},  # costs, signals, quality
    "weighted": {"cues"},  # sentiment, frustration, agent: weights matter
}
_CACHED_CHARS = 2000
_LABEL_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_LABEL_KEYS = {"name", "description", "weight", "zh", "en", "emoji", "patterns", "exclude", "threshold",
               "pillars", "suggestion"}
_SET_KEYS = {"zh", "en", "emoji", "patterns", "exclude", "weight", "noflip"}


@dataclass(slots=True, frozen=True)
class Cue:
    group: str
    label: str | None  # None: an exclusion (near-miss) term that blocks the position
    variant: str
    weight: float
    source: str  # "zh:物流", "en:deliver*", "pattern:3"


@dataclass(slots=True)
class LabelInfo:
    id: str
    name: dict
    description: str
    weight: float
    extra: dict = field(default_factory=dict)


def _canon_en(s: str) -> str:
    return re.sub(r"[\s\-]+", " ", s)


class GroupMatcher(GroupTerms):
    """The cues of one group, as the matching engine (voc.matching) takes them."""

    @property
    def size(self) -> int:
        return (sum(len(v) for v in self.literal.values()) + sum(len(v) for v in self.wild.values())
                + len(self.patterns))


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
        self._engine = LexiconMatcher([g.matcher for g in groups.values()])
        # The stages ask for one group at a time, and the analyzer prepares a whole batch before
        # finishing it: the first ask matches every group at once, the rest read this per-thread
        # cache of recent texts (short texts only, so a few huge records cannot pin memory).
        self._local = threading.local()
        self.cache_size = 1024

    def match_all(self, folded: str) -> dict[str, list[Hit]]:
        """Every group's hits on a folded text (lists shared with the cache: do not mutate)."""
        if len(folded) > _CACHED_CHARS:
            return self._engine.match_all(folded)
        cache = getattr(self._local, "cache", None)
        if cache is None:
            cache = self._local.cache = {}
        hits = cache.get(folded)
        if hits is None:
            hits = self._engine.match_all(folded)
            if len(cache) >= self.cache_size:
                del cache[next(iter(cache))]  # oldest first
            cache[folded] = hits
        return hits

    def match(self, group: str, folded: str) -> list[Hit]:
        return self.match_all(folded).get(group, [])

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
            # polar cues a negation must drop instead of flipping ("never ... again" is not "reliable")
            noflip = cset.get("noflip", [])
            if noflip and variant not in ("violated", "honoured"):
                problems.append(f"{at} [{variant}]: noflip is only for violated / honoured cues")
            elif not isinstance(noflip, list) or not all(isinstance(t, str) for t in noflip):
                problems.append(f"{at} [{variant}]: noflip must be a list of this set's zh / en terms")
            elif noflip:
                listed = {fold(t.strip()) for lang in ("zh", "en") for t in cset.get(lang, []) if isinstance(t, str)}
                for t in noflip:
                    if fold(t.strip()) not in listed:
                        problems.append(f"{at} [{variant}]: noflip term {t!r} is not one of this set's zh / en terms")
                labels[label_id].extra.setdefault("noflip", set()).update(
                    f"{'en' if t.isascii() else 'zh'}:{t}" for t in noflip)
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
                    # "crew member*" is a stem for an en term and for an (ASCII) exclusion alike
                    if lang in ("en", "exclude") and folded.isascii() and folded.endswith("*"):
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
                if "\\\\" in str(pat):
                    # '...\\s' in a TOML literal string is a regex for a backslash, not for a space
                    problems.append(f"{pos}: pattern {pat!r} matches a literal backslash; in a '...' "
                                    f"string write one backslash (\\s, \\?), in a \"...\" string two")
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
