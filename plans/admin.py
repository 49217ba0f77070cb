from django.contrib import admin

from core.admin import AuditedModelAdmin
from plans.models import Activiteit, Pijler, VoortgangRapportage, Wijkplan, WijkplanVersie


class ConceptOnlyAdmin(AuditedModelAdmin):
    """Parts of a vastgestelde version are read-only here too (the model refuses as well)."""

    def _versie(self, obj):
        return obj if isinstance(obj, WijkplanVersie) else obj.versie

    def has_change_permission(self, request, obj=None):
        if obj is not None and not self._versie(obj).is_concept:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not self._versie(obj).is_concept:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Wijkplan)
class WijkplanAdmin(AuditedModelAdmin):
    list_display = ["naam", "gebied", "jaar_van", "jaar_tot", "gemeente"]
    list_filter = ["gemeente"]


@admin.register(WijkplanVersie)
class WijkplanVersieAdmin(ConceptOnlyAdmin):
    list_display = ["wijkplan", "nummer", "jaar", "status", "vastgesteld_op"]
    list_filter = ["gemeente", "status"]
    readonly_fields = ["nummer", "status", "revisie", "vastgesteld_op", "vastgesteld_door",
                       "vastgesteld_als", "rollen_snapshot", "bijgesteld_van"]


@admin.register(Pijler)
class PijlerAdmin(ConceptOnlyAdmin):
    list_display = ["naam", "versie"]
    list_filter = ["gemeente"]


@admin.register(Activiteit)
class ActiviteitAdmin(ConceptOnlyAdmin):
    list_display = ["naam", "pijler", "versie", "trekker", "status"]
    list_filter = ["gemeente", "status"]
    search_fields = ["naam"]


@admin.register(VoortgangRapportage)
class VoortgangRapportageAdmin(AuditedModelAdmin):
    list_display = ["activiteit", "periode", "status", "percentage"]
    list_filter = ["gemeente", "status"]
