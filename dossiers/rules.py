"""Who may do what on a dossier. The same predicates drive views, buttons and fsm permissions."""

import rules

from ecertif.accounts.rules import is_secretariat

from .enums import DossierState, Transition
from .workflow import leaves

# Every predicate answers False without a dossier: Django asks model-level questions
# (`user.has_perm("dossiers.change_dossier")`, in the admin) with no object.


@rules.predicate
def is_employer_of(user, dossier):
    if dossier is None:
        return False
    membership = getattr(user, "membership", None) if user.is_authenticated else None
    return membership is not None and membership.establishment_id == dossier.establishment_id


@rules.predicate
def is_assigned_assessor(user, dossier):
    if dossier is None or not user.is_authenticated or dossier.assessor_id is None:
        return False
    profile = getattr(user, "assessor_profile", None)
    return profile is not None and profile.pk == dossier.assessor_id


@rules.predicate
def is_registering(user, dossier):
    return dossier is not None and dossier.state == DossierState.REGISTERING


@rules.predicate
def is_awaiting_assessment(user, dossier):
    return dossier is not None and dossier.state == DossierState.AWAITING_ASSESSMENT


@rules.predicate
def is_submitted(user, dossier):
    return dossier is not None and dossier.state != DossierState.REGISTERING


@rules.predicate
def is_jury_of(user, dossier):
    """A member of the jury of the session the dossier is registered to, or that decided it."""
    member = getattr(user, "jury_member", None) if user.is_authenticated else None
    if dossier is None or member is None or not member.active:
        return False
    return (
        dossier.registrations.filter(session__members=member, ended_at__isnull=True).exists()
        or dossier.decisions.filter(session__members=member, revoked_at__isnull=True).exists()
    )


can_view = (
    is_secretariat
    | is_employer_of
    | (is_assigned_assessor & is_submitted)
    | (is_submitted & is_jury_of)
)
can_edit = is_employer_of & is_registering

rules.add_perm("dossiers.view_dossier", can_view)
rules.add_perm("dossiers.change_dossier", can_edit)
rules.add_perm("dossiers.delete_dossier", can_edit)
rules.add_perm("dossiers.duplicate_dossier", is_employer_of)
# The transitions' permissions (workflow.TRANSITIONS): in a state the transition leaves (checked
# first: no query), who.
rules.add_perm("dossiers.submit_dossier", leaves(Transition.SUBMIT) & is_employer_of)
rules.add_perm(
    "dossiers.return_dossier",
    leaves(Transition.RETURN_FOR_COMPLETION) & (is_assigned_assessor | is_secretariat),
)
rules.add_perm(
    "dossiers.complete_assessment",
    leaves(Transition.COMPLETE_ASSESSMENT) & is_assigned_assessor,
)
rules.add_perm("dossiers.add_attachment", can_edit)
rules.add_perm("dossiers.view_attachment", can_view)
# The assessment: written by the assigned assessor while it is open, read by every reader of
# the dossier once submitted.
rules.add_perm("evaluations.change_assessment", is_assigned_assessor & is_awaiting_assessment)
rules.add_perm("evaluations.view_assessment", can_view & is_submitted)
