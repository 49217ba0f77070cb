from django.urls import path

from network import views

app_name = "network"

urlpatterns = [
    path("organisaties/", views.OrganisatieListView.as_view(), name="organisatie-list"),
    path("organisaties/nieuw/", views.OrganisatieFormView.as_view(), name="organisatie-create"),
    path("organisaties/<int:pk>/", views.OrganisatieDetailView.as_view(),
         name="organisatie-detail"),
    path("organisaties/<int:pk>/bewerken/", views.OrganisatieFormView.as_view(),
         name="organisatie-update"),
    path("organisaties/<int:pk>/verwijderen/", views.OrganisatieDeleteView.as_view(),
         name="organisatie-delete"),
    path("personen/", views.PersoonListView.as_view(), name="persoon-list"),
    path("personen/nieuw/", views.PersoonFormView.as_view(), name="persoon-create"),
    path("personen/<int:pk>/", views.PersoonDetailView.as_view(), name="persoon-detail"),
    path("personen/<int:pk>/bewerken/", views.PersoonFormView.as_view(), name="persoon-update"),
    path("personen/<int:pk>/verwijderen/", views.PersoonDeleteView.as_view(),
         name="persoon-delete"),
    path("stuurgroepen/", views.StuurgroepListView.as_view(), name="stuurgroep-list"),
    path("stuurgroepen/nieuw/", views.StuurgroepFormView.as_view(), name="stuurgroep-create"),
    path("stuurgroepen/<int:pk>/", views.StuurgroepDetailView.as_view(),
         name="stuurgroep-detail"),
    path("stuurgroepen/<int:pk>/bewerken/", views.StuurgroepFormView.as_view(),
         name="stuurgroep-update"),
    path("stuurgroepen/<int:pk>/verwijderen/", views.StuurgroepDeleteView.as_view(),
         name="stuurgroep-delete"),
    path("stuurgroepen/<int:stuurgroep_pk>/rollen/nieuw/", views.StuurgroepRolFormView.as_view(),
         name="stuurgroeprol-create"),
    path("stuurgroeprollen/<int:pk>/bewerken/", views.StuurgroepRolFormView.as_view(),
         name="stuurgroeprol-update"),
    path("stuurgroeprollen/<int:pk>/verwijderen/", views.StuurgroepRolDeleteView.as_view(),
         name="stuurgroeprol-delete"),
]
