// The suggestions chart: counts per service area, stacked by status, from the JSON beside the canvas.
// The table under the chart holds the same numbers for screen readers and for print.
(function () {
  "use strict";
  function draw() {
    var canvas = document.getElementById("suggestions-chart");
    var source = document.getElementById("suggestions-chart-data");
    if (!canvas || !source || typeof Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var colours = ["#0d6efd", "#ffc107", "#198754", "#6c757d"];
    var rtl = document.documentElement.dir === "rtl";
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (set, index) {
          return { label: set.label, data: set.data, backgroundColor: colours[index % colours.length] };
        })
      },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        locale: document.documentElement.lang,
        scales: {
          x: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, reverse: rtl },
          y: { stacked: true, position: rtl ? "right" : "left" }
        },
        plugins: { legend: { position: "bottom", rtl: rtl, textDirection: rtl ? "rtl" : "ltr" } }
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
