from django.urls import path

from toets import views

app_name = "toets"

urlpatterns = [
    path("klaverblad-toets/", views.DocumentListView.as_view(), name="document-list"),
    path("klaverblad-toets/nieuw/", views.DocumentCreateView.as_view(), name="document-create"),
    path("klaverblad-toets/dekking/", views.MatrixView.as_view(), name="matrix"),
    path("klaverblad-toets/dekking.xlsx", views.MatrixXlsxView.as_view(), name="matrix-xlsx"),
    path("klaverblad-toets/lexicon/", views.LexiconView.as_view(), name="lexicon"),
    path("klaverblad-toets/lexicon/doel/<int:pk>/", views.LexiconDoelView.as_view(),
         name="lexicon-doel"),
    path("klaverblad-toets/lexicon/opnieuw-toetsen/", views.HertoetsView.as_view(),
         name="hertoetsen"),
    path("klaverblad-toets/lexicon/opnieuw-toetsen/<int:pk>/",
         views.HertoetsrondeView.as_view(), name="hertoetsronde"),
    path("klaverblad-toets/<int:pk>/", views.DocumentDetailView.as_view(), name="document"),
    path("klaverblad-toets/<int:pk>/tekst/", views.DocumentTekstView.as_view(),
         name="document-tekst"),
    path("klaverblad-toets/<int:pk>/rapport.pdf", views.RapportPdfView.as_view(),
         name="rapport"),
    path("klaverblad-toets/oordeel/<int:pk>/", views.OordeelView.as_view(), name="oordeel"),
]
