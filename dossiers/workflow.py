"""The dossier's state machine: one table, and the one function every state change goes through.

Who may do X in state Y, and what happens then? Read `TRANSITIONS`:
- `sources` → `targets`: the states the transition leaves and reaches (the fsm methods on
  `Dossier` are declared from this table, see `fsm_transition`);
- `permission`: the `rules` permission (who, in which state) — `<app>/rules.py` builds it from
  its role predicates and `leaves(<transition>)`; it is also the fsm `permission=`;
- `guard`: the function listing, in French, what is missing (the fsm `conditions=`);
- `service`: the app's service that performs it (its own checks, rows and notifications);
- `reason`: the message when a transition that needs a reason gets none.

Other apps' guards and services are named by dotted path, as foreign keys name other apps'
models: dossiers imports nothing from evaluations or jurys, yet the table shows everything.
"""

import contextlib
from dataclasses import dataclass

import rules
from django.db import transaction
from django.utils.module_loading import import_string
from django_fsm import RETURN_VALUE, has_transition_perm
from django_fsm import transition as fsm_transition_decorator

from .enums import DECIDED_STATES, DossierState, Transition
from .exceptions import ALREADY_MOVED, NOT_ALLOWED, DossierActionError


@dataclass(frozen=True)
class Step:
    name: Transition
    sources: frozenset
    targets: tuple
    permission: str
    service: str
    label: str
    guard: str | None = None
    reason: str | None = None
    url: str | None = None
    # The permission already contains the guard (the button hides while it fails): a refusal
    # then tells what is missing rather than « pas le droit ».
    explain_refusal: bool = False

    @property
    def needs_reason(self):
        return self.reason is not None


TRANSITIONS = {
    step.name: step
    for step in (
        Step(
            name=Transition.SUBMIT,
            sources=frozenset({DossierState.REGISTERING}),
            targets=(DossierState.AWAITING_ASSESSMENT,),
            permission="dossiers.submit_dossier",  # the establishment's employer
            guard="dossiers.guards.submit_missing",
            service="dossiers.services.dossier_submit",
            label="Soumettre le dossier à l'évaluateur",
        ),
        Step(
            name=Transition.RETURN_FOR_COMPLETION,
            sources=frozenset({DossierState.AWAITING_ASSESSMENT}),
            targets=(DossierState.REGISTERING,),
            permission="dossiers.return_dossier",  # the assigned assessor or the secretariat
            guard="dossiers.guards.return_missing",
            service="dossiers.services.dossier_return_for_completion",
            label="Renvoyer à l'employeur pour complément",
            reason="Indiquez le motif du renvoi : l'employeur le recevra.",
            url="dossiers:return",
        ),
        Step(
            name=Transition.COMPLETE_ASSESSMENT,
            sources=frozenset({DossierState.AWAITING_ASSESSMENT}),
            targets=(DossierState.AWAITING_JURY,),
            permission="dossiers.complete_assessment",  # the assigned assessor
            guard="evaluations.guards.complete_missing",
            service="evaluations.services.assessment_complete",
            label="Clôturer l'évaluation",
        ),
        Step(
            name=Transition.REOPEN_ASSESSMENT,
            sources=frozenset({DossierState.AWAITING_JURY}),
            targets=(DossierState.AWAITING_ASSESSMENT,),
            permission="jurys.reopen_assessment",  # the secretariat, dossier not registered
            guard="jurys.guards.reopen_missing",
            service="jurys.services.assessment_reopen",
            label="Rouvrir l'évaluation",
            reason="Indiquez le motif de la réouverture : l'évaluateur le recevra.",
            url="jurys:reopen",
            explain_refusal=True,
        ),
        Step(
            name=Transition.DECIDE,
            sources=frozenset({DossierState.AWAITING_JURY}),
            targets=(
                DossierState.VALIDATED,
                DossierState.PARTIALLY_VALIDATED,
                DossierState.NOT_VALIDATED,
            ),
            permission="jurys.decide_dossier",  # the session's jury, or the secretariat for it
            guard="jurys.guards.decide_missing",
            service="jurys.services.decide",
            label="Enregistrer la décision du jury",
        ),
        Step(
            name=Transition.REVOKE_DECISION,
            sources=frozenset(DECIDED_STATES),
            targets=(DossierState.AWAITING_JURY,),
            permission="jurys.revoke_decision",  # the secretariat
            guard="jurys.guards.revoke_missing",
            service="jurys.services.decision_revoke",
            label="Annuler la décision du jury",
            reason="Indiquez le motif de l'annulation.",
            url="jurys:revoke",
        ),
    )
}


# What the rules, the models and the templates derive from the table


def leaves(name):
    """Rules predicate: the dossier is in a state transition `name` starts from."""
    sources = TRANSITIONS[name].sources

    def in_source_state(user, dossier):
        return dossier is not None and dossier.state in sources

    return rules.predicate(in_source_state, name=f"leaves_by_{name}")


def missing(dossier, name):
    """What prevents transition `name`, in French ([] when nothing does).

    Inside `transition()` the list is computed once and reused by the fsm conditions."""
    cached = dossier.__dict__.get("_workflow_missing", {})
    if name in cached:
        return cached[name]
    guard = TRANSITIONS[name].guard
    return list(import_string(guard)(dossier)) if guard else []


def fsm_transition(field, name):
    """The django-fsm decorator of transition `name`: source, target, conditions, permission."""
    step = TRANSITIONS[name]
    targets = step.targets
    return fsm_transition_decorator(
        field=field,
        source=sorted(step.sources),
        target=targets[0] if len(targets) == 1 else RETURN_VALUE(*targets),
        conditions=[lambda dossier: not missing(dossier, name)],
        permission=lambda dossier, user: rules.has_perm(step.permission, user, dossier),
    )


def is_allowed(dossier, user, name):
    return rules.has_perm(TRANSITIONS[name].permission, user, dossier)


def available_transitions(dossier, user):
    """The transitions `user` may start on `dossier` now (what the buttons show), in table
    order; their guards may still fail: the service then says what is missing."""
    return [step for step in TRANSITIONS.values() if is_allowed(dossier, user, step.name)]


def service(name):
    return import_string(TRANSITIONS[name].service)


def was_overtaken(dossier, user, name):
    """`user` could start `name` on `dossier` until someone else moved it: the dossier reached
    a state `name` leaves, then left it, and `user` had the permission there."""
    step = TRANSITIONS[name]
    if dossier.state in step.sources:
        return False
    last_time = dossier.transitions.filter(target__in=step.sources).order_by("-at", "-pk").first()
    if last_time is None:
        return False
    fields = {f.attname: getattr(dossier, f.attname) for f in dossier._meta.concrete_fields}
    as_it_was = type(dossier)(**{**fields, "state": last_time.target})
    return is_allowed(as_it_was, user, name)


# Writing


def record(*, dossier, transition, by, source="", reason=""):
    """The one writer of the append-only history (creation rows have no source)."""
    return dossier.transitions.create(
        source=source, target=dossier.state, transition=transition, actor=by, reason=reason
    )


@contextlib.contextmanager
def _missing_computed_once(dossier, name, items):
    dossier._workflow_missing = {name: items}
    try:
        yield
    finally:
        del dossier._workflow_missing


def transition(*, dossier, name, by, reason="", check=None, effects=None, error=None):
    """Every state change of a dossier: lock the row, check the source state (someone may have
    been faster), the permission, then the guard (computed once), transition, save, write the
    one history row.

    `check(locked)` makes the checks only the caller can make (it may raise) and returns the
    keyword arguments of the fsm method; `effects(locked)` writes the caller's own rows and
    notifications in the same transaction — bell notifications and the email outbox are rows,
    the emails leave on commit — and what it returns is returned (else the locked dossier).
    `error`: the caller's DossierActionError subclass.
    """
    step = TRANSITIONS[name]
    error = error or DossierActionError
    reason = (reason or "").strip()
    if step.needs_reason and not reason:
        raise error(step.reason)
    with transaction.atomic():
        locked = type(dossier).objects.select_for_update().get(pk=dossier.pk)
        if locked.state not in step.sources:
            raise error(ALREADY_MOVED)
        method = getattr(locked, name)
        if not method._django_fsm.has_transition_perm(locked, locked.state, by):
            refusal = missing(locked, name) if step.explain_refusal else []
            raise error(*(refusal or [NOT_ALLOWED]))
        items = missing(locked, name)
        if items:
            raise error(*items)
        with _missing_computed_once(locked, name, items):
            kwargs = check(locked) if check else {}
            # State, conditions and permission as django-fsm sees them (the guard is not rerun).
            if not has_transition_perm(method, by):
                raise error(NOT_ALLOWED)
            source = locked.state
            method(**(kwargs or {}))
        locked.save()
        result = effects(locked) if effects else None
        record(dossier=locked, source=source, transition=name, by=by, reason=reason)
    return locked if result is None else result
