from django.contrib import admin

from core.admin import AuditedModelAdmin
from network.models import Organisatie, Persoon, Stuurgroep, StuurgroepRol


@admin.register(Organisatie)
class OrganisatieAdmin(AuditedModelAdmin):
    list_display = ["naam", "type", "gemeente"]
    list_filter = ["gemeente", "type"]
    search_fields = ["naam"]


@admin.register(Persoon)
class PersoonAdmin(AuditedModelAdmin):
    list_display = ["naam", "organisatie", "functie", "gemeente"]
    list_filter = ["gemeente"]
    search_fields = ["naam", "email"]


@admin.register(Stuurgroep)
class StuurgroepAdmin(AuditedModelAdmin):
    list_display = ["naam", "gebied", "gemeente"]
    list_filter = ["gemeente"]


@admin.register(StuurgroepRol)
class StuurgroepRolAdmin(AuditedModelAdmin):
    list_display = ["stuurgroep", "rol", "titel", "organisatie", "persoon"]
    list_filter = ["gemeente", "rol"]
