// Polls each pending 申请书 PDF (templates/filings/_documents.html) and, once it is
// ready, swaps in the download link and its SHA-256 without reloading the page.
(function () {
  "use strict";

  var INTERVAL_MS = 2000;
  // A worker that is down must not keep a tab polling forever: give up after 10 minutes.
  var MAX_POLLS = 300;

  function showReady(element, data) {
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = element.dataset.labelDownload || "PDF";
    var linkLine = document.createElement("div");
    linkLine.appendChild(link);

    var code = document.createElement("code");
    code.textContent = data.sha256;
    var hashLine = document.createElement("div");
    hashLine.className = "text-muted text-break";
    hashLine.appendChild(document.createTextNode("SHA-256："));
    hashLine.appendChild(code);

    var parent = element.parentNode;
    parent.insertBefore(linkLine, element);
    parent.insertBefore(hashLine, element);
    parent.removeChild(element);
  }

  function poll(element, count) {
    if (count >= MAX_POLLS) {
      return;
    }
    fetch(element.dataset.documentStatusUrl, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        if (data.state === "ready") {
          showReady(element, data);
        } else if (data.state === "failed") {
          // Staff send it again; a reload shows the PDF once it is there.
          element.textContent = data.message;
          element.classList.remove("text-muted");
          element.classList.add("text-danger");
        } else {
          element.textContent = data.message || element.textContent;
          window.setTimeout(poll, INTERVAL_MS, element, count + 1);
        }
      })
      .catch(function () {
        window.setTimeout(poll, INTERVAL_MS * 5, element, count + 5);
      });
  }

  document.querySelectorAll("[data-document-status-url]").forEach(function (element) {
    window.setTimeout(poll, INTERVAL_MS, element, 0);
  });
})();
