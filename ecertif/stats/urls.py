from django.http import HttpResponse
from django.urls import path

app_name = "stats"

# Placeholder until the stats views land.
urlpatterns = [path("", lambda request: HttpResponse(""), name="dashboard")]
