from django.urls import path

from kaart import views, views_ladder, views_public, views_versheid

app_name = "kaart"

urlpatterns = [
    # Public (no login).
    path("sociale-kaart/", views_public.ZoekenView.as_view(), name="publiek-zoeken"),
    path("sociale-kaart/aanbod/<int:pk>/", views_public.AanbodView.as_view(),
         name="publiek-aanbod"),
    path("sociale-kaart/aanbod/<int:pk>/klopt-er-iets-niet/", views_public.MeldenView.as_view(),
         name="publiek-melden"),
    path("sociale-kaart/controle/<str:token>/klopt-nog/", views_public.KloptNogView.as_view(),
         name="publiek-klopt-nog"),
    path("sociale-kaart/controle/<str:token>/wijzigen/", views_public.WijzigenLinkView.as_view(),
         name="publiek-wijzigen"),
    path("sociale-kaart/waar-kan-ik-terecht/", views_public.VerwijsroutesView.as_view(),
         name="publiek-verwijsroutes"),
    path("sociale-kaart/na-school/<int:pk>/", views_ladder.PubliekLadderView.as_view(),
         name="publiek-ladder"),
    path("sociale-kaart/na-school/<int:pk>/agenda.ics", views_ladder.IcalView.as_view(),
         name="publiek-ladder-ical"),
    path("sociale-kaart/na-school/<int:pk>/afdrukken.pdf", views_ladder.PdfView.as_view(),
         name="publiek-ladder-pdf"),
    # Staff.
    path("kaart/ladder/", views_ladder.GatenView.as_view(), name="ladder-gaten"),
    path("kaart/ladder/<int:pk>/", views_ladder.LadderView.as_view(), name="ladder"),
    path("kaart/aanbod/", views.AanbodListView.as_view(), name="aanbod-list"),
    path("kaart/aanbod/nieuw/", views.AanbodFormView.as_view(), name="aanbod-create"),
    path("kaart/aanbod/<int:pk>/", views.AanbodDetailView.as_view(), name="aanbod-detail"),
    path("kaart/aanbod/<int:pk>/bewerken/", views.AanbodFormView.as_view(),
         name="aanbod-update"),
    path("kaart/aanbod/<int:pk>/wijziging-voorstellen/", views.WijzigenView.as_view(),
         name="aanbod-wijzigen"),
    path("kaart/aanbod/<int:pk>/controleren/", views.ControlerenView.as_view(),
         name="aanbod-controleren"),
    path("kaart/versheid/", views_versheid.VersheidView.as_view(), name="versheid"),
    path("kaart/wijzigingen/", views.WijzigingListView.as_view(), name="wijziging-list"),
    path("kaart/wijzigingen/<int:pk>/", views.WijzigingDetailView.as_view(),
         name="wijziging-detail"),
    path("kaart/meldingen/", views.MeldingListView.as_view(), name="melding-list"),
    path("kaart/meldingen/<int:pk>/", views.MeldingDetailView.as_view(), name="melding-detail"),
    path("kaart/registers/scholen/", views.RegisterImportView.as_view(register="duo"),
         name="import-scholen"),
    path("kaart/registers/kinderopvang/", views.RegisterImportView.as_view(register="lrk"),
         name="import-kinderopvang"),
    path("kaart/locaties/nieuw/", views.LocatieFormView.as_view(), name="locatie-create"),
    path("kaart/locaties/<int:pk>/", views.LocatieDetailView.as_view(), name="locatie-detail"),
    path("kaart/locaties/<int:pk>/bewerken/", views.LocatieFormView.as_view(),
         name="locatie-update"),
]
