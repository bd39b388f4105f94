from django.http import HttpResponse
from django.urls import path

from ecertif.urls import urlpatterns as app_urlpatterns


def bare(request):
    """The reference: every middleware of the application (session, user, role), no work."""
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *app_urlpatterns]
