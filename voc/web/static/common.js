"use strict";
// Shared helpers for voc's pages: API calls, DOM building (no innerHTML with data), highlighting,
// job polling. Loaded before each page's script.
const voc = (() => {
  async function api(path, opts = {}) {
    const o = Object.assign({credentials: "same-origin"}, opts);
    o.headers = Object.assign({"X-Voc-Request": "1"}, opts.headers || {});
    if (opts.json !== undefined) {
      o.body = JSON.stringify(opts.json);
      o.headers["Content-Type"] = "application/json";
      delete o.json;
    }
    const r = await fetch(path, o);
    if (r.status === 401) {
      location.href = "/login?next=" + encodeURIComponent(location.pathname + location.search);
      throw new Error("please log in");
    }
    const ct = r.headers.get("content-type") || "";
    const body = ct.includes("json") ? await r.json() : await r.text();
    if (!r.ok) {
      const d = body && body.detail !== undefined ? body.detail : "HTTP " + r.status;
      const e = new Error(typeof d === "string" ? d : JSON.stringify(d));
      e.status = r.status;
      throw e;
    }
    return {status: r.status, body: body};
  }

  // el("div", {class: "x", text: "hi", onclick: fn}, child, "text", ...)
  function el(tag, attrs, ...children) {
    const n = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") n.textContent = v;
      else if (k === "class") n.className = v;
      else if (k.startsWith("on")) n.addEventListener(k.slice(2), v);
      else if (k === "dataset") Object.assign(n.dataset, v);
      else n.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      n.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return n;
  }

  // Evidence offsets are Python string indices (code points); JS strings are UTF-16, so slice by
  // code points or an emoji before a span would shift every highlight.
  function highlight(text, spans, cls) {
    const cps = Array.from(text || "");
    const ranges = (spans || []).filter(s => s.start >= 0 && s.end > s.start && s.end <= cps.length)
      .map(s => [s.start, s.end]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const merged = [];
    for (const [s, e] of ranges) {
      if (merged.length && s <= merged[merged.length - 1][1]) merged[merged.length - 1][1] = Math.max(merged[merged.length - 1][1], e);
      else merged.push([s, e]);
    }
    const frag = document.createDocumentFragment();
    let pos = 0;
    for (const [s, e] of merged) {
      if (s > pos) frag.append(cps.slice(pos, s).join(""));
      frag.append(el("mark", {class: cls || null, text: cps.slice(s, e).join("")}));
      pos = e;
    }
    if (pos < cps.length) frag.append(cps.slice(pos).join(""));
    return frag;
  }

  function pct(x, digits) {
    return x === null || x === undefined ? "—" : (100 * x).toFixed(digits === undefined ? 1 : digits) + "%";
  }
  function num(x, digits) {
    return x === null || x === undefined ? "—" : Number(x).toFixed(digits === undefined ? 2 : digits);
  }

  function setProgress(bar, fraction) {
    bar.hidden = false;
    bar.firstElementChild.style.width = Math.round(100 * Math.max(0, Math.min(1, fraction || 0))) + "%";
  }

  // Poll a job until it ends; onProgress(job) on each poll. Resolves with the finished job.
  async function pollJob(id, onProgress) {
    for (;;) {
      const {body: job} = await api("/api/jobs/" + encodeURIComponent(id));
      if (onProgress) onProgress(job);
      if (["done", "failed", "cancelled"].includes(job.state)) return job;
      await new Promise(r => setTimeout(r, 400));
    }
  }

  function showError(where, err) {
    const box = typeof where === "string" ? document.getElementById(where) : where;
    if (!box) return;
    box.hidden = false;
    box.className = "error";
    box.textContent = err && err.message ? err.message : String(err);
  }

  return {api, el, highlight, pct, num, setProgress, pollJob, showError};
})();
