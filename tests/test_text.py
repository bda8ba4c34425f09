"""Text layer: cleaning, length-preserving fold, language, clauses, segmentation."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voc.text import Segmenter, clean, detect_lang, fold, split_clauses


@pytest.mark.parametrize("text, lang", [
    ("物流太慢了，客服也不回复", "zh"),
    ("這個產品質量很差", "zh"),
    ("Delivery was late again and nobody called me back", "en"),
    ("app更新之后一直闪退，login不了", "mixed"),
    ("这个app太差", "mixed"),
    ("😡😡😡", "other"),
    ("12345", "other"),
    ("この商品はとても良いです", "other"),
    ("배송이 너무 늦어요", "other"),
    ("Le service client est vraiment nul et lent", "other"),
    ("ok", "en"),
    ("Pretty good overall, though shipping took longer than expected.", "en"),
    ("Café was fine", "en"),
    ("El servicio es muy malo y lento", "other"),
    ("Der Service ist sehr schlecht und die Lieferung dauert", "other"),
])
def test_detect_lang(text, lang):
    assert detect_lang(text) == lang


@pytest.mark.parametrize("raw, folded", [
    ("ＡＢＣ１２３！", "abc123!"),       # full-width to half-width
    ("這個產品質量", "这个产品质量"),     # traditional to simplified
    ("Delivery LATE", "delivery late"),
])
def test_fold(raw, folded):
    assert fold(raw) == folded


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_fold_preserves_length(text):
    assert len(fold(text)) == len(text)


@pytest.mark.parametrize("raw, expected, flag", [
    ("<p>物流很快&nbsp;<b>点赞</b></p>", "物流很快 点赞", "html_stripped"),
    ("a\x00b\u200bc", "abc", None),
    ("  lots   of   space ", "lots of space", None),
])
def test_clean(raw, expected, flag):
    text, flags = clean(raw, 1000)
    assert text == expected
    assert (flag in flags) if flag else not flags


def test_clean_truncates_and_flags():
    text, flags = clean("好" * 50, 10)
    assert text == "好" * 10 and flags == ["truncated"]


@pytest.mark.parametrize("text, clauses", [
    ("菜很好吃但是配送太慢", ["菜很好吃", "但是配送太慢"]),
    ("物流太慢了，客服也不回复。", ["物流太慢了", "客服也不回复"]),
    ("The food was great but delivery was slow.", ["The food was great", "but delivery was slow"]),
    ("app很好用, but 客服太慢", ["app很好用", "but 客服太慢"]),
    ("不但便宜而且好用", ["不但便宜而且好用"]),
])
def test_split_clauses(text, clauses):
    spans = split_clauses(text)
    assert [s.text for s in spans] == clauses
    assert all(text[s.start:s.end] == s.text for s in spans)


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_clause_spans_point_into_text(text):
    for s in split_clauses(text):
        assert text[s.start:s.end] == s.text and s.text.strip() == s.text and s.text


@pytest.fixture(scope="module")
def segmenter():
    return Segmenter(["SK-II", "pre-A轮", "转人工"])


@pytest.mark.parametrize("text, must_contain", [
    ("我买的SK-II神仙水是假的", "SK-II"),
    ("公司刚完成pre-A轮融资", "pre-A轮"),
    ("我要转人工", "转人工"),
    ("The courier never showed up", "courier"),
])
def test_segmenter_keeps_protected_words(segmenter, text, must_contain):
    assert must_contain in segmenter.tokens(text)


def test_private_tokenizer_does_not_leak_into_global_jieba(segmenter):
    import jieba

    segmenter.tokens("我买的SK-II神仙水是假的")
    assert "pre-A轮" not in jieba.lcut("公司刚完成pre-A轮融资")


@given(st.text(alphabet=st.sampled_from(list("物流太慢了客服不回复 app更新login😡，。!?abcXYZ123")), max_size=80))
@settings(max_examples=150, deadline=None)
def test_segmentation_keeps_every_non_space_character(segmenter, text):
    joined = "".join(segmenter.tokens(text))
    assert re.sub(r"\s", "", joined) == re.sub(r"\s", "", text)
