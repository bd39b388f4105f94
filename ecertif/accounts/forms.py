from django import forms

from . import geography
from .enums import AccountRequestStatus
from .models import AccountRequest, Establishment
from .siret import SiretFormField


class AccountRequestForm(forms.ModelForm):
    class Meta:
        model = AccountRequest
        fields = [
            "siret",
            "company_name",
            "address",
            "postcode",
            "city",
            "contact_first_name",
            "contact_last_name",
            "contact_email",
            "contact_phone",
            "message",
        ]
        widgets = {
            "siret": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "postcode": forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "postal-code"}
            ),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel"}),
            "message": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "siret": "14 chiffres, sans espace (les espaces sont acceptés).",
            "message": "Facultatif : précisez par exemple le CQP envisagé.",
        }
        error_messages = {
            field: {"required": "Ce champ est obligatoire."}
            for field in [
                "siret",
                "company_name",
                "address",
                "postcode",
                "city",
                "contact_first_name",
                "contact_last_name",
                "contact_email",
                "contact_phone",
            ]
        }

    siret = SiretFormField(
        label="SIRET",
        help_text="14 chiffres (les espaces sont acceptés).",
        error_messages={"required": "Ce champ est obligatoire."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_email"].error_messages["invalid"] = (
            "Saisissez une adresse électronique valide (par exemple nom@entreprise.fr)."
        )

    def clean_siret(self):
        siret = self.cleaned_data["siret"]
        if Establishment.objects.filter(siret=siret).exists():
            raise forms.ValidationError(
                "Un compte existe déjà pour cet établissement. Demandez à la personne qui le "
                "détient de vous ajouter, ou contactez le secrétariat des CQP.",
                code="siret_has_account",
            )
        if AccountRequest.objects.filter(siret=siret, status=AccountRequestStatus.PENDING).exists():
            raise forms.ValidationError(
                "Une demande de création de compte est déjà en cours pour ce SIRET. "
                "Le secrétariat des CQP vous répondra par courriel.",
                code="siret_pending_request",
            )
        return siret

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"].strip()
        if not (len(postcode) == 5 and postcode.isdigit()):
            raise forms.ValidationError(
                "Le code postal doit comporter 5 chiffres.", code="invalid_postcode"
            )
        if geography.department_for_postcode(postcode) is None:
            raise forms.ValidationError(
                "Ce code postal ne correspond à aucun département français.",
                code="unknown_postcode",
            )
        return postcode

    def clean_contact_email(self):
        return self.cleaned_data["contact_email"].lower()


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label="Motif du refus (envoyé au demandeur)",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Le motif du refus est obligatoire."},
    )
