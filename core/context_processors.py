from core import policy


def tenant(request):
    """The current gemeente (set by GemeenteMixin) and the user's other gemeenten."""
    user = getattr(request, "user", None)
    return {
        "gemeente": getattr(request, "gemeente", None),
        "mijn_gemeenten": policy.gemeenten(user) if user and user.is_authenticated else [],
    }
