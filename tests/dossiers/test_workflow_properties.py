"""Property-based test of the dossier's state machine (issue #10, item 9).

A Hypothesis `RuleBasedStateMachine` tries every transition of `dossiers.workflow.TRANSITIONS`
as every role, through the real services (which all go through `workflow.transition()`), on
one dossier per run. The machine keeps its own model — the expected state, whether the
assessment is filled, whether the dossier is registered to the session, the expected number
of history rows — and predicts from the table who may do what. Invariants after every step:
the database state equals the model's, the history has 1 (creation) + the successful
transitions rows, a refused transition (DossierActionError / JuryError, PermissionDenied)
changes nothing.

Each run builds its dossier with the factories inside a savepoint rolled back at the end of
the run; the other users and the jury session are built once per test.
"""

import os

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from dossiers import workflow
from dossiers.enums import DECIDED_STATES, DossierState, Transition
from dossiers.exceptions import DossierActionError
from dossiers.models import Dossier, DossierTransition
from dossiers.services import (
    assessor_confirm,
    dossier_return_for_completion,
    dossier_submit,
)
from evaluations import services as evaluation_services
from evaluations.models import Assessment
from evaluations.services import assessment_complete
from jurys import services as jury_services
from jurys.enums import College
from jurys.models import JuryDecision, SessionRegistration
from tests.evaluations.conftest import invite
from tests.factories.accounts import EstablishmentFactory, MembershipFactory, StaffFactory
from tests.factories.dossiers import DossierFactory
from tests.factories.evaluations import AccreditationFactory, AssessorFactory
from tests.factories.jurys import JuryMemberFactory, JurySessionFactory
from tests.factories.referentiel import CertificationFactory
from tests.jurys.conftest import verdicts

RUNS = int(os.environ.get("HYPO_RUNS", 500))  # examples: one dossier each
STEPS = 10  # steps at most per run

OWNER = "owner employer"
OTHER_EMPLOYER = "other employer"
ASSESSOR = "assigned assessor"
OTHER_ASSESSOR = "other assessor"
SECRETARIAT = "secretariat"
JURY = "session jury member"
OTHER_JURY = "other jury member"
ROLES = (OWNER, OTHER_EMPLOYER, ASSESSOR, OTHER_ASSESSOR, SECRETARIAT, JURY, OTHER_JURY)

# Who the model expects may start each transition (the rules of TRANSITIONS[...].permission).
ALLOWED = {
    Transition.SUBMIT: {OWNER},
    Transition.RETURN_FOR_COMPLETION: {ASSESSOR, SECRETARIAT},
    Transition.COMPLETE_ASSESSMENT: {ASSESSOR},
    Transition.REOPEN_ASSESSMENT: {SECRETARIAT},
    Transition.DECIDE: {SECRETARIAT, JURY},
    Transition.REVOKE_DECISION: {SECRETARIAT},
}
MOTIVATIONS = {1: "Motif C1", 2: "Motif C2", 3: "Motif C3"}


def build_world():
    """Everything but the dossier: built once per test, shared by the runs."""
    certification = CertificationFactory(competences=3, capitalisation_years=5)
    establishment = EstablishmentFactory()
    today = timezone.localdate()
    session_member = JuryMemberFactory(college=College.EMPLOYERS)
    session = JurySessionFactory(
        open=True,
        date=today,
        registration_deadline=today,
        members=[session_member, JuryMemberFactory(college=College.EMPLOYEES)],
    )
    outsider = JuryMemberFactory(college=College.EMPLOYEES)
    JurySessionFactory(open=True, date=today, registration_deadline=today, members=[outsider])
    return {
        "certification": certification,
        "assessor": AccreditationFactory(certifications=[certification]).assessor,
        "establishment": establishment,
        "session": session,
        OWNER: MembershipFactory(establishment=establishment).user,
        OTHER_EMPLOYER: MembershipFactory(establishment=EstablishmentFactory()).user,
        OTHER_ASSESSOR: AssessorFactory().user,
        SECRETARIAT: StaffFactory(),
        JURY: session_member.user,
        OTHER_JURY: outsider.user,
    }


def fill(dossier):
    """What « Clôturer l'évaluation » waits for, as `tests.evaluations.conftest.fill_assessment`
    does through the services, except the guide's upload (its checks run in a child process,
    a third of a second each, tested in tests/uploads): the scan is stored as a name."""
    invitation, _token = invite(dossier)
    assessment = dossier.assessment
    rows = list(assessment.results.order_by("competence__number"))
    evaluation_services.workplace_observations_save(
        invitation=invitation,
        observations={row.pk: f"Observation C{row.competence.number}" for row in rows},
        general_observation="Candidate rigoureuse.",
        send=True,
    )
    evaluation_services.results_save(
        assessment=assessment,
        by=dossier.assessor.user,
        results={row.pk: ("acquired", f"Maîtrise C{row.competence.number}") for row in rows},
    )
    evaluation_services.assessment_update(
        assessment=assessment, by=dossier.assessor.user, candidate_observations="Juste."
    )
    Assessment.objects.filter(pk=assessment.pk).update(guide_scan="guides/outil4.pdf")


def expected_outcome(validated):
    if validated == {1, 2, 3}:
        return DossierState.VALIDATED
    if not validated:
        return DossierState.NOT_VALIDATED
    return DossierState.PARTIALLY_VALIDATED


class WorkflowMachine(RuleBasedStateMachine):
    world = None  # set by the test
    runs = 0
    steps = 0
    attempted = set()  # (transition, role)
    succeeded = set()  # transition

    def __init__(self):
        super().__init__()
        type(self).runs += 1
        self.savepoint = transaction.atomic()
        self.savepoint.__enter__()
        self.dossier = DossierFactory(
            establishment=self.world["establishment"],
            certification=self.world["certification"],
            assessor=self.world["assessor"],
        )
        workflow.record(dossier=self.dossier, transition=Transition.CREATE, by=self.user(OWNER))
        # The model
        self.state = DossierState.REGISTERING
        self.history = 1
        self.filled = False
        self.registered = False
        self.assessor_confirmed = True

    def teardown(self):
        transaction.set_rollback(True)
        self.savepoint.__exit__(None, None, None)

    def user(self, role):
        return self.dossier.assessor.user if role == ASSESSOR else self.world[role]

    def fresh(self):
        return Dossier.objects.get(pk=self.dossier.pk)

    def rows(self):
        return (
            DossierTransition.objects.filter(dossier=self.dossier).count(),
            SessionRegistration.objects.filter(dossier=self.dossier).count(),
            JuryDecision.objects.filter(dossier=self.dossier, revoked_at__isnull=True).count(),
        )

    # The model's prediction

    def expects_success(self, name, role):
        if self.state not in workflow.TRANSITIONS[name].sources or role not in ALLOWED[name]:
            return False
        if name == Transition.SUBMIT:
            return self.assessor_confirmed  # a returned dossier confirms its assessor again
        if name == Transition.RETURN_FOR_COMPLETION:
            return not self.filled  # results entered: no more return
        if name == Transition.COMPLETE_ASSESSMENT:
            return self.filled
        if name == Transition.REOPEN_ASSESSMENT:
            return not self.registered
        if name == Transition.DECIDE:
            return self.registered
        return True

    # Every transition through its real service

    def call(self, name, by, validated):
        dossier = self.fresh()
        if name == Transition.SUBMIT:
            return dossier_submit(dossier=dossier, by=by)
        if name == Transition.RETURN_FOR_COMPLETION:
            return dossier_return_for_completion(dossier=dossier, by=by, reason="Pièce illisible")
        if name == Transition.COMPLETE_ASSESSMENT:
            return assessment_complete(dossier=dossier, by=by)
        if name == Transition.REOPEN_ASSESSMENT:
            return jury_services.assessment_reopen(dossier=dossier, by=by, reason="À revoir")
        if name == Transition.DECIDE:
            return jury_services.decide(
                dossier=dossier, by=by, competences=verdicts(dossier, validated, MOTIVATIONS)
            )
        assert name == Transition.REVOKE_DECISION
        return jury_services.decision_revoke(dossier=dossier, by=by, reason="Erreur de saisie")

    def attempt(self, name, role, validated):
        type(self).steps += 1
        type(self).attempted.add((name, role))
        expected = self.expects_success(name, role)
        before = (self.fresh().state, self.rows())
        try:
            self.call(name, self.user(role), validated)
        except (DossierActionError, PermissionDenied) as refusal:
            assert not expected, f"{name} by {role} in {self.state} refused: {refusal}"
            assert (self.fresh().state, self.rows()) == before  # nothing changed
            return
        assert expected, f"{name} by {role} in {self.state} went through"
        type(self).succeeded.add(name)
        self.history += 1
        if name == Transition.RETURN_FOR_COMPLETION:
            self.assessor_confirmed = False
        if name == Transition.DECIDE:
            self.state = expected_outcome(validated)
            self.registered = False  # the decision ends the registration
        else:
            (self.state,) = workflow.TRANSITIONS[name].targets

    # Rules: every transition from a state it leaves (roles biased to those allowed), and from
    # anywhere (mostly refused); plus the work the guards wait for.

    @rule(
        name=st.sampled_from(list(workflow.TRANSITIONS)),
        role=st.sampled_from(ROLES),
        validated=st.sets(st.sampled_from([1, 2, 3])),
    )
    def any_transition_any_role(self, name, role, validated):
        self.attempt(name, role, validated)

    def leaving(name):
        def from_source_state(self):
            return self.state in workflow.TRANSITIONS[name].sources

        return from_source_state

    def roles_for(name):
        return st.one_of(st.sampled_from(sorted(ALLOWED[name])), st.sampled_from(ROLES))

    @precondition(leaving(Transition.SUBMIT))
    @rule(role=roles_for(Transition.SUBMIT))
    def submit(self, role):
        self.attempt(Transition.SUBMIT, role, set())

    @precondition(leaving(Transition.RETURN_FOR_COMPLETION))
    @rule(role=roles_for(Transition.RETURN_FOR_COMPLETION))
    def return_for_completion(self, role):
        self.attempt(Transition.RETURN_FOR_COMPLETION, role, set())

    @precondition(leaving(Transition.COMPLETE_ASSESSMENT))
    @rule(role=roles_for(Transition.COMPLETE_ASSESSMENT))
    def complete_assessment(self, role):
        self.attempt(Transition.COMPLETE_ASSESSMENT, role, set())

    @precondition(leaving(Transition.REOPEN_ASSESSMENT))
    @rule(role=roles_for(Transition.REOPEN_ASSESSMENT))
    def reopen_assessment(self, role):
        self.attempt(Transition.REOPEN_ASSESSMENT, role, set())

    @precondition(leaving(Transition.DECIDE))
    @rule(
        role=roles_for(Transition.DECIDE),
        validated=st.sets(st.sampled_from([1, 2, 3])),
    )
    def decide(self, role, validated):
        self.attempt(Transition.DECIDE, role, validated)

    @precondition(leaving(Transition.REVOKE_DECISION))
    @rule(role=roles_for(Transition.REVOKE_DECISION))
    def revoke_decision(self, role):
        self.attempt(Transition.REVOKE_DECISION, role, set())

    @precondition(
        lambda self: self.state == DossierState.REGISTERING and not self.assessor_confirmed
    )
    @rule()
    def confirm_assessor(self):
        assessor_confirm(dossier=self.fresh(), by=self.user(OWNER), assessor=self.dossier.assessor)
        self.assessor_confirmed = True

    @precondition(lambda self: self.state == DossierState.AWAITING_ASSESSMENT and not self.filled)
    @rule()
    def fill_assessment(self):
        fill(self.fresh())
        self.filled = True

    @precondition(lambda self: self.state == DossierState.AWAITING_JURY and not self.registered)
    @rule()
    def register(self):
        jury_services.registration_create(
            dossier=self.fresh(), session=self.world["session"], by=self.user(OWNER)
        )
        self.registered = True

    @precondition(lambda self: self.state == DossierState.AWAITING_JURY and self.registered)
    @rule()
    def withdraw(self):
        jury_services.registration_withdraw(dossier=self.fresh(), by=self.user(OWNER))
        self.registered = False

    # Invariants

    @invariant()
    def database_equals_model(self):
        dossier = self.fresh()
        assert dossier.state == self.state
        history = DossierTransition.objects.filter(dossier=dossier)
        assert history.count() == self.history  # 1 creation + the successful transitions
        assert history.order_by("-at", "-pk").first().target == self.state
        assert (self.state in DECIDED_STATES) == JuryDecision.objects.filter(
            dossier=dossier, revoked_at__isnull=True
        ).exists()


@pytest.mark.django_db
def test_every_transition_and_role_keeps_the_database_equal_to_the_model():
    WorkflowMachine.world = build_world()
    WorkflowMachine.runs = WorkflowMachine.steps = 0
    WorkflowMachine.attempted, WorkflowMachine.succeeded = set(), set()
    run_state_machine_as_test(
        WorkflowMachine,
        settings=settings(
            max_examples=RUNS,
            stateful_step_count=STEPS,
            deadline=None,
            database=None,
            derandomize=True,  # the same runs on every machine: no flaky CI
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
    print(f"workflow machine: {WorkflowMachine.runs} runs, {WorkflowMachine.steps} attempts")
    assert WorkflowMachine.runs >= RUNS
    assert WorkflowMachine.attempted == {(n, r) for n in workflow.TRANSITIONS for r in ROLES}
    assert WorkflowMachine.succeeded == set(workflow.TRANSITIONS)
