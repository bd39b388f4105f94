"""« Annuaire des évaluateurs habilités » (issue #12): the public list employers consult to choose
their assessor before registering a candidate. Professional data only."""

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, Value
from django.db.models.functions import Concat
from django.shortcuts import render
from django.utils import timezone

from ecertif.accounts.geography import DEPARTMENTS, REGIONS, department_name
from referentiel.models import Certification

from .models import Accreditation, Assessor

PAGE_SIZE = 20


class DirectoryFilterForm(forms.Form):
    certification = forms.ModelChoiceField(
        label="Certification",
        queryset=Certification.objects.filter(active=True).order_by("position", "label"),
        required=False,
        empty_label="Toutes les certifications",
    )
    region = forms.ChoiceField(
        label="Région",
        required=False,
        choices=[("", "Toutes les régions")] + sorted(REGIONS.items(), key=lambda item: item[1]),
    )


def directory_assessors(*, certification=None, region=None, today=None):
    """Listed assessors with an accreditation valid today, each with those accreditations."""
    today = today or timezone.localdate()
    valid = Accreditation.objects.filter(valid_from__lte=today, valid_until__gte=today)
    if certification is not None:
        valid = valid.filter(certifications=certification)
    assessors = (
        Assessor.objects.filter(listed_in_directory=True, accreditations__in=valid)
        .select_related("user")
        .prefetch_related(
            Prefetch(
                "accreditations",
                queryset=valid.prefetch_related("certifications").order_by("valid_until"),
                to_attr="valid_accreditations",
            )
        )
        .distinct()
        .order_by("user__last_name", "user__first_name")
    )
    if region:
        codes = [code for code, (_name, reg) in DEPARTMENTS.items() if reg == region]
        # Codes are stored space-separated: pad both sides so « 1 » never matches « 01 ».
        served = Q()
        for code in codes:
            served |= Q(padded__contains=f" {code} ")
        assessors = assessors.annotate(padded=Concat(Value(" "), "departments", Value(" "))).filter(
            served
        )
    return assessors


@login_not_required
def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    assessors = directory_assessors(
        certification=filters.get("certification"), region=filters.get("region") or None
    )
    page = Paginator(assessors, PAGE_SIZE).get_page(request.GET.get("page"))
    for assessor in page.object_list:
        assessor.department_labels = [
            f"{department_name(code)} ({code})" for code in assessor.department_codes
        ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page_obj": page, "query": query.urlencode()}
    return render(request, "evaluations/directory.html", context)
