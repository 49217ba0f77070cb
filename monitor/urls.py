from django.urls import path

from monitor import views

app_name = "monitor"

urlpatterns = [
    # Read pages: members, and anyone when the gemeente's monitor is public.
    path("monitor/", views.KlaverbladView.as_view(), name="klaverblad"),
    path("monitor/gebieden/", views.GebiedListView.as_view(), name="gebied-list"),
    path("monitor/gebieden/<int:pk>/", views.GebiedView.as_view(), name="gebied"),
    path("monitor/indicatoren/", views.IndicatorListView.as_view(), name="indicator-list"),
    path("monitor/indicatoren/<int:pk>/", views.IndicatorDetailView.as_view(),
         name="indicator-detail"),
    path("monitor/indicatoren/<int:pk>/vergelijking/", views.VergelijkingView.as_view(),
         name="vergelijking"),
    path("monitor/indicatoren/<int:pk>/export.csv", views.ExportView.as_view(formaat="csv"),
         name="export-csv"),
    path("monitor/indicatoren/<int:pk>/export.xlsx", views.ExportView.as_view(formaat="xlsx"),
         name="export-xlsx"),
    # Beleidsmedewerker.
    path("monitor/imports/", views.BatchListView.as_view(), name="batch-list"),
    path("monitor/imports/nieuw/", views.ImportView.as_view(), name="import"),
    path("monitor/imports/sjabloon/", views.ImportSjabloonView.as_view(),
         name="import-sjabloon"),
    path("monitor/imports/<int:pk>/", views.BatchDetailView.as_view(), name="batch-detail"),
    path("monitor/imports/<int:pk>/verwijderen/", views.BatchDeleteView.as_view(),
         name="batch-delete"),
    path("monitor/instellingen/", views.InstellingenView.as_view(), name="instellingen"),
    path("monitor/indicatoren/<int:indicator_pk>/streefwaarden/nieuw/",
         views.StreefwaardeFormView.as_view(), name="streefwaarde-add"),
    path("monitor/streefwaarden/<int:pk>/wijzigen/", views.StreefwaardeFormView.as_view(),
         name="streefwaarde-edit"),
    path("monitor/streefwaarden/<int:pk>/verwijderen/", views.StreefwaardeDeleteView.as_view(),
         name="streefwaarde-delete"),
]
