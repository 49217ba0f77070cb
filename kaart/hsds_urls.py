from django.urls import path

from kaart import api_hsds

app_name = "hsds"

urlpatterns = [
    path("", api_hsds.root, name="root"),
    path("services", api_hsds.services, name="services"),
    path("services/<uuid:id>", api_hsds.service, name="service"),
    path("organizations", api_hsds.organizations, name="organizations"),
    path("organizations/<uuid:id>", api_hsds.organization, name="organization"),
    path("export", api_hsds.export, name="export"),
]
