"""The weekly report in the same four formats as the pain-point report."""
from __future__ import annotations

import json
from html import escape
from pathlib import Path

from voc.io.writers import neutralise
from voc.reports.render_flat import _md
from voc.reports.render_html import CSS, highlight


def weekly_tables(rep: dict) -> dict[str, list[dict]]:
    n = rep["names"]

    def theme(name: str) -> str:
        kind, _, ident = name.partition(":")
        return f"{kind}: {n.get(kind + 's', {}).get(ident, ident)}" if kind in ("touchpoint", "pillar") else name

    return {
        "movers": [{**m, "theme": theme(m["theme"])} for m in rep["movers"]],
        "emerging_terms": [{**e, "examples": ", ".join(e["examples"])} for e in rep["emerging_terms"]],
        "scores": [{"score": k.upper(), "this_week": (v["this_week"] or {}).get("value"),
                    "prev_week": (v["prev_week"] or {}).get("value"), "change": v.get("change"),
                    "low": v.get("low"), "high": v.get("high"), "significant": v.get("significant")}
                   for k, v in rep["scores"].items()],
        "new_cases": [{"list": k, "id": c["id"], "frustration": c["frustration"], "text": c["text"]}
                      for k, cases in rep["new_cases"].items() for c in cases],
        "pain_points": [{"rank": p["rank"], "touchpoint": n["touchpoints"].get(p["touchpoint"], p["touchpoint"]),
                         "pillar": n["pillars"].get(p["pillar"], p["pillar"]), "records": p["volume"],
                         "priority": p["priority"], "quote": (p["quotes"][0]["text"] if p["quotes"] else "")}
                        for p in rep["pain_points"]],
    }


def render_weekly_html(rep: dict) -> str:
    hd = rep["header"]
    out = [f'<!doctype html><html lang="{hd["language"]}"><head><meta charset="utf-8"><title>{escape(hd["title"])}</title>'
           f'<style>{CSS}</style></head><body><h1>{escape(hd["title"])}</h1>'
           f'<div class="muted">{hd["records"]["this_week"]} this week · {hd["records"]["prev_week"]} previous week · '
           f'{hd["records"]["baseline"]} in the {len(hd["baseline_weeks"])}-week baseline · {escape(hd["method"])}</div>']
    for name, rows in weekly_tables(rep).items():
        out.append(f"<h2>{escape(name.replace('_', ' '))}</h2>")
        if not rows:
            out.append('<p class="muted">—</p>')
            continue
        cols = list(rows[0])
        out.append("<table><tr>" + "".join(f"<th>{escape(c)}</th>" for c in cols) + "</tr>")
        for r in rows:
            cls = ' class="bad"' if r.get("significant") and r.get("direction") == "up" else ""
            out.append(f"<tr{cls}>" + "".join(f"<td>{escape(_md(r[c]))}</td>" for c in cols) + "</tr>")
        out.append("</table>")
    for p in rep["pain_points"][:5]:
        for q in p["quotes"][:2]:
            out.append(f'<div class="quote">{highlight(q["text"], q["evidence"])} <span class="muted">({escape(q["id"])})</span></div>')
    out.append("</body></html>")
    return "\n".join(out)


def write_weekly(rep: dict, out_dir: Path) -> dict[str, Path]:
    import openpyxl

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {k: out_dir / f"weekly.{k}" for k in ("html", "md", "xlsx", "json")}
    paths["html"].write_text(render_weekly_html(rep), encoding="utf-8")
    md = [f"# {rep['header']['title']}", ""]
    wb = openpyxl.Workbook(write_only=True)
    for name, rows in weekly_tables(rep).items():
        md += [f"## {name.replace('_', ' ')}", ""]
        ws = wb.create_sheet(name[:31])
        if not rows:
            md += ["—", ""]
            ws.append(["(none)"])
            continue
        cols = list(rows[0])
        md += ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        md += ["| " + " | ".join(_md(r[c]) for c in cols) + " |" for r in rows] + [""]
        ws.append(cols)
        for r in rows:
            ws.append([neutralise(json.dumps(r[c], ensure_ascii=False) if isinstance(r[c], (list, dict)) else r[c]) for c in cols])
    paths["md"].write_text("\n".join(md), encoding="utf-8")
    wb.save(paths["xlsx"])
    paths["json"].write_text(json.dumps(rep, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return paths
