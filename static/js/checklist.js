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
    var announce = list.querySelector("[data-checklist-announce]");
    var pause;

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
      // A screen reader hears the count once the typing or ticking pauses, not at every key.
      clearTimeout(pause);
      pause = setTimeout(function () {
        announce.textContent = text;
      }, 700);
    }

    find.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // finding a name never saves the list half ticked
      }
    });
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
    clearTimeout(pause); // nothing to announce until the person acts
  });
})();
