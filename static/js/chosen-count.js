// The decision for several candidates says how many boxes are ticked on the page, as they are
// ticked. Without JavaScript it says how many were ticked when the page was made.
(function () {
  "use strict";

  document.querySelectorAll("[data-chosen-count]").forEach(function (output) {
    var form = output.dataset.chosenCount;
    var boxes = document.querySelectorAll('input[type="checkbox"][form="' + form + '"]');

    function refresh() {
      var ticked = 0;
      boxes.forEach(function (box) {
        ticked += box.checked ? 1 : 0;
      });
      output.textContent = ticked + " chosen on this page.";
    }

    boxes.forEach(function (box) {
      box.addEventListener("change", refresh);
    });
    refresh();
  });
})();
