/* bayyina timeline page: incidents per month by agent as a stacked bar chart (Chart.js, vendored).
   The counts come embedded in the page (#timeline-data, the same as /api/timeline). */
(function () {
  "use strict";
  var canvas = document.getElementById("timeline-chart");
  var holder = document.getElementById("timeline-data");
  if (!canvas || !holder || !window.Chart) { return; }
  var payload = JSON.parse(holder.textContent);
  var data = payload.data, labels = payload.labels || {};
  var rtl = document.documentElement.dir === "rtl";
  var palette = ["#7a3b12", "#1f5fa8", "#1d7a34", "#a4161a", "#6a4c93", "#b05a00", "#0f7173", "#5a5a5a"];
  var font = window.getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.family = font;
  var chart = new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.months,
      datasets: data.series.map(function (s, i) {
        return { label: labels[s.agent] || s.agent, data: s.counts, backgroundColor: palette[i % palette.length],
                 stack: "incidents", maxBarThickness: 48 };
      })
    },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false, locale: payload.lang,
      plugins: { legend: { rtl: rtl, position: "top" }, tooltip: { rtl: rtl } },
      scales: { x: { stacked: true, reverse: rtl }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } }
    }
  });
  canvas.dataset.ready = "1";
  canvas.dataset.datasets = String(chart.data.datasets.length);
})();
