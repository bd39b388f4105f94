"""A small, hand-counted dataset: every statistic has a known answer (see `dataset`)."""

import datetime
import itertools
import zoneinfo
from types import SimpleNamespace

import pgtrigger
import pytest
from django.utils import timezone

from dossiers.enums import DossierState, Transition
from dossiers.models import Dossier, DossierTransition
from evaluations.models import Assessment, WorkplaceAssessorInvitation
from jurys.enums import Outcome, SessionStatus
from jurys.models import JuryDecision, JurySession, SessionRegistration
from tests.factories.accounts import EstablishmentFactory, MembershipFactory, UserFactory
from tests.factories.dossiers import DossierFactory
from tests.factories.evaluations import AccreditationFactory, AssessorFactory
from tests.factories.jurys import JuryMemberFactory
from tests.factories.referentiel import CertificationFactory, SectorFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
_sirets = itertools.count(1)


def siret():
    """A fresh SIRET with a valid Luhn key (the factory cycles through six only)."""
    body = f"9{next(_sirets):012d}"
    for key in range(10):
        digits = body + str(key)
        total = 0
        for position, char in enumerate(reversed(digits)):
            digit = int(char) * (2 if position % 2 else 1)
            total += digit - 9 if digit > 9 else digit
        if total % 10 == 0:
            return digits
    raise AssertionError("unreachable")


def establishment(postcode, name):
    return EstablishmentFactory(siret=siret(), postcode=postcode, name=name)


def paris_time(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


def set_created(dossier, when):
    Dossier.objects.filter(pk=dossier.pk).update(created_at=when)


def history(dossier, *steps):
    """Write the dossier's history: steps are (target, at); the first enters registering."""
    source = ""
    for target, at in steps:
        row = DossierTransition.objects.create(
            dossier=dossier, source=source, target=target, transition=Transition.SUBMIT
        )
        # `at` is auto_now_add: set it afterwards; the history is append-only in PostgreSQL too,
        # so this test data names the trigger it bypasses.
        with pgtrigger.ignore("dossiers.DossierTransition:append_only_update"):
            DossierTransition.objects.filter(pk=row.pk).update(at=at)
        source = target


def decision(dossier, session, outcome, recorder, revoked=False):
    return JuryDecision.objects.create(
        dossier=dossier,
        session=session,
        outcome=outcome,
        recorded_by=recorder,
        revoked_at=timezone.now() if revoked else None,
    )


def session(day, place, status, **kwargs):
    return JurySession.objects.create(
        date=day,
        registration_deadline=day - datetime.timedelta(days=14),
        place=place,
        status=status,
        **kwargs,
    )


def invitation(assessment, by, expires_at, **kwargs):
    invitation = WorkplaceAssessorInvitation.objects.create(
        assessment=assessment,
        name="Paul Tuteur",
        email="paul.tuteur@exemple.fr",
        function="Chef d'équipe",
        token_hash=f"{WorkplaceAssessorInvitation.objects.count():064d}",
        created_by=by,
        sent_at=timezone.now() - datetime.timedelta(days=70),
        expires_at=expires_at,
        **kwargs,
    )
    return invitation


@pytest.fixture
def dataset(db):
    """Eight dossiers, three sectors, three regions, four sessions. The expected figures:

    | dossier | establishment (region)   | certification | state               | created    |
    |---------|--------------------------|---------------|---------------------|------------|
    | d1      | Lyon (Auvergne-R.-A.)    | c1            | registering         | 2024-03-10 |
    | d2      | Lyon                     | c1            | awaiting_assessment | 2024-05-02 |
    | d3      | Lyon                     | c2            | awaiting_jury       | 2025-01-01*|
    | d4      | Paris (Île-de-France)    | c1            | validated           | 2024-02-01 |
    | d5      | Paris                    | c3            | partially_validated | 2025-02-20 |
    | d6      | Paris                    | c1            | not_validated       | 2025-03-01 |
    | d7      | Lille (Hauts-de-France)  | c3            | validated           | 2022-06-01 |
    | d8      | Lille                    | c2            | awaiting_jury       | 2025-04-01 |

    * 00:30 in Paris, still 2024 in UTC. c1, c2 in sector « Chimie » (positions 1, 2), c3 in
    « Pharmacie »; « Plasturgie » and the inactive c4 have none. Decisions: s2024 (closed)
    d4 validated, d8 validated then revoked; s2025 (held) d5 partial, d6 not validated,
    d7 validated; s_open: d3 registered (d8 not); s_empty: nothing. Stays (days): registering
    d2 10, d3 4, d4 21, d8 7 (d1 open); awaiting assessment d3 30, d4 15, d8 21 (d2 open);
    awaiting jury d4 45, d8 10 (d3 and d8's second stay open). d2 has an assessment with one
    pending, one expired and one revoked invitation. The jury member sits in s2025.
    """
    chimie = SectorFactory(code="chimie", name="Chimie", position=1)
    pharmacie = SectorFactory(code="pharmacie", name="Pharmacie", position=2)
    SectorFactory(code="plasturgie", name="Plasturgie", position=3)
    c1 = CertificationFactory(label="Opérateur de fabrication", sector=chimie, position=1)
    c2 = CertificationFactory(label="Conducteur d'équipements", sector=chimie, position=2)
    c3 = CertificationFactory(label="Technicien pharmaceutique", sector=pharmacie, position=1)
    CertificationFactory(label="Ancien CQP", sector=chimie, position=3, active=False)
    lyon = establishment("69003", "Chimie de Lyon")
    paris = establishment("75011", "Laboratoires de Paris")
    lille = establishment("59000", "Plastiques du Nord")
    assessor = AssessorFactory()
    AccreditationFactory(assessor=assessor, certifications=[c1, c2, c3])
    recorder = UserFactory()

    def dossier(est, cert, state, created, **kwargs):
        made = DossierFactory(
            establishment=est, certification=cert, state=state, assessor=assessor, **kwargs
        )
        set_created(made, created)
        return made

    d1 = dossier(lyon, c1, DossierState.REGISTERING, paris_time(2024, 3, 10, 9))
    d2 = dossier(lyon, c1, DossierState.AWAITING_ASSESSMENT, paris_time(2024, 5, 2, 9))
    d3 = dossier(lyon, c2, DossierState.AWAITING_JURY, paris_time(2025, 1, 1, 0, 30))
    d4 = dossier(paris, c1, DossierState.VALIDATED, paris_time(2024, 2, 1, 9))
    d5 = dossier(paris, c3, DossierState.PARTIALLY_VALIDATED, paris_time(2025, 2, 20, 9))
    d6 = dossier(paris, c1, DossierState.NOT_VALIDATED, paris_time(2025, 3, 1, 9))
    d7 = dossier(lille, c3, DossierState.VALIDATED, paris_time(2022, 6, 1, 9))
    d8 = dossier(lille, c2, DossierState.AWAITING_JURY, paris_time(2025, 4, 1, 9))

    day = datetime.timedelta(days=1)
    start = paris_time(2025, 1, 1, 12)
    history(d1, (DossierState.REGISTERING, start))
    history(
        d2,
        (DossierState.REGISTERING, start),
        (DossierState.AWAITING_ASSESSMENT, start + 10 * day),
    )
    history(
        d3,
        (DossierState.REGISTERING, start),
        (DossierState.AWAITING_ASSESSMENT, start + 4 * day),
        (DossierState.AWAITING_JURY, start + 34 * day),
    )
    history(
        d4,
        (DossierState.REGISTERING, start),
        (DossierState.AWAITING_ASSESSMENT, start + 21 * day),
        (DossierState.AWAITING_JURY, start + 36 * day),
        (DossierState.VALIDATED, start + 81 * day),
    )
    history(
        d8,
        (DossierState.REGISTERING, start),
        (DossierState.AWAITING_ASSESSMENT, start + 7 * day),
        (DossierState.AWAITING_JURY, start + 28 * day),
        (DossierState.VALIDATED, start + 38 * day),
        (DossierState.AWAITING_JURY, start + 50 * day),
    )

    s2024 = session(datetime.date(2024, 11, 20), "Paris", SessionStatus.CLOSED)
    s2025 = session(datetime.date(2025, 6, 10), "Lyon", SessionStatus.HELD)
    s_open = session(datetime.date(2030, 1, 15), "Maison de la Chimie", SessionStatus.OPEN)
    s_empty = session(datetime.date(2031, 3, 1), "", SessionStatus.PLANNED)
    decision(d4, s2024, Outcome.VALIDATED, recorder)
    decision(d8, s2024, Outcome.VALIDATED, recorder, revoked=True)
    decision(d5, s2025, Outcome.PARTIALLY_VALIDATED, recorder)
    decision(d6, s2025, Outcome.NOT_VALIDATED, recorder)
    decision(d7, s2025, Outcome.VALIDATED, recorder)
    SessionRegistration.objects.create(session=s_open, dossier=d3, registered_by=recorder)
    SessionRegistration.objects.create(
        session=s2024, dossier=d8, registered_by=recorder, ended_at=timezone.now()
    )
    jury_member = JuryMemberFactory()
    s2025.members.set([jury_member])

    assessment = Assessment.objects.create(dossier=d2, assessor=assessor)
    now = timezone.now()
    invitation(assessment, assessor.user, now + 30 * day)
    invitation(assessment, assessor.user, now - day)
    invitation(assessment, assessor.user, now + 30 * day, revoked_at=now)

    paris_employer = UserFactory()
    MembershipFactory(user=paris_employer, establishment=paris)
    return SimpleNamespace(
        sectors=SimpleNamespace(chimie=chimie, pharmacie=pharmacie),
        certifications=SimpleNamespace(c1=c1, c2=c2, c3=c3),
        establishments=SimpleNamespace(lyon=lyon, paris=paris, lille=lille),
        dossiers=SimpleNamespace(d1=d1, d2=d2, d3=d3, d4=d4, d5=d5, d6=d6, d7=d7, d8=d8),
        sessions=SimpleNamespace(s2024=s2024, s2025=s2025, s_open=s_open, s_empty=s_empty),
        assessor=assessor,
        jury_member=jury_member,
        paris_employer=paris_employer,
    )
