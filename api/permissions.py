"""DRF glue for the one policy module: no rules here, only calls to core.policy."""

from rest_framework import permissions

from core import policy


class PolicyPermission(permissions.BasePermission):
    """Authenticated users only; object access is decided by core.policy.

    Querysets are already limited to the user's gemeenten (foreign rows answer 404). Writes are
    checked again by the services, with the object's final scope.
    """

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated)

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return policy.can(request.user, policy.VIEW, obj)
        action = policy.DELETE if request.method == "DELETE" else policy.CHANGE
        return policy.can(request.user, action, obj)
