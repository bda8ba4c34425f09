"""Rule layer of sentiment: lexicon cues with negation, intensity, contrast, sarcasm, rhetoric.

The rule layer gives clause scores (needed for aspect sentiment) and a document score; a trained
backend (voc.models), when configured, is blended into the document score. Rules catch what a
bag-of-n-grams model misses (negation scope, contrast, sarcasm); the model catches the long tail of
wording no lexicon lists.
"""
from __future__ import annotations

import math

from voc.stages.context import Work

POLAR = {"positive", "positive_strong", "negative", "negative_strong", "sarcasm", "rhetorical"}
_CONTRAST_OPENERS = ("但是", "但", "不过", "可是", "然而", "却", "就是", "but", "however", "though", "although", "yet")


def score_clauses(work: Work) -> None:
    hits = work.lex.match("sentiment", work.folded)
    work.negators = [h for h in hits if h.cue.label == "negator"]
    by_pos: dict[tuple[int, int], set[str]] = {}
    for h in hits:
        by_pos.setdefault((h.start, h.end), set()).add(h.cue.label)
    polar = [h for h in hits if h.cue.label in POLAR]
    work.sentiment_hits = polar
    mods = [h for h in hits if h.cue.label in ("intensifier", "downtoner")]
    scores = [0.0] * max(1, len(work.clauses))
    polar_starts = {h.start for h in polar}
    for h in polar:
        labels = by_pos[(h.start, h.end)]
        # "好慢", "死贵": a word that is both a polarity cue and an intensifier intensifies when a
        # polarity cue follows right after it.
        if "intensifier" in labels and any(s in polar_starts for s in (h.end, h.end + 1)):
            continue
        value = h.cue.weight
        for m in mods:
            if m.end <= h.start and h.start - m.end <= (1 if not m.cue.source.startswith("en") else 8) \
                    and (m.start, m.end) != (h.start, h.end):
                value *= m.cue.weight
        if h.cue.label not in ("sarcasm", "rhetorical") and work.is_negated(h.start):
            value = -value * (0.8 if value > 0 else 0.5)
        scores[work.clause_of(h.start)] += value
    # Contrast: what follows "but" is what the writer means.
    for i, clause in enumerate(work.clauses):
        if i and work.folded[clause.start:clause.start + 8].lstrip().startswith(_CONTRAST_OPENERS):
            scores[i] *= 1.5
            scores[i - 1] *= 0.6
        tail = work.fb.text[clause.end:clause.end + 3]
        if "!" in tail or "！" in tail:
            scores[i] *= 1.2
    work.clause_scores = scores


def rule_document_score(work: Work) -> float:
    total = sum(work.clause_scores)
    return math.tanh(total / 2.0)


def label_of(score: float, threshold: float = 0.15) -> str:
    if score >= threshold:
        return "positive"
    if score <= -threshold:
        return "negative"
    return "neutral"


def clause_score(work: Work, index: int) -> float:
    return math.tanh(work.clause_scores[index] / 1.5) if work.clause_scores else 0.0
