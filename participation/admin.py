from django.contrib import admin
from django.utils import timezone

from core.admin import AuditedModelAdmin
from participation.models import (
    Adviesronde,
    Criterium,
    Instelling,
    Inzending,
    Kandidaat,
    Stembus,
    StemcodeReeks,
    Uitslag,
    Verkiezing,
    Vervolgactie,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Instelling)
class InstellingAdmin(AuditedModelAdmin):
    list_display = ["gemeente", "antwoordtermijn_dagen", "bewaartermijn_dagen"]


class CriteriumInline(admin.TabularInline):
    model = Criterium
    extra = 0
    fields = ["naam", "toelichting", "volgorde"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Verkiezing)
class VerkiezingAdmin(AuditedModelAdmin):
    list_display = ["jaar", "gemeente", "stemmen_start", "stemmen_eind", "installatie_datum"]
    list_filter = ["gemeente"]
    inlines = [CriteriumInline]


@admin.register(Kandidaat)
class KandidaatAdmin(ReadOnlyAdmin):
    """Candidates come from the shortlist service; names are not shown here."""

    list_display = ["nummer", "verkiezing", "publiek"]
    list_filter = ["verkiezing__gemeente"]
    fields = ["verkiezing", "nummer", "publiek"]


@admin.register(StemcodeReeks)
class StemcodeReeksAdmin(ReadOnlyAdmin):
    list_display = ["omschrijving", "kanaal", "aantal", "verkiezing", "aangemaakt_op",
                    "ingetrokken_op"]
    list_filter = ["verkiezing__gemeente", "kanaal"]


@admin.register(Stembus)
class StembusAdmin(ReadOnlyAdmin):
    """Ballot boxes are shown only for elections whose voting window has closed: before that,
    the tally is hidden from administrators too."""

    list_display = ["verkiezing", "kanaal", "nummer", *Stembus.KOLOMMEN]
    list_filter = ["kanaal"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(verkiezing__stemmen_eind__lte=timezone.now())


@admin.register(Uitslag)
class UitslagAdmin(ReadOnlyAdmin):
    list_display = ["verkiezing", "kinderburgemeester", "loco", "vastgesteld_op"]


@admin.register(Adviesronde)
class AdviesrondeAdmin(AuditedModelAdmin):
    list_display = ["titel", "gemeente", "open_tot"]
    list_filter = ["gemeente"]


@admin.register(Inzending)
class InzendingAdmin(ReadOnlyAdmin):
    """Read-only: answers go through the service (deadline, notifications, redacted audit)."""

    list_display = ["id", "soort", "gemeente", "deadline", "beantwoord_op", "gesloten_op"]
    list_filter = ["gemeente", "soort"]
    fields = ["soort", "onderwerp", "deadline", "behandelaar", "antwoord", "beantwoord_op",
              "gesloten_op", "geescaleerd_op"]


@admin.register(Vervolgactie)
class VervolgactieAdmin(AuditedModelAdmin):
    list_display = ["omschrijving", "eigenaar", "status", "streefdatum"]
    list_filter = ["status"]
