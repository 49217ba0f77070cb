from core import policy, selectors


def tenant(request):
    """The current gemeente (set by GemeenteMixin), the user's other gemeenten, and how many
    of the user's messages in this gemeente are unread (counted only when the page shows it)."""
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)

    def ongelezen():
        gemeente = getattr(request, "gemeente", None)
        return selectors.unread_count(user, gemeente) if authenticated and gemeente else 0

    return {
        "gemeente": getattr(request, "gemeente", None),
        "mijn_gemeenten": policy.gemeenten(user) if authenticated else [],
        "ongelezen_berichten": ongelezen,  # a callable: the template calls it once
    }
