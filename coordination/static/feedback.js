// Feedback forms: show a conditional question only when its condition is met (the server checks
// the same rule), and draw the results' charts from the numbers of the accessible tables.
(function () {
  "use strict";

  function answerOf(form, name) {
    return Array.from(form.querySelectorAll('[name="' + name + '"]'))
      .filter(function (input) { return input.checked || (input.type !== "radio" && input.type !== "checkbox" && input.value); })
      .map(function (input) { return input.value; });
  }

  function isShown(form, block) {
    var field = block.dataset.conditionField;
    if (!field) { return true; }
    var source = document.getElementById(field + "-block");
    if (source && !isShown(form, source)) { return false; }
    return answerOf(form, field).indexOf(block.dataset.conditionValue) !== -1;
  }

  function refresh(form) {
    form.querySelectorAll(".feedback-question[data-condition-field]").forEach(function (block) {
      var shown = isShown(form, block);
      block.hidden = !shown;
      block.querySelectorAll("input, textarea, select").forEach(function (input) { input.disabled = !shown; });
    });
    var number = 0;
    form.querySelectorAll(".feedback-question").forEach(function (block) {
      if (!block.hidden) { number += 1; block.querySelector(".feedback-number").textContent = number; }
    });
  }

  var form = document.getElementById("feedback-answer");
  if (form) {
    form.querySelectorAll(".feedback-condition-note").forEach(function (note) { note.hidden = true; });
    form.addEventListener("change", function () { refresh(form); });
    refresh(form);
  }

  if (window.Chart) {
    document.querySelectorAll("canvas[data-chart-table]").forEach(function (canvas) {
      var table = document.getElementById(canvas.dataset.chartTable);
      var rows = Array.from(table.querySelectorAll("tbody tr"));
      new window.Chart(canvas, {
        type: "bar",
        data: {
          labels: rows.map(function (row) { return row.cells[0].textContent.trim(); }),
          datasets: [{
            label: canvas.dataset.chartLabel,
            data: rows.map(function (row) { return Number(row.cells[1].dataset.value); }),
            backgroundColor: "rgba(13, 110, 253, 0.6)"
          }]
        },
        options: {
          indexAxis: "y",
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          plugins: { legend: { display: false } },
          scales: { x: { beginAtZero: true, ticks: { precision: 0 } } }
        }
      });
    });
  }
})();
