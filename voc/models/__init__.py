"""Sentiment backends. Each takes a list of texts and returns scores in [-1, 1] (or None)."""
