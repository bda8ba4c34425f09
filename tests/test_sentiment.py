"""Sentiment and frustration of the shipped default analyzer (rules blended with the linear model),
zh / en / code-mixed side by side for each phenomenon."""
from __future__ import annotations

import pytest

from voc.records import Feedback


@pytest.fixture(scope="module")
def sent_analyzer():
    from voc.analyzer import Analyzer

    return Analyzer.from_settings()


@pytest.fixture(scope="module")
def run(sent_analyzer):
    def go(text, **fields):
        return sent_analyzer.analyze(Feedback(id="t", raw_text=text, **fields))

    return go


def test_default_backend_is_the_linear_model(sent_analyzer):
    assert sent_analyzer.backend.model_id.startswith("linear-default-")
    assert 0 < sent_analyzer.blend < 1


# (phenomenon, lang, text, expected label)
CASES = [
    ("plain", "zh", "菜很好吃，送得也快", "positive"),
    ("plain", "en", "The food was delicious and arrived fast", "positive"),
    ("plain", "mixed", "app很好用，推荐", "positive"),
    ("plain negative", "zh", "质量太差了，退货", "negative"),
    ("plain negative", "en", "Terrible quality, returning it", "negative"),
    ("plain negative", "mixed", "app一直crash，太垃圾了", "negative"),
    ("negation", "zh", "不好吃", "negative"),
    ("negation", "en", "not good", "negative"),
    ("negation", "mixed", "这个app不好用", "negative"),
    ("negated negative", "zh", "一点都不差", "positive"),
    ("negated negative", "en", "not bad at all", "positive"),
    ("negated negative", "mixed", "delivery一点都不慢", "positive"),
    ("double negation", "zh", "不是不好吃", "positive"),
    ("double negation", "zh", "没有想象中差", "positive"),
    ("double negation", "en", "it's not that it wasn't good", "positive"),
    ("contrast", "zh", "菜很好吃，但是配送太慢了", "negative"),
    ("contrast", "en", "The food was great but delivery took forever", "negative"),
    ("contrast", "mixed", "price有点贵，但是quality真的很好", "positive"),
    ("concession", "zh", "虽然送得慢，但是味道真的很好", "positive"),
    ("concession", "en", "Although it was late, the staff were lovely", "positive"),
    ("sarcasm", "zh", "真是\"贴心\"，等了两个小时", "negative"),
    ("sarcasm", "en", "thanks for nothing", "negative"),
    ("sarcasm", "en", "wow only 47 minutes on hold", "negative"),
    ("sarcasm", "mixed", "呵呵，service真好，等了三天", "negative"),
    ("rhetorical", "zh", "这也叫服务吗？", "negative"),
    ("rhetorical", "en", "is this a joke?", "negative"),
    ("slang", "zh", "绝绝子，yyds", "positive"),
    ("slang", "zh", "太坑了，避雷", "negative"),
    ("slang", "en", "this app sucks", "negative"),
    ("slang", "en", "10/10 would order again", "positive"),
    ("slang", "mixed", "这家店真的yyds，强烈推荐", "positive"),
    ("emoji", "zh", "👍👍", "positive"),
    ("emoji", "en", "love it 😍", "positive"),
    ("emoji", "mixed", "delivery慢死了😡", "negative"),
    ("emoji", "zh", "😡😡😡", "negative"),
    ("kaomoji", "zh", "好吃(^_^)", "positive"),
    ("escalation", "zh", "转人工！转人工！", "negative"),
    ("escalation", "en", "I WANT TO SPEAK TO A MANAGER NOW!!!", "negative"),
    ("question", "zh", "请问什么时候发货", "neutral"),
    ("question", "en", "what is the baggage allowance?", "neutral"),
    ("traditional", "zh", "服務態度很差，再也不來了", "negative"),
]


@pytest.mark.parametrize("phenomenon,lang,text,label", CASES, ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_sentiment_cases(run, phenomenon, lang, text, label):
    fb = run(text)
    assert fb.sentiment_label == label, f"{phenomenon} [{lang}] {text!r}: {fb.sentiment_label} {fb.sentiment_score:+.2f}"
    assert -1.0 <= fb.sentiment_score <= 1.0


@pytest.mark.parametrize("text", ["此用户未填写评价内容", "系统默认好评", "this user did not leave a review",
                                  "好评！好评！好评！"])
def test_template_reviews_are_not_praise(run, text):
    fb = run(text)
    assert "template_review" in fb.flags
    assert fb.sentiment_label == "neutral" and fb.sentiment_score == 0.0


@pytest.mark.parametrize("calm,angry", [
    ("谢谢，问题已经解决了", "第三次打电话了，到底什么时候退款？？再不解决我就投诉到12315！"),
    ("Thanks, that fixed it", "This is the THIRD time I'm calling. Unacceptable!!! Let me speak to a manager"),
    ("app用着挺好的，thanks", "app又闪退了，客服只会说reinstall，有什么用？？转人工！"),
    ("请问怎么修改地址", "这也叫服务吗？你们还有没有人管？"),
    ("How do I change my seat?", "How can you cancel my flight without telling me?!"),
])
def test_frustration_orders_calm_below_angry(run, calm, angry):
    c, a = run(calm).frustration, run(angry).frustration
    assert c < 0.2 < 0.5 < a, (c, a)


@pytest.mark.parametrize("text", [
    "转人工", "我要投诉", "let me speak to a manager", "I want a real person", "还有没有人管？？",
    "what the hell is going on", "你们这是耍流氓", "答非所问，要你何用",
])
def test_frustration_cues(run, text):
    assert run(text).frustration >= 0.35


@pytest.mark.parametrize("text", [
    "", "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!", "？？？？？？？？", "FUCK " * 200, "垃圾" * 500, "😡" * 300,
    "AAAAA BBBBB CCCCC DDDDD!!!??", "转人工" * 100 + "!!!", "\x00\u200b", "好" * 3000,
])
def test_frustration_stays_in_range(run, text):
    f = run(text).frustration
    assert 0.0 <= f <= 1.0


def test_praise_with_exclamations_is_not_anger(run):
    assert run("太好吃了!!!强烈推荐!!!").frustration < 0.3
    assert run("AMAZING service, thank you so much!!!").frustration < 0.3


def test_pii_placeholders_are_not_shouting(run):
    fb = run("my phone 13812345678, email a.b@x.com")
    assert "[PHONE]" in fb.text or "[EMAIL]" in fb.text
    assert fb.frustration < 0.2 and not any(c["cue"] == "caps" for c in fb.cues)


def test_negated_frustration_cue_does_not_count(run):
    assert run("没有生气，只是问问").frustration < run("很生气").frustration


def test_batch_equals_one_by_one(sent_analyzer):
    texts = [c[2] for c in CASES]
    batch = list(sent_analyzer.pipe(Feedback(id=str(i), raw_text=t) for i, t in enumerate(texts)))
    for fb, t in zip(batch, texts):
        one = sent_analyzer.analyze(Feedback(id="x", raw_text=t))
        assert (fb.sentiment_label, round(fb.sentiment_score, 6), round(fb.frustration, 6)) == \
               (one.sentiment_label, round(one.sentiment_score, 6), round(one.frustration, 6))


def test_model_failure_falls_back_to_rules(sent_analyzer):
    from voc.analyzer import Analyzer

    class Broken:
        model_id = "broken"

        def predict(self, texts):
            raise RuntimeError("boom")

    a = Analyzer(sent_analyzer.settings, lexicons=sent_analyzer.lexicons, backend=Broken())
    fb = a.analyze(Feedback(id="1", raw_text="太难吃了"))
    assert "error:sentiment_backend" in fb.flags and fb.sentiment_label == "negative"
