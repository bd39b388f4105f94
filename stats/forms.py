from django import forms
from django.utils import timezone

from ecertif.accounts.geography import REGION_CHOICES
from referentiel.models import Certification, Sector

from .statistics import Filters

FIRST_YEAR = 2017
ALL_FIELDS = ("year", "certification", "sector", "region")


class StatsFilterForm(forms.Form):
    """The statistics' filters (GET). Screens and Excel exports read them the same way:
    `StatsFilterForm(request.GET).filters()`; an invalid value is ignored, never an error page.
    """

    year = forms.TypedChoiceField(
        label="Année de création", required=False, coerce=int, empty_value=None
    )
    certification = forms.ModelChoiceField(
        label="Certification",
        required=False,
        queryset=Certification.objects.order_by("sector__position", "position", "label"),
        empty_label="Toutes les certifications",
    )
    sector = forms.ModelChoiceField(
        label="Filière",
        required=False,
        queryset=Sector.objects.order_by("position", "name"),
        empty_label="Toutes les filières",
    )
    region = forms.ChoiceField(
        label="Région", required=False, choices=[("", "Toutes les régions"), *REGION_CHOICES]
    )

    def __init__(self, *args, fields=ALL_FIELDS, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [("", "Toutes les années")] + [
            (year, str(year)) for year in range(this_year, FIRST_YEAR - 1, -1)
        ]
        for name in set(ALL_FIELDS) - set(fields):
            del self.fields[name]

    def filters(self):
        """The valid filters; invalid or absent ones are left out."""
        if self.is_bound:
            self.is_valid()
            data = getattr(self, "cleaned_data", {})
        else:
            data = {}
        certification = data.get("certification")
        sector = data.get("sector")
        return Filters(
            year=data.get("year"),
            certification=certification.pk if certification else None,
            sector=sector.pk if sector else None,
            region=data.get("region") or "",
        )
