"""Per-record working state shared by the stages (folded text, clauses, lexicon hits)."""
from __future__ import annotations

from dataclasses import dataclass, field

from voc.lexicon import Hit, LexiconSet
from voc.records import Feedback, Span
from voc.text import clause_index

# How far before a cue a negator still negates it: characters for zh, characters (~3 words) for en.
NEG_GAP_ZH = 3
NEG_GAP_EN = 16


@dataclass
class Work:
    fb: Feedback
    folded: str
    lex: LexiconSet
    clauses: list[Span]
    sentiment_hits: list[Hit] = field(default_factory=list)
    negators: list[Hit] = field(default_factory=list)
    clause_scores: list[float] = field(default_factory=list)
    model_score: float | None = None

    def clause_of(self, pos: int) -> int:
        return clause_index(self.clauses, pos) if self.clauses else 0

    def is_negated(self, start: int) -> bool:
        """Odd number of negators just before `start`, in the same clause ("不是不好" is not negated)."""
        if not self.negators:
            return False
        ci = self.clause_of(start)
        floor = self.clauses[ci].start if self.clauses else 0
        count, edge = 0, start
        for h in reversed(self.negators):
            if h.end > edge:
                continue
            gap_limit = NEG_GAP_EN if self.folded[h.start:h.end].isascii() else NEG_GAP_ZH
            if h.start < floor or edge - h.end > gap_limit:
                break
            count += 1
            edge = h.start
        return count % 2 == 1


def span(work: Work, start: int, end: int) -> Span:
    return Span(start, end, work.fb.text[start:end])
