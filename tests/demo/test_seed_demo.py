import datetime

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.utils import timezone

from demo.demo import ACCOUNTS, DEMO_PASSWORD
from dossiers.enums import DossierState
from dossiers.models import Candidate, Dossier
from ecertif.accounts.models import EmployerMembership, Establishment
from evaluations.models import Accreditation, Assessor
from home.roles import roles_for
from jurys.enums import SessionStatus
from jurys.models import JuryDecision, JuryMember, JurySession
from referentiel.models import Certification

MODELS = [
    get_user_model(),
    Establishment,
    EmployerMembership,
    Assessor,
    Accreditation,
    JuryMember,
    Candidate,
    Dossier,
    JurySession,
    JuryDecision,
]


@pytest.fixture(autouse=True)
def _debug(settings):
    # The demo commands refuse to run without DEBUG (tests/deploy/test_demo_guards.py).
    settings.DEBUG = True


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.mark.django_db
def test_seed_demo_twice_same_counts(capsys):
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")
    assert _counts() == first
    assert first == {
        "User": 7,
        "Establishment": 2,
        "EmployerMembership": 2,
        "Assessor": 2,
        "Accreditation": 2,
        "JuryMember": 2,
        "Candidate": 11,
        "Dossier": 11,
        "JurySession": 3,
        "JuryDecision": 3,
    }
    # Dossiers in every state (SPEC §12), for both employers.
    assert set(Dossier.objects.values_list("state", flat=True)) == set(DossierState.values)
    for email in ["employeur@demo.ecertif.fr", "employeur2@demo.ecertif.fr"]:
        states = set(
            Dossier.objects.filter(establishment__memberships__user__email=email).values_list(
                "state", flat=True
            )
        )
        assert {
            DossierState.REGISTERING,
            DossierState.AWAITING_ASSESSMENT,
            DossierState.AWAITING_JURY,
        } <= states
    # One past session (closed, with decisions), one held today, one open ahead.
    today = timezone.localdate()
    assert sorted(JurySession.objects.values_list("date", "status")) == [
        (today - datetime.timedelta(days=14), SessionStatus.CLOSED),
        (today, SessionStatus.OPEN),
        (today + datetime.timedelta(days=45), SessionStatus.OPEN),
    ]
    assert Certification.objects.count() == 16
    out = capsys.readouterr().out
    assert f"Mot de passe de tous les comptes : {DEMO_PASSWORD}" in out
    for email, _first, _last in ACCOUNTS.values():
        assert email in out


@pytest.mark.django_db
def test_seed_demo_accounts_log_in_with_their_roles():
    call_command("seed_demo")
    expected = {
        "secretariat@demo.ecertif.fr": "secretariat",
        "employeur@demo.ecertif.fr": "employer",
        "employeur2@demo.ecertif.fr": "employer",
        "evaluateur@demo.ecertif.fr": "assessor",
        "evaluateur2@demo.ecertif.fr": "assessor",
        "jury@demo.ecertif.fr": "jury_member",
        "jury2@demo.ecertif.fr": "jury_member",
    }
    for email, role in expected.items():
        user = authenticate(email=email, password=DEMO_PASSWORD)
        assert user is not None, email
        assert roles_for(user)[0] == role
    first, second = (
        EmployerMembership.objects.get(user__email=e).establishment
        for e in ["employeur@demo.ecertif.fr", "employeur2@demo.ecertif.fr"]
    )
    assert first != second
    scopes = [
        set(Assessor.objects.get(user__email=e).accreditations.get().certifications.all())
        for e in ["evaluateur@demo.ecertif.fr", "evaluateur2@demo.ecertif.fr"]
    ]
    assert scopes[0] and scopes[1] and not scopes[0] & scopes[1]
