from core import policy, selectors
from core.modules import nav_for


def tenant(request):
    """The current gemeente (set by GemeenteMixin), the user's other gemeenten, the top
    navigation (every module the user's role may use in this gemeente), and how many of the
    user's messages in this gemeente are unread (counted only when the page shows it)."""
    user = getattr(request, "user", None)
    gemeente = getattr(request, "gemeente", None)
    authenticated = bool(user and user.is_authenticated)
    match = getattr(request, "resolver_match", None)

    def ongelezen():
        return selectors.unread_count(user, gemeente) if authenticated and gemeente else 0

    return {
        "gemeente": gemeente,
        "mijn_gemeenten": policy.gemeenten(user) if authenticated else [],
        "ongelezen_berichten": ongelezen,  # a callable: the template calls it once
        "hoofdmenu": nav_for(
            user, gemeente,
            match.app_name if match and match.url_name != "gemeente" else "",
            request.path) if authenticated and gemeente else [],
    }
