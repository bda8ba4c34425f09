"use strict";
// Settings (admin): upload limit, report language, the default for keeping unmasked originals.
(() => {
  document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("settings-form");
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const saved = document.getElementById("saved");
      try {
        const json = {max_upload_mb: Number(form.elements.max_upload_mb.value), report_lang: form.elements.report_lang.value,
                      keep_unmasked: form.elements.keep_unmasked.checked};
        await voc.api("/api/settings", {method: "PUT", json});
        saved.textContent = "saved " + new Date().toLocaleTimeString();
      } catch (e) { voc.showError(saved, e); }
    });
  });
})();
