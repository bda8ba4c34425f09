"use strict";
// A report is being built: follow its job, then reload to show it.
(() => {
  document.addEventListener("DOMContentLoaded", async () => {
    const bar = document.getElementById("progress");
    const status = document.getElementById("status");
    try {
      const job = await voc.pollJob(bar.dataset.job, (j) => { voc.setProgress(bar, j.fraction || 0.05); status.textContent = j.message || j.state; });
      if (job.state === "done") location.reload();
      else voc.showError(status, new Error(job.error || job.state));
    } catch (e) { voc.showError(status, e); }
  });
})();
