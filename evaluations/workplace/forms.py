"""The workplace assessor's form: one observation per competence, plus a general one."""

from django import forms

OBSERVATION_MAX_LENGTH = 5000


class ObservationField(forms.CharField):
    """Optional free text; line breaks counted as one character, as the browser counts them."""

    widget = forms.Textarea

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", OBSERVATION_MAX_LENGTH)
        kwargs.setdefault(
            "error_messages",
            {
                "max_length": (
                    "Votre observation ne doit pas dépasser %(limit_value)d caractères "
                    "(elle en compte actuellement %(show_value)d)."
                )
            },
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        # Browsers submit CRLF but enforce `maxlength` counting one character per line break.
        return super().to_python(value).replace("\r\n", "\n")


class WorkplaceObservationsForm(forms.Form):
    general_observation = ObservationField(
        label="Observation générale",
        help_text="Votre appréciation d'ensemble sur le candidat (facultatif).",
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, results, general_observation="", **kwargs):
        """`results`: the assessment's CompetenceResult rows, competence selected."""
        super().__init__(*args, **kwargs)
        self.results = list(results)
        competence_fields = {}
        for result in self.results:
            competence = result.competence
            competence_fields[self.field_name(result)] = ObservationField(
                label=f"C{competence.number} — {competence.label}",
                initial=result.workplace_observation,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        # Competences first, in the référentiel's order, then the general observation.
        general = self.fields.pop("general_observation")
        general.initial = general_observation
        self.fields.update(competence_fields)
        self.fields["general_observation"] = general

    @staticmethod
    def field_name(result):
        return f"observation_{result.pk}"

    def competence_fields(self):
        return [self[self.field_name(result)] for result in self.results]

    def observations(self):
        """{result pk: text}, the shape `workplace_observations_save` expects."""
        return {result.pk: self.cleaned_data[self.field_name(result)] for result in self.results}
