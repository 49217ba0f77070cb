"""The two classes REST_FRAMEWORK's settings name: the policy permission and the pagination.

Kept apart from core/api.py because DRF imports its settings' classes while
rest_framework.views is still loading: this module may import nothing that imports views."""

from rest_framework import permissions
from rest_framework.pagination import LimitOffsetPagination

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


class Pagination(LimitOffsetPagination):
    """?limit=&offset= paging with a ceiling, so no client can ask for everything at once."""

    default_limit = 100
    max_limit = 1000
