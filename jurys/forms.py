from django import forms

from .models import JurySession


class SessionChoiceForm(forms.Form):
    session = forms.ModelChoiceField(
        label="Session du jury",
        queryset=JurySession.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choisissez une session.",
            "invalid_choice": "Cette session n'accepte plus d'inscription.",
        },
    )

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions
        self.fields["session"].label_from_instance = lambda s: (
            f"Jury du {s.date:%d/%m/%Y}"
            + (f" — {s.place}" if s.place else "")
            + f" (inscriptions jusqu'au {s.registration_deadline:%d/%m/%Y})"
        )


class DecisionForm(forms.Form):
    """One line per competence to decide (carried ones are shown, not asked)."""

    motivation = forms.CharField(
        label="Motivation générale (facultative)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = []
        for competence, result, carried in rows:
            if carried is not None:
                self.lines.append((competence, result, carried, None, None))
                continue
            initial = "yes" if result is not None and result.result == "acquired" else "no"
            self.fields[f"validated_{competence.pk}"] = forms.ChoiceField(
                label=f"C{competence.number}",
                choices=[("yes", "Validée"), ("no", "Non validée")],
                widget=forms.RadioSelect,
                initial=initial,
                error_messages={"required": f"Décidez de la compétence C{competence.number}."},
            )
            self.fields[f"motivation_{competence.pk}"] = forms.CharField(
                label=f"Motivation C{competence.number}",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=2000,
            )
            self.lines.append(
                (
                    competence,
                    result,
                    None,
                    self[f"validated_{competence.pk}"],
                    self[f"motivation_{competence.pk}"],
                )
            )

    def competences(self):
        return {
            competence.pk: (
                self.cleaned_data[f"validated_{competence.pk}"] == "yes",
                self.cleaned_data[f"motivation_{competence.pk}"],
            )
            for competence, _result, carried, _v, _m in self.lines
            if carried is None
        }
