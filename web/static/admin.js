// admin.js follows a grid import on its job page: it long-polls the
// progress endpoint (?after=VERSION answers when the job has moved on),
// updates the bar and the counts, and reloads the page once the import is
// done so that the server shows the result or the errors.
(function () {
  "use strict";
  const job = document.getElementById("grid-job");
  if (!job || !job.dataset.running) {
    return;
  }
  const url = job.dataset.progress;
  let version = Number(job.dataset.version) || 0;
  const set = (id, v) => {
    const el = document.getElementById(id);
    if (el) {
      el.textContent = String(v);
    }
  };
  const show = (p) => {
    const bar = document.getElementById("job-bar");
    bar.value = p.percent;
    bar.textContent = p.percent + "%";
    set("job-percent", p.percent);
    set("job-parsed", p.parsed);
    set("job-bytes", p.bytes_read);
    set("job-validated", p.validated);
    set("job-written", p.written);
    for (const el of job.querySelectorAll(".job-total")) {
      el.textContent = String(p.total);
    }
    const name = job.dataset["step" + p.step.charAt(0).toUpperCase() + p.step.slice(1)];
    if (name) {
      set("job-step-name", name);
    }
  };
  let failures = 0;
  const poll = async () => {
    for (;;) {
      try {
        const resp = await fetch(url + "?after=" + version, {headers: {Accept: "application/json"}, credentials: "same-origin"});
        if (!resp.ok) {
          throw new Error("HTTP " + resp.status);
        }
        const p = await resp.json();
        failures = 0;
        version = p.version;
        show(p);
        if (p.done) {
          location.reload();
          return;
        }
      } catch (err) {
        failures++;
        if (failures > 5) {
          return; // the refresh link still works
        }
        await new Promise((resolve) => setTimeout(resolve, 1000 * failures));
      }
    }
  };
  poll();
})();
