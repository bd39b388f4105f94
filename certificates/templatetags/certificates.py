import rules
from django import template

from dossiers.enums import DECIDED_STATES, DossierState

from ..sending import latest_document, refusal, sends_of

register = template.Library()


@register.inclusion_tag("certificates/_candidate_proof.html", takes_context=True)
def candidate_proof(context, dossier):
    """The « Envoyer au candidat » card of a decided dossier: the button (or why not), and the
    sends so far. Nothing for a user who may not send, nor before a document is issued."""
    user = context["request"].user
    # No query before the jury: no document can exist yet.
    if dossier.state not in {*DECIDED_STATES, DossierState.AWAITING_JURY}:
        return {"shown": False}
    if not rules.has_perm("certificates.send_document", user, dossier):
        return {"shown": False}
    document = latest_document(dossier)
    if document is None:
        return {"shown": False}
    return {
        "shown": True,
        "dossier": dossier,
        "document": document,
        "refusal": refusal(dossier, document),
        "sends": sends_of(dossier),
    }
