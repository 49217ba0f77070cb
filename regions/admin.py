from django.contrib import admin

from core.admin import AuditedModelAdmin
from regions.models import Gebied, Region


@admin.register(Region)
class RegionAdmin(AuditedModelAdmin):
    list_display = ["code", "naam", "soort", "jaar", "gemeente"]
    list_filter = ["gemeente", "jaar", "soort"]
    search_fields = ["code", "naam"]
    raw_id_fields = ["parent"]


@admin.register(Gebied)
class GebiedAdmin(AuditedModelAdmin):
    list_display = ["naam", "afkorting", "jaar", "gemeente"]
    list_filter = ["gemeente"]
    filter_horizontal = ["regions"]
