"""Touchpoints, trust pillars, costs and signals from the lexicons, each with its evidence spans.

Negation here is `Work.is_negated` with three refinements that matter for taxonomy cues:
  - a negator that sits inside another cue of the same group does not reach past it
    ("never showed up and no one called": "never" belongs to "never showed up");
  - A-not-A questions are not negation ("是不是丢了", "会不会", "有没有");
  - rhetorical "不是...吗" / "isn't this ...?" asserts rather than negates ("这不是欺骗消费者吗").
"""
from __future__ import annotations

import re

from voc.records import Label
from voc.stages.context import NEG_GAP_EN, NEG_GAP_ZH, Work, span
from voc.stages.sentiment import clause_score, label_of

# "@中国联通客服 信号太差": a social-media handle addresses the company; cues inside it are not
# about the journey ("客服" in a handle is not a support complaint).
_MENTION = re.compile(r"@[^\s@:：,，。.!！?？;；/()（）#]{1,24}")
# A Weibo handle translated into English has spaces inside and ends in a title-cased account name
# ("@Smartisan Customer Service", "@ China Unicom Guangdong Customer Service"). It is matched on the
# original text (case matters: the middle words are capitalised and the name is followed by the
# end, "@", punctuation or another capitalised word), so "@united my customer service was awful"
# and "@AmericanAir Customer Service was rude" keep their support cue.
_ACCOUNT_NAME = (r"(?:Customer (?:Service|Care|Support)|Technical Support|Tech Support|Service (?:Center|Centre|Hotline)|"
                 r"Help ?[Dd]esk|Official (?:Account|Weibo)|Marketing Account)(?: (?:Center|Centre|Team))?")
_MENTION_TRANSLATED = re.compile(
    # "@ China Unicom Guangdong Customer Service": a space after "@" only comes from translation
    r"@ (?:[\w&'.·-]+ ){0,6}?" + _ACCOUNT_NAME
    # "@Smartisan Customer Service The ...": capitalised words, then the end, "@", punctuation or
    # another capitalised word (not "@AmericanAir Customer Service was rude")
    + r"|@[\w&'.-]+(?: [A-Z0-9][\w&'.·-]*){0,6}? " + _ACCOUNT_NAME
    + r"(?=$|\s*[@:：,，.。!！?？;；()（）·]|\s+[A-Z0-9\u4e00-\u9fff])")

_RHETORICAL_ZH = re.compile(r"(?:不是|不就是|难道)[^。！？!?\n]{0,30}[吗么嘛](?:[？?!！。\s]|$)")
_RHETORICAL_EN = re.compile(r"(?:isn'?t|aren'?t|wasn'?t|doesn'?t|don'?t)\s+(?:this|that|it|you|they)\b[^.!?\n]{0,60}\?")


def _mention_spans(text: str, folded: str) -> list[tuple[int, int]]:
    """Where the @handles are (offsets of text and folded agree: folding keeps one char per char)."""
    spans = [(m.start(), m.end()) for m in _MENTION.finditer(folded)]
    return spans + [(m.start(), m.end()) for m in _MENTION_TRANSLATED.finditer(text)]


def without_mentions(text: str) -> str:
    """The text with its @handles blanked (for a pass that reads the whole text, such as the
    semantic one: "@ Smartisan Customer Service" is an address, not a comment on support)."""
    if "@" not in text:
        return text
    keep = [True] * len(text)
    for a, b in _mention_spans(text, text):  # spans of the two patterns may overlap
        keep[a:b] = [False] * (b - a)
    return "".join(c if k else " " for c, k in zip(text, keep))


def _is_a_not_a(folded: str, start: int, end: int) -> bool:
    """"是不是", "会不会", "有没有", "能不能": the negator sits between two copies of a verb."""
    return 0 < start and end - start <= 2 and start + 1 < len(folded) and folded[start - 1] == folded[start + 1]


def negated(work: Work, start: int, others: list | tuple = ()) -> bool:
    """Is the cue at `start` negated? `others` are the spans (start, end) of the group's other hits."""
    if not work.negators:
        return False
    folded = work.folded
    ci = work.clause_of(start)
    floor = work.clauses[ci].start if work.clauses else 0
    count, edge = 0, start
    for h in reversed(work.negators):
        if h.end > edge:
            continue
        gap_limit = NEG_GAP_EN if folded[h.start:h.end].isascii() else NEG_GAP_ZH
        if h.start < floor or edge - h.end > gap_limit:
            break
        if any(s <= h.start and h.end <= e and (s, e) != (start, start) for s, e in others if e <= start):
            break  # the negator belongs to an earlier cue of this group
        if _is_a_not_a(folded, h.start, h.end):
            edge = h.start
            continue
        rx = _RHETORICAL_EN if folded[h.start:h.end].isascii() else _RHETORICAL_ZH
        if rx.match(folded, h.start):
            edge = h.start
            continue
        count += 1
        edge = h.start
    return count % 2 == 1


def _spans(hits) -> list[tuple[int, int]]:
    return [(h.start, h.end) for h in hits]


# Tagging a regulator or the media ("@工信部", "@CCTV315") is itself an escalation.
_KEEP_IN_MENTIONS = frozenset({"escalation"})


def _match(work: Work, group: str) -> list:
    """The group's lexicon hits, without those inside an @handle (except escalation cues)."""
    hits = work.lex.match(group, work.folded)
    if "@" not in work.folded or not hits:
        return hits
    mentions = _mention_spans(work.fb.text, work.folded)
    return [h for h in hits if h.cue.label in _KEEP_IN_MENTIONS
            or not any(s <= h.start and h.end <= e for s, e in mentions)]


def _aspect_sentiment(work: Work, starts: list[int], doc_score: float) -> float:
    """Sentiment of the clauses that mention an aspect; a clause with no sentiment of its own
    borrows the next clause's ("物流，三天才到" ), then the document's."""
    total = 0.0
    for s in starts:
        ci = work.clause_of(s)
        score = clause_score(work, ci)
        if abs(score) < 0.15 and ci + 1 < len(work.clause_scores):
            score = clause_score(work, ci + 1)
        total += score
    total /= max(1, len(starts))
    return total if abs(total) >= 0.15 else doc_score * 0.5


def touchpoints(work: Work, doc_score: float) -> list[Label]:
    found: dict[str, list] = {}
    for h in _match(work, "touchpoints"):
        found.setdefault(h.cue.label, []).append(h)
    out = []
    for label_id in work.lex.label_ids("touchpoints"):
        hits = found.get(label_id)
        if not hits:
            continue
        score = _aspect_sentiment(work, [h.start for h in hits], doc_score)
        out.append(Label(label_id, _evidence(work, hits), sentiment=label_of(score), score=score))
    return out


def pillars(work: Work) -> list[Label]:
    votes: dict[str, dict[str, list]] = {}
    hits = _match(work, "pillars")
    spans = _spans(hits)
    infos = work.lex.groups["pillars"].labels if hits else {}
    for h in hits:
        variant = h.cue.variant
        if variant == "aspect":
            s = clause_score(work, work.clause_of(h.start))
            if abs(s) < 0.2:
                continue
            polarity = "honoured" if s > 0 else "violated"
        else:
            polarity = variant
            if negated(work, h.start, spans):
                if h.cue.source in infos[h.cue.label].extra.get("noflip", ()):
                    continue
                polarity = "honoured" if polarity == "violated" else "violated"
        bucket = "aspect_" + polarity if variant == "aspect" else polarity
        votes.setdefault(h.cue.label, {"violated": [], "honoured": [], "aspect_violated": [],
                                        "aspect_honoured": []})[bucket].append(h)
    out = []
    for label_id in work.lex.label_ids("pillars"):
        v = votes.get(label_id)
        if not v:
            continue
        # An aspect word takes its polarity from the clause, which may be about something else
        # ("staff diagnosed the problem ... really helpful"): it only decides when no explicit
        # violated/honoured cue of the pillar is present.
        if not v["violated"] and not v["honoured"]:
            v["violated"], v["honoured"] = v["aspect_violated"], v["aspect_honoured"]
        # Complaints outweigh praise at equal evidence: a violation is what the CX team must act on.
        polarity = "honoured" if len(v["honoured"]) > len(v["violated"]) else "violated"
        out.append(Label(label_id, _evidence(work, v[polarity]), polarity=polarity))
    return out


def plain(work: Work, group: str) -> list[Label]:
    found: dict[str, list] = {}
    hits = _match(work, group)
    spans = _spans(hits)
    for h in hits:
        if negated(work, h.start, spans):
            continue
        found.setdefault(h.cue.label, []).append(h)
    return [Label(label_id, _evidence(work, found[label_id]))
            for label_id in work.lex.label_ids(group) if label_id in found]


def _evidence(work: Work, hits: list) -> list:
    seen, spans = set(), []
    for h in hits:
        if (h.start, h.end) not in seen:
            seen.add((h.start, h.end))
            spans.append(span(work, h.start, h.end))
    return spans
