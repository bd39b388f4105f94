from django.urls import path

from . import views as workplace_views

app_name = "workplace"

urlpatterns = [
    path("", workplace_views.workplace_page, name="page"),
    # `path`, not `str`: a mangled link with slashes still gets the French explanation.
    path("<path:token>/", workplace_views.workplace_enter, name="enter"),
]
