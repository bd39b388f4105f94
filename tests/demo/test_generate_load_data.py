import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from dossiers.enums import DECIDED_STATES, DossierState
from dossiers.models import Dossier, DossierTransition
from evaluations.models import Assessment, Assessor, WorkplaceAssessorInvitation
from jurys.models import IssuedDocument, JuryDecision, SessionRegistration


@pytest.fixture(autouse=True)
def _debug(settings):
    # The demo commands refuse to run without DEBUG (tests/deploy/test_demo_guards.py).
    settings.DEBUG = True


@pytest.mark.django_db
def test_generate_load_data_creates_dossiers_with_history(capsys):
    call_command("generate_load_data", dossiers=30, per_establishment=10)
    synthetic = Dossier.objects.filter(establishment__name__startswith="Établissement de charge")
    assert synthetic.count() == 30
    assert synthetic.values("establishment").distinct().count() == 3
    numbers = list(Dossier.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    # Every synthetic dossier has a history ending in its current state.
    for dossier in synthetic:
        last = DossierTransition.objects.filter(dossier=dossier).order_by("at", "pk").last()
        assert last.target == dossier.state
    assert "30 dossiers créés" in capsys.readouterr().out


@pytest.mark.django_db
def test_generate_load_data_writes_what_each_state_implies():
    call_command("generate_load_data", dossiers=300, per_establishment=50)
    synthetic = Dossier.objects.filter(establishment__name__startswith="Établissement de charge")
    now = timezone.now()
    assert set(synthetic.values_list("state", flat=True)) == set(DossierState)
    # Dates in the past; history in order: created, then the steps, the last one being `updated`.
    assert not synthetic.filter(Q(created_at__gt=now) | Q(submitted_at__gt=now)).exists()
    assert not DossierTransition.objects.filter(dossier__in=synthetic, at__gt=now).exists()
    for dossier in synthetic.prefetch_related("transitions"):
        steps = list(dossier.transitions.all())
        assert steps[0].at == dossier.created_at and steps[0].transition == "create"
        assert [s.at for s in steps] == sorted(s.at for s in steps)
        assert [s.source for s in steps[1:]] == [s.target for s in steps[:-1]]
        assert (dossier.submitted_at is None) == (len(steps) == 1)
    # Submitted ones have their assessment, completed from the jury stage on.
    submitted = synthetic.exclude(state=DossierState.REGISTERING)
    assert Assessment.objects.filter(dossier__in=submitted).count() == submitted.count()
    assert not Assessment.objects.filter(
        dossier__state=DossierState.AWAITING_ASSESSMENT, completed_at__isnull=False
    ).exists()
    assert not submitted.exclude(state=DossierState.AWAITING_ASSESSMENT).filter(
        assessment__completed_at__isnull=True
    )
    assert WorkplaceAssessorInvitation.objects.filter(assessment__dossier__in=synthetic).exists()
    # Decided ones: one standing decision by a past session they were registered to, the
    # document of their outcome; not validated ones have none.
    decided = synthetic.filter(state__in=DECIDED_STATES)
    decisions = JuryDecision.objects.filter(dossier__in=decided, revoked_at__isnull=True)
    assert decisions.count() == decided.count()
    assert not decisions.exclude(outcome=F("dossier__state")).exists()
    assert not decisions.filter(session__date__gte=now.date()).exists()
    assert (
        SessionRegistration.objects.filter(dossier__in=decided, end_kind="decided").count()
        == decided.count()
    )
    assert (
        IssuedDocument.objects.filter(decision__in=decisions).count()
        == decided.exclude(state=DossierState.NOT_VALIDATED).count()
    )
    # Active registrations: only dossiers waiting for the jury, to a session ahead.
    active = SessionRegistration.objects.filter(dossier__in=synthetic, ended_at__isnull=True)
    assert set(active.values_list("dossier__state", flat=True)) == {DossierState.AWAITING_JURY}
    assert not active.filter(session__date__lt=now.date()).exists()
    # Spread over many assessors, each dossier's assessor accredited for its certification.
    assert Assessor.objects.count() >= 300
    busiest = submitted.values("assessor").annotate(n=Count("pk")).aggregate(m=Max("n"))["m"]
    assert busiest < 20
    assert not submitted.exclude(
        assessor__accreditations__certifications=F("certification")
    ).exists()


@pytest.mark.django_db
def test_generate_load_data_refuses_zero():
    with pytest.raises(CommandError, match="--dossiers doit être un entier positif."):
        call_command("generate_load_data", dossiers=0)
