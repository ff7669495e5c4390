// A refused form: its errors stand next to their fields (tied by aria-describedby), and this
// summary at the top of the page lists them, each linking to its field, and takes the focus,
// so that a screen reader announces what went wrong and a keyboard user is taken to it.
(function () {
  "use strict";

  function labelOf(field) {
    var label = field.id && document.querySelector('label[for="' + field.id + '"]');
    var text = label ? label.textContent : field.getAttribute("aria-label") || field.name;
    return text.replace(/\*\s*$/, "").trim();
  }

  function messageOf(field) {
    var ids = (field.getAttribute("aria-describedby") || "").split(/\s+/);
    for (var i = 0; i < ids.length; i += 1) {
      var node = ids[i] && document.getElementById(ids[i]);
      if (node && node.classList.contains("invalid-feedback")) {
        return node.textContent.trim();
      }
    }
    return "";
  }

  function item(href, text) {
    var li = document.createElement("li");
    var link = document.createElement("a");
    link.href = href;
    link.textContent = text;
    li.appendChild(link);
    return li;
  }

  function summarise() {
    var main = document.getElementById("main");
    var written = main && main.querySelector("[data-testid='error-summary']");
    if (written) {
      // The page wrote its own summary: it only needs the focus.
      written.setAttribute("tabindex", "-1");
      written.focus();
      return;
    }
    var fields = main ? main.querySelectorAll("[aria-invalid='true']") : [];
    var general = main ? main.querySelectorAll("form .alert-danger") : [];
    if (!fields.length && !general.length) {
      return;
    }
    var list = document.createElement("ul");
    list.className = "mb-0";
    general.forEach(function (alert) {
      var form = alert.closest("form");
      if (!form.id) {
        form.id = "refused-form";
      }
      list.appendChild(item("#" + form.id, alert.textContent.trim()));
    });
    var seen = {};
    fields.forEach(function (field) {
      if (!field.id || seen[field.id]) {
        return;
      }
      seen[field.id] = true;
      var message = messageOf(field);
      list.appendChild(item("#" + field.id, labelOf(field) + (message ? ": " + message : "")));
    });
    var summary = document.createElement("div");
    summary.className = "alert alert-danger";
    summary.id = "error-summary";
    summary.setAttribute("role", "alert");
    summary.setAttribute("tabindex", "-1");
    summary.setAttribute("data-testid", "error-summary");
    var heading = document.createElement("h2");
    heading.className = "h6";
    heading.textContent = "There is a problem";
    summary.appendChild(heading);
    summary.appendChild(list);
    main.insertBefore(summary, main.firstChild);
    summary.addEventListener("click", function (event) {
      var target = event.target.closest("a");
      var field = target && document.getElementById(target.hash.slice(1));
      if (field) {
        // A field inside a closed <details> is opened before it takes the focus.
        var details = field.closest("details");
        if (details) {
          details.open = true;
        }
        event.preventDefault();
        field.focus();
      }
    });
    summary.focus();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", summarise);
  } else {
    summarise();
  }
})();
