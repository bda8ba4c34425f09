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
_CONTRAST_OPENERS = ("但是", "但", "不过", "可是", "然而", "却", "就是", "but", "however", "yet")
# Concessive openers mark the clause that matters LESS ("although it was late, the staff were lovely").
# Cues of politeness that count as praise only when nothing in the text is negative.
_COURTESY = frozenset({"thank*", "thx", "ty", "appreciat*", "谢谢", "感谢", "辛苦了", "thanks", "thank you"})
_EMPHATIC_NEG = ("一点都不", "一点也不", "完全不", "根本不", "丝毫不", "毫不", "并不", "从不", "绝不", "absolutely not ", "not ")
_CONCESSIVE_OPENERS = ("虽然", "虽说", "尽管", "固然", "although", "though", "even though", "despite")


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
    structure = False  # did the rules see something a bag of n-grams cannot (negation, sarcasm, contrast)?
    polar_starts = {h.start for h in polar}
    courtesy: list[tuple[int, float]] = []  # (clause, value) of "thanks"-type cues, decided below
    any_negative = False
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
        if h.cue.label in ("sarcasm", "rhetorical"):
            structure = True
        elif work.is_negated(h.start):
            # "not good" is bad; "not bad" is only mildly good, unless the negation is emphatic
            # ("一点都不差", "not bad at all").
            emphatic = work.folded[max(0, h.start - 6):h.start].endswith(_EMPHATIC_NEG) or \
                work.folded[h.end:h.end + 8].startswith(" at all")
            value = -value * (0.8 if value > 0 else 0.9 if emphatic else 0.5)
            structure = True
        if value > 0 and h.cue.source.split(":", 1)[-1] in _COURTESY:
            courtesy.append((work.clause_of(h.start), value))
            continue
        any_negative = any_negative or value < 0
        scores[work.clause_of(h.start)] += value
    # "Thanks" next to a complaint is politeness or sarcasm ("thank you for ending my vacation"),
    # not praise; alone ("thanks, sorted!") it is praise.
    if courtesy and any_negative:
        structure = True
    else:
        for ci, value in courtesy:
            scores[ci] += value
    # Contrast: what follows "but" is what the writer means; what follows "although" is conceded.
    conceded = set()
    for i, clause in enumerate(work.clauses):
        head = work.folded[clause.start:clause.start + 12].lstrip()
        if head.startswith(_CONCESSIVE_OPENERS) and i + 1 < len(work.clauses):
            conceded.add(i)
        elif i and head.startswith(_CONTRAST_OPENERS):
            scores[i] *= 1.5
            if i - 1 not in conceded:
                scores[i - 1] *= 0.6
    if any(scores[i] * scores[i - 1] < 0 for i in range(1, len(scores))):
        structure = True
    for i in conceded:
        scores[i] *= 0.6
        if not work.folded[work.clauses[i + 1].start:work.clauses[i + 1].start + 8].lstrip().startswith(_CONTRAST_OPENERS):
            scores[i + 1] *= 1.5
        tail = work.fb.text[clause.end:clause.end + 3]
        if "!" in tail or "！" in tail:
            scores[i] *= 1.2
    work.clause_scores = scores
    work.rule_structure = structure


# How much of the model's document score to give up, when the rules saw structure it cannot see.
MODEL_DISCOUNT = 0.7


def rule_document_score(work: Work) -> float:
    """The rule layer's document score. Side effect, on purpose: where the rules saw structure that a
    bag of n-grams cannot see (a negated cue, sarcasm, a rhetorical question, opposite clauses
    around "but"/"although"), the model's score on this text (work.model_score, which the analyzer
    blends in after this call) is pulled toward the rule score, so "great food but delivery took
    forever" is not outvoted by the model counting "great"."""
    total = sum(work.clause_scores)
    rule = math.tanh(total / 2.0)
    if work.model_score is not None and getattr(work, "rule_structure", False) and rule:
        work.model_score = (1 - MODEL_DISCOUNT) * work.model_score + MODEL_DISCOUNT * rule
    return rule


def label_of(score: float, threshold: float = 0.15) -> str:
    if score >= threshold:
        return "positive"
    if score <= -threshold:
        return "negative"
    return "neutral"


def clause_score(work: Work, index: int) -> float:
    return math.tanh(work.clause_scores[index] / 1.5) if work.clause_scores else 0.0
