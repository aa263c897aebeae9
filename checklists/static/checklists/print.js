// The inspection sheet's print button: the browser's print dialog.
(function () {
  var button = document.getElementById("print-sheet");
  if (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  }
})();
