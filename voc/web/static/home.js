"use strict";
// Home: the recent jobs (uploads and report builds).
(() => {
  const {api, el} = voc;
  async function jobs() {
    const {body} = await api("/api/jobs");
    const box = document.getElementById("jobs");
    if (!body.jobs.length) { box.textContent = "none since the server started"; return; }
    box.replaceChildren(el("table", {}, el("tr", {}, ["job", "state", "progress", "by", "seconds"].map(h => el("th", {text: h}))),
      body.jobs.slice(0, 10).map(j => el("tr", {}, el("td", {text: j.title || j.kind}), el("td", {text: j.state}),
        el("td", {text: j.error || j.message}), el("td", {text: j.owner}), el("td", {class: "num", text: String(j.elapsed_s)})))));
  }
  document.addEventListener("DOMContentLoaded", () => jobs().catch(e => voc.showError("jobs", e)));
})();
