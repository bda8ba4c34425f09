"""The embedding variant of the semantic second pass (voc/stages/semantic_embed.py): it only fills
records the lexicon left without a touchpoint, adds one label at most, never the abstain class."""
from __future__ import annotations

import numpy as np

from voc.records import Feedback, Label, Span
from voc.stages import semantic_embed as se


class _FakeEmbedder:
    """Two-dimensional 'embeddings': delivery-ish texts point one way, anything else the other."""

    def encode(self, texts):
        return np.array([[1.0, 0.0] if "parcel" in t else [0.0, 1.0] for t in texts], dtype=np.float32)


def _pass(threshold=0.6, min_chars=se.MIN_CHARS):
    # labels: delivery wins on [1, 0], none wins on [0, 1]
    W = np.array([[6.0, -3.0], [-3.0, 6.0]], dtype=np.float32)
    return se.EmbedFill(W, np.zeros(2, dtype=np.float32), ["delivery", se.NONE], embedder=_FakeEmbedder(),
                        threshold=threshold, min_chars=min_chars)


def _fb(text, touchpoints=()):
    fb = Feedback(id="1", raw_text=text, text=text)
    fb.touchpoints = list(touchpoints)
    return fb


def test_fills_only_records_without_touchpoints():
    sp = _pass()
    empty, done = _fb("my parcel is still not here"), _fb("parcel and invoice", [Label("billing", [Span(12, 19, "invoice")])])
    sp.augment_many([empty, done])
    assert [x.id for x in empty.touchpoints] == ["delivery"]
    assert empty.touchpoints[0].evidence[0].text == empty.text
    assert [x.id for x in done.touchpoints] == ["billing"]


def test_never_emits_the_abstain_class_and_respects_threshold():
    sp = _pass()
    fb = _fb("hello, anyone there?")
    sp.augment(fb)
    assert fb.touchpoints == []
    strict = _pass(threshold=1.01)
    fb = _fb("my parcel is still not here")
    strict.augment(fb)
    assert fb.touchpoints == []


def test_short_texts_are_left_alone():
    fb = _fb("parcel ok")
    _pass(min_chars=10).augment(fb)
    assert fb.touchpoints == []


def test_shipped_model_matches_the_lexicon_labels():
    import tomllib

    sp = se.EmbedFill.load()
    raw = tomllib.loads((se.Path(__file__).resolve().parent.parent / "lexicons" / "touchpoints.toml").read_text("utf-8"))
    assert set(sp.labels) == set(raw["labels"]) | {se.NONE}
    assert sp.W.shape[1] == len(sp.labels) and 0.0 < sp.threshold <= 1.0


def test_fit_is_deterministic_and_learns_a_separable_problem():
    X = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9]])
    y = np.array([0, 0, 1, 1])
    W1, b1 = se.fit(X, y, 2, l2=1e-3, epochs=200)
    W2, b2 = se.fit(X, y, 2, l2=1e-3, epochs=200)
    assert np.array_equal(W1, W2) and np.array_equal(b1, b2)
    assert (se._softmax(X @ W1 + b1).argmax(axis=1) == y).all()
