"""Every rules predicate and permission of dossiers and jurys (the assessment's permissions
included), for every role, in every state of the dossier: exact booleans.

Each entry of EXPECTED lists the (role, situation) pairs where the answer is True; every other
pair must answer False. Situations are the six states plus the jury registration variants."""

import datetime

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from dossiers import rules as dossier_rules
from dossiers import workflow
from dossiers.enums import DossierState, Transition
from ecertif.accounts import rules as account_rules
from jurys import rules as jury_rules
from jurys.models import JuryDecision, SessionRegistration
from tests.factories.accounts import EmployerFactory, MembershipFactory, StaffFactory, UserFactory
from tests.factories.dossiers import DossierFactory
from tests.factories.evaluations import AssessorFactory
from tests.factories.jurys import JuryMemberFactory, JurySessionFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "owner",
    "other_employer",
    "assessor",
    "other_assessor",
    "member",
    "other_member",
    "secretariat",
]
REG = "registering"
AA = "awaiting_assessment"
AJ = "awaiting_jury"  # evaluated, registered to no session
AJR = "registered"  # awaiting jury, registered to the member's session, deadline to come
AJL = "registered_late"  # registered, the registration deadline passed, the session held today
V = "validated"
PV = "partially_validated"
NV = "not_validated"
SITUATIONS = [REG, AA, AJ, AJR, AJL, V, PV, NV]
STATE = {
    REG: DossierState.REGISTERING,
    AA: DossierState.AWAITING_ASSESSMENT,
    AJ: DossierState.AWAITING_JURY,
    AJR: DossierState.AWAITING_JURY,
    AJL: DossierState.AWAITING_JURY,
    V: DossierState.VALIDATED,
    PV: DossierState.PARTIALLY_VALIDATED,
    NV: DossierState.NOT_VALIDATED,
}
ALL = set(SITUATIONS)
SUBMITTED = ALL - {REG}
AWAITING_JURY = {AJ, AJR, AJL}
REGISTERED = {AJR, AJL}
DECIDED = {V, PV, NV}
# Where the member's session holds the dossier: registered to it, or decided by it.
MEMBER_SEES = REGISTERED | DECIDED


def everyone(situations):
    return {(role, s) for role in ROLES for s in situations}


def only(role, situations):
    return {(role, s) for s in situations}


def signed_in(situations):
    return {(role, s) for role in ROLES if role != "anonymous" for s in situations}


VIEW = (
    only("owner", ALL)
    | only("secretariat", ALL)
    | only("assessor", SUBMITTED)
    | only("member", MEMBER_SEES)
)
PREDICATES = {
    # dossiers/rules.py: roles
    "is_employer_of": (dossier_rules.is_employer_of, only("owner", ALL)),
    "is_assigned_assessor": (dossier_rules.is_assigned_assessor, only("assessor", ALL)),
    "is_jury_of": (dossier_rules.is_jury_of, only("member", MEMBER_SEES)),
    "is_secretariat": (dossier_rules.is_secretariat, only("secretariat", ALL)),
    # dossiers/rules.py: states (whoever asks)
    "is_registering": (dossier_rules.is_registering, everyone({REG})),
    "is_awaiting_assessment": (dossier_rules.is_awaiting_assessment, everyone({AA})),
    "is_submitted": (dossier_rules.is_submitted, everyone(SUBMITTED)),
    # jurys/rules.py
    "is_decider_of": (jury_rules.is_decider_of, only("member", REGISTERED)),
    "is_awaiting_jury": (jury_rules.is_awaiting_jury, everyone(AWAITING_JURY)),
    "is_decided": (jury_rules.is_decided, everyone(DECIDED)),
    "is_registered": (jury_rules.is_registered, everyone(REGISTERED)),
    "is_before_deadline": (jury_rules.is_before_deadline, everyone({AJR})),
    # dossiers/workflow.py: the states each transition leaves
    "leaves_submit": (workflow.leaves(Transition.SUBMIT), everyone({REG})),
    "leaves_return": (workflow.leaves(Transition.RETURN_FOR_COMPLETION), everyone({AA})),
    "leaves_complete": (workflow.leaves(Transition.COMPLETE_ASSESSMENT), everyone({AA})),
    "leaves_reopen": (workflow.leaves(Transition.REOPEN_ASSESSMENT), everyone(AWAITING_JURY)),
    "leaves_decide": (workflow.leaves(Transition.DECIDE), everyone(AWAITING_JURY)),
    "leaves_revoke": (workflow.leaves(Transition.REVOKE_DECISION), everyone(DECIDED)),
}
PERMISSIONS = {
    "dossiers.view_dossier": VIEW,
    "dossiers.change_dossier": only("owner", {REG}),
    "dossiers.delete_dossier": only("owner", {REG}),
    "dossiers.duplicate_dossier": only("owner", ALL),
    "dossiers.submit_dossier": only("owner", {REG}),
    "dossiers.return_dossier": only("assessor", {AA}) | only("secretariat", {AA}),
    "dossiers.add_attachment": only("owner", {REG}),
    "dossiers.view_attachment": VIEW,
    "dossiers.complete_assessment": only("assessor", {AA}),
    "evaluations.change_assessment": only("assessor", {AA}),
    "evaluations.view_assessment": {pair for pair in VIEW if pair[1] != REG},
    "jurys.manage_session": only("secretariat", ALL),
    "jurys.register_dossier": only("owner", {AJ}),
    "jurys.withdraw_dossier": only("owner", {AJR}),
    "jurys.decide_dossier": only("secretariat", AWAITING_JURY) | only("member", REGISTERED),
    "jurys.revoke_decision": only("secretariat", DECIDED),
    "jurys.reopen_assessment": only("secretariat", {AJ}),
}
# Questions about the user alone.
USER_PREDICATES = {
    "is_secretariat": (account_rules.is_secretariat, {"secretariat"}),
    "is_employer": (account_rules.is_employer, {"owner", "other_employer"}),
    "is_jury_member": (jury_rules.is_jury_member, {"member", "other_member"}),
}


def build(situation):
    """The dossier in `situation`, and one user per role."""
    today = timezone.localdate()
    submitted_at = None if situation == REG else timezone.now()
    dossier = DossierFactory(state=STATE[situation], submitted_at=submitted_at)
    member = JuryMemberFactory()
    late = situation == AJL
    session = JurySessionFactory(
        open=True,
        date=today if late else today + datetime.timedelta(days=10),
        registration_deadline=today - datetime.timedelta(days=1)
        if late
        else today + datetime.timedelta(days=5),
        members=[member],
    )
    other_member = JuryMemberFactory()
    JurySessionFactory(open=True, members=[other_member])
    owner = MembershipFactory(user=UserFactory(), establishment=dossier.establishment).user
    if situation in REGISTERED:
        SessionRegistration.objects.create(session=session, dossier=dossier, registered_by=owner)
    if situation in DECIDED:
        SessionRegistration.objects.create(
            session=session, dossier=dossier, registered_by=owner, ended_at=timezone.now()
        )
        JuryDecision.objects.create(
            dossier=dossier, session=session, outcome=STATE[situation], recorded_by=member.user
        )
    users = {
        "anonymous": AnonymousUser(),
        "owner": owner,
        "other_employer": EmployerFactory(),
        "assessor": dossier.assessor.user,
        "other_assessor": AssessorFactory().user,
        "member": member.user,
        "other_member": other_member.user,
        "secretariat": StaffFactory(),
    }
    return dossier, session, users


def _truths(check, dossier, users, situation):
    return {(role, situation) for role in ROLES if check(users[role], dossier)}


@pytest.mark.parametrize("situation", SITUATIONS)
def test_predicates_matrix(situation):
    dossier, _session, users = build(situation)

    answers = {
        name: _truths(predicate.test, dossier, users, situation)
        for name, (predicate, _expected) in PREDICATES.items()
    }

    assert answers == {
        name: {pair for pair in expected if pair[1] == situation}
        for name, (_predicate, expected) in PREDICATES.items()
    }


@pytest.mark.parametrize("situation", SITUATIONS)
def test_permissions_matrix(situation):
    dossier, _session, users = build(situation)

    answers = {
        perm: _truths(
            lambda user, obj, perm=perm: rules.has_perm(perm, user, obj), dossier, users, situation
        )
        for perm in PERMISSIONS
    }

    assert answers == {
        perm: {pair for pair in expected if pair[1] == situation}
        for perm, expected in PERMISSIONS.items()
    }


@pytest.mark.parametrize("situation", SITUATIONS)
def test_available_transitions_follow_the_permissions(situation):
    dossier, _session, users = build(situation)
    for role in ROLES:
        names = [step.name for step in workflow.available_transitions(dossier, users[role])]
        assert names == [
            name
            for name, step in workflow.TRANSITIONS.items()
            if (role, situation) in PERMISSIONS[step.permission]
        ], role


def test_transition_permissions_are_in_the_matrix():
    assert {step.permission for step in workflow.TRANSITIONS.values()} <= set(PERMISSIONS)


def test_user_predicates():
    _dossier, _session, users = build(AJR)
    answers = {
        name: {role for role in ROLES if predicate.test(users[role])}
        for name, (predicate, _expected) in USER_PREDICATES.items()
    }
    assert answers == {name: expected for name, (_p, expected) in USER_PREDICATES.items()}


def test_session_permissions():
    _dossier, session, users = build(AJR)
    answers = {
        perm: {role for role in ROLES if rules.has_perm(perm, users[role], session)}
        for perm in ["jurys.view_session", "jurys.manage_session"]
    }
    assert answers == {
        "jurys.view_session": {"member", "secretariat"},
        "jurys.manage_session": {"secretariat"},
    }


def test_permissions_without_object_answer_false():
    """Django asks model-level questions (the admin) with no object: only the secretariat's
    reading and session management answer yes."""
    _dossier, _session, users = build(REG)
    answers = {
        perm: {role for role in ROLES if rules.has_perm(perm, users[role], None)}
        for perm in PERMISSIONS
    }
    secretariat_only = {"dossiers.view_dossier", "dossiers.view_attachment", "jurys.manage_session"}
    assert answers == {
        perm: {"secretariat"} if perm in secretariat_only else set() for perm in PERMISSIONS
    }
