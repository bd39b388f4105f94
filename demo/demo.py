"""Demo data (SPEC §12): idempotent, every account shares the documented demo password."""

import contextlib
import datetime
import io

import pgtrigger
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import CommandError
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from pypdf import PdfWriter

from dossiers import services as dossier_services
from dossiers.enums import Civility, DiplomaLevel, Transition
from dossiers.models import Candidate, Dossier, DossierTransition, TrainingProvider
from ecertif.accounts.groups import ensure_secretariat_group
from ecertif.accounts.models import EmployerMembership, Establishment
from ecertif.mail.enums import EmailStatus
from ecertif.mail.models import OutboxEmail
from evaluations import services as evaluation_services
from evaluations.enums import ResultChoice
from evaluations.models import Accreditation, Assessment, Assessor
from jurys import services as jury_services
from jurys.enums import College, SessionStatus
from jurys.models import JuryMember, JurySession, SessionRegistration
from referentiel.models import Certification, TrainingScheme

DEMO_PASSWORD = "demo-ecertif-2026"

ESTABLISHMENTS = [
    {
        "siret": "73282932000074",
        "name": "Chimie du Rhône SAS",
        "address": "12 quai Perrache",
        "postcode": "69002",
        "city": "Lyon",
        "idcc": "44",
    },
    {
        "siret": "55208131766522",
        "name": "Normandie Polymères",
        "address": "5 route du Port",
        "postcode": "76600",
        "city": "Le Havre",
        "idcc": "44",
    },
]

ACCOUNTS = {
    "secretariat": ("secretariat@demo.ecertif.fr", "Sophie", "Martin"),
    "employer": ("employeur@demo.ecertif.fr", "Émilie", "Durand"),
    "employer2": ("employeur2@demo.ecertif.fr", "Karim", "Benali"),
    "assessor": ("evaluateur@demo.ecertif.fr", "Jean", "Lefèvre"),
    "assessor2": ("evaluateur2@demo.ecertif.fr", "Claire", "Moreau"),
    "jury": ("jury@demo.ecertif.fr", "Bernard", "Petit"),
    "jury2": ("jury2@demo.ecertif.fr", "Nadia", "Roux"),
}

# Each assessor is accredited for a different set of certifications (by code).
ASSESSOR_SCOPES = {
    "assessor": ("CPNE-2024-001", "Cabinet Évaluation Chimie", 0, 8),
    "assessor2": ("CPNE-2024-002", "Compétences Industrie Conseil", 8, 16),
}
# What the « Annuaire des évaluateurs habilités » publishes (professional data only).
ASSESSOR_DIRECTORY = {
    "assessor": {
        "professional_email": "contact@evaluation-chimie.example",
        "professional_phone": "04 72 00 00 01",
        "departments": "69 01 38 42",
    },
    "assessor2": {
        "professional_email": "evaluations@competences-industrie.example",
        "professional_phone": "01 40 00 00 02",
        "departments": "75 92 93 94 13",
    },
}


def _user(key, **extra):
    email, first_name, last_name = ACCOUNTS[key]
    user, created = get_user_model().objects.get_or_create(
        email=email, defaults={"first_name": first_name, "last_name": last_name, **extra}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


ALLOW_PRODUCTION_HELP = (
    "Autorise la commande sans DEBUG. DANGER : crée des comptes dont le mot de passe est public "
    "(dont un superutilisateur). Jamais sur un site réel."
)


def ensure_demo_allowed(*, command, allow_production):
    """Demo accounts share a published password: never on a production site by accident."""
    if settings.DEBUG or allow_production:
        return
    raise CommandError(
        f"{command} refuse de s'exécuter sans DEBUG : ses comptes de démonstration ont un mot de "
        "passe public (dont un superutilisateur). Sur un site réel, créez le premier compte du "
        "secrétariat avec « manage.py createsuperuser ». Pour une copie de test seulement : "
        "--allow-production."
    )


@contextlib.contextmanager
def demo_emails_never_sent():
    """The outbox rows the demo creates are marked « non envoyé » before they can be sent."""
    email_ids = []

    def collect(sender, instance, created, **kwargs):
        if created:
            email_ids.append(instance.pk)

    post_save.connect(collect, sender=OutboxEmail, weak=False, dispatch_uid="demo_emails")
    try:
        yield
    finally:
        post_save.disconnect(sender=OutboxEmail, dispatch_uid="demo_emails")
    # Same transaction as the seed: the tasks queued on commit find nothing pending.
    OutboxEmail.objects.filter(pk__in=email_ids).update(
        status=EmailStatus.SUPPRESSED, last_error="Données de démonstration : jamais envoyé."
    )


@transaction.atomic
def seed_demo(*, today=None):
    with demo_emails_never_sent():
        return _seed_demo(today=today)


def _seed_demo(*, today):
    today = today or datetime.date.today()
    users = {"secretariat": _user("secretariat", is_staff=True, is_superuser=True)}
    users["secretariat"].groups.add(ensure_secretariat_group())
    for index, key in enumerate(["employer", "employer2"]):
        data = ESTABLISHMENTS[index]
        establishment, _ = Establishment.objects.get_or_create(
            siret=data["siret"], defaults={k: v for k, v in data.items() if k != "siret"}
        )
        users[key] = _user(key)
        EmployerMembership.objects.get_or_create(
            user=users[key], defaults={"establishment": establishment}
        )
    certifications = list(Certification.objects.order_by("position", "pk"))
    for key, (number, organisation, start, end) in ASSESSOR_SCOPES.items():
        users[key] = _user(key)
        assessor, _ = Assessor.objects.get_or_create(
            user=users[key],
            defaults={
                "accreditation_number": number,
                "organisation": organisation,
                **ASSESSOR_DIRECTORY[key],
            },
        )
        if not assessor.accreditations.exists():
            accreditation = Accreditation.objects.create(
                assessor=assessor,
                valid_from=today.replace(year=today.year - 1),
                valid_until=today.replace(year=today.year + 2),
            )
            accreditation.certifications.set(certifications[start:end])
    for key, college, organisation in [
        ("jury", College.EMPLOYERS, "France Chimie"),
        ("jury2", College.EMPLOYEES, "FCE-CFDT"),
    ]:
        users[key] = _user(key)
        JuryMember.objects.get_or_create(
            user=users[key],
            # Nadia Roux is « vice-présidente » (titles agree, issue #12).
            defaults={"college": college, "organisation": organisation, "feminine": key == "jury2"},
        )
    fresh = not Dossier.objects.exists()
    _seed_dossiers(users, certifications)
    _seed_jury(users, certifications, today)
    if fresh:
        _spread_history()
    _demo_register_numbers()
    return users


# Fictitious France compétences numbers (the real ones are not known to us), given only to
# the certifications the demo awarded, so that its Caisse des Dépôts file can be produced.
DEMO_REGISTER_NUMBER_BASE = 99000


def _demo_register_numbers():
    awarded = Certification.objects.filter(
        register_number="",
        dossiers__decisions__outcome="validated",
        dossiers__decisions__revoked_at__isnull=True,
    ).distinct()
    for certification in awarded:
        certification.register_number = str(DEMO_REGISTER_NUMBER_BASE + certification.pk)
        certification.save(update_fields=["register_number"])


# Days spent before each step, so the demo's « durée passée dans chaque statut » means something.
STEP_GAPS = {
    Transition.SUBMIT: 12,
    Transition.COMPLETE_ASSESSMENT: 26,
    Transition.DECIDE: 34,
}


def _spread_history():
    """Demo data is created in one go: move each dossier's history back in time, keeping order,
    every date in the past. A decided dossier ends on its jury's day, registered before the
    session's deadline; the assessor's confirmation precedes the submission and the assessment's
    dates precede its closing."""
    now = timezone.now()
    for dossier in Dossier.objects.prefetch_related("transitions"):
        rows = sorted(dossier.transitions.all(), key=lambda t: (t.at, t.pk))
        decided = (
            SessionRegistration.objects.filter(dossier=dossier, session__date__lt=now.date())
            .select_related("session")
            .first()
            if any(row.transition == Transition.DECIDE for row in rows)
            else None
        )
        if decided is not None:
            end = _at(decided.session.date, 14)
        else:
            end = now - datetime.timedelta(days=5 + dossier.pk % 7)
        dates, at = {}, end
        for row in reversed(rows):
            dates[row.pk] = at
            at -= datetime.timedelta(days=STEP_GAPS.get(row.transition, 3) + dossier.pk % 5)
        # Demo only: the history is append-only in the database (ecertif/audit/triggers.py).
        with pgtrigger.ignore("dossiers.DossierTransition:append_only_update"):
            for row in rows:
                DossierTransition.objects.filter(pk=row.pk).update(at=dates[row.pk])
        by_step = {row.transition: dates[row.pk] for row in rows}
        created = dates[rows[0].pk] if rows else end
        changes = {"created_at": created}
        if dossier.assessor_confirmed_at:
            confirmed = by_step.get(Transition.SUBMIT, created + datetime.timedelta(days=1))
            changes["assessor_confirmed_at"] = min(confirmed - datetime.timedelta(hours=3), now)
        if Transition.SUBMIT in by_step:
            changes["submitted_at"] = by_step[Transition.SUBMIT]
        Dossier.objects.filter(pk=dossier.pk).update(**changes)
        closed = by_step.get(Transition.COMPLETE_ASSESSMENT)
        if closed is not None:
            Assessment.objects.filter(dossier=dossier).update(
                first_date=closed.date() - datetime.timedelta(days=3),
                last_date=closed.date() - datetime.timedelta(days=2),
                completed_at=closed,
            )
        if decided is not None:
            SessionRegistration.objects.filter(pk=decided.pk).update(
                registered_at=_at(decided.session.registration_deadline, 10)
                - datetime.timedelta(days=1),
                ended_at=end,
            )


def _at(day, hour):
    """`day` at `hour` o'clock, in the project's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


# establishment index, civility, birth name, first names, birth date, place, code, position
CANDIDATES = [
    (
        0,
        Civility.MADAME,
        "Lambert",
        "Chloé Marie",
        (1994, 3, 14),
        "Villeurbanne",
        "69100",
        "Opératrice",
    ),
    (0, Civility.MONSIEUR, "Nguyen", "Thomas", (1989, 11, 2), "Lyon", "69003", "Conducteur"),
    (0, Civility.MADAME, "Roussel", "Léa", (1996, 8, 30), "Vénissieux", "69200", "Opératrice"),
    (0, Civility.MONSIEUR, "Da Silva", "Rafael", (1985, 5, 17), "Lyon", "69007", "Opérateur"),
    (1, Civility.MONSIEUR, "Girard", "Hugo", (1997, 6, 21), "Le Havre", "76600", "Technicien"),
    (1, Civility.MADAME, "Fontaine", "Inès", (1991, 1, 9), "Rouen", "76000", "Agent logistique"),
    (1, Civility.MONSIEUR, "Lefebvre", "Antoine", (1993, 12, 3), "Fécamp", "76400", "Technicien"),
    (1, Civility.MADAME, "Marchand", "Sarah", (1990, 2, 25), "Dieppe", "76200", "Cariste"),
    (0, Civility.MONSIEUR, "Bertrand", "Lucas", (1992, 4, 8), "Lyon", "69008", "Opérateur"),
    (0, Civility.MADAME, "Morel", "Manon", (1998, 10, 12), "Bron", "69500", "Opératrice"),
    (1, Civility.MONSIEUR, "Caron", "Julien", (1987, 7, 19), "Le Havre", "76610", "Technicien"),
]


def _candidate(establishment, spec):
    _index, civility, birth_name, first_names, born, place, code, position = spec
    candidate, _ = Candidate.objects.get_or_create(
        establishment=establishment,
        birth_name=birth_name,
        first_names=first_names,
        defaults={
            "civility": civility,
            "birth_date": datetime.date(*born),
            "birth_place": place,
            "birth_place_code": code,
            "address": "10 rue de la République",
            "postcode": establishment.postcode,
            "city": establishment.city,
            "highest_diploma_level": DiplomaLevel.LEVEL_4,
            "position_held": position,
            "company_entry_date": datetime.date(2021, 9, 1),
        },
    )
    return candidate


def _seed_dossiers(users, certifications):
    """Per employer: one dossier being registered, one submitted to its assessor."""
    if not certifications or Dossier.objects.exists():
        return
    scheme = TrainingScheme.objects.order_by("position").first()
    provider, _ = TrainingProvider.objects.get_or_create(
        name="Institut des Métiers de la Chimie", defaults={"city": "Lyon"}
    )
    plans = [
        ("employer", "assessor", certifications[0]),
        ("employer2", "assessor2", certifications[10]),
    ]
    for index, (employer_key, assessor_key, certification) in enumerate(plans):
        employer = users[employer_key]
        establishment = employer.membership.establishment
        assessor = users[assessor_key].assessor_profile
        specs = [spec for spec in CANDIDATES if spec[0] == index]
        # A dossier still being registered: the assessor is not confirmed yet.
        draft = dossier_services.dossier_create(
            establishment=establishment, certification=certification, by=employer
        )
        dossier_services.dossier_update(dossier=draft, by=employer, training_scheme=scheme)
        draft.candidate = _candidate(establishment, specs[0])
        draft.save(update_fields=["candidate"])
        # A complete dossier, submitted: it waits for its assessment.
        submitted = dossier_services.dossier_create(
            establishment=establishment, certification=certification, by=employer
        )
        dossier_services.dossier_update(
            dossier=submitted, by=employer, training_scheme=scheme, provider=provider
        )
        submitted.candidate = _candidate(establishment, specs[1])
        submitted.save(update_fields=["candidate"])
        dossier_services.assessor_confirm(dossier=submitted, by=employer, assessor=assessor)
        dossier_services.dossier_submit(dossier=submitted, by=employer)
        # An assessment in progress, and one closed: the dossier waits for a jury.
        in_progress = _submitted(establishment, employer, assessor, certification, specs[2], scheme)
        _assess(in_progress, complete=False)
        evaluated = _submitted(establishment, employer, assessor, certification, specs[3], scheme)
        _assess(evaluated, complete=True)


def _submitted(establishment, employer, assessor, certification, spec, scheme):
    dossier = dossier_services.dossier_create(
        establishment=establishment, certification=certification, by=employer
    )
    dossier_services.dossier_update(dossier=dossier, by=employer, training_scheme=scheme)
    dossier.candidate = _candidate(establishment, spec)
    dossier.save(update_fields=["candidate"])
    dossier_services.assessor_confirm(dossier=dossier, by=employer, assessor=assessor)
    return dossier_services.dossier_submit(dossier=dossier, by=employer)


def _demo_pdf():
    buffer = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(buffer)
    return ContentFile(buffer.getvalue(), name="outil-4-scanne.pdf")


def _assess(dossier, *, complete):
    """Invitation sent; some results (in progress) or everything and closed."""
    assessment = dossier.assessment
    user = assessment.assessor.user
    invitation, _token = evaluation_services.invitation_create(
        assessment=assessment,
        by=user,
        name="Marc Dubois",
        email="marc.dubois@exemple.fr",
        function="Chef d'équipe fabrication",
    )
    rows = list(assessment.results.select_related("competence"))
    if complete:
        evaluation_services.workplace_observations_save(
            invitation=invitation,
            observations={r.pk: "Travail soigné, consignes de sécurité respectées." for r in rows},
            general_observation="Candidat impliqué et autonome.",
            send=True,
        )
    chosen = rows if complete else rows[:2]
    evaluation_services.results_save(
        assessment=assessment,
        by=user,
        results={
            r.pk: (
                ResultChoice.NOT_ACQUIRED
                if complete and i == len(rows) - 1
                else ResultChoice.ACQUIRED,
                "Compétence observée en situation de travail.",
            )
            for i, r in enumerate(chosen)
        },
    )
    if not complete:
        return
    evaluation_services.assessment_update(
        assessment=assessment,
        by=user,
        candidate_observations="Le candidat souhaite progresser en maintenance de premier niveau.",
        first_date=datetime.date.today() - datetime.timedelta(days=10),
        last_date=datetime.date.today() - datetime.timedelta(days=9),
    )
    evaluation_services.guide_upload(assessment=assessment, by=user, uploaded_file=_demo_pdf())
    evaluation_services.assessment_complete(dossier=dossier, by=user)


def _seed_jury(users, certifications, today):
    """A past session with decisions, a session held today, an open one ahead (SPEC §12)."""
    if not certifications or JurySession.objects.exists():
        return
    president = users["jury"].jury_member
    vice_president = users["jury2"].jury_member
    secretariat = users["secretariat"]

    def session(days, deadline_days, place):
        created = JurySession.objects.create(
            date=today + datetime.timedelta(days=days),
            registration_deadline=today + datetime.timedelta(days=deadline_days),
            place=place,
            president=president,
            vice_president=vice_president,
        )
        created.members.set([president, vice_president])
        return jury_services.session_open(session=created, by=secretariat)

    past = session(-14, -21, "France Chimie, Paris")
    # Held today and still taking registrations: the employers' evaluated dossiers can join it.
    session(0, 0, "Observatoire des Industries Chimiques, Puteaux")
    session(45, 30, "France Chimie, Paris")

    # Three dossiers decided at the past session: validé, partiel, non validé.
    scheme = TrainingScheme.objects.order_by("position").first()
    plans = [
        ("employer", "assessor", certifications[0], CANDIDATES[8], "all"),
        ("employer", "assessor", certifications[0], CANDIDATES[9], "some"),
        ("employer2", "assessor2", certifications[10], CANDIDATES[10], "none"),
    ]
    for employer_key, assessor_key, certification, spec, verdict in plans:
        employer = users[employer_key]
        establishment = employer.membership.establishment
        assessor = users[assessor_key].assessor_profile
        dossier = _submitted(establishment, employer, assessor, certification, spec, scheme)
        _assess(dossier, complete=True)
        SessionRegistration.objects.create(session=past, dossier=dossier, registered_by=employer)
        competences = list(certification.competences.order_by("number"))
        flags = {
            "all": [True] * len(competences),
            "some": [i < len(competences) - 2 for i in range(len(competences))],
            "none": [False] * len(competences),
        }[verdict]
        jury_services.decide(
            dossier=dossier,
            by=users["jury"],
            competences={
                c.pk: (
                    flag,
                    "Acquise au vu des observations de l'évaluateur métier."
                    if flag
                    else "Compétence non démontrée lors de l'évaluation.",
                )
                for c, flag in zip(competences, flags, strict=True)
            },
            motivation="Décision prise à l'unanimité.",
        )
    past.status = SessionStatus.CLOSED
    past.save(update_fields=["status"])
