from django import forms
from django.utils import timezone

from ecertif.files.uploads import MAX_UPLOAD_SIZE

from .enums import ResultChoice

REQUIRED = "Ce champ est obligatoire."


class InvitationForm(forms.Form):
    name = forms.CharField(
        label="Nom et prénom de l'évaluateur métier",
        max_length=200,
        error_messages={"required": REQUIRED},
    )
    email = forms.EmailField(
        label="Adresse électronique",
        error_messages={
            "required": REQUIRED,
            "invalid": "Saisissez une adresse électronique valide.",
        },
    )
    function = forms.CharField(
        label="Fonction dans l'entreprise",
        max_length=200,
        help_text="Par exemple « Chef d'équipe fabrication » ou « Tuteur ».",
        error_messages={"required": REQUIRED},
    )


class ResultsForm(forms.Form):
    """One (result, comment) pair per competence row of the assessment."""

    def __init__(self, *args, results, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for row in results:
            result = forms.ChoiceField(
                label=f"Résultat — C{row.competence.number}",
                choices=ResultChoice.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=row.result or None,
            )
            comment = forms.CharField(
                label=f"Commentaire — C{row.competence.number}",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=5000,
                initial=row.comment,
            )
            self.fields[f"result_{row.pk}"] = result
            self.fields[f"comment_{row.pk}"] = comment
            self.rows.append((row, self[f"result_{row.pk}"], self[f"comment_{row.pk}"]))

    def results(self):
        return {
            row.pk: (
                self.cleaned_data[f"result_{row.pk}"] or "",
                self.cleaned_data[f"comment_{row.pk}"] or "",
            )
            for row, _result, _comment in self.rows
        }


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class AssessmentDetailsForm(forms.Form):
    first_date = forms.DateField(
        label="Date de début de l'évaluation",
        required=False,
        widget=DateInput(),
        error_messages={"invalid": "Saisissez une date valide."},
    )
    last_date = forms.DateField(
        label="Date de fin de l'évaluation",
        required=False,
        widget=DateInput(),
        error_messages={"invalid": "Saisissez une date valide."},
    )
    candidate_observations = forms.CharField(
        label="Observations du candidat",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )
    workplace_missing_reason = forms.CharField(
        label="Si les observations de l'évaluateur métier manquent, pourquoi ?",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        help_text="Seulement si l'évaluateur métier n'a pas pu saisir ses observations.",
    )

    def clean(self):
        data = super().clean()
        first, last = data.get("first_date"), data.get("last_date")
        today = timezone.localdate()
        for name in ["first_date", "last_date"]:
            if data.get(name) and data[name] > today:
                self.add_error(name, "La date d'évaluation ne peut pas être dans le futur.")
        if first and last and last < first:
            self.add_error("last_date", "La date de fin doit suivre la date de début.")
        return data


class GuideForm(forms.Form):
    file = forms.FileField(
        label="Outil n°4 scanné (PDF, JPEG ou PNG, 10 Mo au plus)",
        error_messages={"required": "Choisissez un fichier.", "empty": "Le fichier est vide."},
        widget=forms.ClearableFileInput(
            # data-max-bytes: the browser refuses a file too large before sending it.
            attrs={"accept": ".pdf,.jpg,.jpeg,.png", "data-max-bytes": MAX_UPLOAD_SIZE}
        ),
    )
