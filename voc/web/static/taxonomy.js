"use strict";
// The taxonomy page: the active lexicons (groups, labels, cue counts, sample cues) and explain.
(() => {
  const {api, el, highlight, num, showError} = voc;

  function labelName(n) { return [n.zh, n.en].filter(Boolean).join(" / "); }

  async function groups() {
    const {body} = await api("/api/taxonomy");
    document.getElementById("lex-meta").textContent = `lexicons ${body.root} · hash ${body.hash}`;
    const box = document.getElementById("groups");
    for (const g of body.groups) {
      const t = el("table", {}, el("tr", {}, ["label", "name", "cues", "sample cues", "description"].map(h => el("th", {text: h}))));
      for (const lab of g.labels) {
        const samples = Object.entries(lab.samples).map(([k, v]) => el("div", {class: "small"}, el("span", {class: "muted", text: k + ": "}),
          v.slice(0, 6).map(c => el("span", {class: "tag", text: c}))));
        t.append(el("tr", {}, el("td", {}, el("code", {text: lab.id})), el("td", {text: labelName(lab.name)}),
          el("td", {class: "num", text: String(lab.cue_count)}), el("td", {}, samples), el("td", {class: "muted small", text: lab.description})));
      }
      box.append(el("section", {class: "group"}, el("h2", {text: `${g.name} `}, el("span", {class: "muted small",
        text: `${g.kind} · ${g.file} · ${g.labels.length} labels · ${g.cue_count} cues`})), el("p", {class: "muted", text: g.description}), t));
    }
  }

  function tags(items, fmt) { return items.length ? items.map(x => el("span", {class: "tag", text: fmt(x)})) : [el("span", {class: "muted", text: "—"})]; }

  async function explain(ev) {
    ev.preventDefault();
    const out = document.getElementById("explain-out");
    out.replaceChildren(el("p", {class: "muted", text: "explaining…"}));
    try {
      const {body: x} = await api("/api/explain", {method: "POST", json: {text: document.getElementById("explain-text").value}});
      const r = x.record;
      const spans = x.hits.filter(h => ["touchpoints", "pillars", "costs", "signals"].includes(h.group));
      out.replaceChildren(
        el("div", {class: "quote big"}, highlight(x.text, spans)),
        el("p", {}, `lang ${x.lang} · sentiment ${r.sentiment.label} ${num(r.sentiment.score)} · frustration ${num(r.frustration)}`),
        el("p", {}, "touchpoints ", tags(r.touchpoints, t => `${t.id}: ${t.sentiment}`), " pillars ", tags(r.pillars, p => `${p.id}: ${p.polarity}`),
          " costs ", tags(r.costs, c => c.id), " signals ", tags(r.signals, s => s.id)),
        el("p", {class: "small"}, el("span", {class: "muted", text: "tokens: "}), x.tokens.join(" | ")),
        el("table", {}, el("tr", {}, ["group", "label", "variant", "text", "weight", "negated", "source"].map(h => el("th", {text: h}))),
          x.hits.map(h => el("tr", {}, el("td", {text: h.group}), el("td", {text: h.label}), el("td", {text: h.variant}),
            el("td", {}, el("mark", {text: h.text})), el("td", {class: "num", text: String(h.weight)}),
            el("td", {text: h.negated ? "yes" : ""}), el("td", {class: "muted small", text: h.source})))),
        el("p", {class: "muted small", text: "clauses: " + x.clauses.map(c => `${c.text} (${num(c.score)})`).join(" · ")}));
    } catch (e) { showError(out, e); }
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.getElementById("explain-form").addEventListener("submit", explain);
    groups().catch(e => showError("groups", e));
  });
})();
