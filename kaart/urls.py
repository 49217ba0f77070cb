from django.urls import path

app_name = "kaart"

urlpatterns = []
