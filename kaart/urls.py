
app_name = "kaart"

urlpatterns = []
