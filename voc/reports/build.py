"""Assemble the pain-point report (a dict: the JSON report) from analysed records."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from voc import __version__
from voc.errors import ConfigError
from voc.reports import sections
from voc.reports.frame import segment_columns, to_frame
from voc.reports.recommend import recommendations
from voc.settings import read_settings_toml

DEFAULTS = {"min_n": 30, "quotes": 4, "top_pain_points": 15, "seed": 2026, "n_boot": 300}


def load_report_settings(path: str | Path | None = None) -> tuple[dict, dict]:
    path, data = read_settings_toml(path, "report", "report settings not found")
    cfg = dict(DEFAULTS)
    unknown = set(data.get("report", {})) - set(DEFAULTS)
    if unknown:
        raise ConfigError(f"{path}: unknown [report] settings {sorted(unknown)}")
    cfg.update(data.get("report", {}))
    cfg["quotes"] = max(3, min(5, int(cfg["quotes"])))
    return cfg, data.get("playbook", {})


def label_names(lexicons, lang: str) -> dict[str, dict[str, str]]:
    out = {}
    for group in ("touchpoints", "pillars", "costs", "signals"):
        g = lexicons.groups.get(group)
        out[group] = {k: (v.name.get(lang) or v.name.get("en") or k) for k, v in (g.labels.items() if g else [])}
    out["pillars"].setdefault(sections.PILLAR_NONE, "—")
    return out


def report_language(df, requested: str | None) -> str:
    if requested:
        return requested
    if df.empty:
        return "en"
    counts = df["lang"].value_counts()
    return "zh" if counts.get("zh", 0) + counts.get("mixed", 0) >= counts.get("en", 0) else "en"


def build_report(records: list[dict], lexicons, provenance: dict, inputs: list[dict],
                 lang: str | None = None, settings: str | None = None, title: str | None = None) -> dict:
    cfg, playbook = load_report_settings(settings)
    df = to_frame(records)
    lang = report_language(df, lang)
    names = label_names(lexicons, lang)
    touchpoints = list(lexicons.groups["touchpoints"].labels) if "touchpoints" in lexicons.groups else []
    pillars = list(lexicons.groups["pillars"].labels) if "pillars" in lexicons.groups else []
    live = df[~df["empty"] & ~df["template"]].reset_index(drop=True) if not df.empty else df
    skipped = {}
    for flags in (df["flags"] if not df.empty else []):
        for f in flags:
            if f == "empty_text" or f.startswith("error:") or f == "template_review":
                skipped[f] = skipped.get(f, 0) + 1
    times = df["time"].dropna() if not df.empty else []
    header = {
        "title": title or ("客户之声痛点报告" if lang == "zh" else "Voice of the customer: pain points"),
        "generated_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "inputs": inputs, "records": int(len(df)), "analysed": int(len(live)),
        "excluded": {"count": int(len(df) - len(live)), "why": skipped},
        "period": {"from": str(min(times).date()) if len(times) else None, "to": str(max(times).date()) if len(times) else None},
        "versions": {**provenance, "report": __version__}, "settings": cfg, "language": lang,
    }
    if live.empty:
        return {"header": header, "summary": {"records": int(len(df)), "analysed": 0}, "pain_points": [],
                "journey": {"stages": [], "valley": None}, "trust": {"pillars": [], "heatmap": {}},
                "segments": {}, "drivers": {"score": None, "note": "no analysable records"},
                "signals": {}, "recommendations": {}, "names": names}
    cells = sections.pain_cells(live)
    pains = sections.pain_points(live, cfg, cells)
    return {
        "header": header,
        "summary": sections.summary(df, live),
        "pain_points": pains,
        "journey": sections.journey(live, touchpoints, cfg["min_n"]),
        "trust": sections.trust(live, pillars, touchpoints),
        "segments": sections.segments(live, segment_columns(live), cfg["min_n"]),
        "drivers": sections.drivers(live, touchpoints, pillars, cfg),
        "signals": sections.signals(live, df),
        "recommendations": recommendations(live, pains, playbook, names["touchpoints"], lang, cfg, cells=cells),
        "names": names,
        "priority_formula": "100 * share * (0.5 + negativity) * (1 + frustration) * (1 + 0.5 * max(0, trend))",
    }
