from core import policy
from core.modules import nav_for


def tenant(request):
    """The current gemeente (set by GemeenteMixin), the user's other gemeenten and the top
    navigation: every module the user's role may use in this gemeente."""
    user = getattr(request, "user", None)
    gemeente = getattr(request, "gemeente", None)
    logged_in = bool(user and user.is_authenticated)
    match = getattr(request, "resolver_match", None)
    return {
        "gemeente": gemeente,
        "mijn_gemeenten": policy.gemeenten(user) if logged_in else [],
        "hoofdmenu": nav_for(
            user, gemeente,
            match.app_name if match and match.url_name != "gemeente" else "",
            request.path) if logged_in and gemeente else [],
    }
