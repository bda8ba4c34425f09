"""`lexicon explain`: everything the analyzer sees in one text, for analysts tuning the taxonomy."""
from __future__ import annotations

from voc.analyzer import Analyzer
from voc.records import Feedback
from voc.stages.context import Work
from voc.stages.sentiment import clause_score, score_clauses
from voc.text import Segmenter, detect_lang, fold, split_clauses

EXPLAINED_GROUPS = ("touchpoints", "pillars", "costs", "signals", "sentiment", "frustration", "agent", "quality")


def explain(text: str, pipeline: str | None = None, lexicons: str | None = None,
            analyzer: Analyzer | None = None) -> dict:
    analyzer = analyzer or Analyzer.from_settings(pipeline, lexicons=lexicons)
    fb = analyzer.analyze(Feedback(id="explain", raw_text=text))
    shown = fb.text
    folded = fold(shown)
    work = Work(fb, folded, analyzer.lexicons, split_clauses(shown, folded))
    score_clauses(work)
    hits = []
    for group in EXPLAINED_GROUPS:
        for h in analyzer.lexicons.match(group, folded):
            hits.append({"group": group, "label": h.cue.label, "variant": h.cue.variant, "start": h.start,
                         "end": h.end, "text": shown[h.start:h.end], "weight": h.cue.weight,
                         "source": h.cue.source, "negated": work.is_negated(h.start)})
    hits.sort(key=lambda h: (h["start"], h["group"]))
    segmenter = Segmenter(analyzer.lexicons.protected_words)
    return {
        "text": shown, "folded": folded, "lang": detect_lang(shown) if shown else "other",
        "tokens": segmenter.tokens(shown) if shown else [],
        "clauses": [{"start": c.start, "end": c.end, "text": c.text, "score": clause_score(work, i)}
                    for i, c in enumerate(work.clauses)],
        "hits": hits, "record": fb.to_contract(), "lexicon_hash": analyzer.lexicons.hash,
    }
