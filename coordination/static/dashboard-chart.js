// The dashboard's charts: one line chart per series, from the JSON on the page.
// The table under each chart holds the same numbers for screen readers and for print.
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("dashboard-chart-data");
    if (!source || typeof Chart === "undefined") {
      return;
    }
    var series = JSON.parse(source.textContent);
    var colours = ["#0d6efd", "#ffc107", "#198754"];
    var rtl = document.documentElement.dir === "rtl";
    document.querySelectorAll("canvas.dashboard-chart").forEach(function (canvas) {
      var data = series[Number(canvas.dataset.series)];
      new Chart(canvas, {
        type: "line",
        data: {
          labels: data.labels,
          datasets: data.datasets.map(function (set, index) {
            return { label: set.label, data: set.data, borderColor: colours[index % colours.length], tension: 0.2 };
          })
        },
        options: {
          maintainAspectRatio: false,
          locale: document.documentElement.lang,
          scales: { x: { reverse: rtl }, y: { beginAtZero: true, ticks: { precision: 0 }, position: rtl ? "right" : "left" } },
          plugins: { legend: { position: "bottom", rtl: rtl, textDirection: rtl ? "rtl" : "ltr" } }
        }
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
