// Drag and drop onto the upload form, sent with XMLHttpRequest so that a progress bar can show
// how far it is. Without JavaScript the form posts as usual; if XHR fails, the plain form works.
(function () {
  "use strict";
  const form = document.getElementById("upload-form");
  if (!form || !window.FormData || !window.XMLHttpRequest) return;
  const script = document.currentScript || document.querySelector("script[data-uploading]");
  const zone = document.getElementById("drop-zone");
  const input = form.querySelector('input[type="file"]');
  const list = document.getElementById("chosen-files");
  const progress = document.getElementById("upload-progress");
  const bar = progress.querySelector(".progress-bar");
  const button = document.getElementById("upload-button");

  function showChosen() {
    list.replaceChildren();
    Array.from(input.files).forEach(function (file) {
      const item = document.createElement("li");
      item.textContent = file.name;
      item.dir = "auto";
      list.appendChild(item);
    });
  }
  input.addEventListener("change", showChosen);

  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.add("border-primary");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.remove("border-primary");
    });
  });
  zone.addEventListener("drop", function (event) {
    if (event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      showChosen();
    }
  });

  function setProgress(percent) {
    bar.style.width = percent + "%";
    bar.textContent = percent + "%";
    progress.setAttribute("aria-valuenow", String(percent));
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const request = new XMLHttpRequest();
    request.open("POST", form.action || window.location.href);
    progress.hidden = false;
    setProgress(0);
    button.disabled = true;
    button.textContent = script.dataset.uploading;
    request.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) setProgress(Math.round((e.loaded / e.total) * 100));
    });
    request.addEventListener("load", function () {
      setProgress(100);
      progress.dataset.done = "true";
      // A redirect was followed: the answer is the new page. Otherwise the form came back with errors.
      if (request.responseURL && request.responseURL !== window.location.href) {
        window.location.assign(request.responseURL);
      } else {
        document.open();
        document.write(request.responseText);
        document.close();
      }
    });
    request.addEventListener("error", function () {
      button.disabled = false;
      alert(script.dataset.failed);
    });
    request.send(new FormData(form));
  });
})();
