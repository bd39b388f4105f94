import datetime
import functools
import re
import time
import uuid
from html import escape

from django import forms
from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from ecertif.accounts.siret import SiretFormField
from ecertif.files.uploads import MAX_UPLOAD_SIZE
from referentiel import communes, countries
from referentiel.models import Certification, CertificationOption, TrainingScheme

from .enums import AttachmentKind, Civility, DossierState
from .models import Candidate, TrainingProvider
from .selectors import accredited_assessors

REQUIRED = {"required": "Ce champ est obligatoire."}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class CertificationForm(forms.Form):
    certification = forms.ModelChoiceField(
        label="Certification (CQP ou CQPI)",
        queryset=Certification.objects.filter(active=True).select_related("sector"),
        empty_label="— Choisissez une certification —",
        error_messages={**REQUIRED, "invalid_choice": "Choisissez une certification de la liste."},
    )
    option = forms.ModelChoiceField(
        label="Option",
        queryset=CertificationOption.objects.select_related("certification"),
        required=False,
        empty_label="— Sans objet —",
        help_text="Seulement pour les certifications qui proposent des options.",
        error_messages={"invalid_choice": "Choisissez une option de la liste."},
    )
    # Drawn when the page is shown: a form sent twice (double click, 50 tabs) creates one dossier.
    creation_token = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)

    def clean(self):
        data = super().clean()
        certification, option = data.get("certification"), data.get("option")
        if certification is None:
            return data
        if option is not None and option.certification_id != certification.pk:
            self.add_error("option", "Cette option n'appartient pas à la certification choisie.")
        elif option is None and certification.options.exists():
            self.add_error("option", "Cette certification exige de choisir une option.")
        return data


class SchemeForm(forms.Form):
    training_scheme = forms.ModelChoiceField(
        label="Dispositif de formation",
        queryset=TrainingScheme.objects.filter(active=True),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={**REQUIRED, "invalid_choice": "Choisissez un dispositif de la liste."},
    )


BIRTH_PLACE_CODE = re.compile(r"\d{5}|2[AB]\d{3}")


UNKNOWN_COUNTRY = (
    "Le code {code} ne figure pas dans la liste officielle des pays et territoires étrangers "
    "(INSEE) : cochez « Né(e) à l'étranger » et choisissez le pays dans la liste."
)
COUNTRY_REQUIRED = "Choisissez le pays de naissance dans la liste."
CODE_REQUIRED = (
    "Saisissez le code INSEE ou le code postal de la commune de naissance, ou cochez "
    "« Né(e) à l'étranger » et choisissez le pays."
)


class CandidateForm(forms.ModelForm):
    # Born abroad: the country comes from the official list; its INSEE code (99xxx) is stored
    # as `birth_place_code`, what the Caisse des Dépôts export reads.
    born_abroad = forms.BooleanField(
        label="Né(e) à l'étranger",
        required=False,
        help_text="Cochez, puis choisissez le pays : la commune de naissance est alors la "
        "ville étrangère, et le code de la commune n'est pas à saisir.",
    )
    birth_country = forms.ChoiceField(
        label="Pays de naissance",
        required=False,
        help_text="Liste officielle des pays et territoires étrangers (INSEE).",
        error_messages={
            "invalid_choice": "Ce pays ne figure pas dans la liste officielle des pays et "
            "territoires étrangers (INSEE) : choisissez-le dans la liste."
        },
    )

    class Meta:
        model = Candidate
        fields = [
            "civility",
            "birth_name",
            "usage_name",
            "first_names",
            "birth_date",
            "birth_place",
            "birth_place_code",
            "email",
            "phone",
            "address",
            "postcode",
            "city",
            "highest_diploma_level",
            "declares_diploma",
            "position_held",
            "company_entry_date",
        ]
        widgets = {
            "civility": forms.RadioSelect,
            "birth_date": DateInput(),
            "company_entry_date": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages.setdefault("required", REQUIRED["required"])
            field.error_messages["required"] = REQUIRED["required"]
        # Radio buttons: no blank « choose » entry.
        self.fields["civility"].choices = Civility.choices
        self.fields["birth_date"].error_messages["invalid"] = "Saisissez une date valide."
        self.fields["company_entry_date"].error_messages["invalid"] = "Saisissez une date valide."
        self.fields["email"].error_messages["invalid"] = (
            "Saisissez une adresse électronique valide."
        )
        # Suggestions from the official list while typing (htmx fills the <datalist>).
        self.fields["birth_place"].widget.attrs.update(
            {
                "list": "communes-naissance",
                "autocomplete": "off",
                "hx-get": reverse("referentiel:commune_options"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#communes-naissance",
            }
        )
        self.fields["birth_place_code"].help_text = (
            "Code INSEE ou code postal, vérifié dans la liste officielle des communes. "
            "Né(e) à l'étranger : cochez la case et choisissez le pays ci-dessous."
        )
        # Not required when born abroad: clean() asks for it otherwise.
        self.fields["birth_place_code"].required = False
        self.fields["birth_country"].choices = [
            ("", "— Choisissez le pays —"),
            *countries.choices(),
        ]
        code = (self.instance.birth_place_code or "").upper() if self.instance.pk else ""
        if code.startswith("99"):
            # The country shows in its own field, not as a commune's code.
            self.initial.update(born_abroad=True, birth_country=code, birth_place_code="")

    def clean_birth_date(self):
        birth_date = self.cleaned_data["birth_date"]
        today = timezone.localdate()
        if birth_date >= today:
            raise forms.ValidationError("La date de naissance doit être dans le passé.")
        if birth_date > today.replace(year=today.year - 16):
            raise forms.ValidationError("Le candidat doit avoir au moins 16 ans.")
        if birth_date < datetime.date(today.year - 80, 1, 1):
            raise forms.ValidationError("Vérifiez la date de naissance : elle semble erronée.")
        return birth_date

    def clean_company_entry_date(self):
        entry = self.cleaned_data.get("company_entry_date")
        if entry and entry > timezone.localdate():
            raise forms.ValidationError("La date d'entrée dans l'entreprise ne peut être future.")
        # birth_date comes first in the form, so it is already cleaned (or absent if invalid).
        birth = self.cleaned_data.get("birth_date")
        if entry and birth and entry < _add_years(birth, MIN_AGE_AT_ENTRY):
            raise forms.ValidationError(
                "La date d'entrée dans l'entreprise doit suivre la date de naissance d'au moins "
                f"{MIN_AGE_AT_ENTRY} ans (le candidat est né le {birth:%d/%m/%Y})."
            )
        return entry

    def clean_birth_name(self):
        return self.cleaned_data["birth_name"].strip()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("born_abroad"):
            return self._clean_abroad(cleaned)
        code = (cleaned.get("birth_place_code") or "").strip().upper()
        if not code and "birth_place_code" not in self.errors:
            self.add_error("birth_place_code", CODE_REQUIRED)
            return cleaned
        if code.startswith("99") and BIRTH_PLACE_CODE.fullmatch(code):
            # A country code typed in the commune's field: accepted if it is in the list.
            if countries.by_code(code) is None:
                self.add_error("birth_place_code", UNKNOWN_COUNTRY.format(code=code))
            return cleaned
        # Malformed codes are refused by the model's validator.
        if not BIRTH_PLACE_CODE.fullmatch(code):
            return cleaned
        commune = communes.resolve(code, cleaned.get("birth_place", ""))
        if commune is None:
            shared = communes.by_postcode(code)
            self.add_error(
                "birth_place_code",
                (
                    f"Le code postal {code} couvre plusieurs communes "
                    f"({', '.join(c.name for c in shared[:6])}) : indiquez le nom exact de la "
                    "commune de naissance ou son code INSEE."
                )
                if shared
                else (
                    f"Le code {code} ne figure pas dans la liste officielle des communes "
                    "(INSEE) : saisissez le code INSEE ou le code postal de la commune de "
                    "naissance."
                ),
            )
            return cleaned
        # Stored as the official INSEE code and name: what the Caisse des Dépôts matches on.
        cleaned["birth_place_code"] = commune.insee_code
        cleaned["birth_place"] = commune.name
        return cleaned

    def _clean_abroad(self, cleaned):
        country = countries.by_code(cleaned.get("birth_country"))
        if country is None:
            if "birth_country" not in self.errors:
                self.add_error("birth_country", COUNTRY_REQUIRED)
            return cleaned
        cleaned["birth_place_code"] = country.insee_code
        # The model's validator ran on what was typed: the country's code replaces it.
        self.errors.pop("birth_place_code", None)
        return cleaned


MIN_AGE_AT_ENTRY = 14


def _add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type de pièce", choices=AttachmentKind.choices, initial=AttachmentKind.DIPLOMA
    )
    label = forms.CharField(
        label="Libellé",
        max_length=200,
        help_text="Par exemple « Baccalauréat professionnel, 2015 ».",
        error_messages=REQUIRED,
    )
    file = forms.FileField(
        label="Fichier (PDF, JPEG ou PNG, 10 Mo au plus)",
        error_messages={
            "required": "Choisissez un fichier.",
            "empty": "Le fichier est vide.",
            "invalid": "Aucun fichier n'a été reçu : réessayez.",
        },
        widget=forms.ClearableFileInput(
            # data-max-bytes: the browser refuses a file too large before sending it.
            attrs={"accept": ".pdf,.jpg,.jpeg,.png", "data-max-bytes": MAX_UPLOAD_SIZE}
        ),
    )


class ProviderChoiceForm(forms.Form):
    provider = forms.ModelChoiceField(
        label="Organisme de formation",
        queryset=TrainingProvider.objects.all(),
        required=False,
        empty_label="— Aucun organisme de formation —",
        help_text="Laissez vide si la formation n'est pas assurée par un organisme.",
    )


class ProviderCreateForm(forms.ModelForm):
    prefix = "nouveau"
    siret = SiretFormField(label="SIRET", required=False)

    class Meta:
        model = TrainingProvider
        fields = ["name", "siret", "nda_number", "city"]
        help_texts = {"nda_number": "11 chiffres, figurant sur les conventions de formation."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = REQUIRED["required"]

    def clean_siret(self):
        siret = self.cleaned_data["siret"]
        if siret and TrainingProvider.objects.filter(siret=siret).exists():
            raise forms.ValidationError(
                "Cet organisme existe déjà : choisissez-le dans la liste ci-dessus."
            )
        return siret


class AssessorForm(forms.Form):
    assessor = forms.ModelChoiceField(
        label="Évaluateur habilité CPNE",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choisissez l'évaluateur habilité.",
            "invalid_choice": "Cet évaluateur n'est pas habilité pour cette certification.",
        },
    )
    confirm = forms.BooleanField(
        label=(
            "Je confirme avoir choisi cet évaluateur en amont (dates d'évaluation et modalités "
            "financières convenues)."
        ),
        error_messages={"required": "Cochez la confirmation pour continuer."},
    )

    def __init__(self, *args, certification, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessor"].queryset = accredited_assessors(certification=certification)
        self.fields["assessor"].label_from_instance = lambda a: (
            f"{a.user.get_full_name()} — {a.organisation} (habilitation {a.accreditation_number})"
        )


class ReasonForm(forms.Form):
    """The reason of a transition that takes one (return, reopen, revoke)."""

    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)

    def __init__(self, *args, label, required, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].error_messages["required"] = required


class FastSelect(forms.Select):
    """A <select> written in Python: Django renders each <option> through a template, which
    costs more than the rest of the list page when the choices are tens (sessions, years)."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        selected = frozenset(str(item) for item in self.format_value(value))
        options = _options(tuple((str(key), str(label)) for key, label in self.choices), selected)
        return mark_safe(f"<select{flatatt(final_attrs)}>{options}</select>")  # noqa: S308


@functools.lru_cache(maxsize=256)
def _options(choices, selected):
    """The <option>s of `choices` ((value, label) strings), escaped; kept by content: the same
    choices and selection (most list pages) are written once per process."""
    return "".join(
        f'<option value="{escape(key)}"{" selected" if key in selected else ""}>'
        f"{escape(label)}</option>"
        for key, label in choices
    )


# The filter selects list small reference tables (certifications, jury sessions) on every list
# page: their choices are kept in the cache until a row of the table changes (signals in
# apps.py), at most CHOICES_TIMEOUT seconds (a per-process cache is not told of other
# processes' changes).
CHOICES_TIMEOUT = 300


def choices_version_key(model):
    return f"choices-version:{model._meta.label_lower}"


def choices_version(model):
    """The version of `model`'s choices: a new one each time a row changes (or after
    CHOICES_TIMEOUT seconds)."""
    return cache.get_or_set(choices_version_key(model), time.time_ns, CHOICES_TIMEOUT)


def choices_changed(sender, **kwargs):
    key = choices_version_key(sender)
    cache.delete(key)
    # Again once the change is committed: a page read meanwhile may have set a new version
    # over the old rows (kept, then, until CHOICES_TIMEOUT, with the cards built on them).
    transaction.on_commit(lambda: cache.delete(key))


_IN_PROCESS = {}


class CachedChoiceIterator(forms.models.ModelChoiceIterator):
    """[(pk, label)] from the cache, else from one plain SELECT (`ModelChoiceIterator` uses
    `.iterator()`, which PostgreSQL serves through a server-side cursor)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        model = self.queryset.model
        version = choices_version(model)
        columns = ",".join(self.field.label_columns)
        key = f"choices:{model._meta.label_lower}:{columns}:{version}"
        # Kept in the process too, under the same versioned key: read from the cache (and
        # unpickled) once per process and version, not on every page.
        choices = _IN_PROCESS.get(key)
        if choices is None:
            choices = cache.get_or_set(key, self.read, CHOICES_TIMEOUT)
            if len(_IN_PROCESS) >= 64:
                _IN_PROCESS.clear()
            _IN_PROCESS[key] = choices
        yield from choices

    def read(self):
        # The label's columns only, as tuples: no model instance for a list of labels.
        field = self.field
        rows = self.queryset.values_list("pk", *field.label_columns)
        return [(pk, field.label_from_values(*values)) for pk, *values in rows]


class CachedModelChoiceField(forms.ModelChoiceField):
    """A select of a small table's rows, labelled from `label_columns` (passed to
    `label_from_values`): one list per model and columns, cached until the table changes."""

    iterator = CachedChoiceIterator
    widget = FastSelect

    def __init__(self, *args, label_columns, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_columns = label_columns

    @staticmethod
    def label_from_values(*values):
        return " ".join(str(value) for value in values)


class DossierFilterForm(forms.Form):
    q = forms.CharField(label="Rechercher", required=False, max_length=100)
    state = forms.ChoiceField(
        label="Statut",
        required=False,
        choices=[("", "Tous les statuts"), *DossierState.choices],
        widget=FastSelect,
    )
    certification = CachedModelChoiceField(
        label="Certification",
        required=False,
        queryset=Certification.objects.all(),
        empty_label="Toutes les certifications",
        label_columns=("label",),
    )
    session = CachedModelChoiceField(
        label="Session du jury",
        required=False,
        queryset=None,
        empty_label="Toutes les sessions",
        label_columns=("date",),
    )
    year = forms.TypedChoiceField(
        label="Année", required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    sort = forms.ChoiceField(
        label="Trier par",
        required=False,
        widget=FastSelect,
        choices=[
            ("-date", "Plus récents"),
            ("date", "Plus anciens"),
            ("numero", "Numéro"),
            ("candidat", "Candidat (A → Z)"),
            ("-candidat", "Candidat (Z → A)"),
            ("statut", "Statut"),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Sessions are referenced by name: the jury app sits above this one.
        self.fields["session"].queryset = apps.get_model("jurys", "JurySession").objects.order_by(
            "-date"
        )
        self.fields["session"].label_from_values = lambda date: f"Jury du {date:%d/%m/%Y}"
        self.this_year = timezone.localdate().year
        self.fields["year"].choices = [("", "Toutes les années")] + [
            (year, str(year)) for year in range(self.this_year, 2016, -1)
        ]

    # On a phone, the filters beyond the search stay open when one of them is set.
    FOLDED = ("state", "certification", "session", "year")

    @property
    def filters_open(self):
        return self.is_bound and any(self.data.get(name) for name in self.FOLDED)

    def rendering_key(self):
        """What the form's markup depends on: its data, its choices (the cached tables'
        versions, the year), or None for a search (its text is the user's own: not kept)."""
        if self.is_bound and self.data.get("q"):
            return None
        data = (
            tuple((name, tuple(self.data.getlist(name))) for name in self.fields)
            if self.is_bound
            else None
        )
        versions = tuple(
            choices_version(field.queryset.model)
            for field in self.fields.values()
            if isinstance(field, CachedModelChoiceField)
        )
        return (data, versions, self.this_year)
