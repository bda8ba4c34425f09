"""The report as Markdown, XLSX (one sheet per table) and JSON: the same numbers as the HTML."""
from __future__ import annotations

import json
from pathlib import Path

from voc.io.writers import neutralise
from voc.reports.i18n import t


def tables(report: dict) -> dict[str, list[dict]]:
    """Every table of the report as rows of plain values (shared by Markdown and XLSX)."""
    n = report["names"]
    tp, pl = n["touchpoints"], n["pillars"]
    out = {
        "pain_points": [{"rank": p["rank"], "touchpoint": tp.get(p["touchpoint"], p["touchpoint"]),
                         "pillar": pl.get(p["pillar"], p["pillar"]), "records": p["volume"], "share": p["share"],
                         "negativity": p["negativity"], "frustration": p["frustration"], "trend": p["trend"],
                         "costs": ", ".join(f"{k}={v}" for k, v in p["costs"].items()), "priority": p["priority"],
                         "top_cues": " / ".join(p["top_cues"]),
                         "quotes": " | ".join(f'{q["id"]}: {q["text"][:120]}' for q in p["quotes"])}
                        for p in report["pain_points"]],
        "journey": [{"touchpoint": tp.get(s["id"], s["id"]), "records": s["n"], "negative": s["negative"],
                     "negativity": s["negativity"], "effort_share": s["effort_share"],
                     "nps": (s.get("nps") or {}).get("value"), "csat": (s.get("csat") or {}).get("value"),
                     "valley": s["id"] == report["journey"].get("valley")} for s in report["journey"]["stages"]],
        "trust": [{"pillar": pl.get(p["id"], p["id"]), "violated": p["violated"], "honoured": p["honoured"],
                   "net": p["net"]} for p in report["trust"]["pillars"]],
        "drivers_loo": [dict(r) for r in report["drivers"].get("loo", [])],
        "drivers_regression": [dict(r) for r in report["drivers"].get("regression", [])],
        "segments": [{"segment": col, "value": v["value"], "n": v["n"], "negative_share": v["negative_share"],
                      "nps": (v.get("nps") or {}).get("value"), "nps_low": (v.get("nps") or {}).get("low"),
                      "nps_high": (v.get("nps") or {}).get("high"), "note": v["note"]}
                     for col, vs in report["segments"].items() for v in vs],
        "follow_up": [{"list": key, "id": it["id"], "frustration": it["frustration"], "text": it["text"]}
                      for key in ("churn_risk", "escalation", "repeat_contact") for it in report["signals"].get(key, [])],
        "recommendations": [{"owner": tp.get(owner, owner), "pillar": pl.get(r["pillar"], r["pillar"]), "action": r["action"],
                             "records": r["size"]["records"], "share": r["size"]["share"],
                             "customers_say": " / ".join(r["customers_say"]),
                             "expected_gain": r["expected_effect"].get("expected_gain"),
                             "gain_interval": r["expected_effect"].get("gain_interval"),
                             "verdict": r["expected_effect"].get("verdict")}
                            for owner, items in report["recommendations"].items() for r in items],
    }
    return out


def render_markdown(report: dict) -> str:
    hd, lang = report["header"], report["header"]["language"]
    lines = [f"# {hd['title']}", "",
             f"{hd['period']['from']} – {hd['period']['to']} · {hd['records']} {t(lang, 'records')} · "
             f"{t(lang, 'analysed')} {hd['analysed']} · lexicon {hd['versions'].get('lexicon_hash')}", ""]
    s = report["summary"]
    for k in ("nps", "csat", "ces", "stars"):
        if k in s and s[k]["value"] is not None:
            lines.append(f"- **{k.upper()}** {s[k]['value']:g} (95% CI {s[k]['low']:g} to {s[k]['high']:g}, n={s[k]['n']})")
    lines.append(f"- {t(lang, 'negative_share')}: {100 * s.get('negative_share', 0):.0f}%, "
                 f"{t(lang, 'frustration')}: {s.get('mean_frustration', 0):.2f}")
    top = hd["settings"]["top_pain_points"]
    for name, rows in tables(report).items():
        if name == "pain_points":
            rows = rows[:top]
        lines += ["", f"## {t(lang, name) if name in ('pain_points', 'journey', 'trust', 'recommendations') else name}", ""]
        if not rows:
            lines.append("—")
            continue
        cols = list(rows[0])
        lines.append("| " + " | ".join(cols) + " |")
        lines.append("|" + "---|" * len(cols))
        for r in rows:
            lines.append("| " + " | ".join(_md(r[c]) for c in cols) + " |")
    lines += ["", f"{t(lang, 'formula')}: `{report.get('priority_formula', '')}`", ""]
    return "\n".join(lines)


def _md(v) -> str:
    if isinstance(v, float):
        v = f"{v:.4g}"
    return str("" if v is None else v).replace("|", "\\|").replace("\n", " ")


def write_xlsx(report: dict, path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    for name, rows in tables(report).items():
        ws = wb.create_sheet(name[:31])
        if not rows:
            ws.append(["(none)"])
            continue
        cols = list(rows[0])
        ws.append(cols)
        for r in rows:
            ws.append([neutralise(_cell(r[c])) for c in cols])
    wb.save(path)


def _cell(v):
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False)
    return v


def write_all(report: dict, out_dir: Path, clock=None) -> dict[str, Path]:
    """Write the four files; `clock(name)` (a context manager, optional) times each."""
    from contextlib import nullcontext

    from voc.reports.render_html import render

    clock = clock or (lambda name: nullcontext())
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"html": out_dir / "report.html", "md": out_dir / "report.md", "xlsx": out_dir / "report.xlsx",
             "json": out_dir / "report.json"}
    with clock("html"):
        paths["html"].write_text(render(report), encoding="utf-8")
    with clock("md"):
        paths["md"].write_text(render_markdown(report), encoding="utf-8")
    with clock("xlsx"):
        write_xlsx(report, paths["xlsx"])
    with clock("json"):
        paths["json"].write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return paths
