import pgtrigger
from django.conf import settings
from django.contrib import admin
from django.core.validators import RegexValidator
from django.db import models
from django.utils.timezone import localtime
from django_fsm import FSMField, FSMModelMixin
from simple_history.models import HistoricalRecords

from ecertif.accounts.models import phone_validator, postcode_validator
from ecertif.accounts.siret import validate_siret
from ecertif.audit.triggers import NO_UPDATE
from ecertif.files.uploads import generated_name

from .counts import COUNT_TRIGGERS
from .enums import DECIDED_STATES, AttachmentKind, Civility, DiplomaLevel, DossierState, Transition
from .workflow import fsm_transition

birth_place_code_validator = RegexValidator(
    r"^(\d{5}|2[AB]\d{3})$",
    "Saisissez le code postal ou le code INSEE de la commune de naissance (5 caractères).",
    code="invalid_birth_place_code",
)
nda_validator = RegexValidator(
    r"^\d{11}$",
    "Le numéro de déclaration d'activité comporte 11 chiffres.",
    code="invalid_nda",
)


class Candidate(models.Model):
    """The person preparing the certification: only what the process and the CDC report need."""

    establishment = models.ForeignKey(
        "accounts.Establishment",
        on_delete=models.PROTECT,
        related_name="candidates",
        verbose_name="établissement",
    )
    civility = models.CharField("civilité", max_length=3, choices=Civility.choices)
    birth_name = models.CharField("nom de naissance", max_length=150)
    usage_name = models.CharField("nom d'usage", max_length=150, blank=True)
    first_names = models.CharField(
        "prénoms", max_length=200, help_text="Tous les prénoms, dans l'ordre de l'état civil."
    )
    birth_date = models.DateField("date de naissance")
    birth_place = models.CharField("commune de naissance", max_length=150)
    birth_place_code = models.CharField(
        "code postal ou INSEE de la commune de naissance",
        max_length=5,
        validators=[birth_place_code_validator],
        help_text="Né(e) à l'étranger : code INSEE du pays (99xxx).",
    )
    email = models.EmailField("adresse électronique", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True, validators=[phone_validator])
    address = models.CharField("adresse", max_length=255)
    postcode = models.CharField("code postal", max_length=5, validators=[postcode_validator])
    city = models.CharField("commune", max_length=100)
    highest_diploma_level = models.CharField(
        "plus haut niveau de diplôme", max_length=4, choices=DiplomaLevel.choices
    )
    declares_diploma = models.BooleanField(
        "le candidat est titulaire d'un diplôme",
        default=False,
        help_text="Si oui, une copie du diplôme est à joindre au dossier.",
    )
    position_held = models.CharField("poste occupé", max_length=200)
    company_entry_date = models.DateField("date d'entrée dans l'entreprise", null=True, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    # Set by the RGPD anonymisation, which runs once per candidate.
    anonymised_at = models.DateTimeField("anonymisé le", null=True, blank=True, editable=False)

    # Field-level history (old → new, who, when), shown in the admin.
    history = HistoricalRecords()

    class Meta:
        verbose_name = "candidat"
        verbose_name_plural = "candidats"
        ordering = ["birth_name", "first_names"]
        # The admin's list, in this order, reads the first page without sorting the table.
        indexes = [models.Index(fields=["birth_name", "first_names"], name="candidate_name_idx")]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return full_name(self.birth_name, self.usage_name, self.first_names)


def full_name(birth_name, usage_name, first_names):
    """« NOM Prénoms », the usage name first: the candidate's name everywhere it is shown."""
    name = usage_name or birth_name
    return f"{name.upper()} {first_names}".strip()


class TrainingProvider(models.Model):
    name = models.CharField("raison sociale", max_length=200)
    siret = models.CharField(
        "SIRET", max_length=14, blank=True, validators=[validate_siret], db_index=True
    )
    nda_number = models.CharField(
        "numéro de déclaration d'activité", max_length=11, blank=True, validators=[nda_validator]
    )
    city = models.CharField("commune", max_length=100)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "organisme de formation"
        verbose_name_plural = "organismes de formation"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["siret"], condition=~models.Q(siret=""), name="unique_provider_siret"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.city})"


class DossierNumberSequence(models.Model):
    """One counter per year: numbers are allocated under a row lock."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "compteur de numéros de dossier"
        verbose_name_plural = "compteurs de numéros de dossier"

    def __str__(self):
        return f"{self.year} : {self.last_value}"


class StateFlags:
    """What a dossier's `state` says: for the model and for a list row (dossiers.rows)."""

    __slots__ = ()

    @property
    def is_decided(self):
        return self.state in DECIDED_STATES

    @property
    def is_awaiting_jury(self):
        return self.state == DossierState.AWAITING_JURY


class Dossier(StateFlags, FSMModelMixin, models.Model):
    number = models.CharField("numéro", max_length=20, unique=True, editable=False)
    establishment = models.ForeignKey(
        "accounts.Establishment",
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name="établissement",
    )
    candidate = models.ForeignKey(
        Candidate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name="candidat",
    )
    certification = models.ForeignKey(
        "referentiel.Certification",
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name="certification",
    )
    option = models.ForeignKey(
        "referentiel.CertificationOption",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="option",
    )
    training_scheme = models.ForeignKey(
        "referentiel.TrainingScheme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="dispositif de formation",
    )
    provider = models.ForeignKey(
        TrainingProvider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name="organisme de formation",
    )
    assessor = models.ForeignKey(
        "evaluations.Assessor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name="évaluateur habilité",
    )
    assessor_confirmed_at = models.DateTimeField(
        "choix de l'évaluateur confirmé le", null=True, blank=True
    )
    state = FSMField(
        "statut",
        default=DossierState.REGISTERING,
        choices=DossierState.choices,
        protected=True,
        db_index=True,
    )
    origin = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name="dossier d'origine",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="créé par",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    # The creation form's token: the same form sent twice creates one dossier (unique).
    creation_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    submitted_at = models.DateTimeField("soumis le", null=True, blank=True)

    # Field-level history (old → new, who, when), shown in the admin.
    history = HistoricalRecords()

    class Meta:
        verbose_name = "dossier candidat"
        verbose_name_plural = "dossiers candidats"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["establishment", "state", "-created_at"]),
            models.Index(fields=["assessor", "state"]),
            # The lists' default order (newest first), and by state.
            models.Index(fields=["-created_at", "-id"], name="dossier_recent_idx"),
            models.Index(fields=["state", "-created_at", "-id"], name="dossier_state_recent_idx"),
        ]
        # The number of dossiers per state, kept by the database itself (see counts.py).
        triggers = COUNT_TRIGGERS

    def __str__(self):
        return self.number

    @property
    def state_enum(self):
        return DossierState(self.state)

    # The transitions: source, target, conditions and permission come from the table in
    # workflow.py; the methods only stamp fields. Call them through workflow.transition().

    @fsm_transition(state, Transition.SUBMIT)
    def submit(self, *, at):
        self.submitted_at = at

    @fsm_transition(state, Transition.RETURN_FOR_COMPLETION)
    def return_for_completion(self):
        self.assessor_confirmed_at = None

    @fsm_transition(state, Transition.COMPLETE_ASSESSMENT)
    def complete_assessment(self):
        """Stamps nothing on the dossier: the service closes the assessment itself."""

    @fsm_transition(state, Transition.REOPEN_ASSESSMENT)
    def reopen_assessment(self):
        """The secretariat sends the dossier back to its assessor (with a reason)."""

    @fsm_transition(state, Transition.DECIDE)
    def decide(self, *, outcome):
        return outcome

    @fsm_transition(state, Transition.REVOKE_DECISION)
    def revoke_decision(self):
        """The previous decision stays in the history; the service marks it revoked."""


class Attachment(models.Model):
    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="attachments", verbose_name="dossier"
    )
    kind = models.CharField("type de pièce", max_length=10, choices=AttachmentKind.choices)
    label = models.CharField("libellé", max_length=200)
    file = models.FileField("fichier", upload_to=generated_name, max_length=200)
    original_name = models.CharField("nom d'origine", max_length=200)
    content_type = models.CharField("type de contenu", max_length=50)
    size = models.PositiveIntegerField("taille (octets)")
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="déposé par",
    )
    uploaded_at = models.DateTimeField("déposé le", auto_now_add=True)

    class Meta:
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"
        ordering = ["uploaded_at"]

    def __str__(self):
        return f"{self.label} ({self.original_name})"


class DossierTransition(models.Model):
    """Append-only history: one row per state change, never updated or deleted by the app."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="transitions", verbose_name="dossier"
    )
    source = models.CharField("statut de départ", max_length=30, blank=True)
    target = models.CharField("nouveau statut", max_length=30, choices=DossierState.choices)
    transition = models.CharField("action", max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name="par",
    )
    at = models.DateTimeField("le", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "historique du dossier"
        verbose_name_plural = "historique des dossiers"
        ordering = ["at", "pk"]
        # Append-only in the database too (see ecertif/audit/triggers.py). Deleting a draft
        # (state « registering ») cascades to its history: the rows may go only while their
        # dossier is a draft AND, checked at commit, only if the dossier itself is gone.
        triggers = [
            NO_UPDATE,
            pgtrigger.Trigger(
                name="delete_only_draft",
                when=pgtrigger.Before,
                operation=pgtrigger.Delete,
                func=(
                    "IF EXISTS (SELECT 1 FROM dossiers_dossier d"
                    " WHERE d.id = OLD.dossier_id AND d.state <> 'registering')"
                    " THEN RAISE EXCEPTION 'pgtrigger: Cannot delete rows from % table',"
                    " TG_TABLE_NAME; END IF; RETURN OLD;"
                ),
            ),
            pgtrigger.Trigger(
                name="delete_only_with_dossier",
                when=pgtrigger.After,
                operation=pgtrigger.Delete,
                timing=pgtrigger.Deferred,
                func=(
                    "IF EXISTS (SELECT 1 FROM dossiers_dossier d WHERE d.id = OLD.dossier_id)"
                    " THEN RAISE EXCEPTION 'pgtrigger: history of an existing dossier';"
                    " END IF; RETURN NULL;"
                ),
            ),
        ]

    _new_reason = ""

    def __str__(self):
        return f"{self.dossier} : {self.transition_label} ({localtime(self.at):%d/%m/%Y %H:%M})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("L'historique d'un dossier ne se modifie pas.")
        super().save(*args, **kwargs)
        if self._new_reason:
            TransitionReason.objects.create(transition=self, text=self._new_reason)

    @property
    @admin.display(description="motif")
    def reason(self):
        """The free text lives beside the row: the RGPD erasure clears it, not the history."""
        try:
            return self.reason_row.text
        except TransitionReason.DoesNotExist:
            return self._new_reason

    @reason.setter
    def reason(self, value):
        self._new_reason = value or ""

    @property
    @admin.display(description="statut de départ")
    def source_label(self):
        return DossierState(self.source).label if self.source else ""

    @property
    @admin.display(description="nouveau statut")
    def target_label(self):
        return DossierState(self.target).label

    @property
    @admin.display(description="action")
    def transition_label(self):
        try:
            return Transition(self.transition).label
        except ValueError:
            return self.transition


class TransitionReason(models.Model):
    """A transition's free-text reason: it may name people, so it is kept out of the
    append-only history and erased by the anonymisation."""

    transition = models.OneToOneField(
        DossierTransition,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="reason_row",
        verbose_name="étape",
    )
    text = models.TextField("motif")

    class Meta:
        verbose_name = "motif d'une étape"
        verbose_name_plural = "motifs des étapes"

    def __str__(self):
        return self.text[:80]


class StateCount(models.Model):
    """Signed numbers of dossiers per state, appended by the database's triggers (counts.py)."""

    state = models.CharField("statut", max_length=30, choices=DossierState.choices)
    delta = models.BigIntegerField("variation")

    class Meta:
        verbose_name = "compteur de dossiers"
        verbose_name_plural = "compteurs de dossiers"
        default_permissions = ()

    def __str__(self):
        return f"{self.state} {self.delta:+d}"
