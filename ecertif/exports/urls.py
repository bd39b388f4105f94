from django.http import HttpResponse
from django.urls import path

app_name = "exports"

# Placeholder until the exports views land.
urlpatterns = [path("", lambda request: HttpResponse(""), name="list")]
