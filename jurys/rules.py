"""Jury permissions. Attribute-based only (no model import)."""

import rules
from django.utils import timezone

from dossiers.enums import DECIDED_STATES, DossierState, Transition
from dossiers.rules import is_employer_of
from dossiers.workflow import leaves
from ecertif.accounts.rules import is_secretariat


def _member(user):
    if not user or not user.is_authenticated:
        return None
    member = getattr(user, "jury_member", None)
    return member if member is not None and member.active else None


@rules.predicate
def is_jury_member(user):
    return _member(user) is not None


@rules.predicate
def is_session_member(user, session):
    member = _member(user)
    return session is not None and member is not None and member in session.members.all()


def active_registration(dossier):
    """The dossier's current registration to a session, or None."""
    for registration in dossier.registrations.all():
        if registration.ended_at is None:
            return registration
    return None


@rules.predicate
def is_decider_of(user, dossier):
    """A member of the jury of the session the dossier is registered to."""
    if dossier is None:
        return False
    registration = active_registration(dossier)
    return registration is not None and is_session_member(user, registration.session)


@rules.predicate
def is_awaiting_jury(user, dossier):
    return dossier is not None and dossier.state == DossierState.AWAITING_JURY


@rules.predicate
def is_decided(user, dossier):
    return dossier is not None and dossier.state in DECIDED_STATES


@rules.predicate
def is_registered(user, dossier):
    return dossier is not None and active_registration(dossier) is not None


@rules.predicate
def is_before_deadline(user, dossier):
    registration = active_registration(dossier) if dossier is not None else None
    return registration is not None and (
        timezone.localdate() <= registration.session.registration_deadline
    )


rules.add_perm("jurys.view_session", is_secretariat | is_session_member)
rules.add_perm("jurys.manage_session", is_secretariat)
rules.add_perm("jurys.register_dossier", is_employer_of & is_awaiting_jury & ~is_registered)
rules.add_perm(
    "jurys.withdraw_dossier", is_employer_of & is_awaiting_jury & is_registered & is_before_deadline
)
# The transitions' permissions (dossiers.workflow.TRANSITIONS): in a state it leaves, who.
rules.add_perm("jurys.decide_dossier", leaves(Transition.DECIDE) & (is_secretariat | is_decider_of))
rules.add_perm("jurys.revoke_decision", leaves(Transition.REVOKE_DECISION) & is_secretariat)
# Not offered while registered (the guard says so when tried): withdraw from the session first.
rules.add_perm(
    "jurys.reopen_assessment",
    leaves(Transition.REOPEN_ASSESSMENT) & is_secretariat & ~is_registered,
)
