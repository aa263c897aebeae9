// The coverage panel's as-of control: show the panel for another date
// without reloading the household page.  Without this script the form
// reloads the page with ?as_of=, which renders the same panel.
(function () {
  if (window.coveragePanelControl) {
    return;
  }
  window.coveragePanelControl = true;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("js-coverage-form")) {
      return;
    }
    var input = form.querySelector("input[name=as_of]");
    if (!input || !input.value) {
      return;
    }
    event.preventDefault();
    var query = "?as_of=" + encodeURIComponent(input.value);
    var panel = document.getElementById("coverage");
    panel.setAttribute("aria-busy", "true");
    fetch(form.getAttribute("data-fragment-url") + query, {
      credentials: "same-origin",
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.text();
      })
      .then(function (html) {
        panel.outerHTML = html;
        history.replaceState(null, "", query + "#coverage");
        var fresh = document.getElementById("coverage-as-of");
        if (fresh) {
          fresh.focus();
        }
      })
      .catch(function () {
        form.submit();
      });
  });
})();
