"""« Envoyer au candidat »: the confirmation page, then the send (certificates.sending)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from dossiers.selectors import dossiers_for
from dossiers.stale import require_perm
from jurys.documents import verification_url

from .sending import SendRefused, latest_document, recipient_of, refusal, send_document


def send_to_candidate(request, pk):
    """GET: what will be sent, and where; POST: send it. A dossier the user may not see is a
    404 (another employer's), a reader without the right a 403 (assessor, jury member)."""
    dossier = get_object_or_404(
        dossiers_for(request.user).select_related("candidate", "certification", "establishment"),
        pk=pk,
    )
    require_perm(request.user, "certificates.send_document", dossier)
    document = latest_document(dossier)
    message = refusal(dossier, document)
    if message:
        messages.error(request, message)
        return redirect("dossiers:detail", pk=dossier.pk)
    if request.method == "POST":
        try:
            sent = send_document(dossier=dossier, by=request.user)
        except SendRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request,
                f"{sent.document.get_kind_display()} n° {sent.document.number} envoyé à "
                f"{sent.recipient} : le courriel part dans quelques instants.",
            )
        return redirect("dossiers:detail", pk=dossier.pk)
    return render(
        request,
        "certificates/send_document.html",
        {
            "dossier": dossier,
            "document": document,
            "recipient": recipient_of(dossier),
            "verification_url": verification_url(document),
        },
    )
