// Draw every plotly figure of the page: <div class="chart" data-figure="{plotly JSON}">.
(function () {
  "use strict";
  if (!window.Plotly) return;
  document.querySelectorAll(".chart[data-figure]").forEach(function (el) {
    var fig = JSON.parse(el.dataset.figure);
    var layout = Object.assign({}, fig.layout || {}, { autosize: true });
    window.Plotly.newPlot(el, fig.data || [], layout, { displayModeBar: false, responsive: true });
  });
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(".chart[data-figure]").forEach(function (el) { window.Plotly.Plots.resize(el); });
  });
})();
