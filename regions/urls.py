from django.urls import path

from regions import views

app_name = "regions"

urlpatterns = [
    path("gebieden/", views.GebiedListView.as_view(), name="gebied-list"),
    path("gebieden/nieuw/", views.GebiedFormView.as_view(), name="gebied-create"),
    path("gebieden/<int:pk>/", views.GebiedDetailView.as_view(), name="gebied-detail"),
    path("gebieden/<int:pk>/bewerken/", views.GebiedFormView.as_view(), name="gebied-update"),
    path("gebieden/<int:pk>/verwijderen/", views.GebiedDeleteView.as_view(),
         name="gebied-delete"),
    path("regios/", views.RegionListView.as_view(), name="region-list"),
    path("regios/inlezen/", views.RegionImportView.as_view(), name="region-import"),
    path("regios/<int:pk>/", views.RegionDetailView.as_view(), name="region-detail"),
]
