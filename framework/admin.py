from django.contrib import admin

from core.admin import AuditedModelAdmin, ReadOnlyAdmin
from framework.models import Doel, DoelKoppeling, Kader, Thema


class DoelInline(admin.TabularInline):
    model = Doel
    extra = 0
    fields = ["nummer", "tekst", "thema"]


@admin.register(Kader)
class KaderAdmin(AuditedModelAdmin):
    list_display = ["naam", "soort", "gemeente", "geldig_van", "geldig_tot"]
    list_filter = ["gemeente", "soort"]
    search_fields = ["naam"]


@admin.register(Thema)
class ThemaAdmin(AuditedModelAdmin):
    list_display = ["naam", "kader", "volgorde"]
    list_filter = ["gemeente"]


@admin.register(Doel)
class DoelAdmin(AuditedModelAdmin):
    list_display = ["nummer", "tekst", "kader", "thema"]
    list_filter = ["gemeente", "kader"]
    search_fields = ["tekst"]


@admin.register(DoelKoppeling)
class DoelKoppelingAdmin(ReadOnlyAdmin):
    """Tags are set through framework.services.set_doelen (audited)."""

    list_display = ["doel", "content_type", "object_id", "gemeente"]
    list_filter = ["gemeente", "content_type"]
