from django.urls import path

from framework import views

app_name = "framework"

urlpatterns = [
    path("klaverblad/", views.KaderListView.as_view(), name="kader-list"),
    path("klaverblad/nieuw/", views.KaderFormView.as_view(), name="kader-create"),
    path("klaverblad/<int:pk>/", views.KaderDetailView.as_view(), name="kader-detail"),
    path("klaverblad/<int:pk>/bewerken/", views.KaderFormView.as_view(), name="kader-update"),
    path("klaverblad/<int:pk>/verwijderen/", views.KaderDeleteView.as_view(),
         name="kader-delete"),
    path("klaverblad/<int:kader_pk>/themas/nieuw/", views.ThemaFormView.as_view(),
         name="thema-create"),
    path("themas/<int:pk>/bewerken/", views.ThemaFormView.as_view(), name="thema-update"),
    path("themas/<int:pk>/verwijderen/", views.ThemaDeleteView.as_view(), name="thema-delete"),
    path("klaverblad/<int:kader_pk>/doelen/nieuw/", views.DoelFormView.as_view(),
         name="doel-create"),
    path("doelen/<int:pk>/", views.DoelDetailView.as_view(), name="doel-detail"),
    path("doelen/<int:pk>/bewerken/", views.DoelFormView.as_view(), name="doel-update"),
    path("doelen/<int:pk>/verwijderen/", views.DoelDeleteView.as_view(), name="doel-delete"),
    path("klaverblad-dekking/", views.DekkingView.as_view(), name="dekking"),
]
