// Calibration trend: Fleiss' kappa, pairwise agreement and mismatch per closed session.
(function () {
  "use strict";
  var el = document.getElementById("calibration-trend");
  if (!el || typeof Plotly === "undefined") { return; }
  var points = JSON.parse(el.dataset.trend);
  var names = JSON.parse(el.dataset.labels);
  var x = points.map(function (p) { return p.closed_at + " · " + p.title; });
  function series(key) {
    return { x: x, y: points.map(function (p) { return p[key]; }), name: names[key],
             type: "scatter", mode: "lines+markers" };
  }
  Plotly.newPlot(el, [series("fleiss"), series("agreement"), series("mismatch")], {
    margin: { t: 20, r: 20, b: 80, l: 50 },
    yaxis: { range: [-0.1, 1.05] },
    legend: { orientation: "h" }
  }, { displayModeBar: false, responsive: true });
})();
