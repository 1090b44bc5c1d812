// Poll the call's job status until every job has finished, updating the table in place.
(function () {
  const table = document.getElementById("jobs");
  if (!table) return;
  const url = table.dataset.statusUrl;
  const busy = (s) => s === "queued" || s === "running";
  let wasBusy = false;
  function row(job) {
    let tr = table.querySelector(`tr[data-stage="${job.stage}"]`);
    if (!tr) {
      tr = document.createElement("tr");
      tr.dataset.stage = job.stage;
      tr.innerHTML = '<td></td><td class="job-status"></td><td><progress max="1"></progress></td>' +
        '<td class="job-attempts"></td><td class="job-message"></td>';
      tr.firstChild.textContent = job.stage;
      table.tBodies[0].appendChild(tr);
    }
    return tr;
  }
  async function poll() {
    let data;
    try {
      const res = await fetch(url, { headers: { Accept: "application/json" } });
      if (!res.ok) throw new Error(res.status);
      data = await res.json();
    } catch (e) {
      setTimeout(poll, 5000);
      return;
    }
    document.getElementById("call-status").textContent = data.status;
    document.getElementById("call-status").className = "status status-" + data.status;
    const err = document.getElementById("call-error");
    err.hidden = !data.error;
    err.textContent = data.error || "";
    for (const job of data.jobs) {
      const tr = row(job);
      tr.querySelector(".job-status").textContent = job.status;
      tr.querySelector("progress").value = job.progress;
      tr.querySelector(".job-attempts").textContent = job.attempts;
      tr.querySelector(".job-message").textContent = job.error || job.message || "";
    }
    if (data.jobs.some((j) => busy(j.status)) || data.status === "received") {
      wasBusy = true;
      setTimeout(poll, 1500);
    } else if (wasBusy) {
      location.reload(); // show the transcript and scores now that they exist
    }
  }
  poll();
})();
