"""Touchpoints, trust pillars, costs and signals from the lexicons, each with its evidence spans."""
from __future__ import annotations

from voc.records import Label
from voc.stages.context import Work, span
from voc.stages.sentiment import clause_score, label_of


def _aspect_sentiment(work: Work, starts: list[int], doc_score: float) -> float:
    """Sentiment of the clauses that mention an aspect; a clause with no sentiment of its own
    borrows the next clause's ("物流，三天才到" ), then the document's."""
    total = 0.0
    for s in starts:
        ci = work.clause_of(s)
        score = clause_score(work, ci)
        if abs(score) < 0.15 and ci + 1 < len(work.clause_scores):
            score = clause_score(work, ci + 1)
        total += score
    total /= max(1, len(starts))
    return total if abs(total) >= 0.15 else doc_score * 0.5


def touchpoints(work: Work, doc_score: float) -> list[Label]:
    found: dict[str, list] = {}
    for h in work.lex.match("touchpoints", work.folded):
        found.setdefault(h.cue.label, []).append(h)
    out = []
    for label_id in work.lex.label_ids("touchpoints"):
        hits = found.get(label_id)
        if not hits:
            continue
        score = _aspect_sentiment(work, [h.start for h in hits], doc_score)
        out.append(Label(label_id, _evidence(work, hits), sentiment=label_of(score), score=score))
    return out


def pillars(work: Work) -> list[Label]:
    votes: dict[str, dict[str, list]] = {}
    for h in work.lex.match("pillars", work.folded):
        variant = h.cue.variant
        if variant == "aspect":
            s = clause_score(work, work.clause_of(h.start))
            if abs(s) < 0.2:
                continue
            polarity = "honoured" if s > 0 else "violated"
        else:
            polarity = variant
            if work.is_negated(h.start):
                polarity = "honoured" if polarity == "violated" else "violated"
        votes.setdefault(h.cue.label, {"violated": [], "honoured": []})[polarity].append(h)
    out = []
    for label_id in work.lex.label_ids("pillars"):
        v = votes.get(label_id)
        if not v:
            continue
        # Complaints outweigh praise at equal evidence: a violation is what the CX team must act on.
        polarity = "honoured" if len(v["honoured"]) > len(v["violated"]) else "violated"
        out.append(Label(label_id, _evidence(work, v[polarity]), polarity=polarity))
    return out


def plain(work: Work, group: str) -> list[Label]:
    found: dict[str, list] = {}
    for h in work.lex.match(group, work.folded):
        if work.is_negated(h.start):
            continue
        found.setdefault(h.cue.label, []).append(h)
    return [Label(label_id, _evidence(work, found[label_id]))
            for label_id in work.lex.label_ids(group) if label_id in found]


def _evidence(work: Work, hits: list) -> list:
    seen, spans = set(), []
    for h in hits:
        if (h.start, h.end) not in seen:
            seen.add((h.start, h.end))
            spans.append(span(work, h.start, h.end))
    return spans
