from django.urls import path

from core import views, views_berichten

app_name = "core"

urlpatterns = [
    path("", views.GemeenteHomeView.as_view(), name="gemeente"),
    path("gebruikers/", views.UserListView.as_view(), name="user-list"),
    path("gebruikers/nieuw/", views.UserCreateView.as_view(), name="user-create"),
    path("gebruikers/<int:pk>/", views.UserDetailView.as_view(), name="user-detail"),
    path("gebruikers/<int:user_pk>/lidmaatschap/nieuw/", views.MembershipCreateView.as_view(),
         name="membership-create"),
    path("lidmaatschappen/<int:pk>/verwijderen/", views.MembershipDeleteView.as_view(),
         name="membership-delete"),
    path("historie/", views.AuditLogView.as_view(), name="audit-log"),
    path("taken/", views_berichten.JobListView.as_view(), name="job-list"),
    path("berichten/", views_berichten.InboxView.as_view(), name="inbox"),
    path("berichten/instellingen/", views_berichten.VoorkeurenView.as_view(),
         name="bericht-voorkeuren"),
    path("berichten/verzonden/", views_berichten.OutboxView.as_view(), name="outbox"),
]
