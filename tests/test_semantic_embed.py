"""The embedding variant of the semantic second pass (voc/stages/semantic_embed.py): it only fills
records the lexicon left without a touchpoint, adds one label at most, never the abstain class."""
from __future__ import annotations

import numpy as np
import pytest

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


def test_thresholds_per_label_come_from_the_taxonomy(tmp_path):
    """[thresholds] in <lexicons>/semantic/touchpoints.toml: a label's own threshold wins over
    `default`, and a stricter threshold for one label stops only that label."""
    (tmp_path / "semantic").mkdir()
    (tmp_path / "semantic" / "touchpoints.toml").write_text("[thresholds]\ndefault = 0.5\ndelivery = 0.99999\n")
    th = se.read_thresholds(tmp_path)
    assert th == {"default": 0.5, "delivery": 0.99999}
    W = np.array([[6.0, -3.0], [-3.0, 6.0]], dtype=np.float32)
    strict = se.EmbedFill(W, np.zeros(2, dtype=np.float32), ["delivery", se.NONE], embedder=_FakeEmbedder(),
                          thresholds=th)
    fb = _fb("my parcel is still not here")
    strict.augment(fb)
    assert fb.touchpoints == []  # p(delivery) = 0.99988: below its own cut, above the default
    loose = se.EmbedFill(W, np.zeros(2, dtype=np.float32), ["delivery", se.NONE], embedder=_FakeEmbedder(),
                         thresholds={"default": 0.99999, "delivery": 0.5})
    fb = _fb("my parcel is still not here")
    loose.augment(fb)
    assert [x.id for x in fb.touchpoints] == ["delivery"]


@pytest.mark.parametrize("toml, problem", [
    ("[labels.shipping]\nen = ['x']\n", "[labels.shipping] is not a touchpoint"),
    ("[thresholds]\nbilling = 1.5\n", "must be a number in (0, 1]"),
    ("[thresholds]\nshipping = 0.5\n", "[thresholds] shipping is not a touchpoint"),
    ("[thresholds\n", "not valid TOML"),
])
def test_check_authored_reports_problems(tmp_path, toml, problem):
    (tmp_path / "semantic").mkdir()
    (tmp_path / "semantic" / "touchpoints.toml").write_text(toml)
    problems = se.check_authored(tmp_path, ["billing", "delivery"])
    assert any(problem in p for p in problems), problems


def test_shipped_authored_file_is_valid():
    root = se.SHIPPED_LEXICONS
    from voc.lexicon import LexiconSet

    assert se.check_authored(root, LexiconSet.load(root).label_ids("touchpoints")) == []


class _PolarEmbedder:
    """'rude' texts point one way, anything else the other."""

    def encode(self, texts):
        return np.array([[1.0, 0.0] if "rude" in t else [0.0, 1.0] for t in texts], dtype=np.float32)


def _pillar_pass():
    # labels: on [1, 0] humanity:honoured is the most probable overall, humanity:violated second
    W = np.array([[5.0, 4.0, -3.0], [-3.0, -3.0, 6.0]], dtype=np.float32)
    return se.EmbedFill(W, np.zeros(3, dtype=np.float32), ["humanity:honoured", "humanity:violated", se.NONE],
                        embedder=_PolarEmbedder(), threshold=0.2, group="pillars")


@pytest.mark.parametrize("sentiment, expected", [
    ("negative", [("humanity", "violated")]),   # the honoured label is more probable but of the wrong polarity
    ("positive", [("humanity", "honoured")]),
    ("neutral", []),                             # no polarity, no pillar
])
def test_pillar_pass_only_emits_the_polarity_of_the_record(sentiment, expected):
    fb = _fb("the agent was so rude to me")
    fb.sentiment_label = sentiment
    _pillar_pass().augment(fb)
    assert [(x.id, x.polarity) for x in fb.pillars] == expected
    for x in fb.pillars:
        assert x.evidence[0].text == fb.text


def test_pillar_pass_leaves_records_with_lexicon_pillars_alone():
    fb = _fb("the agent was so rude to me")
    fb.sentiment_label = "negative"
    fb.pillars = [Label("capability", [Span(0, 9, "the agent")], polarity="violated")]
    _pillar_pass().augment(fb)
    assert [(x.id, x.polarity) for x in fb.pillars] == [("capability", "violated")]


def test_shipped_pillar_model_matches_the_lexicon():
    from voc.lexicon import LexiconSet

    sp = se.EmbedFill.load(se.PILLAR_MODEL)
    lex = LexiconSet.load(se.SHIPPED_LEXICONS)
    assert sp.group == "pillars"
    assert {x.split(":")[0] for x in sp.labels} - {se.NONE} == set(lex.label_ids("pillars"))
    assert {x.split(":")[1] for x in sp.labels if x != se.NONE} == {"violated", "honoured"}


@pytest.mark.parametrize("group", ["touchpoints", "pillars"])
def test_shipped_models_are_what_the_shipped_lexicons_train(tmp_path, group):
    """Taxonomy as code: after editing the cues, the examples or lexicons/semantic/, the model must be
    retrained (`python -m voc.stages.semantic_embed train`); this fails until it is."""
    out = se.train(se.SHIPPED_LEXICONS, tmp_path / "m.npz", group=group,
                   threshold=se.PILLAR_THRESHOLD if group == "pillars" else se.DEFAULT_THRESHOLD)
    fresh, shipped = se.EmbedFill.load(out), se.EmbedFill.load(se.shipped_model(group))
    assert fresh.labels == shipped.labels and fresh.group == shipped.group == group
    assert fresh.threshold == shipped.threshold
    np.testing.assert_allclose(fresh.W, shipped.W, atol=1e-4)
    np.testing.assert_allclose(fresh.b, shipped.b, atol=1e-4)
