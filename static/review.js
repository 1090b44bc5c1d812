// Call review page: transcript synchronised with the audio, evidence jumps, keyboard
// shortcuts and the speech timeline. Text is never written with innerHTML.
(function () {
  "use strict";
  const audio = document.getElementById("player");
  const transcript = document.getElementById("transcript");
  if (!audio) return;
  const SKIP = 5;
  const words = transcript ? Array.from(transcript.querySelectorAll(".w")) : [];
  const starts = words.map((w) => parseFloat(w.dataset.s));
  let current = null;

  function seek(t, play) {
    const end = isFinite(audio.duration) ? audio.duration : Infinity;
    audio.currentTime = Math.max(0, Math.min(t, end));
    if (play) audio.play().catch(() => {});
  }

  // Index of the last word starting at or before t (binary search), or -1.
  function wordAt(t) {
    let lo = 0, hi = starts.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= t) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;
  }

  function keepVisible(el) {
    if (!transcript || !el) return;
    const box = transcript.getBoundingClientRect(), r = el.getBoundingClientRect();
    if (r.top < box.top || r.bottom > box.bottom) {
      transcript.scrollTop += r.top - box.top - box.height / 3;
    }
  }

  function highlight() {
    const t = audio.currentTime + 0.02; // seeks may land a hair before the requested time
    const i = wordAt(t);
    const w = i >= 0 && t <= parseFloat(words[i].dataset.e) + 0.25 ? words[i] : null;
    if (w === current) return;
    if (current) current.classList.remove("current");
    current = w;
    if (w) {
      w.classList.add("current");
      if (!audio.paused) keepVisible(w);
    }
  }

  let ticking = false;
  function loop() {
    highlight();
    if (!audio.paused) requestAnimationFrame(loop); else ticking = false;
  }
  audio.addEventListener("play", () => { if (!ticking) { ticking = true; requestAnimationFrame(loop); } });
  audio.addEventListener("seeked", () => { highlight(); updatePlayhead(); });
  audio.addEventListener("timeupdate", () => { highlight(); updatePlayhead(); });

  function clearEvidence() {
    document.querySelectorAll(".evidence-hit").forEach((el) => el.classList.remove("evidence-hit"));
    document.querySelectorAll(".evidence.active").forEach((el) => el.classList.remove("active"));
  }

  function showEvidence(link) {
    clearEvidence();
    link.classList.add("active");
    const start = parseFloat(link.dataset.start), end = parseFloat(link.dataset.end);
    const ids = (link.dataset.segments || "").split(",").filter(Boolean);
    let first = null;
    ids.forEach((id) => {
      const seg = document.getElementById("seg-" + id);
      if (!seg) return;
      seg.classList.add("evidence-hit");
      seg.querySelectorAll(".w").forEach((w) => {
        const s = parseFloat(w.dataset.s), e = parseFloat(w.dataset.e);
        if (e > start && s < end) { w.classList.add("evidence-hit"); first = first || w; }
      });
      first = first || seg;
    });
    keepVisible(first);
    seek(start, !audio.paused);
  }

  document.addEventListener("click", (ev) => {
    const link = ev.target.closest(".evidence");
    if (link) { ev.preventDefault(); showEvidence(link); return; }
    const jump = ev.target.closest(".seek");
    if (jump) { seek(parseFloat(jump.dataset.start), true); return; }
    const word = ev.target.closest("#transcript .w");
    if (word && !window.getSelection().toString()) seek(parseFloat(word.dataset.s), !audio.paused);
  });

  document.addEventListener("keydown", (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const t = ev.target;
    if (t.closest && t.closest("input, textarea, select, button, summary, [contenteditable]")) return;
    if (t === audio) return; // the player's own controls handle keys while focused
    const key = ev.key;
    if (key === " " || key === "k") {
      ev.preventDefault();
      if (audio.paused) audio.play().catch(() => {}); else audio.pause();
    } else if (key === "j" || key === "ArrowLeft") {
      ev.preventDefault();
      seek(audio.currentTime - SKIP, !audio.paused);
    } else if (key === "l" || key === "ArrowRight") {
      ev.preventDefault();
      seek(audio.currentTime + SKIP, !audio.paused);
    }
  });

  // A link to "#t=SECONDS" opens the call at that moment.
  const at = /^#t=(\d+(?:\.\d+)?)$/.exec(location.hash);
  if (at) seek(parseFloat(at[1]), false);

  // The speech timeline (plotly): one lane per role, silences and overlaps, a playhead.
  const plot = document.getElementById("timeline");
  const dataEl = document.getElementById("timeline-data");
  let plotted = false;
  function updatePlayhead() {
    if (!plotted) return;
    window.Plotly.relayout(plot, { "shapes[0].x0": audio.currentTime, "shapes[0].x1": audio.currentTime });
  }
  function bars(name, spans, lane, color, texts) {
    return {
      type: "bar", orientation: "h", name: name, y: spans.map(() => lane),
      base: spans.map((s) => s[0]), x: spans.map((s) => Math.max(s[1] - s[0], 0.05)),
      marker: { color: color }, text: texts, hovertemplate: "%{base:.1f}–%{x:.1f}s<extra>" + name + "</extra>",
      textposition: "none",
    };
  }
  function drawTimeline() {
    if (!plot || !dataEl || !window.Plotly) return;
    const d = JSON.parse(dataEl.textContent);
    const css = getComputedStyle(document.documentElement);
    const color = (v, fallback) => (css.getPropertyValue(v) || fallback).trim();
    const label = plot.dataset;
    const traces = [];
    const lanes = d.lanes || {};
    if (lanes.agent) traces.push(bars(label.agent || "Agent", lanes.agent, label.agent || "Agent", color("--agent", "#1f6feb")));
    if (lanes.customer) traces.push(bars(label.customer || "Customer", lanes.customer, label.customer || "Customer", color("--customer", "#b35900")));
    if (lanes.unknown) traces.push(bars("?", lanes.unknown, "?", "#999"));
    if (d.silences && d.silences.length) traces.push(bars(label.silence || "Silence", d.silences, label.silence || "Silence", "#c8ccd4"));
    if (d.overlaps && d.overlaps.length) traces.push(bars(label.overlap || "Overlap", d.overlaps, label.overlap || "Overlap", color("--bad", "#cf222e")));
    const layout = {
      barmode: "overlay", height: 150, margin: { l: 70, r: 10, t: 4, b: 24 }, showlegend: false,
      xaxis: { range: [0, d.duration], ticksuffix: "s", fixedrange: true },
      yaxis: { fixedrange: true, autorange: "reversed" },
      shapes: [{ type: "line", x0: 0, x1: 0, yref: "paper", y0: 0, y1: 1, line: { color: "#14213d", width: 2 } }],
      paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
    };
    window.Plotly.newPlot(plot, traces, layout, { displayModeBar: false, responsive: true }).then(() => {
      plotted = true;
      plot.on("plotly_click", (ev) => { if (ev.points && ev.points.length) seek(ev.points[0].base, !audio.paused); });
    });
  }
  if (document.readyState === "complete") drawTimeline(); else window.addEventListener("load", drawTimeline);
})();
