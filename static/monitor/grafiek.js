/* Progressive enhancement: draw a line chart from a monitor table (the table stays the truth
   and stays on the page). <table data-mon-grafiek="caption-id">: thead th[data-reeks] are the
   series, tbody th[data-label] the periodes, td[data-waarde] the values (empty = no value:
   suppressed, secret or missing), td[data-breuk] a break in series (no line drawn into it). */
(function () {
  "use strict";
  var KLEUREN = ["#1a1a1a", "#1a5c8b", "#c05600", "#2e7d32", "#7b1fa2", "#b00020", "#00695c",
                 "#5d4037", "#37474f", "#ad1457"];
  var VORMEN = ["rect", "circle", "triangle", "rectRot", "crossRot", "star", "rectRounded",
                "cross", "line", "dash"];

  function teken(tabel) {
    if (typeof Chart === "undefined") { return; }
    var doel = document.querySelector('[data-mon-grafiek-voor="' + tabel.dataset.monGrafiek + '"]');
    if (!doel) { return; }
    var koppen = Array.prototype.slice.call(tabel.querySelectorAll("thead th[data-reeks]"));
    var rijen = Array.prototype.slice.call(tabel.querySelectorAll("tbody tr"));
    var labels = rijen.map(function (r) { return r.querySelector("th").dataset.label; });
    var reeksen = koppen.map(function (kop, i) {
      var cellen = rijen.map(function (r) { return r.querySelectorAll("td")[i]; });
      var gemeente = kop.dataset.gemeente === "1";
      var waarden = cellen.map(function (c) {
        return c && c.dataset.waarde !== "" ? parseFloat(c.dataset.waarde) : null;
      });
      var breuk = cellen.map(function (c) { return !!(c && c.dataset.breuk); });
      return {
        label: kop.dataset.reeks, data: waarden, spanGaps: false,
        borderColor: KLEUREN[i % KLEUREN.length], backgroundColor: KLEUREN[i % KLEUREN.length],
        borderWidth: gemeente ? 4 : 2, borderDash: gemeente ? [] : (i % 2 ? [] : [8, 4]),
        pointStyle: VORMEN[i % VORMEN.length], pointRadius: 5,
        segment: { borderColor: function (ctx) {
          return breuk[ctx.p1DataIndex] ? "rgba(0,0,0,0)" : undefined; } }
      };
    });
    if (!reeksen.some(function (r) { return r.data.some(function (v) { return v !== null; }); })) {
      return;
    }
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", (tabel.querySelector("caption") || {}).textContent +
      ". " + (doel.dataset.tekst || "De cijfers staan in de tabel hieronder."));
    doel.appendChild(canvas);
    doel.hidden = false;
    var eenheid = tabel.dataset.eenheid || "";
    new Chart(canvas, {
      type: "line",
      data: { labels: labels, datasets: reeksen },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: {
          legend: { position: "bottom", labels: { usePointStyle: true } },
          tooltip: { callbacks: { label: function (ctx) {
            return ctx.dataset.label + ": " +
              ctx.parsed.y.toLocaleString("nl-NL", { maximumFractionDigits: 1 }) +
              (eenheid === "percentage" ? "%" : "");
          } } }
        },
        scales: { y: { title: { display: true, text: eenheid },
                       ticks: { callback: function (v) { return v.toLocaleString("nl-NL"); } } } }
      }
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-mon-grafiek]"), teken);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else { start(); }
}());
