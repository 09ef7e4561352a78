// The case list's bulk dispatch: a "tick all shown" box. Without scripts
// the "dispatch all shown" button does the same.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  var all = document.getElementById("bulk-all");
  var form = document.getElementById("bulk");
  if (!all || !form) return;
  var boxes = form.querySelectorAll('input[name="case"]');
  all.closest(".pick-all").hidden = false;
  all.addEventListener("change", function () {
    boxes.forEach(function (b) { b.checked = all.checked; });
  });
  form.addEventListener("change", function (ev) {
    if (ev.target.name !== "case") return;
    var n = 0;
    boxes.forEach(function (b) { if (b.checked) n++; });
    all.checked = n === boxes.length;
    all.indeterminate = n > 0 && n < boxes.length;
  });
});
