"""The transitions table and `workflow.transition()`: every state change goes through it, from
the services and from the admin, and writes exactly one history row."""

import importlib
from types import SimpleNamespace
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django_fsm import can_proceed, has_transition_perm

from dossiers import workflow
from dossiers.enums import DossierState, Transition
from dossiers.exceptions import ALREADY_MOVED, DossierActionError
from dossiers.models import Dossier, DossierTransition
from dossiers.services import dossier_submit
from dossiers.views import REASON_PAGES
from evaluations.models import Assessment
from jurys import services as jury_services
from jurys.enums import College
from tests.evaluations.conftest import fill_assessment
from tests.factories.accounts import MembershipFactory, StaffFactory, UserFactory
from tests.factories.dossiers import DossierFactory
from tests.factories.jurys import JuryMemberFactory, JurySessionFactory
from tests.factories.referentiel import CertificationFactory
from tests.utils import needs_postgresql, run_together

pytestmark = pytest.mark.django_db

TRANSITION_NAMES = list(workflow.TRANSITIONS)
REASON_TRANSITIONS = [name for name, step in workflow.TRANSITIONS.items() if step.needs_reason]


def make_world():
    """A dossier in registration, its employer, assessor, a jury session held today, staff."""
    dossier = DossierFactory(certification=CertificationFactory(competences=3))
    owner = MembershipFactory(user=UserFactory(), establishment=dossier.establishment).user
    members = [JuryMemberFactory(college=College.EMPLOYERS), JuryMemberFactory()]
    today = timezone.localdate()
    session = JurySessionFactory(
        open=True, date=today, registration_deadline=today, members=members
    )
    return SimpleNamespace(
        dossier=dossier,
        owner=owner,
        assessor=dossier.assessor.user,
        member=members[0].user,
        session=session,
        secretariat=StaffFactory(),
    )


def _verdicts(dossier):
    """C1 and C2 validated, C3 not (the assessor said acquired: motivated)."""
    return {
        c.pk: (c.number != 3, "" if c.number != 3 else "Non démontrée devant le jury.")
        for c in dossier.certification.competences.all()
    }


def _refresh(world):
    world.dossier = Dossier.objects.get(pk=world.dossier.pk)
    return world.dossier


# How each transition is performed through its own service (the actor is the usual one).
PERFORM = {
    Transition.SUBMIT: lambda w, d: dossier_submit(dossier=d, by=w.owner),
    Transition.RETURN_FOR_COMPLETION: lambda w, d: workflow.service(
        Transition.RETURN_FOR_COMPLETION
    )(dossier=d, by=w.assessor, reason="Diplôme illisible."),
    Transition.COMPLETE_ASSESSMENT: lambda w, d: workflow.service(Transition.COMPLETE_ASSESSMENT)(
        dossier=d, by=w.assessor
    ),
    Transition.REOPEN_ASSESSMENT: lambda w, d: jury_services.assessment_reopen(
        dossier=d, by=w.secretariat, reason="Outil n°4 illisible."
    ),
    Transition.DECIDE: lambda w, d: jury_services.decide(
        dossier=d, by=w.member, competences=_verdicts(d), motivation="Examiné."
    ),
    Transition.REVOKE_DECISION: lambda w, d: jury_services.decision_revoke(
        dossier=d, by=w.secretariat, reason="Erreur de saisie."
    ),
}
ACTOR = {
    Transition.SUBMIT: "owner",
    Transition.RETURN_FOR_COMPLETION: "assessor",
    Transition.COMPLETE_ASSESSMENT: "assessor",
    Transition.REOPEN_ASSESSMENT: "secretariat",
    Transition.DECIDE: "member",
    Transition.REVOKE_DECISION: "secretariat",
}
EXPECTED = {
    Transition.SUBMIT: (DossierState.REGISTERING, DossierState.AWAITING_ASSESSMENT, ""),
    Transition.RETURN_FOR_COMPLETION: (
        DossierState.AWAITING_ASSESSMENT,
        DossierState.REGISTERING,
        "Diplôme illisible.",
    ),
    Transition.COMPLETE_ASSESSMENT: (
        DossierState.AWAITING_ASSESSMENT,
        DossierState.AWAITING_JURY,
        "",
    ),
    Transition.REOPEN_ASSESSMENT: (
        DossierState.AWAITING_JURY,
        DossierState.AWAITING_ASSESSMENT,
        "Outil n°4 illisible.",
    ),
    Transition.DECIDE: (DossierState.AWAITING_JURY, DossierState.PARTIALLY_VALIDATED, "Examiné."),
    Transition.REVOKE_DECISION: (
        DossierState.PARTIALLY_VALIDATED,
        DossierState.AWAITING_JURY,
        "Erreur de saisie.",
    ),
}


def reach(world, name):
    """Bring the world's dossier, through the real services, to the state `name` leaves."""
    if name == Transition.SUBMIT:
        return _refresh(world)
    dossier_submit(dossier=world.dossier, by=world.owner)
    dossier = _refresh(world)
    if name == Transition.RETURN_FOR_COMPLETION:
        return dossier
    fill_assessment(dossier)
    if name == Transition.COMPLETE_ASSESSMENT:
        return _refresh(world)
    PERFORM[Transition.COMPLETE_ASSESSMENT](world, _refresh(world))
    if name == Transition.REOPEN_ASSESSMENT:
        return _refresh(world)
    jury_services.registration_create(
        dossier=_refresh(world), session=world.session, by=world.owner
    )
    if name == Transition.DECIDE:
        return _refresh(world)
    PERFORM[Transition.DECIDE](world, _refresh(world))
    return _refresh(world)


@pytest.fixture
def world(db):
    return make_world()


def test_table_covers_every_transition_but_creation():
    assert set(workflow.TRANSITIONS) == set(Transition) - {Transition.CREATE}
    assert set(PERFORM) == set(workflow.TRANSITIONS)


@pytest.mark.parametrize("name", TRANSITION_NAMES)
def test_table_names_importable_guards_and_services(name):
    step = workflow.TRANSITIONS[name]
    assert callable(import_string(step.service))
    assert callable(import_string(step.guard))
    assert step.label
    assert (step.url is not None) == step.needs_reason


@pytest.mark.parametrize("name", TRANSITION_NAMES)
def test_fsm_methods_declared_from_the_table(name):
    step = workflow.TRANSITIONS[name]
    field = Dossier._meta.get_field("state")
    declared = [t for t in field.get_all_transitions(Dossier) if t.name == name]
    assert {t.source for t in declared} == set(step.sources)
    for declared_transition in declared:
        target = declared_transition.target
        targets = set(target.allowed_states) if hasattr(target, "allowed_states") else {target}
        assert targets == set(step.targets)


@pytest.mark.parametrize("name", TRANSITION_NAMES)
def test_every_transition_goes_through_transition_and_writes_one_history_row(world, name):
    dossier = reach(world, name)
    before = DossierTransition.objects.filter(dossier=dossier).count()

    with mock.patch.object(workflow, "transition", wraps=workflow.transition) as spy:
        PERFORM[name](world, dossier)

    assert spy.call_count == 1
    assert spy.call_args.kwargs["name"] == name
    rows = DossierTransition.objects.filter(dossier=dossier)
    assert rows.count() == before + 1
    row = rows.order_by("-pk").first()
    source, target, reason = EXPECTED[name]
    assert (row.transition, row.source, row.target, row.actor, row.reason) == (
        name,
        source,
        target,
        getattr(world, ACTOR[name]),
        reason,
    )
    assert Dossier.objects.get(pk=dossier.pk).state == target


@pytest.mark.parametrize("name", TRANSITION_NAMES)
def test_guard_computed_once_per_transition(world, name):
    dossier = reach(world, name)
    guard = workflow.TRANSITIONS[name].guard
    module, function = guard.rsplit(".", 1)

    # import_module, not import_string: the latter reads `guards` as an attribute of the
    # package, missing while no earlier test of this worker imported the module.
    with mock.patch(guard, wraps=getattr(importlib.import_module(module), function)) as spy:
        PERFORM[name](world, dossier)

    assert spy.call_count == 1


def test_submit_missing_runs_once_per_submit(world):
    with mock.patch(
        "dossiers.guards.submit_missing", wraps=import_string("dossiers.guards.submit_missing")
    ) as spy:
        dossier_submit(dossier=world.dossier, by=world.owner)
    assert spy.call_count == 1


def test_complete_missing_runs_once_per_completion(world):
    dossier = reach(world, Transition.COMPLETE_ASSESSMENT)
    with mock.patch(
        "evaluations.guards.complete_missing",
        wraps=import_string("evaluations.guards.complete_missing"),
    ) as spy:
        PERFORM[Transition.COMPLETE_ASSESSMENT](world, dossier)
    assert spy.call_count == 1


@pytest.mark.parametrize("name", TRANSITION_NAMES)
def test_stale_page_second_attempt_told_already_moved_no_row(world, name):
    dossier = reach(world, name)
    stale = Dossier.objects.get(pk=dossier.pk)
    PERFORM[name](world, dossier)
    rows = DossierTransition.objects.filter(dossier=dossier).count()

    with pytest.raises(DossierActionError) as excinfo:
        PERFORM[name](world, stale)

    assert excinfo.value.messages == [ALREADY_MOVED]
    assert excinfo.value.messages[0].startswith("Quelqu'un a été plus rapide que vous")
    assert DossierTransition.objects.filter(dossier=dossier).count() == rows


@pytest.mark.parametrize("name", REASON_TRANSITIONS)
def test_admin_button_goes_through_transition_and_writes_one_history_row(client, world, name):
    dossier = reach(world, name)
    staff = world.secretariat
    client.force_login(staff)
    change = client.get(reverse("admin:dossiers_dossier_change", args=[dossier.pk]))
    url = reverse("admin:dossiers_dossier_transition", args=[dossier.pk, name])
    assert f'href="{url}"' in change.content.decode()
    before = DossierTransition.objects.filter(dossier=dossier).count()

    with mock.patch.object(workflow, "transition", wraps=workflow.transition) as spy:
        response = client.post(url, {"reason": "Correction du secrétariat."}, follow=True)

    assert spy.call_count == 1
    assert spy.call_args.kwargs["name"] == name
    label = workflow.TRANSITIONS[name].label
    assert [str(m) for m in response.context["messages"]] == [
        f"{label} : fait pour le dossier {dossier.number}."
    ]
    rows = DossierTransition.objects.filter(dossier=dossier)
    assert rows.count() == before + 1
    row = rows.order_by("-pk").first()
    assert (row.transition, row.actor, row.reason) == (name, staff, "Correction du secrétariat.")


def test_admin_offers_only_the_available_reason_transitions(client, world):
    dossier = reach(world, Transition.RETURN_FOR_COMPLETION)
    client.force_login(world.secretariat)
    content = client.get(reverse("admin:dossiers_dossier_change", args=[dossier.pk])).content
    links = [
        name
        for name in REASON_TRANSITIONS
        if reverse("admin:dossiers_dossier_transition", args=[dossier.pk, name]) in content.decode()
    ]
    assert links == [Transition.RETURN_FOR_COMPLETION]


def test_admin_transition_unknown_or_without_reason_refused(client, world):
    client.force_login(world.secretariat)
    for name in ["inconnue", Transition.SUBMIT]:
        url = reverse("admin:dossiers_dossier_transition", args=[world.dossier.pk, name])
        response = client.post(url, {"reason": "x"}, follow=True)
        assert [str(m) for m in response.context["messages"]] == ["Action inconnue."]
    assert _refresh(world).state == DossierState.REGISTERING


def test_fsm_can_proceed_and_has_transition_perm_follow_the_table(world):
    dossier = world.dossier
    assert can_proceed(dossier.submit)
    assert has_transition_perm(dossier.submit, world.owner)
    assert not has_transition_perm(dossier.submit, world.assessor)
    assert not can_proceed(dossier.complete_assessment)
    Dossier.objects.filter(pk=dossier.pk).update(assessor_confirmed_at=None)
    unconfirmed = Dossier.objects.get(pk=dossier.pk)
    assert not can_proceed(unconfirmed.submit)
    assert not has_transition_perm(unconfirmed.submit, world.owner)
    assert can_proceed(unconfirmed.submit, check_conditions=False)


def test_available_transitions_per_actor(world):
    dossier = reach(world, Transition.RETURN_FOR_COMPLETION)
    names = {
        who: [s.name for s in workflow.available_transitions(dossier, getattr(world, who))]
        for who in ["owner", "assessor", "member", "secretariat"]
    }
    assert names == {
        "owner": [],
        "assessor": [Transition.RETURN_FOR_COMPLETION, Transition.COMPLETE_ASSESSMENT],
        "member": [],
        "secretariat": [Transition.RETURN_FOR_COMPLETION],
    }


def test_was_overtaken_only_for_who_could_before(world):
    dossier = reach(world, Transition.RETURN_FOR_COMPLETION)
    assert not workflow.was_overtaken(dossier, world.assessor, Transition.RETURN_FOR_COMPLETION)
    PERFORM[Transition.RETURN_FOR_COMPLETION](world, dossier)
    returned = _refresh(world)
    assert workflow.was_overtaken(returned, world.assessor, Transition.RETURN_FOR_COMPLETION)
    assert workflow.was_overtaken(returned, world.secretariat, Transition.RETURN_FOR_COMPLETION)
    assert not workflow.was_overtaken(returned, world.owner, Transition.RETURN_FOR_COMPLETION)
    never_submitted = DossierFactory()
    assert not workflow.was_overtaken(
        never_submitted, world.secretariat, Transition.RETURN_FOR_COMPLETION
    )


@pytest.mark.parametrize("name", REASON_TRANSITIONS)
def test_reason_required_before_anything_is_locked(world, name):
    dossier = reach(world, name)
    service = workflow.service(name)
    with (
        mock.patch.object(Dossier.objects, "select_for_update") as lock,
        pytest.raises(DossierActionError) as excinfo,
    ):
        service(dossier=dossier, by=world.secretariat, reason="   ")
    assert excinfo.value.messages == [workflow.TRANSITIONS[name].reason]
    assert lock.call_count == 0


def test_transition_failing_effects_leave_nothing(world):
    """The history row and the state change are in the caller's effects' transaction."""
    dossier = reach(world, Transition.COMPLETE_ASSESSMENT)
    before = DossierTransition.objects.filter(dossier=dossier).count()

    def broken(locked):
        raise DossierActionError("Panne.")

    with pytest.raises(DossierActionError):
        workflow.transition(
            dossier=dossier,
            name=Transition.COMPLETE_ASSESSMENT,
            by=world.assessor,
            effects=broken,
        )
    assert _refresh(world).state == DossierState.AWAITING_ASSESSMENT
    assert DossierTransition.objects.filter(dossier=dossier).count() == before
    assert Assessment.objects.get(dossier=dossier).completed_at is None


@needs_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", TRANSITION_NAMES)
def test_lost_race_told_already_moved_one_history_row(name):
    world = make_world()
    dossier = reach(world, name)
    before = DossierTransition.objects.filter(dossier=dossier).count()
    # Two people on the same page: each holds the dossier as it was when they opened it.
    pages = [Dossier.objects.get(pk=dossier.pk) for _ in range(2)]

    _results, errors = run_together(2, lambda index: PERFORM[name](world, pages[index]))

    losers = [error for error in errors if error is not None]
    assert len(losers) == 1, errors
    assert isinstance(losers[0], DossierActionError), repr(losers[0])
    assert losers[0].messages == [ALREADY_MOVED]
    rows = DossierTransition.objects.filter(dossier=dossier)
    assert rows.count() == before + 1
    assert rows.order_by("-pk").first().transition == name
    assert Dossier.objects.get(pk=dossier.pk).state == EXPECTED[name][1]


def test_every_reason_transition_has_its_page():
    assert set(REASON_PAGES) == set(REASON_TRANSITIONS)
    assert {name: reverse(workflow.TRANSITIONS[name].url, args=[7]) for name in REASON_PAGES} == {
        Transition.RETURN_FOR_COMPLETION: "/dossiers/7/renvoyer/",
        Transition.REOPEN_ASSESSMENT: "/jurys/dossiers/7/rouvrir-evaluation/",
        Transition.REVOKE_DECISION: "/jurys/dossiers/7/annuler-decision/",
    }


@pytest.mark.parametrize("name", REASON_TRANSITIONS)
def test_reason_page_opened_before_someone_else_moved_the_dossier(client, world, name):
    dossier = reach(world, name)
    url = reverse(workflow.TRANSITIONS[name].url, args=[dossier.pk])
    client.force_login(world.secretariat)
    assert client.get(url).status_code == 200
    PERFORM[name](world, dossier)
    rows = DossierTransition.objects.filter(dossier=dossier).count()

    response = client.post(url, {"reason": "Trop tard."})

    assert response.status_code == 302
    assert response["Location"] == f"/dossiers/{dossier.pk}/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [ALREADY_MOVED]
    assert DossierTransition.objects.filter(dossier=dossier).count() == rows


@pytest.mark.parametrize("name", REASON_TRANSITIONS)
def test_reason_page_post_goes_through_transition(client, world, name):
    dossier = reach(world, name)
    client.force_login(world.secretariat)

    with mock.patch.object(workflow, "transition", wraps=workflow.transition) as spy:
        response = client.post(
            reverse(workflow.TRANSITIONS[name].url, args=[dossier.pk]), {"reason": "Motif."}
        )

    assert spy.call_count == 1
    assert [str(m) for m in get_messages(response.wsgi_request)] == [REASON_PAGES[name].done]
    row = DossierTransition.objects.filter(dossier=dossier).order_by("-pk").first()
    assert (row.transition, row.actor, row.reason) == (name, world.secretariat, "Motif.")
