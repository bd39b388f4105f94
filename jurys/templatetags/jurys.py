import rules
from django import template

from dossiers.enums import STATE_BADGES, DossierState

from ..rules import active_registration

register = template.Library()


@register.inclusion_tag("jurys/_dossier_panel.html", takes_context=True)
def jury_panel(context, dossier):
    """The jury part of a dossier page: registration, decisions, documents, actions."""
    user = context["request"].user
    decisions = list(
        dossier.decisions.select_related("session", "recorded_by", "revoked_by", "document")
        .prefetch_related("competences__competence")
        .order_by("-recorded_at")
    )
    registration = active_registration(dossier)
    standing = next((d for d in decisions if d.revoked_at is None), None)
    return {
        "dossier": dossier,
        "registration": registration,
        "decisions": decisions,
        "standing": standing,
        "carried": list(dossier.carried_competences.select_related("competence")),
        "badges": STATE_BADGES,
        "is_awaiting_jury": dossier.is_awaiting_jury,
        "can_register": rules.has_perm("jurys.register_dossier", user, dossier),
        "can_withdraw": rules.has_perm("jurys.withdraw_dossier", user, dossier),
        "can_move": registration is not None
        and rules.has_perm("jurys.manage_session", user, dossier),
        "can_represent": dossier.state == DossierState.PARTIALLY_VALIDATED
        and rules.has_perm("dossiers.duplicate_dossier", user, dossier),
    }
