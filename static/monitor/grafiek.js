/* Progressive enhancement: draw line charts (one per gebied, against the gemeente and, when
   imported, Nederland) from a monitor table (the table stays the truth and stays on the page).
   <table data-mon-grafiek="caption-id">: thead th[data-reeks] are the series (data-gemeente,
   data-land mark the gemeente and Nederland), tbody th[data-label] the periodes,
   td[data-waarde] the values (empty = no value: suppressed, secret or missing), td[data-breuk]
   a break in series (no line drawn into it). */
(function () {
  "use strict";
  var KLEUREN = ["#1a1a1a", "#1a5c8b", "#c05600", "#2e7d32", "#7b1fa2", "#b00020", "#00695c",
                 "#5d4037", "#37474f", "#ad1457"];
  var VORMEN = ["rect", "circle", "triangle", "rectRot", "crossRot", "star", "rectRounded",
                "cross", "line", "dash"];

  function lees(tabel) {
    var koppen = Array.prototype.slice.call(tabel.querySelectorAll("thead th[data-reeks]"));
    var rijen = Array.prototype.slice.call(tabel.querySelectorAll("tbody tr"));
    var labels = rijen.map(function (r) { return r.querySelector("th").dataset.label; });
    var reeksen = koppen.map(function (kop, i) {
      var cellen = rijen.map(function (r) { return r.querySelectorAll("td")[i]; });
      return {
        naam: kop.dataset.reeks, gemeente: kop.dataset.gemeente === "1",
        land: kop.dataset.land === "1",
        waarden: cellen.map(function (c) {
          return c && c.dataset.waarde !== "" ? parseFloat(c.dataset.waarde) : null;
        }),
        breuk: cellen.map(function (c) { return !!(c && c.dataset.breuk); })
      };
    });
    return { labels: labels, reeksen: reeksen };
  }

  var LAND_KLEUR = "#595959";

  function dataset(reeks, i) {
    var kleur = reeks.land ? LAND_KLEUR : KLEUREN[i % KLEUREN.length];
    return {
      label: reeks.naam, data: reeks.waarden, spanGaps: false,
      borderColor: kleur, backgroundColor: kleur,
      borderWidth: reeks.gemeente || reeks.land ? 2 : 3,
      borderDash: reeks.gemeente ? [6, 4] : (reeks.land ? [2, 3] : []),
      pointStyle: reeks.land ? "rectRot" : VORMEN[i % VORMEN.length], pointRadius: 5,
      // No line into a point measured on another CBS indeling (a break in series).
      segment: { borderColor: function (ctx) {
        return reeks.breuk[ctx.p1DataIndex] ? "rgba(0,0,0,0)" : undefined; } }
    };
  }

  function heeftWaarde(reeks) {
    return reeks.waarden.some(function (v) { return v !== null; });
  }

  // One small chart per gebied: the gebied against the gemeente (dashed) and Nederland
  // (dotted, when imported).
  function teken(tabel) {
    if (typeof Chart === "undefined") { return; }
    var doel = document.querySelector('[data-mon-grafiek-voor="' + tabel.dataset.monGrafiek + '"]');
    if (!doel) { return; }
    var data = lees(tabel);
    var gemeente = data.reeksen.filter(function (r) { return r.gemeente; })[0];
    var land = data.reeksen.filter(function (r) { return r.land && heeftWaarde(r); })[0];
    var gebieden = data.reeksen.filter(function (r) {
      return !r.gemeente && !r.land && heeftWaarde(r); });
    var paren = gebieden.length ? gebieden.map(function (g) { return [g, gemeente, land]; })
                                : (gemeente && heeftWaarde(gemeente) ? [[gemeente, land]] : []);
    var eenheid = tabel.dataset.eenheid || "";
    var tegen = doel.dataset.tegen || "tegen de gemeente";
    var tegenLand = doel.dataset.tegenLand || "tegen Nederland";
    paren.forEach(function (paar, n) {
      paar = paar.filter(Boolean);
      var figuur = document.createElement("figure");
      figuur.className = "mon-grafiek__figuur";
      var titel = document.createElement("figcaption");
      titel.textContent = paar.length === 1 ? paar[0].naam :
        paar[0].naam + " " + (paar[0].gemeente ? tegenLand : tegen);
      var vak = document.createElement("div");
      vak.className = "mon-grafiek__vak";
      var canvas = document.createElement("canvas");
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", titel.textContent + ". " +
        (doel.dataset.tekst || "De cijfers staan in de tabel hieronder."));
      vak.appendChild(canvas);
      figuur.appendChild(titel);
      figuur.appendChild(vak);
      doel.appendChild(figuur);
      new Chart(canvas, {
        type: "line",
        data: { labels: data.labels, datasets: paar.map(function (r) {
          return dataset(r, r.gemeente ? 0 : 1 + (n % (KLEUREN.length - 1)));
        }) },
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
    });
    doel.hidden = paren.length === 0;
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-mon-grafiek]"), teken);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else { start(); }
}());
