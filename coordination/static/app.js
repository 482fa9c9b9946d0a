// Behaviour shared by every page, in a file because the Content-Security-Policy runs no inline
// script: templates mark elements with data attributes and these listeners act on them. Listening
// on the document also covers what htmx swaps in later.
(function () {
  "use strict";

  // <form data-question="Delete this?">: ask before sending.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches("form[data-preview]")) {
      event.preventDefault();  // a preview of a feedback form is never sent
    } else if (form.matches("form[data-question]") && !window.confirm(form.dataset.question)) {
      event.preventDefault();
    }
  });

  // <button data-print>: print the page (print style sheets hide the rest).
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });

  // <input data-filter=".row-selector">: hide the rows whose text does not hold what is typed.
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches("input[data-filter]")) {
      return;
    }
    var words = input.value.toLowerCase();
    document.querySelectorAll(input.dataset.filter).forEach(function (row) {
      row.hidden = Boolean(words) && !row.textContent.toLowerCase().includes(words);
    });
  });
})();
