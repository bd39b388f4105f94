from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from . import communes
from .models import Certification, Sector


def certifications_with_details():
    return Certification.objects.prefetch_related("options", "competences")


def index(request):
    sectors = Sector.objects.prefetch_related(
        Prefetch(
            "certifications",
            queryset=certifications_with_details().filter(active=True),
            to_attr="active_certifications",
        )
    )
    sectors = [sector for sector in sectors if sector.active_certifications]
    return render(request, "referentiel/index.html", {"sectors": sectors})


def certification_detail(request, code):
    certification = get_object_or_404(
        certifications_with_details().select_related("sector"), code=code
    )
    return render(request, "referentiel/certification.html", {"certification": certification})


@require_safe
def commune_options(request):
    """`<option>`s of the official communes matching what is typed (the candidate step's
    birthplace suggestions, fetched by htmx into a `<datalist>`)."""
    query = request.GET.get("birth_place") or request.GET.get("q") or ""
    return render(
        request, "referentiel/_commune_options.html", {"communes": communes.search(query[:60])}
    )
