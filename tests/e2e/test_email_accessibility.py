"""The emails' HTML audited by axe-core (issue #12): every HTML email the app sends, rendered
with realistic context from the demo data, is loaded in Chromium and must show no violation
at all, moderate ones included (RGAA 4.1 applies to what a person reads in their mailbox too)."""

import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from dossiers.models import Dossier
from ecertif.accounts.models import User
from ecertif.accounts.services import activation_url
from evaluations.models import WorkplaceAssessorInvitation
from exports.enums import ExportKind
from exports.models import ExportJob
from jurys.models import IssuedDocument, JuryDecision, JuryMember, JurySession
from tests.e2e.axe import AXE_SOURCE, AXE_TAGS
from tests.factories.accounts import AccountRequestFactory

pytestmark = pytest.mark.e2e

TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"
EXPORT_EMAIL = "exports/email_ready"
AUDIT = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")),
  }));
}"""


def _contexts():
    """Each HTML email template → the context its sender gives it, from the demo data."""
    dossiers = Dossier.objects.filter(assessor__isnull=False).order_by("pk")
    dossier = dossiers.filter(option__isnull=False).first() or dossiers.first()
    invitation = WorkplaceAssessorInvitation.objects.select_related(
        "assessment__assessor__user", "assessment__dossier"
    ).first()
    employer = User.objects.get(email="employeur@demo.ecertif.fr")
    secretariat = User.objects.get(email="secretariat@demo.ecertif.fr")
    session = JurySession.objects.order_by("date").last()
    issued = IssuedDocument.objects.select_related("decision__dossier__candidate").first()
    request = AccountRequestFactory(
        message="Nous avons trois salariés à présenter au CQP cette année.",
        refusal_reason="Le SIRET ne correspond pas à un établissement de la branche.",
    )
    link = f"/dossiers/{dossier.pk}/"
    on_dossier = {"dossier": dossier, "link": link}
    on_invitation = {
        "invitation": invitation,
        "dossier": invitation.assessment.dossier,
        "assessor": invitation.assessment.assessor.user,
    }
    job = ExportJob(
        owner=secretariat,
        kind=ExportKind.choices[0][0],
        row_count=1284,
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    contexts = {
        "account_request_received_secretariat": {"request": request},
        "account_request_received": {"request": request},
        "account_request_approved": {
            "request": request,
            "user": employer,
            "activation_url": activation_url(employer),
        },
        "account_request_refused": {"request": request},
        "dossier_submitted": {**on_dossier, "assessor": dossier.assessor.user},
        "dossier_returned": {**on_dossier, "reason": "Il manque la copie du diplôme.\nMerci."},
        "assessment_completed": on_dossier,
        "dossier_registered": {"dossier": dossier, "session": session},
        "decision_recorded": {**on_dossier, "decision": JuryDecision.objects.first()},
        "session_reminder": {
            "session": session,
            "member": JuryMember.objects.select_related("user").first(),
            "count": 12,
            "link": f"/jurys/sessions/{session.pk}/",
        },
        "workplace_invitation": {**on_invitation, "url": "https://exemple.fr/observations/abc/"},
        "workplace_observations_received": {**on_invitation, "link": link},
        "workplace_reminder": on_invitation,
        "workplace_reopened": on_invitation,
        "document_to_candidate": {
            "candidate": issued.decision.dossier.candidate,
            "dossier": issued.decision.dossier,
            "document": issued,
            "session": issued.decision.session,
            "verification_url": "https://ecertif.example.org/verifier/abc/",
        },
        "reporting_reminder": {
            "status": SimpleNamespace(
                due=4, late=1, next_deadline=timezone.localdate() + datetime.timedelta(days=9)
            ),
            "link": "/certificats/caisse-des-depots/",
            "user": secretariat,
        },
    }
    contexts = {f"emails/{name}": context for name, context in contexts.items()}
    contexts[EXPORT_EMAIL] = {"job": job, "label": "Registre des certificats", "link": "/x/"}
    return contexts


def _email_templates():
    names = {f"emails/{path.stem}" for path in (TEMPLATES_DIR / "emails").glob("*.html")}
    return (names - {"emails/base"}) | {EXPORT_EMAIL}


def test_every_html_email_has_no_axe_violation(chromium, demo_data):
    contexts = _contexts()
    # A new email template must be added here, with its context.
    assert set(contexts) == _email_templates()

    context = chromium.new_context(locale="fr-FR", viewport={"width": 600, "height": 800})
    page = context.new_page()
    # The audit does see a violation: an image without a text alternative is critical.
    page.set_content('<html lang="fr"><title>t</title><body><img src="x.png"></body></html>')
    page.add_script_tag(content=AXE_SOURCE)
    assert "image-alt" in [v["id"] for v in page.evaluate(AUDIT, AXE_TAGS)]
    found = {}
    for template, email_context in sorted(contexts.items()):
        html = render_to_string(
            f"{template}.html", {"site_url": settings.SITE_URL, **email_context}
        )
        assert "None" not in html, template  # a context key the template expects is missing
        page.set_content(html)
        page.add_script_tag(content=AXE_SOURCE)
        # Moderate and minor findings too (landmarks, a heading): none is left.
        violations = [
            (v["id"], v["impact"], v["help"], v["nodes"]) for v in page.evaluate(AUDIT, AXE_TAGS)
        ]
        if violations:
            found[template] = violations
        assert page.evaluate("document.documentElement.lang") == "fr", template
        assert page.title().strip(), template
    context.close()
    assert found == {}
