from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("inloggen/", core_views.LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("beheer/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    # The sociale kaart in HSDS 3.0 (Open Referral), public per gemeente.
    path("api/hsds/<slug:gemeente>/", include("kaart.hsds_urls")),
    # Participation first: its public vote endpoint is the busiest URL during an election, and
    # Django tries patterns in order. No other app has a route under its prefixes
    # (kinderburgemeester/, jouw-stem/, participatie/), so the order changes no match.
    path("<slug:gemeente>/", include("participation.urls")),
    path("<slug:gemeente>/", include("core.urls")),
    path("<slug:gemeente>/", include("regions.urls")),
    path("<slug:gemeente>/", include("network.urls")),
    path("<slug:gemeente>/", include("framework.urls")),
    path("<slug:gemeente>/", include("plans.urls")),
    path("<slug:gemeente>/", include("finance.urls")),
    path("<slug:gemeente>/", include("monitor.urls")),
    path("<slug:gemeente>/", include("toets.urls")),
    path("<slug:gemeente>/", include("kaart.urls")),
]

# Dutch error pages in the site layout (a friendly version on the children's pages; JSON for
# the API). Django uses them when DEBUG is off.
handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"
