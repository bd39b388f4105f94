from django.urls import path

from . import views

app_name = "referentiel"

urlpatterns = [
    path("", views.index, name="index"),
    path("communes/", views.commune_options, name="commune_options"),
    path("<slug:code>/", views.certification_detail, name="certification"),
]
