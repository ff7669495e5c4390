// A long list of checkboxes (everyone invited to a session) gets a box that finds names in it,
// buttons that tick or untick everyone shown, and a count kept up to date. A row the search
// hides stays in the form, ticked or not, so saving still sends the whole list. Without
// JavaScript the whole list shows, with the count it had when the page was made.
(function () {
  "use strict";

  function folded(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  document.querySelectorAll("[data-checklist]").forEach(function (list) {
    var items = Array.prototype.slice.call(list.querySelectorAll("[data-checklist-name]"));
    var boxes = items.map(function (item) {
      return item.querySelector('input[type="checkbox"]');
    });
    var names = items.map(function (item) {
      return folded(item.dataset.checklistName);
    });
    var find = list.querySelector("[data-checklist-find]");
    var count = list.querySelector("[data-checklist-count]");

    function refresh() {
      var ticked = boxes.filter(function (box) {
        return box.checked;
      }).length;
      var shown = items.filter(function (item) {
        return !item.hidden;
      }).length;
      var text = ticked + " of " + items.length + " " + count.dataset.checklistCount + ".";
      if (shown < items.length) {
        text += shown === 0 ? " No name matches." : " " + shown + " shown.";
      }
      count.textContent = text;
    }

    find.addEventListener("input", function () {
      var wanted = folded(find.value);
      items.forEach(function (item, i) {
        item.hidden = wanted !== "" && names[i].indexOf(wanted) === -1;
      });
      refresh();
    });
    list.querySelectorAll("[data-checklist-tick]").forEach(function (button) {
      button.addEventListener("click", function () {
        var tick = button.dataset.checklistTick === "yes";
        items.forEach(function (item, i) {
          if (!item.hidden) {
            boxes[i].checked = tick;
          }
        });
        refresh();
      });
    });
    boxes.forEach(function (box) {
      box.addEventListener("change", refresh);
    });
    list.querySelector("[data-checklist-tools]").hidden = false;
    refresh();
  });
})();
