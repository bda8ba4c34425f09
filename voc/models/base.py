"""The backend interface, and the rules-only backend (no model: the lexicon rules decide)."""
from __future__ import annotations

from typing import Protocol


class SentimentBackend(Protocol):
    model_id: str

    def predict(self, texts: list[str]) -> list[float]:
        """One score in [-1, 1] per text, in order (negative .. positive)."""


class RulesOnly:
    """No statistical model; the rule layer's score stands alone."""

    model_id = "rules"
    blend = 0.0

    def __init__(self, **_options):
        pass

    def predict(self, texts: list[str]) -> list[float]:
        return [0.0] * len(texts)
