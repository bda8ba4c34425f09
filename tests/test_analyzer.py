"""The analyzer end to end: zh/en/mixed cases side by side, properties, and the error policy."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voc.records import Feedback

WORDS = ["物流", "太慢", "客服", "不", "回复", "很好", "但是", "退款", "13812345678", "a@b.cn", "delivery",
         "late", "not", "good", "refund", "!!", "？", "，", " ", "😡", "app", "闪退", "第三次", "12315", "<b>"]
texts = st.one_of(st.text(max_size=200), st.lists(st.sampled_from(WORDS), max_size=30).map("".join))


@pytest.mark.parametrize("text, lang, label, touchpoint", [
    ("物流太慢了，客服也不回复", "zh", "negative", "delivery"),
    ("The courier was late and support never replied", "en", "negative", "delivery"),
    ("快递太慢了, support也不回复", "mixed", "negative", "delivery"),
    ("质量很好，很满意", "zh", "positive", "product"),
    ("Great quality, very happy with it", "en", "positive", "product"),
    ("质量很好, highly recommend", "mixed", "positive", "product"),
])
def test_side_by_side(analyze, text, lang, label, touchpoint):
    r = analyze(text)
    assert r["lang"] == lang and r["sentiment"]["label"] == label
    assert touchpoint in {t["id"] for t in r["touchpoints"]}


@pytest.mark.parametrize("text, flag", [
    ("", "empty_text"),
    ("   \n\t ", "empty_text"),
    ("此用户未填写评价内容", "template_review"),
    ("<p>物流很快</p>", "html_stripped"),
    ("手机13812345678", "pii_masked"),
])
def test_flags(analyze, text, flag):
    assert flag in analyze(text)["flags"]


@pytest.mark.parametrize("text", ["😡😡😡", "👍", "=SUM(A1:A9)", "ありがとうございます", "مرحبا", "好" * 10_000,
                                  "\x00\x01", "\ud800 lone surrogate", "‮RTL override"])
def test_odd_texts_get_a_defined_output(analyze, contract_checker, text):
    assert contract_checker([analyze(text)]) == []


def test_long_text_is_truncated_and_flagged(analyzer):
    fb = analyzer.analyze(Feedback(id="x", raw_text="物流太慢。" * 10_000))
    assert "truncated" in fb.flags and len(fb.text) == analyzer.settings.max_chars


def test_template_review_is_not_praise(analyze):
    r = analyze("系统默认好评")
    assert r["sentiment"] == {"label": "neutral", "score": 0.0}
    assert "advocacy" not in {s["id"] for s in r["signals"]}


@given(st.lists(texts, min_size=1, max_size=12))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_batch_equals_one_by_one(analyzer, batch):
    together = [fb.to_contract() for fb in analyzer.pipe(Feedback(id=str(i), raw_text=t) for i, t in enumerate(batch))]
    alone = [analyzer.analyze(Feedback(id=str(i), raw_text=t)).to_contract() for i, t in enumerate(batch)]
    assert together == alone


@given(texts)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_text_gives_a_contract_record(analyze, contract_checker, text):
    assert contract_checker([analyze(text)]) == []


@given(st.lists(st.sampled_from(WORDS), max_size=30).map(" ".join))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_identifiers_never_reach_the_output(analyze, text):
    # Masking happens before analysis, so neither the text nor any evidence can carry them.
    out = str(analyze(text))
    assert "13812345678" not in out and "a@b.cn" not in out


def test_deterministic(analyzer):
    a = [analyzer.analyze(Feedback(id="1", raw_text="客服态度差，等了三天还没退款!!")).to_contract() for _ in range(3)]
    assert a[0] == a[1] == a[2]


def test_a_failing_stage_flags_the_record_and_the_batch_goes_on(analyzer, monkeypatch):
    from voc.stages import taxonomy

    real = taxonomy.pillars

    def boom(work):
        if "boom" in work.fb.text:
            raise RuntimeError("synthetic failure")
        return real(work)

    monkeypatch.setattr(taxonomy, "pillars", boom)
    out = list(analyzer.pipe([Feedback(id="1", raw_text="客服态度差"), Feedback(id="2", raw_text="boom"),
                              Feedback(id="3", raw_text="态度很好")]))
    assert [fb.id for fb in out] == ["1", "2", "3"]
    assert out[1].flags == ["error:RuntimeError"] and out[1].touchpoints == []
    assert out[0].pillars and out[2].pillars


def test_semantic_touchpoint_pass_is_on_by_default_and_only_fills_gaps():
    """[analyzer] semantic_touchpoints (default true): a record without a lexicon touchpoint may gain
    one (the whole text as evidence); records with lexicon touchpoints keep exactly what the lexicon
    found; `false` turns the pass off."""
    from voc.analyzer import Analyzer
    from voc.records import Feedback

    plain = Analyzer.from_settings(semantic_touchpoints=False)
    assert plain.semantic == {}
    assert set(Analyzer.from_settings(semantic_pillars=True).semantic) == {"touchpoints", "pillars"}
    semantic = Analyzer.from_settings()
    assert set(semantic.semantic) == {"touchpoints"}  # the pillar pass is opt-in
    texts = ["物流太慢了，三天还没到", "The refund still has not arrived", "行李到现在还没找到，谁来管管",
             "my bag never showed up at the carousel", "整体体验一般般吧，没什么特别想说的",
             "排了两个小时的队才轮到我"]
    a = list(plain.pipe([Feedback(id=str(i), raw_text=t) for i, t in enumerate(texts)]))
    b = list(semantic.pipe([Feedback(id=str(i), raw_text=t) for i, t in enumerate(texts)]))
    for x, y in zip(a, b):
        if x.touchpoints:
            assert [t.to_dict("touchpoints") for t in x.touchpoints] == [t.to_dict("touchpoints") for t in y.touchpoints]
        else:
            assert len(y.touchpoints) <= 1
            for t in y.touchpoints:
                assert t.evidence[0].text == y.text and 0.6 <= t.score <= 1.0
    assert not a[-1].touchpoints and b[-1].touchpoints  # a gap the lexicon leaves is filled


def test_semantic_pass_is_refused_for_a_taxonomy_whose_labels_it_does_not_know(tmp_path, caplog):
    """An alternative journey (lexicons/journeys/airline: baggage, booking, ...) must never receive the
    default model's labels: the analyzer runs without the pass and says how to train one."""
    import logging

    from voc.analyzer import Analyzer
    from voc.records import Feedback

    journey = Path(__file__).resolve().parent.parent / "lexicons" / "journeys" / "airline"
    with caplog.at_level(logging.WARNING, logger="voc"):
        an = Analyzer.from_settings(lexicons=str(journey), semantic_pillars=True)
    assert set(an.semantic) == {"pillars"}  # the journey renames touchpoints; its pillars are the shipped four
    assert "semantic_embed train" in caplog.text and "delivery" in caplog.text
    known = set(an.lexicons.label_ids("touchpoints"))
    out = list(an.pipe([Feedback(id="1", raw_text="the whole trip was a nightmare from start to finish")]))
    assert {t.id for t in out[0].touchpoints} <= known
