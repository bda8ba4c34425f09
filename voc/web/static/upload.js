"use strict";
// The upload page: send the file (with an upload progress bar), show the detected column mapping
// and preview rows, let the analyst correct the mapping, start the job, follow its progress.
(() => {
  const {api, el, setProgress, pollJob, showError} = voc;
  let upload = null;

  function send(form) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      const bar = document.getElementById("upload-progress");
      xhr.open("POST", "/api/uploads");
      xhr.setRequestHeader("X-Voc-Request", "1");
      xhr.upload.onprogress = (e) => { if (e.lengthComputable) setProgress(bar, e.loaded / e.total); };
      xhr.onload = () => {
        let body = null;
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = {detail: xhr.responseText || "HTTP " + xhr.status}; }
        if (xhr.status === 201) resolve(body);
        else reject(new Error(typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail)));
      };
      xhr.onerror = () => reject(new Error("the upload failed (network)"));
      xhr.send(new FormData(form));
    });
  }

  function select(name, headers, value, blank) {
    const s = el("select", {name: name, id: "map-" + name}, el("option", {value: "", text: blank}));
    for (const h of headers) s.append(el("option", {value: h, text: h, selected: h === value}));
    return s;
  }

  function showMapping(pv) {
    upload = pv;
    document.getElementById("mapping").hidden = false;
    const m = pv.mapping || {};
    const note = document.getElementById("map-note");
    note.textContent = `${pv.filename}: ${pv.format.toUpperCase()}, about ${pv.estimated_rows.toLocaleString()} rows, ` +
      `${pv.headers.length} columns.` + (pv.chat_turns ? " Chat turns detected: each turn is a record." : "") +
      (pv.problem ? " " + pv.problem + " — choose the text column below." : "");
    const roles = document.getElementById("map-roles");
    roles.replaceChildren();
    const scores = document.getElementById("map-scores");
    scores.replaceChildren();
    if (!pv.chat_turns) {
      roles.append(el("label", {}, "text ", select("text", pv.headers, m.text, "(choose)")),
        el("label", {}, "id ", select("id", pv.headers, m.id, "(row number)")),
        el("label", {}, "time ", select("time", pv.headers, m.time, "(none)")));
      scores.append(el("span", {class: "muted", text: "scores: "}));
      for (const h of pv.headers) {
        const s = el("select", {dataset: {col: h}, class: "score"}, el("option", {value: "", text: "—"}));
        for (const k of pv.score_kinds) s.append(el("option", {value: k, text: k.toUpperCase(), selected: (m.scores || {})[h] === k}));
        scores.append(el("label", {class: "chk"}, h + " ", s));
      }
    }
    document.getElementById("keep").checked = !!pv.keep_unmasked_default;
    const t = document.getElementById("preview");
    t.replaceChildren(el("tr", {}, pv.headers.map(h => {
      const role = h === m.text ? "text" : h === m.id ? "id" : h === m.time ? "time" : (m.scores || {})[h] || "";
      return el("th", {}, h, role ? el("span", {class: "tag", text: role}) : null);
    })));
    for (const row of pv.rows) t.append(el("tr", {}, pv.headers.map(h => el("td", {text: row[h] === null || row[h] === undefined ? "" : String(row[h])}))));
  }

  async function start(ev) {
    ev.preventDefault();
    const body = {keep_unmasked: document.getElementById("keep").checked, scores: {}};
    if (!upload.chat_turns) {
      for (const name of ["text", "id", "time"]) body[name] = document.getElementById("map-" + name).value || null;
      for (const s of document.querySelectorAll("select.score")) if (s.value) body.scores[s.dataset.col] = s.value;
    }
    document.getElementById("start").disabled = true;
    try {
      const {body: res} = await api(`/api/uploads/${upload.upload_id}/ingest`, {method: "POST", json: body});
      follow(res.job_id);
    } catch (e) {
      document.getElementById("start").disabled = false;
      showError("upload-error", e);
    }
  }

  async function follow(jobId) {
    document.getElementById("job").hidden = false;
    const bar = document.getElementById("job-progress");
    const status = document.getElementById("job-status");
    const cancel = document.getElementById("job-cancel");
    cancel.onclick = () => api("/api/jobs/" + jobId, {method: "DELETE"}).catch(e => showError(status, e));
    const job = await pollJob(jobId, (j) => {
      setProgress(bar, j.fraction || 0.02);
      status.textContent = `${j.state}: ${j.message || ""} (${j.elapsed_s}s)`;
    });
    cancel.hidden = true;
    if (job.state === "done") {
      const r = job.result;
      status.textContent = `done in ${job.elapsed_s}s: ${r.records.toLocaleString()} records; inserted ${r.inserted}, ` +
        `updated ${r.updated}, unchanged ${r.unchanged}.`;
      document.getElementById("job-links").hidden = false;
      document.body.dataset.jobDone = "1";
    } else {
      showError(status, new Error(`${job.state}: ${job.error || ""}`));
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.getElementById("upload-form").addEventListener("submit", async (ev) => {
      ev.preventDefault();
      document.getElementById("upload-error").hidden = true;
      document.getElementById("mapping").hidden = true;
      try { showMapping(await send(ev.target)); } catch (e) { showError("upload-error", e); }
    });
    document.getElementById("map-form").addEventListener("submit", start);
  });
})();
