from django import forms

from jurys.enums import DocumentKind
from referentiel.models import Certification

from .enums import DocumentStatus


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label="Rechercher", required=False, max_length=100)
    kind = forms.ChoiceField(
        label="Type", required=False, choices=[("", "Tous les types"), *DocumentKind.choices]
    )
    status = forms.ChoiceField(
        label="Statut", required=False, choices=[("", "Tous"), *DocumentStatus.choices]
    )
    certification = forms.ModelChoiceField(
        label="Certification",
        required=False,
        queryset=Certification.objects.all(),
        empty_label="Toutes les certifications",
    )
    establishment = forms.CharField(label="Établissement", required=False, max_length=100)
    issued_from = forms.DateField(
        label="Délivré à partir du", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    issued_to = forms.DateField(
        label="Délivré jusqu'au", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("issued_from"), cleaned.get("issued_to")
        if start and end and start > end:
            self.add_error("issued_to", "La date de fin précède la date de début.")
        return cleaned


class AccrochageForm(forms.Form):
    period_start = forms.DateField(
        label="Décisions du jury du", widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(label="au", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and start > end:
            self.add_error("period_end", "La fin de la période précède son début.")
        return cleaned
