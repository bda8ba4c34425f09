"use strict";
// The live alerts board: server-sent events keep it current; acknowledge / resolve per conversation.
(() => {
  const {api, el, num, showError} = voc;
  const ORDER = {open: 0, acknowledged: 1, resolved: 2};
  const LEVEL = {warning: 1, critical: 2};
  let convs = new Map();
  let source = null;

  function ranked() {
    const showResolved = document.getElementById("show-resolved").checked;
    return [...convs.values()].filter(c => showResolved || c.status !== "resolved").sort((a, b) =>
      ORDER[a.status] - ORDER[b.status] || (b.score || 0) - (a.score || 0) || LEVEL[b.level] - LEVEL[a.level] || b.last_at - a.last_at);
  }

  async function act(cid, action) {
    try {
      const {body} = await api(`/api/alerts/${encodeURIComponent(cid)}/${action}`, {method: "POST"});
      convs.set(body.conversation_id, body);
      render();
    } catch (e) { showError("conn-text", e); }
  }

  function card(c) {
    const when = c.ts || (c.last_at ? new Date(c.last_at * 1000).toISOString() : "");
    return el("article", {class: `alert ${c.level} ${c.status}`, dataset: {cid: c.conversation_id}},
      el("header", {},
        el("span", {class: "badge " + c.level, text: c.level}), " ",
        el("b", {text: c.conversation_id}), " ",
        el("span", {class: "meter", title: "frustration"}, el("span", {style: `width:${Math.round(100 * (c.score || 0))}%`})),
        ` ${num(c.score)} · ${c.alerts} alert${c.alerts === 1 ? "" : "s"} · ${when.slice(0, 19).replace("T", " ")} · `,
        el("span", {class: "status", text: c.status + (c.status_by ? " by " + c.status_by : "")})),
      el("ul", {class: "reasons"}, (c.reasons || []).map(r => el("li", {}, el("span", {class: "tag", text: r.cue}), " “",
        r.text || "", "” ", el("span", {class: "muted small", text: r.turn_id || ""})))),
      (c.pillars || []).length ? el("div", {}, el("span", {class: "muted", text: "trust at stake: "}), c.pillars.map(p => el("span", {class: "tag", text: p}))) : null,
      c.suggestion ? el("p", {class: "suggestion", text: "→ " + c.suggestion}) : null,
      el("div", {class: "buttons"},
        c.status === "open" ? el("button", {type: "button", text: "acknowledge", onclick: () => act(c.conversation_id, "ack")}) : null,
        c.status !== "resolved" ? el("button", {type: "button", text: "resolve", onclick: () => act(c.conversation_id, "resolve")}) : null,
        c.status !== "open" ? el("button", {type: "button", class: "link", text: "reopen", onclick: () => act(c.conversation_id, "reopen")}) : null));
  }

  function render() {
    const list = ranked();
    const board = document.getElementById("board");
    board.replaceChildren(...(list.length ? list.map(card) : [el("p", {class: "muted", text: "No open alerts. They appear here as `voc watch` raises them."})]));
  }

  function connect() {
    if (source) source.close();
    const dot = document.getElementById("conn"), text = document.getElementById("conn-text");
    const resolved = document.getElementById("show-resolved").checked;
    source = new EventSource("/api/alerts/stream" + (resolved ? "?include_resolved=true" : ""));
    source.addEventListener("open", () => { dot.className = "dot on"; text.textContent = "live"; });
    source.addEventListener("error", () => { dot.className = "dot off"; text.textContent = "reconnecting…"; });
    source.addEventListener("snapshot", (ev) => {
      convs = new Map(JSON.parse(ev.data).conversations.map(c => [c.conversation_id, c]));
      render();
      document.body.dataset.ready = "1";
    });
    for (const type of ["alert", "status"]) {
      source.addEventListener(type, (ev) => {
        const c = JSON.parse(ev.data).conversation;
        convs.set(c.conversation_id, c);
        render();
      });
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.getElementById("show-resolved").addEventListener("change", connect);
    connect();
  });
})();
