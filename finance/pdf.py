"""Beschikkingen as PDF letters, made with WeasyPrint from `finance/beschikking_pdf.html`
through core.pdf (one process-wide lock for every PDF: Pango is not thread-safe)."""

from django.core.files.base import ContentFile

from core.pdf import render_pdf


def render_beschikking(beschikking) -> bytes:
    from finance.selectors import beschikking_context

    return render_pdf("finance/beschikking_pdf.html", beschikking_context(beschikking))


def store_beschikking_pdf(beschikking_id: int):
    """Render the letter and store it with the beschikking (idempotent)."""
    from finance.models import Beschikking

    beschikking = Beschikking.objects.select_related(
        "gemeente", "aanvraag__regeling", "aanvraag__organisatie", "aanvraag__gebied").get(
        pk=beschikking_id)
    if beschikking.pdf:
        return beschikking
    data = render_beschikking(beschikking)
    name = f"{beschikking.kenmerk}.pdf"
    stored = beschikking.pdf.storage.save(beschikking.pdf.field.generate_filename(
        beschikking, name), ContentFile(data))
    Beschikking.objects.filter(pk=beschikking.pk).update(pdf=stored)
    beschikking.pdf.name = stored
    return beschikking
