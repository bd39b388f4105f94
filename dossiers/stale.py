"""Races and stale pages end in a French message, never a bare 403 or 404 (SPEC §10).

A view asks `require_perm(user, perm, dossier)` instead of raising PermissionDenied itself:
when the user's role would allow the action in another state, the dossier moved under them
(someone was faster, or the page is old) and they get « déjà traité » with what they typed.
"""

import rules
from django.core.exceptions import PermissionDenied

from .enums import DossierState


class StaleAction(PermissionDenied):
    """The action was possible for this user, but not in the dossier's current state."""

    def __init__(self, dossier):
        super().__init__("Déjà traité")
        self.dossier = dossier


def allowed_in_another_state(user, perm, dossier):
    """Whether `perm` held in a state this dossier has been in before (it moved on since)."""
    original = dossier.__dict__.get("state")
    past = set(dossier.transitions.values_list("source", flat=True)) | {DossierState.REGISTERING}
    try:
        for state in DossierState.values:
            if state == original or state not in past:
                continue
            dossier.__dict__["state"] = state  # in memory only, never saved
            if rules.has_perm(perm, user, dossier):
                return True
    finally:
        dossier.__dict__["state"] = original
    return False


def require_perm(user, perm, dossier):
    if rules.has_perm(perm, user, dossier):
        return
    if allowed_in_another_state(user, perm, dossier):
        raise StaleAction(dossier)
    raise PermissionDenied
