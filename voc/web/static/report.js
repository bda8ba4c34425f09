"use strict";
// The pain-point page (/reports): filters, KPIs, ranked pain points, and the drill-down drawer with
// the records behind a pain point (evidence highlighted). weekly.js reuses the filters and drawer.
const vocReport = (() => {
  const {api, el, highlight, pct, num} = voc;
  const FILTER_KEYS = ["from", "to", "lang", "seg", "labels", "week"];

  function initFilters(form, facets, params) {
    const langBox = form.querySelector("#f-lang");
    const chosen = params.getAll("lang");
    for (const [lang, n] of Object.entries(facets.languages || {})) {
      langBox.append(el("label", {class: "chk"}, el("input", {type: "checkbox", name: "lang", value: lang,
        checked: chosen.includes(lang)}), ` ${lang} (${n})`));
    }
    const segBox = form.querySelector("#f-segs");
    const segs = {};
    for (const s of params.getAll("seg")) { const i = s.indexOf(":"); if (i > 0) segs[s.slice(0, i)] = s.slice(i + 1); }
    for (const [key, values] of Object.entries(facets.segments || {})) {
      const sel = el("select", {name: "seg", dataset: {key: key}}, el("option", {value: "", text: "all"}));
      for (const [v, n] of Object.entries(values)) sel.append(el("option", {value: v, text: `${v} (${n})`, selected: segs[key] === v}));
      segBox.append(el("label", {}, key + " ", sel));
    }
    for (const name of ["from", "to", "labels"]) {
      const input = form.elements[name];
      if (input && params.get(name)) input.value = params.get(name);
    }
    if (form.elements.from && facets.from) { form.elements.from.min = facets.from; form.elements.to.max = facets.to; }
    const week = form.elements.week;
    if (week) {
      for (const w of (facets.weeks || []).slice().reverse()) week.append(el("option", {value: w, text: w}));
      if (params.get("week")) week.value = params.get("week");
    }
    form.querySelector("#f-reset").addEventListener("click", () => { location.search = ""; });
  }

  function readFilters(form) {
    const p = new URLSearchParams();
    for (const name of ["from", "to", "week", "labels"]) {
      const input = form.elements[name];
      if (input && input.value) p.set(name, input.value);
    }
    for (const box of form.querySelectorAll("input[name=lang]:checked")) p.append("lang", box.value);
    for (const sel of form.querySelectorAll("select[name=seg]")) if (sel.value) p.append("seg", sel.dataset.key + ":" + sel.value);
    return p;
  }

  function viewParams(params) {  // only the filter keys, for API calls
    const p = new URLSearchParams();
    for (const [k, v] of params) if (FILTER_KEYS.includes(k) && k !== "week") p.append(k, v);
    return p;
  }

  function kpis(box, s) {
    box.replaceChildren();
    const add = (label, value, note) => box.append(el("div", {class: "kpi"}, label, el("b", {text: value}), note ? el("span", {class: "muted", text: note}) : null));
    add("records", (s.records || 0).toLocaleString(), `analysed ${(s.analysed || 0).toLocaleString()}`);
    add("negative", pct(s.negative_share, 0));
    add("frustration", num(s.mean_frustration));
    for (const k of ["nps", "csat", "ces", "stars"]) {
      const e = s[k];
      if (e && e.value !== null) add(k.toUpperCase(), String(e.value), `[${e.low}, ${e.high}] n=${e.n}`);
    }
    add("templates", pct(s.template_share));
    add("languages", Object.entries(s.languages || {}).map(([k, v]) => `${k} ${v}`).join(" · ") || "—");
  }

  // ------------------------------------------------------------------ the drawer
  const drawer = {cell: null, offset: 0, names: null};

  function name(group, id) { return (drawer.names && drawer.names[group] && drawer.names[group][id]) || id; }

  async function openCell(tp, pillar, params, names) {
    drawer.cell = {tp, pillar, params: viewParams(params)};
    drawer.offset = 0;
    drawer.names = names;
    const box = document.getElementById("drawer");
    box.hidden = false;
    document.getElementById("cell-title").textContent = `${name("touchpoints", tp)} × ${name("pillars", pillar)}`;
    document.getElementById("records").replaceChildren(el("p", {class: "muted", text: "loading…"}));
    const exp = document.getElementById("cell-export");
    exp.replaceChildren("export these records: ");
    for (const fmt of ["csv", "xlsx"]) {
      const p = new URLSearchParams(drawer.cell.params);
      p.set("view", "records"); p.set("format", fmt); p.set("touchpoint", tp); p.set("pillar", pillar);
      exp.append(el("a", {href: "/api/reports/export?" + p, text: fmt.toUpperCase()}), " ");
    }
    await loadRecords(true);
    box.scrollIntoView({behavior: "smooth", block: "start"});
  }

  async function loadRecords(first) {
    const {tp, pillar, params} = drawer.cell;
    const p = new URLSearchParams(params);
    p.set("offset", drawer.offset); p.set("limit", 20);
    const {body} = await api(`/api/reports/pain-points/${encodeURIComponent(tp)}/${encodeURIComponent(pillar)}?${p}`);
    const list = document.getElementById("records");
    if (first) {
      list.replaceChildren();
      const costs = Object.entries(body.costs || {}).map(([c, n]) => `${name("costs", c)} ${n}`).join(" · ");
      document.getElementById("cell-meta").textContent = `${body.volume.toLocaleString()} records` + (costs ? ` · costs: ${costs}` : "");
      const cues = document.getElementById("cell-cues");
      cues.replaceChildren(...(body.top_cues || []).map(c => el("span", {class: "tag", text: `${c.cue} ${c.count}`})));
    }
    for (const r of body.records) list.append(recordCard(r));
    drawer.offset += body.records.length;
    const more = document.getElementById("more");
    more.hidden = drawer.offset >= body.volume || body.records.length === 0;
  }

  function recordCard(r) {
    const segs = Object.entries(r.meta || {}).filter(([, v]) => typeof v === "string" && v.length < 30).map(([k, v]) => `${k}=${v}`);
    const label = r.sentiment ? `${r.sentiment.label} ${num(r.sentiment.score)}` : "";
    return el("div", {class: "record"},
      el("div", {class: "quote"}, highlight(r.text, r.evidence)),
      el("div", {class: "muted small"}, [r.id, (r.ts || "").slice(0, 10), r.lang, label, `frustration ${num(r.frustration)}`,
        (r.signals || []).join(" "), segs.join(", ")].filter(Boolean).join(" · ")),
      r.unmasked_text ? el("details", {}, el("summary", {text: "unmasked original (admin)"}), el("div", {class: "quote", text: r.unmasked_text})) : null);
  }

  function initDrawer() {
    document.getElementById("drawer-close").addEventListener("click", () => { document.getElementById("drawer").hidden = true; });
    document.getElementById("more").addEventListener("click", () => loadRecords(false).catch(e => voc.showError("status", e)));
  }

  // ------------------------------------------------------------------ the pain-point page
  async function page() {
    const form = document.getElementById("filters");
    const status = document.getElementById("status");
    let params = new URLSearchParams(location.search);
    const {body: facets} = await api("/api/facets");
    initFilters(form, facets, params);
    initDrawer();
    if (!facets.records) {
      status.replaceChildren("The store is empty. ", el("a", {href: "/upload", text: "Upload an export"}), " to get started.");
    }
    let names = null;
    async function load() {
      const t0 = performance.now();
      status.textContent = "loading…";
      const q = viewParams(params);
      const {body} = await api("/api/reports/pain-points?" + q);
      names = body.names;
      kpis(document.getElementById("kpis"), body.summary);
      const tbody = document.querySelector("#pains tbody");
      tbody.replaceChildren();
      const top = Math.max(1, ...body.pain_points.map(p => p.priority));
      for (const p of body.pain_points) {
        const open = (ev) => { ev.preventDefault(); openCell(p.touchpoint, p.pillar, params, names).catch(e => voc.showError("status", e)); };
        tbody.append(el("tr", {class: "cell-row", dataset: {tp: p.touchpoint, pillar: p.pillar}, onclick: open},
          el("td", {text: p.rank}),
          el("td", {}, el("a", {href: "#", class: "cell-link", text: names.touchpoints[p.touchpoint] || p.touchpoint})),
          el("td", {text: names.pillars[p.pillar] || p.pillar}),
          el("td", {class: "num", text: p.volume.toLocaleString()}), el("td", {class: "num", text: pct(p.share)}),
          el("td", {class: "num", text: num(p.negativity)}), el("td", {class: "num", text: num(p.frustration)}),
          el("td", {class: "num", text: p.trend === null ? "—" : (p.trend >= 0 ? "+" : "") + Math.round(100 * p.trend) + "%"}),
          el("td", {class: "num"}, el("span", {class: "bar", style: `width:${Math.round(60 * p.priority / top)}px`}), " ", num(p.priority, 1))));
      }
      if (!body.pain_points.length) tbody.append(el("tr", {}, el("td", {colspan: 9, class: "muted", text: "no pain points in this view"})));
      for (const fmt of ["csv", "xlsx"]) {
        const e = new URLSearchParams(q); e.set("view", "pain-points"); e.set("format", fmt);
        document.getElementById("export-" + fmt).href = "/api/reports/export?" + e;
      }
      const full = new URLSearchParams(q); full.delete("labels");
      if (params.get("labels")) full.set("report_lang", params.get("labels"));
      document.getElementById("full-link").href = "/reports/full?" + full;
      status.textContent = `${body.pain_points.length} pain points · ${Math.round(performance.now() - t0)} ms`;
      document.body.dataset.ready = "1";
      document.body.dataset.readyMs = String(Math.round(performance.now()));
    }
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      params = readFilters(form);
      history.replaceState(null, "", "?" + params);
      document.getElementById("drawer").hidden = true;
      load().catch(e => voc.showError(status, e));
    });
    await load();
  }

  if (document.body.dataset.page === "reports") {
    document.addEventListener("DOMContentLoaded", () => page().catch(e => voc.showError("status", e)));
  }
  return {initFilters, readFilters, viewParams, kpis, openCell, initDrawer, recordCard};
})();
