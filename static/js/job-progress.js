/* 后台任务: keep each active job's progress bar up to date.
 *
 * Every element with data-job-active="1" polls its data-job-status-url (a
 * small JSON view) and updates the bar, the counts and the message inside
 * it.  When the job has ended the page reloads, so the server renders the
 * result (counts, the download link or the error).  The state lives in the
 * database: a reload, or another browser, shows the same.
 */
(function () {
  "use strict";

  var INTERVAL = 1500;
  var MAX_INTERVAL = 10000;

  function setText(root, selector, text) {
    var node = root.querySelector(selector);
    if (node) {
      node.textContent = text;
    }
  }

  function formatCount(n) {
    return String(n);
  }

  function render(root, data) {
    var progress = root.querySelector("[data-job-progress]") || root.querySelector(".progress");
    var bar = root.querySelector("[data-job-bar]");
    if (progress) {
      progress.setAttribute("aria-valuenow", String(data.percent));
    }
    if (bar) {
      bar.style.width = data.percent + "%";
      if (bar.hasAttribute("data-job-bar-label")) {
        bar.textContent = data.percent + "%";
      }
    }
    setText(root, "[data-job-percent]", data.percent + "%");
    setText(root, "[data-job-badge]", data.status_label);
    if (data.message) {
      setText(root, "[data-job-message]", data.message);
    }
    if (data.total) {
      setText(root, "[data-job-count]", formatCount(data.done) + " / " + formatCount(data.total));
    }
  }

  function watch(root) {
    var url = root.getAttribute("data-job-status-url");
    var offline = root.querySelector("[data-job-offline]");
    var delay = INTERVAL;

    function schedule() {
      window.setTimeout(poll, delay);
    }

    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (data) {
          delay = INTERVAL;
          if (offline) {
            offline.classList.add("d-none");
          }
          render(root, data);
          if (data.active) {
            schedule();
          } else {
            window.location.reload();
          }
        })
        .catch(function () {
          if (offline) {
            offline.classList.remove("d-none");
          }
          delay = Math.min(delay * 2, MAX_INTERVAL);
          schedule();
        });
    }

    schedule();
  }

  document.querySelectorAll('[data-job][data-job-active="1"]').forEach(watch);
})();
