"""The begroting as a section of the wijkplan version's PDF (registered with plans.bijlagen
in FinanceConfig.ready)."""

from django.template.loader import render_to_string

from finance import selectors


def begroting_pdf(versie) -> str:
    begroting = selectors.wijkplan_begroting(versie)
    verschil = begroting["verschil"]
    return render_to_string("finance/_begroting_pdf.html", {
        "versie": versie, "begroting": begroting,
        "over": -verschil if verschil is not None and verschil < 0 else None})
