// A search box above a long list of checkboxes in groups (core/widgets/grouped_checkboxes.html):
// typing hides the options whose label does not contain the words (case and accents ignored)
// and the groups left empty, and says how many were found. Hidden options keep their ticks and
// are still sent with the form. Without JavaScript the box stays hidden and the full list shows.
(function () {
  "use strict";

  function plain(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function setUp(box) {
    var list = document.getElementById(box.dataset.zoekfilter);
    var input = box.querySelector("input[type=search]");
    var status = box.querySelector("[aria-live]");
    if (!list || !input || !status) return;
    var options = Array.prototype.slice.call(list.querySelectorAll(".og-check"));
    var groups = Array.prototype.slice.call(list.querySelectorAll(".og-groep"));
    var labels = options.map(function (o) { return plain(o.textContent); });

    function filter() {
      var words = plain(input.value).split(/\s+/).filter(Boolean);
      var found = 0;
      options.forEach(function (option, i) {
        var match = words.every(function (w) { return labels[i].indexOf(w) !== -1; });
        option.hidden = !match;
        if (match) found += 1;
      });
      groups.forEach(function (group) {
        group.hidden = !group.querySelector(".og-check:not([hidden])");
      });
      if (!words.length) {
        status.textContent = status.dataset.tekstAlle;
      } else if (!found) {
        status.textContent = status.dataset.tekstNiets;
      } else {
        status.textContent = status.dataset.tekstGevonden
          .replace("%(n)s", found).replace("%(totaal)s", options.length);
      }
    }

    input.addEventListener("input", filter);
    // Enter in the search box must not send the whole form.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
    box.hidden = false;
  }

  function init() {
    document.querySelectorAll("[data-zoekfilter]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
