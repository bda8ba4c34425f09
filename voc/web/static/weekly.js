"use strict";
// The weekly page (/weekly): the weekly report of a view (built by the server in a job, then cached),
// rendered as tables; a pain point opens the drawer with that week's records behind it.
(() => {
  const {api, el, highlight, pct, num, setProgress, pollJob} = voc;
  const R = vocReport;

  function theme(name, names) {
    const i = name.indexOf(":");
    const kind = name.slice(0, i), id = name.slice(i + 1);
    const group = (names || {})[kind + "s"];
    return group && group[id] ? `${kind}: ${group[id]}` : name;
  }

  function table(headers, rows) {
    const t = el("table", {}, el("tr", {}, headers.map(h => el("th", {class: h.num ? "num" : null, text: h.label}))));
    for (const r of rows) t.append(el("tr", {class: r.cls || null, onclick: r.onclick || null}, r.cells.map((c, i) =>
      el("td", {class: headers[i].num ? "num" : null}, c))));
    return t;
  }

  function exportLinks(q) {
    const link = (format, table, label) => {
      const p = new URLSearchParams(q); p.set("format", format); if (table) p.set("table", table);
      return el("a", {href: "/api/reports/weekly/export?" + p, text: label});
    };
    return el("div", {class: "actions"}, "export: ", link("xlsx", null, "XLSX (all tables)"),
      link("csv", "movers", "CSV movers"), link("csv", "pain_points", "CSV pain points"), link("csv", "new_cases", "CSV new cases"));
  }

  function render(rep, params, q) {
    const out = document.getElementById("weekly");
    const hd = rep.header, names = rep.names;
    const eq = new URLSearchParams(q); eq.set("week", hd.week);
    out.replaceChildren(el("h2", {text: hd.title}), exportLinks(eq),
      el("p", {class: "muted", text: `${hd.records.this_week} records this week · ${hd.records.prev_week} the week before · ` +
        `${hd.records.baseline} in the ${hd.baseline_weeks.length}-week baseline · ${hd.method}`}));
    const scores = Object.entries(rep.scores || {});
    if (scores.length) {
      out.append(el("h3", {text: "Scores"}), table([{label: "score"}, {label: "this week", num: 1}, {label: "previous", num: 1},
        {label: "change", num: 1}, {label: "95% interval"}], scores.map(([k, v]) => ({cls: v.significant ? "bad" : null, cells: [
        k.toUpperCase(), v.this_week ? String(v.this_week.value) : "—", v.prev_week ? String(v.prev_week.value) : "—",
        v.change === null || v.change === undefined ? "—" : (v.change > 0 ? "+" : "") + v.change,
        v.low === undefined ? "—" : `[${v.low}, ${v.high}]`]}))));
    }
    out.append(el("h3", {text: "Movers"}), table([{label: "theme"}, {label: "this week", num: 1}, {label: "share", num: 1},
      {label: "previous", num: 1}, {label: "baseline share", num: 1}, {label: "z vs previous", num: 1}, {label: "z vs baseline", num: 1}],
      (rep.movers || []).slice(0, 20).map(m => ({cls: m.significant && m.direction === "up" ? "bad" : null, cells: [
        theme(m.theme, names), String(m.this_week), pct(m.share), String(m.prev_week), pct(m.baseline_share),
        num(m.z_vs_prev), num(m.z_vs_baseline)]}))));
    out.append(el("h3", {text: "Emerging terms"}), (rep.emerging_terms || []).length ? table([{label: "term"},
      {label: "this week", num: 1}, {label: "baseline", num: 1}, {label: "lift", num: 1}, {label: "z", num: 1}],
      rep.emerging_terms.map(e => ({cells: [e.term, String(e.this_week), String(e.baseline), e.new ? "new" : String(e.lift), num(e.z)]})))
      : el("p", {class: "muted", text: "none"}));
    const week = params.get("week") || hd.week;
    const days = hd.days || {};
    const cellParams = new URLSearchParams(R.viewParams(params));
    if (days.from) { cellParams.set("from", days.from); cellParams.set("to", days.to); }
    out.append(el("h3", {text: "Pain points this week"}), (rep.pain_points || []).length ? table([{label: "#"}, {label: "touchpoint"},
      {label: "pillar"}, {label: "records", num: 1}, {label: "priority", num: 1}, {label: "quote"}],
      rep.pain_points.map(p => ({cls: "cell-row", onclick: () => R.openCell(p.touchpoint, p.pillar, cellParams, names),
        cells: [String(p.rank), el("a", {href: "#", class: "cell-link", text: names.touchpoints[p.touchpoint] || p.touchpoint,
          onclick: (ev) => ev.preventDefault()}), names.pillars[p.pillar] || p.pillar, String(p.volume), num(p.priority, 1),
          p.quotes && p.quotes.length ? el("span", {class: "quote"}, highlight(p.quotes[0].text, p.quotes[0].evidence)) : ""]})))
      : el("p", {class: "muted", text: `no pain points in ${week}`}));
    for (const [key, cases] of Object.entries(rep.new_cases || {})) {
      out.append(el("h3", {text: `New ${key.replace("_", " ")} cases (${cases.length})`}));
      for (const c of cases.slice(0, 20)) out.append(el("div", {class: "record"}, el("div", {class: "quote", text: c.text}),
        el("div", {class: "muted small", text: `${c.id} · frustration ${num(c.frustration)}`})));
    }
    document.body.dataset.ready = "1";
    document.body.dataset.readyMs = String(Math.round(performance.now()));
  }

  async function load(params) {
    const status = document.getElementById("status");
    const bar = document.getElementById("progress");
    const q = R.viewParams(params);
    if (params.get("week")) q.set("week", params.get("week"));
    if (params.get("labels")) { q.set("report_lang", params.get("labels")); q.delete("labels"); }
    for (let attempt = 0; attempt < 3; attempt++) {
      status.textContent = "loading…";
      const r = await api("/api/reports/weekly?" + q);
      if (r.status === 200) { bar.hidden = true; status.textContent = ""; render(r.body, params, q); return; }
      const job = await pollJob(r.body.job_id, j => { setProgress(bar, j.fraction || 0.05); status.textContent = j.message || "building the weekly report…"; });
      if (job.state !== "done") throw new Error(job.error || "the weekly report job " + job.state);
    }
  }

  async function page() {
    const form = document.getElementById("filters");
    let params = new URLSearchParams(location.search);
    const {body: facets} = await api("/api/facets");
    R.initFilters(form, facets, params);
    R.initDrawer();
    if (!facets.weeks.length) { document.getElementById("status").textContent = "No dated records yet: weekly reports need a time column."; return; }
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      params = R.readFilters(form);
      history.replaceState(null, "", "?" + params);
      load(params).catch(e => voc.showError("status", e));
    });
    await load(params);
  }

  document.addEventListener("DOMContentLoaded", () => page().catch(e => voc.showError("status", e)));
})();
