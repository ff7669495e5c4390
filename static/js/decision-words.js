// The candidate page's decision form: the suggested subject and message follow the chosen
// decision, unless the coordinator has written their own words (those are kept, and a button
// offers the suggestion). Without JavaScript, "Show suggested words" asks the server instead.
(function () {
  "use strict";

  function setUp(form) {
    var source = document.getElementById(form.dataset.decisionWords);
    var decision = form.elements.decision;
    var subject = form.elements.subject;
    var body = form.elements.body;
    var restore = form.querySelector("[data-decision-restore]");
    var status = form.querySelector("[data-decision-status]");
    if (!source || !decision || !subject || !body || !restore || !status) {
      return;
    }
    var words = JSON.parse(source.textContent);
    // The decision whose suggestion the words were last compared with: if they still are that
    // suggestion, the coordinator has not edited them.
    var shown = decision.value;

    function isSuggested(key) {
      var suggestion = words[key];
      return Boolean(suggestion) && subject.value === suggestion.subject &&
        body.value === suggestion.body;
    }

    function useSuggested(key) {
      subject.value = words[key].subject;
      body.value = words[key].body;
    }

    function refresh() {
      restore.hidden = !words[decision.value] || isSuggested(decision.value);
    }

    decision.addEventListener("change", function () {
      var chosen = words[decision.value];
      if (!chosen) {
        return;
      }
      if (isSuggested(shown)) {
        useSuggested(decision.value);
        status.textContent = "The subject and message are now the suggested words for “" +
          chosen.label + "”.";
      } else {
        status.textContent = "Your own words are kept. “Use the suggested words” replaces them " +
          "with those for “" + chosen.label + "”.";
      }
      shown = decision.value;
      refresh();
    });

    restore.addEventListener("click", function () {
      useSuggested(decision.value);
      shown = decision.value;
      status.textContent = "The subject and message are now the suggested words for “" +
        words[decision.value].label + "”.";
      refresh();
      subject.focus();
    });

    subject.addEventListener("input", refresh);
    body.addEventListener("input", refresh);
    form.querySelectorAll("[data-decision-suggest]").forEach(function (button) {
      button.hidden = true;  // the words follow the decision here; the button is for no script
    });
    refresh();
  }

  document.querySelectorAll("form[data-decision-words]").forEach(setUp);
})();
