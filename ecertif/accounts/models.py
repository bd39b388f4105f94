from allauth.mfa.models import Authenticator
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

from . import geography
from .enums import AccountRequestStatus
from .siret import normalize_siret, validate_siret

postcode_validator = RegexValidator(
    r"^\d{5}$", "Le code postal doit comporter 5 chiffres.", code="invalid_postcode"
)
phone_validator = RegexValidator(
    r"^\+?[0-9 .-]{10,20}$",
    "Saisissez un numéro de téléphone valide (10 chiffres, par exemple 01 23 45 67 89).",
    code="invalid_phone",
)
idcc_validator = RegexValidator(
    r"^\d{1,4}$", "L'IDCC comporte au plus 4 chiffres.", code="invalid_idcc"
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("L'adresse électronique est obligatoire.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("adresse électronique", unique=True)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True, validators=[phone_validator])
    is_staff = models.BooleanField(
        "accès à l'administration",
        default=False,
        help_text="Les membres du secrétariat ont accès à l'administration.",
    )
    is_active = models.BooleanField("actif", default=True)
    date_joined = models.DateTimeField("date de création", default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    # Field-level history (old → new, who, when), shown in the admin.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        ordering = ["last_name", "first_name", "email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()


class Establishment(models.Model):
    siret = models.CharField("SIRET", max_length=14, unique=True, validators=[validate_siret])
    name = models.CharField("raison sociale", max_length=200)
    address = models.CharField("adresse", max_length=255)
    postcode = models.CharField("code postal", max_length=5, validators=[postcode_validator])
    city = models.CharField("commune", max_length=100)
    department = models.CharField(
        "département", max_length=3, choices=geography.DEPARTMENT_CHOICES, editable=False
    )
    region = models.CharField(
        "région", max_length=2, choices=geography.REGION_CHOICES, editable=False, db_index=True
    )
    idcc = models.CharField(
        "IDCC (convention collective)", max_length=4, blank=True, validators=[idcc_validator]
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    # Field-level history (old → new, who, when), shown in the admin.
    history = HistoricalRecords()

    class Meta:
        verbose_name = "établissement"
        verbose_name_plural = "établissements"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.siret})"

    def save(self, *args, **kwargs):
        self.siret = normalize_siret(self.siret)
        self.department = geography.department_for_postcode(self.postcode) or ""
        self.region = geography.region_for_department(self.department) or ""
        super().save(*args, **kwargs)


class EmployerMembership(models.Model):
    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="membership", verbose_name="utilisateur"
    )
    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name="établissement",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "compte employeur"
        verbose_name_plural = "comptes employeurs"

    def __str__(self):
        return f"{self.user} — {self.establishment.name}"


class AccountRequest(models.Model):
    siret = models.CharField("SIRET", max_length=14, validators=[validate_siret])
    company_name = models.CharField("raison sociale", max_length=200)
    address = models.CharField("adresse", max_length=255)
    postcode = models.CharField("code postal", max_length=5, validators=[postcode_validator])
    city = models.CharField("commune", max_length=100)
    contact_first_name = models.CharField("prénom du contact", max_length=150)
    contact_last_name = models.CharField("nom du contact", max_length=150)
    contact_email = models.EmailField("adresse électronique du contact")
    contact_phone = models.CharField(
        "téléphone du contact", max_length=20, validators=[phone_validator]
    )
    message = models.TextField("message", blank=True, max_length=2000)
    status = models.CharField(
        "statut",
        max_length=10,
        choices=AccountRequestStatus.choices,
        default=AccountRequestStatus.PENDING,
        db_index=True,
    )
    created_at = models.DateTimeField("reçue le", auto_now_add=True)
    decided_at = models.DateTimeField("traitée le", null=True, blank=True)
    decided_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="traitée par",
    )
    refusal_reason = models.TextField("motif du refus", blank=True)
    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="établissement créé",
    )

    class Meta:
        verbose_name = "demande de création de compte"
        verbose_name_plural = "demandes de création de compte"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["siret"],
                condition=models.Q(status="pending"),
                name="one_pending_request_per_siret",
            )
        ]

    def __str__(self):
        return f"{self.company_name} ({self.siret})"

    @property
    def contact_name(self):
        return f"{self.contact_first_name} {self.contact_last_name}".strip()


class MFAMethod(Authenticator):
    """allauth's authenticators, named in French in the admin (the library's model stays as is):
    the secretariat removes a lost one so that its owner can set up a new one."""

    class Meta:
        proxy = True
        verbose_name = "méthode de double authentification"
        verbose_name_plural = "méthodes de double authentification"
