"""Frustration in [0, 1]: how frustrated the writer is, from cues, negativity and typography.

Evidence accumulates as a non-negative "pressure" x and is squashed with 1 - exp(-x), so that one
mild cue gives a small value, several strong ones approach 1, and nothing exceeds it.
"""
from __future__ import annotations

import math
import re

from voc.stages.context import Work

_CAPS_WORD = re.compile(r"(?<![A-Za-z\[])[A-Z]{3,}(?![A-Za-z\]])")  # not PII placeholders like [PHONE]
_ACRONYMS = frozenset("APP NPS CSAT VIP USB GPS ATM PIN OTP SMS FAQ CEO API URL PDF BBB FTC FCC USA UPS DHL EMS SF IOS".split())
_BURST = re.compile(r"[!！]{2,}|[?？]{2,}|[!！][?？]|[?？][!！]")
_PER_LABEL_CAP = 3  # the 5th "again" says little more than the 2nd
# A long complaint is an effortful one: a text that is negative or carries a frustration cue and is
# longer than ELABORATION_UNITS (Han characters, or 2.5 other characters each, so ~150 characters of
# English) gains ELABORATION_WEIGHT * ln(length / ELABORATION_UNITS): a 180-character zh complaint
# about +0.55. Praise and neutral questions of any length gain nothing. Tuned on the even-numbered
# STC-3 dialogues only (benchmarks/sentiment.py reports the odd-numbered half separately).
ELABORATION_UNITS = 60
ELABORATION_WEIGHT = 0.5
_HAN_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
QUESTION_WEIGHT = 0.4  # per question mark after the first, up to 3 of them ("why??? when???")


def frustration(work: Work, doc_score: float) -> float:
    fb = work.fb
    pressure = 0.0
    counts: dict[str, int] = {}
    groups = ("frustration", "agent") if fb.speaker == "agent" else ("frustration",)
    for group in groups:
        for h in work.lex.match(group, work.folded):
            if work.is_negated(h.start):
                continue
            fb.cues.append({"group": group, "cue": h.cue.label, "start": h.start, "end": h.end,
                            "text": fb.text[h.start:h.end], "weight": h.cue.weight})
            if group == "frustration":
                n = counts.get(h.cue.label, 0)
                if n < _PER_LABEL_CAP:
                    pressure += h.cue.weight * (1.0 if n == 0 else 0.5)
                counts[h.cue.label] = n + 1
    caps = [m for m in _CAPS_WORD.finditer(fb.text) if m.group() not in _ACRONYMS]
    if len(caps) >= 2 or (caps and len(caps[0].group()) >= 5):
        pressure += 0.6
        fb.cues.append({"group": "typography", "cue": "caps", "start": caps[0].start(),
                        "end": caps[-1].end(), "text": fb.text[caps[0].start():caps[-1].end()], "weight": 0.6})
    bursts = list(_BURST.finditer(fb.text))
    if bursts:
        pressure += min(0.8, 0.4 * len(bursts))
        b = bursts[0]
        fb.cues.append({"group": "typography", "cue": "punctuation_burst", "start": b.start(),
                        "end": b.end(), "text": b.group(), "weight": 0.4})
    questions = fb.text.count("?") + fb.text.count("？")
    if questions >= 2:
        pressure += QUESTION_WEIGHT * min(3, questions - 1)
    if doc_score < 0 or counts:
        han = len(_HAN_CHAR.findall(fb.text)) if len(fb.text) > ELABORATION_UNITS else 0
        units = han + (len(fb.text) - han) / 2.5
        if units > ELABORATION_UNITS:
            pressure += ELABORATION_WEIGHT * math.log(units / ELABORATION_UNITS)
    if doc_score < 0:
        pressure += -doc_score * 1.0
    elif pressure:
        pressure *= 1.0 - 0.9 * doc_score  # praise with a "!!" is not anger
    return 1.0 - math.exp(-0.8 * pressure)
