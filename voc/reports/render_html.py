"""Self-contained HTML report: inline CSS and SVG charts, no scripts or fonts from anywhere else,
so it opens offline, reads on a laptop and prints cleanly."""
from __future__ import annotations

from html import escape

from voc.reports.i18n import t

CSS = """
body{font:15px/1.5 -apple-system,"Segoe UI","PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;
 color:#1d2330;max-width:1100px;margin:0 auto;padding:24px;background:#fff}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:32px 0 8px;border-bottom:2px solid #e5e8ef;padding-bottom:4px}
h3{font-size:16px;margin:18px 0 6px}.muted{color:#667085}.kpis{display:flex;gap:12px;flex-wrap:wrap;margin:12px 0}
.kpi{border:1px solid #e5e8ef;border-radius:8px;padding:10px 14px;min-width:130px}.kpi b{display:block;font-size:22px}
table{border-collapse:collapse;width:100%;margin:8px 0;font-size:14px}th,td{border-bottom:1px solid #eef0f4;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f7f8fa;font-weight:600}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
mark{background:#ffe08a;padding:0 1px;border-radius:2px}.quote{margin:4px 0;padding:4px 8px;border-left:3px solid #d0d5dd;background:#fafbfc}
.tag{display:inline-block;font-size:12px;border-radius:10px;padding:0 8px;margin:1px;background:#eef2ff;color:#3538cd}
.bad{color:#b42318}.good{color:#067647}.rec{border:1px solid #e5e8ef;border-radius:8px;padding:10px 14px;margin:8px 0}
a{color:#3538cd}details{margin:6px 0}@media print{body{max-width:none;padding:0}details{display:block}.noprint{display:none}
h2{page-break-after:avoid}tr,.rec{page-break-inside:avoid}}
"""


def _h(x) -> str:
    return escape("" if x is None else str(x))


def highlight(text: str, evidence: list[dict]) -> str:
    """Escape the quote and wrap its evidence spans in <mark> (overlaps merged)."""
    spans = sorted((e["start"], e["end"]) for e in evidence if 0 <= e["start"] < e["end"] <= len(text))
    merged: list[list[int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    out, pos = [], 0
    for s, e in merged:
        out.append(escape(text[pos:s]) + "<mark>" + escape(text[s:e]) + "</mark>")
        pos = e
    return "".join(out) + escape(text[pos:])


def bar_chart(rows: list[tuple[str, float, float]], width: int = 640, unit: str = "") -> str:
    """Horizontal bars: (label, value, highlight share 0..1 drawn darker)."""
    if not rows:
        return ""
    top = max(v for _, v, _ in rows) or 1
    h, lw = 24, 260
    parts = [f'<svg role="img" width="{width}" height="{h * len(rows) + 4}" viewBox="0 0 {width} {h * len(rows) + 4}" '
             'xmlns="http://www.w3.org/2000/svg" style="max-width:100%">']
    for i, (label, v, dark) in enumerate(rows):
        y = i * h + 2
        w = (width - lw - 70) * v / top
        parts.append(f'<text x="{lw - 6}" y="{y + 16}" text-anchor="end" font-size="13" fill="#1d2330">{_h(label)}</text>')
        parts.append(f'<rect x="{lw}" y="{y + 3}" width="{w:.1f}" height="{h - 8}" fill="#c7d2fe"/>')
        parts.append(f'<rect x="{lw}" y="{y + 3}" width="{w * dark:.1f}" height="{h - 8}" fill="#b42318"/>')
        parts.append(f'<text x="{lw + w + 6:.1f}" y="{y + 16}" font-size="12" fill="#475467">{v:.4g}{unit}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _cost_tags(costs: dict, names: dict) -> str:
    return "".join(f"<span class=tag>{_h(names.get(c, c))} {n}</span>" for c, n in costs.items())


def _interval(r: dict) -> str:
    return "—" if r.get("low") is None else f"[{r['low']:+g}, {r['high']:+g}]"


def _heat(count: int, top: int, color: str) -> str:
    alpha = 0 if not top else 0.12 + 0.75 * count / top
    return f'style="background:rgba({color},{alpha:.2f})"' if count else ""


def _est(e: dict | None, pct: bool = False) -> str:
    if not e or e.get("value") is None:
        return "—"
    unit = "%" if pct else ""
    return f'{e["value"]:g}{unit} <span class="muted">[{e["low"]:g}, {e["high"]:g}] n={e["n"]}</span>'


def render(report: dict) -> str:
    hd, lang, names = report["header"], report["header"]["language"], report["names"]
    tp, pl = names["touchpoints"], names["pillars"]
    s = report["summary"]
    out = [f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" '
           f'content="width=device-width,initial-scale=1"><title>{_h(hd["title"])}</title><style>{CSS}</style></head><body>']
    out.append(f'<h1>{_h(hd["title"])}</h1><div class="muted">{_h(hd["period"]["from"])} – {_h(hd["period"]["to"])} · '
               f'{hd["records"]} {t(lang, "records")} · {t(lang, "analysed")} {hd["analysed"]} · voc {_h(hd["versions"].get("voc_version"))}</div>')
    # Summary
    out.append(f'<h2 id="summary">{t(lang, "summary")}</h2><div class="kpis">')
    out.append(f'<div class="kpi">{t(lang, "negative_share")}<b>{100 * s.get("negative_share", 0):.0f}%</b></div>')
    out.append(f'<div class="kpi">{t(lang, "frustration")}<b>{s.get("mean_frustration", 0):.2f}</b></div>')
    for k in ("nps", "csat", "ces", "stars"):
        if k in s:
            out.append(f'<div class="kpi">{k.upper()}<b>{s[k]["value"]:g}</b><span class="muted">[{s[k]["low"]:g}, {s[k]["high"]:g}] n={s[k]["n"]}</span></div>')
    out.append(f'<div class="kpi">{t(lang, "template_share")}<b>{100 * s.get("template_share", 0):.1f}%</b></div></div>')
    # Pain points
    pains = report["pain_points"][: hd["settings"]["top_pain_points"]]
    out.append(f'<h2 id="pain-points">{t(lang, "pain_points")}</h2>')
    out.append(bar_chart([(f'{tp.get(p["touchpoint"], p["touchpoint"])} × {pl.get(p["pillar"], p["pillar"])}',
                           p["priority"], 0) for p in pains[:10]]))
    out.append(f'<table><tr><th>#</th><th>{t(lang, "touchpoint")}</th><th>{t(lang, "pillar")}</th>'
               f'<th class="num">{t(lang, "volume")}</th><th class="num">{t(lang, "share")}</th><th class="num">{t(lang, "negativity")}</th>'
               f'<th class="num">{t(lang, "frustration")}</th><th class="num">{t(lang, "trend")}</th><th>{t(lang, "costs")}</th>'
               f'<th class="num">{t(lang, "priority")}</th></tr>')
    for p in pains:
        trend = "—" if p["trend"] is None else f'{100 * p["trend"]:+.0f}%'
        out.append(f'<tr><td>{p["rank"]}</td><td><a href="#pp-{p["rank"]}">{_h(tp.get(p["touchpoint"], p["touchpoint"]))}</a></td>'
                   f'<td>{_h(pl.get(p["pillar"], p["pillar"]))}</td><td class="num">{p["volume"]}</td>'
                   f'<td class="num">{100 * p["share"]:.1f}%</td><td class="num">{p["negativity"]:.2f}</td>'
                   f'<td class="num">{p["frustration"]:.2f}</td><td class="num">{trend}</td>'
                   f'<td>{_cost_tags(p["costs"], names["costs"])}</td>'
                   f'<td class="num"><b>{p["priority"]:.1f}</b></td></tr>')
    out.append("</table>")
    for p in pains:
        opened = " open" if p["rank"] <= 5 else ""
        out.append(f'<details id="pp-{p["rank"]}"{opened}><summary><b>#{p["rank"]} {_h(tp.get(p["touchpoint"], p["touchpoint"]))} × '
                   f'{_h(pl.get(p["pillar"], p["pillar"]))}</b> — {p["volume"]} {t(lang, "records")}</summary>')
        for q in p["quotes"]:
            out.append(f'<div class="quote">{highlight(q["text"], q["evidence"])} <span class="muted">({_h(q["id"])})</span></div>')
        ids = p["record_ids"]
        out.append(f'<div class="muted">{t(lang, "records_link")}: {_h(", ".join(ids[:40]))}{" …" if len(ids) > 40 else ""}</div></details>')
    out.append(_journey(report, lang, tp))
    out.append(_trust(report, lang, tp, pl))
    out.append(_drivers(report, lang))
    out.append(_segments(report, lang))
    out.append(_signals(report, lang))
    out.append(_recommendations(report, lang, tp, pl))
    out.append(_header(report, lang))
    out.append("</body></html>")
    return "\n".join(out)


def _journey(report, lang, tp) -> str:
    j = report["journey"]
    rows = [f'<h2 id="journey">{t(lang, "journey")}</h2>']
    rows.append(bar_chart([(tp.get(st["id"], st["id"]), st["n"], (st["negative"] / st["n"]) if st["n"] else 0)
                           for st in j["stages"]]))
    valley = j.get("valley")
    rows.append(f'<p><b>{t(lang, "valley")}:</b> ' + (f'<span class="bad">{_h(tp.get(valley, valley))}</span>'
                if valley else t(lang, "no_valley")) + f' <span class="muted">({_h(j.get("valley_rule", ""))})</span></p>')
    rows.append(f'<table><tr><th>{t(lang, "touchpoint")}</th><th class="num">{t(lang, "volume")}</th>'
                f'<th class="num">{t(lang, "negativity")}</th><th class="num">{t(lang, "effort")}</th><th>NPS</th><th>CSAT</th></tr>')
    for st in j["stages"]:
        neg = "—" if st["negativity"] is None else f'{100 * st["negativity"]:.0f}%'
        eff = "—" if st["effort_share"] is None else f'{100 * st["effort_share"]:.0f}%'
        rows.append(f'<tr><td>{_h(tp.get(st["id"], st["id"]))}</td><td class="num">{st["n"]}</td><td class="num">{neg}</td>'
                    f'<td class="num">{eff}</td><td>{_est(st.get("nps"))}</td><td>{_est(st.get("csat"), True)}</td></tr>')
    return "".join(rows) + "</table>"


def _trust(report, lang, tp, pl) -> str:
    tr = report["trust"]
    rows = [f'<h2 id="trust">{t(lang, "trust")}</h2><table><tr><th>{t(lang, "pillar")}</th>'
            f'<th class="num">{t(lang, "violated")}</th><th class="num">{t(lang, "honoured")}</th><th class="num">{t(lang, "net")}</th></tr>']
    for p in tr["pillars"]:
        cls = "bad" if p["net"] < 0 else "good"
        rows.append(f'<tr><td>{_h(pl.get(p["id"], p["id"]))}</td><td class="num">{p["violated"]}</td>'
                    f'<td class="num">{p["honoured"]}</td><td class="num {cls}">{p["net"]:+.2f}</td></tr>')
    rows.append("</table>")
    pillars = [p["id"] for p in tr["pillars"]]
    top = max([c["violated"] for m in tr["heatmap"].values() for c in m.values()] + [1])
    rows.append(f'<table><tr><th>{t(lang, "touchpoint")} \\ {t(lang, "violated")} / {t(lang, "honoured")}</th>'
                + "".join(f'<th class="num">{_h(pl.get(p, p))}</th>' for p in pillars) + "</tr>")
    for tid, cells in tr["heatmap"].items():
        rows.append(f"<tr><td>{_h(tp.get(tid, tid))}</td>" + "".join(
            f'<td class="num" {_heat(cells[p]["violated"], top, "180,35,24")}>{cells[p]["violated"]} / {cells[p]["honoured"]}</td>'
            for p in pillars) + "</tr>")
    return "".join(rows) + "</table>"


def _drivers(report, lang) -> str:
    d = report["drivers"]
    rows = [f'<h2 id="drivers">{t(lang, "drivers")}</h2>']
    if not d.get("score"):
        return rows[0] + f'<p class="muted">{_h(d.get("note", t(lang, "no_scores")))}</p>'
    rows.append(f'<p class="muted">{d["score"].upper()} · n={d["n"]} · {_h(d["unit"])} · {_h(d["method"])}</p>')
    for key, col in (("loo", "impact"), ("regression", "coef")):
        rows.append(f'<h3>{t(lang, key)}</h3><table><tr><th>{t(lang, "theme")}</th><th class="num">{t(lang, "n")}</th>'
                    f'<th class="num">{t(lang, col)}</th><th>{t(lang, "interval")}</th><th>{t(lang, "verdict")}</th></tr>')
        for r in d[key]:
            v = r[col]
            cls = "bad" if r["verdict"] == "drags score down" else "good" if r["verdict"] == "lifts score" else "muted"
            rows.append(f'<tr><td>{_h(r["theme"])}</td><td class="num">{r["n"]}</td><td class="num">{"—" if v is None else f"{v:+g}"}</td>'
                        f'<td>{_interval(r)}</td><td class="{cls}">{_h(r["verdict"])}</td></tr>')
        rows.append("</table>")
    return "".join(rows)


def _segments(report, lang) -> str:
    rows = [f'<h2 id="segments">{t(lang, "scores")}</h2>']
    for col, values in report["segments"].items():
        rows.append(f'<h3>{_h(col)}</h3><table><tr><th>{t(lang, "value")}</th><th class="num">{t(lang, "n")}</th>'
                    f'<th class="num">{t(lang, "negative_share")}</th><th>NPS</th><th>CSAT</th><th></th></tr>')
        for v in values:
            rows.append(f'<tr><td>{_h(v["value"])}</td><td class="num">{v["n"]}</td><td class="num">{100 * v["negative_share"]:.0f}%</td>'
                        f'<td>{_est(v.get("nps"))}</td><td>{_est(v.get("csat"), True)}</td><td class="muted">{_h(v["note"])}</td></tr>')
        rows.append("</table>")
    return "".join(rows)


def _signals(report, lang) -> str:
    sg = report["signals"]
    rows = [f'<h2 id="signals">{t(lang, "signals")}</h2>']
    for key in ("churn_risk", "escalation", "repeat_contact"):
        items = sg.get(key, [])
        rows.append(f'<h3>{t(lang, key)} ({len(items)})</h3><table><tr><th>id</th><th>{t(lang, "quotes")}</th>'
                    f'<th class="num">{t(lang, "frustration")}</th><th>{t(lang, "segment")}</th></tr>')
        for it in items[:30]:
            seg = ", ".join(f"{k}={v}" for k, v in it["segment"].items())
            rows.append(f'<tr><td>{_h(it["id"])}</td><td>{_h(it["text"])}</td><td class="num">{it["frustration"]:.2f}</td>'
                        f'<td class="muted">{_h(seg)}</td></tr>')
        rows.append("</table>")
    rows.append(f'<p>{t(lang, "template_share")}: {100 * sg.get("template_share", 0):.1f}%</p>')
    return "".join(rows)


def _recommendations(report, lang, tp, pl) -> str:
    rows = [f'<h2 id="recommendations">{t(lang, "recommendations")}</h2>']
    for owner, items in report["recommendations"].items():
        rows.append(f"<h3>{_h(tp.get(owner, owner))}</h3>")
        for r in items:
            e, z = r["expected_effect"], r["size"]
            if e.get("expected_gain") is not None:
                lo, hi = e["gain_interval"]
                effect = f'{e["score"].upper()} {e["expected_gain"]:+g} [{lo:+g}, {hi:+g}] ({_h(e["verdict"])})'
            else:
                effect = _h(e.get("verdict"))
            quotes = "".join(f'<div class="quote">{_h(q["text"])} <span class="muted">({_h(q["id"])})</span></div>' for q in r["quotes"])
            rows.append(f'<div class="rec"><b>{_h(r["action"])}</b> <span class="tag">{_h(pl.get(r["pillar"], r["pillar"]))}</span>'
                        f'<div>{t(lang, "size")}: {z["records"]} {t(lang, "records")} ({100 * z["share"]:.1f}%), '
                        f'{t(lang, "negativity")} {z["negativity"]:.2f}, {t(lang, "frustration")} {z["frustration"]:.2f}</div>'
                        f'<div>{t(lang, "customers_say")}: {"".join(f"<span class=tag>{_h(c)}</span>" for c in r["customers_say"])}</div>'
                        f'<div>{t(lang, "expected")}: {effect}</div>{quotes}</div>')
    return "".join(rows)


def _header(report, lang) -> str:
    hd = report["header"]
    ins = "".join(f'<li>{_h(i["file"])}: {i["rows"]} {t(lang, "rows")} ({_h(i.get("format"))}{", " + _h(i["encoding"]) if i.get("encoding") else ""})</li>'
                  for i in hd["inputs"])
    why = ", ".join(f"{_h(k)}={v}" for k, v in hd["excluded"]["why"].items()) or "—"
    ver = ", ".join(f"{_h(k)}={_h(v)}" for k, v in hd["versions"].items())
    return (f'<h2 id="about">{t(lang, "header")}</h2><ul><li>{t(lang, "inputs")}:<ul>{ins}</ul></li>'
            f'<li>{t(lang, "records")}: {hd["records"]}, {t(lang, "analysed")}: {hd["analysed"]}, '
            f'{t(lang, "excluded")}: {hd["excluded"]["count"]} ({why})</li><li>{t(lang, "versions")}: {ver}</li>'
            f'<li>{t(lang, "formula")}: <code>{_h(report.get("priority_formula", ""))}</code></li>'
            f'<li>generated {_h(hd["generated_at"])}</li></ul>')
