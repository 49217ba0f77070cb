"""Background jobs of the Klaverblad-toets (django-tasks): a long document tested by the
worker, writing its progress for the document page (toets.services.voer_opdracht_uit)."""

from django_tasks import task


@task()
def toets_op_achtergrond(opdracht_id: int):
    from toets import services

    toetsing = services.voer_opdracht_uit(opdracht_id)
    return toetsing.pk if toetsing else None
