from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from core.models import AuditEntry, Bericht, Gemeente, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["gemeente"]


@admin.register(User)
class OpgroeienUserAdmin(UserAdmin):
    inlines = [MembershipInline]


@admin.register(Gemeente)
class GemeenteAdmin(admin.ModelAdmin):
    list_display = ["naam", "cbs_code", "slug", "programmanaam"]
    search_fields = ["naam", "cbs_code"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by a service (audit log, tags): the admin shows them, never changes
    them, also not for superusers."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The audit log is append-only."""

    list_display = ["at", "gemeente", "actor_naam", "action", "content_type", "object_repr"]
    list_filter = ["gemeente", "action", "content_type"]


class AuditedModelAdmin(admin.ModelAdmin):
    """Admin writes of domain data go through the same services, so they are audited too.
    Superusers pass the policy; other staff are held to it."""

    def save_model(self, request, obj, form, change):
        from core import services

        services.save_object(request.user, obj, check_permission=not request.user.is_superuser)

    def delete_model(self, request, obj):
        from core import services

        services.delete_object(request.user, obj, check_permission=not request.user.is_superuser)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Bericht)
class BerichtAdmin(admin.ModelAdmin):
    """The outbox. Read-only here: messages are written by services (core.notifications)."""

    list_display = ["created", "gemeente", "kind", "subject", "user", "email", "status",
                    "attempts", "sent_at"]
    list_filter = ["gemeente", "status", "kind"]
    search_fields = ["subject", "email", "user__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
