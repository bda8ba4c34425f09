"""`voc lexicon test`: example sentences stored beside the lexicons, each with the labels it must
(and must not) get. This is how a CX analyst proves an edit to the taxonomy does what they meant.

Format (`lexicons/tests/*.toml`):

    [[case]]
    text = "物流太慢了，客服也不回复"
    expect = ["touchpoints:delivery", "pillars:humanity:violated", "costs:time", "sentiment:negative"]
    absent = ["signals:churn_risk"]

A label is "group:id", or "pillars:id:violated|honoured", "touchpoints:id:negative|neutral|positive",
"sentiment:negative|neutral|positive", or "flag:template_review".
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from voc.errors import LexiconError
from voc.records import GROUPS, Feedback


@dataclass
class CaseResult:
    file: str
    index: int
    text: str
    missing: list[str]
    unexpected: list[str]

    @property
    def ok(self) -> bool:
        return not self.missing and not self.unexpected


def labels_of(fb: Feedback) -> set[str]:
    out = {f"sentiment:{fb.sentiment_label}"} | {f"flag:{f}" for f in fb.flags}
    for group in GROUPS:
        for lab in getattr(fb, group):
            out.add(f"{group}:{lab.id}")
            if lab.polarity:
                out.add(f"{group}:{lab.id}:{lab.polarity}")
            if lab.sentiment:
                out.add(f"{group}:{lab.id}:{lab.sentiment}")
    return out


def load_cases(root: Path) -> list[tuple[str, int, dict]]:
    cases, problems = [], []
    for path in sorted((root / "tests").glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            problems.append(f"tests/{path.name}: not valid TOML: {exc}")
            continue
        for i, case in enumerate(data.get("case", [])):
            if not isinstance(case, dict) or not isinstance(case.get("text"), str):
                problems.append(f"tests/{path.name}: case[{i}] needs a text")
                continue
            cases.append((path.name, i, case))
    if problems:
        raise LexiconError(problems)
    return cases


def run_cases(analyzer, root: Path | None = None) -> list[CaseResult]:
    root = Path(root or analyzer.lexicons.root)
    cases = load_cases(root)
    records = [Feedback(id=f"{f}:{i}", raw_text=c["text"]) for f, i, c in cases]
    results = []
    for (fname, i, case), fb in zip(cases, analyzer.pipe(records)):
        got = labels_of(fb)
        missing = [x for x in case.get("expect", []) if x not in got]
        unexpected = [x for x in case.get("absent", []) if x in got]
        results.append(CaseResult(fname, i, case["text"], missing, unexpected))
    return results
