// 名册导入: refuse a file over the size limit before it is sent, and stop
// a second click while the upload is being checked.
(function () {
  "use strict";
  var form = document.getElementById("import-upload-form");
  if (!form) {
    return;
  }
  var input = form.querySelector("input[type=file]");
  var feedback = document.getElementById("import-file-error");
  var button = document.getElementById("import-upload-button");

  function megabytes(size) {
    return (size / (1024 * 1024)).toFixed(1) + " MB";
  }

  function tooLarge() {
    var limit = parseInt(input.getAttribute("data-max-bytes"), 10);
    var file = input.files && input.files[0];
    if (!file || !limit || file.size <= limit) {
      return "";
    }
    return "文件大小约为 " + megabytes(file.size) + "，" +
      input.getAttribute("data-too-large").replace(/^文件/, "");
  }

  function show(message) {
    feedback.textContent = message;
    input.classList.toggle("is-invalid", Boolean(message));
  }

  var label = button.innerHTML;
  // Back from the preview: the page may come from the cache, button disabled.
  window.addEventListener("pageshow", function () {
    button.disabled = false;
    button.innerHTML = label;
  });

  input.addEventListener("change", function () {
    show(tooLarge());
  });

  form.addEventListener("submit", function (event) {
    var message = tooLarge();
    if (message) {
      event.preventDefault();
      show(message);
      return;
    }
    button.disabled = true;
    button.innerHTML =
      '<span class="spinner-border spinner-border-sm" aria-hidden="true"></span> 正在上传并检查…';
  });
})();
