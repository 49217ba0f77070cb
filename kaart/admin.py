from django.contrib import admin

from core.admin import AuditedModelAdmin
from kaart.models import (
    Aanbod,
    KaartInstelling,
    Ladderactiviteit,
    Levensdomein,
    Locatie,
    Melding,
    Openingstijd,
    PostcodeBuurt,
    Schoolvakantie,
    Uitzondering,
    Verwijsroute,
    Verwijsstap,
    Wijzigingsverzoek,
)


class OpeningstijdInline(admin.TabularInline):
    model = Openingstijd
    extra = 0
    exclude = ["gemeente"]


class UitzonderingInline(admin.TabularInline):
    model = Uitzondering
    extra = 0
    exclude = ["gemeente"]


@admin.register(Aanbod)
class AanbodAdmin(AuditedModelAdmin):
    """Aanbod is never deleted (status beëindigd keeps history and links)."""

    list_display = ["naam", "organisatie", "status", "gecontroleerd_op", "controle_voor",
                    "gemeente"]
    list_filter = ["gemeente", "status", "kosten", "levensdomeinen"]
    search_fields = ["naam", "korte_beschrijving"]
    readonly_fields = ["uuid", "gecontroleerd_op", "gecontroleerd_door"]
    filter_horizontal = ["levensdomeinen", "locaties"]

    def save_model(self, request, obj, form, change):
        from kaart import services

        services.save_aanbod(request.user, obj, check_permission=not request.user.is_superuser)

    def save_related(self, request, form, formsets, change):
        from kaart import services

        super().save_related(request, form, formsets, change)
        services.indexeer(form.instance)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Locatie)
class LocatieAdmin(AuditedModelAdmin):
    list_display = ["naam", "adres", "postcode", "buurt", "organisatie", "gemeente"]
    list_filter = ["gemeente"]
    search_fields = ["naam", "adres", "postcode"]
    inlines = [OpeningstijdInline, UitzonderingInline]

    def save_model(self, request, obj, form, change):
        from kaart import services

        services.save_locatie(request.user, obj, check_permission=not request.user.is_superuser)

    def save_formset(self, request, form, formset, change):
        for inline in formset.save(commit=False):
            inline.gemeente_id = form.instance.gemeente_id
            inline.save()
        for gone in formset.deleted_objects:
            gone.delete()


@admin.register(Levensdomein)
class LevensdomeinAdmin(admin.ModelAdmin):
    list_display = ["naam", "code", "volgorde"]


@admin.register(KaartInstelling)
class KaartInstellingAdmin(AuditedModelAdmin):
    list_display = ["gemeente", "controle_maanden", "verouderd_maanden", "telefoon_direct",
                    "openingstijden_direct", "vakantieregio"]


@admin.register(PostcodeBuurt)
class PostcodeBuurtAdmin(AuditedModelAdmin):
    list_display = ["postcode", "buurt", "gemeente"]
    list_filter = ["gemeente"]
    search_fields = ["postcode"]


@admin.register(Wijzigingsverzoek)
class WijzigingsverzoekAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "ingediend_op", "gemeente"]
    list_filter = ["gemeente", "status"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Melding)
class MeldingAdmin(admin.ModelAdmin):
    list_display = ["aanbod", "status", "ingediend_op", "antwoord_voor", "gemeente"]
    list_filter = ["gemeente", "status"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Ladderactiviteit)
class LadderactiviteitAdmin(AuditedModelAdmin):
    list_display = ["naam", "school", "schooljaar", "weekdag", "begin", "aanbieder", "gemeente"]
    list_filter = ["gemeente", "schooljaar", "weekdag"]
    search_fields = ["naam"]


@admin.register(Schoolvakantie)
class SchoolvakantieAdmin(AuditedModelAdmin):
    """The dates per DUO vakantieregio are editable here."""

    list_display = ["naam", "regio", "schooljaar", "van", "tot", "gemeente"]
    list_filter = ["gemeente", "regio", "schooljaar"]


class VerwijsstapInline(admin.TabularInline):
    model = Verwijsstap
    extra = 1
    exclude = ["gemeente"]


@admin.register(Verwijsroute)
class VerwijsrouteAdmin(AuditedModelAdmin):
    list_display = ["behoefte", "eerst_naar", "regisseur", "gemeente"]
    list_filter = ["gemeente"]
    inlines = [VerwijsstapInline]

    def save_formset(self, request, form, formset, change):
        for stap in formset.save(commit=False):
            stap.gemeente_id = form.instance.gemeente_id
            stap.full_clean()
            stap.save()
        for gone in formset.deleted_objects:
            gone.delete()
