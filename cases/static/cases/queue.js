// The queue's "select all" box: ticks every reviewable case on the page.
(function () {
  var all = document.getElementById("select-all");
  if (!all) {
    return;
  }
  all.addEventListener("change", function () {
    document.querySelectorAll(".case-check").forEach(function (box) {
      box.checked = all.checked;
    });
  });
})();
