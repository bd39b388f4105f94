"""Every main page of every role (issue #12): no serious or critical axe-core violation on a
desktop screen, and no horizontal scrolling of the page on a 360 px phone."""

import pytest
from playwright.sync_api import expect

from demo.demo import DEMO_PASSWORD
from dossiers.enums import DossierState, WizardStep
from dossiers.models import Dossier
from ecertif.accounts.models import AccountRequest
from evaluations import services as evaluation_services
from jurys.models import JurySession
from referentiel.models import Certification
from tests.e2e.test_login import log_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 768}
PUBLIC_PAGES = [
    "/comptes/login/",
    "/demande-de-compte/",
    "/comptes/password/reset/",
    "/accessibilite/",
    "/aide/",
    "/aide/creer-une-candidature/",
    "/aide/evaluateur-metier/",
    "/evaluations/annuaire/",
    "/evaluations/annuaire/?region=84",
]


def _dossier(state, email, **filters):
    return Dossier.objects.filter(
        state=state, establishment__memberships__user__email=email, **filters
    ).first()


def _employer_pages():
    email = "employeur@demo.ecertif.fr"
    draft = _dossier(DossierState.REGISTERING, email)
    evaluated = _dossier(DossierState.AWAITING_JURY, email)
    partial = _dossier(DossierState.PARTIALLY_VALIDATED, email)
    code = Certification.objects.order_by("position").first().code
    return [
        "/",
        "/dossiers/",
        "/dossiers/?q=zzz",
        "/dossiers/nouveau/",
        *[f"/dossiers/{draft.pk}/etape/{step.value}/" for step in WizardStep],
        f"/dossiers/{draft.pk}/",
        f"/dossiers/{draft.pk}/supprimer/",
        f"/dossiers/{evaluated.pk}/",
        f"/jurys/dossiers/{evaluated.pk}/inscrire/",
        f"/dossiers/{partial.pk}/",
        "/statistiques/",
        "/referentiel/",
        f"/referentiel/{code}/",
        "/notifications/",
        "/exports/",
        "/accessibilite/",
    ]


def _assessor_pages():
    email = "evaluateur@demo.ecertif.fr"
    waiting = Dossier.objects.filter(
        state=DossierState.AWAITING_ASSESSMENT, assessor__user__email=email
    ).order_by("pk")
    return [
        "/",
        "/dossiers/",
        *[f"/evaluations/{dossier.pk}/" for dossier in waiting],
        f"/dossiers/{waiting[0].pk}/",
        f"/dossiers/{waiting[0].pk}/renvoyer/",
        "/statistiques/",
    ]


def _jury_pages():
    session = JurySession.objects.filter(registrations__isnull=False).first()
    return ["/", "/jurys/", f"/jurys/sessions/{session.pk}/", "/statistiques/"]


def _secretariat_pages():
    session = JurySession.objects.filter(registrations__isnull=False).first()
    decided = Dossier.objects.filter(state=DossierState.VALIDATED).first()
    evaluated = Dossier.objects.filter(state=DossierState.AWAITING_JURY).first()
    request = AccountRequest.objects.first()
    pages = [
        "/",
        "/dossiers/",
        "/jurys/",
        f"/jurys/sessions/{session.pk}/",
        f"/dossiers/{decided.pk}/",
        f"/jurys/dossiers/{decided.pk}/annuler-decision/",
        f"/jurys/dossiers/{evaluated.pk}/rouvrir-evaluation/",
        "/statistiques/",
        "/admin/",
        "/admin/dossiers/dossier/",
        f"/admin/dossiers/dossier/{decided.pk}/change/",
        "/admin/accounts/accountrequest/",
        "/admin/referentiel/certification/",
        "/admin/referentiel/certification/import/",
        "/admin/referentiel/certification/export/",
        "/admin/jurys/jurysession/",
        "/admin/jurys/jurysession/add/",
        f"/admin/jurys/jurysession/{session.pk}/change/",
    ]
    if request:
        pages.append(f"/admin/accounts/accountrequest/{request.pk}/change/")
    return pages


ROLES = {
    "employeur": ("employeur@demo.ecertif.fr", _employer_pages),
    "evaluateur": ("evaluateur@demo.ecertif.fr", _assessor_pages),
    "jury": ("jury@demo.ecertif.fr", _jury_pages),
    "secretariat": ("secretariat@demo.ecertif.fr", _secretariat_pages),
}


def _page_width(page):
    return page.evaluate("document.scrollingElement.scrollWidth")


def _visit(browser, live_server, email, paths, viewport, screenshots_dir, name):
    """Open every path in one logged-in context; returns the paths wider than the screen."""
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", viewport=viewport)
    context.set_default_timeout(10_000)
    page = context.new_page()
    if email:
        log_in(page, live_server, email, DEMO_PASSWORD)
        expect(page).to_have_url(live_server.url + "/")
    too_wide = []
    for index, path in enumerate(paths):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        browser.auditor.audit(page)
        if viewport == DESKTOP and "/etape/" in path:
            # The seven step tabs stay on one line at 1 366 px (they wrapped, issue #12).
            tops = page.locator(".wizard-steps > li").evaluate_all(
                "items => items.map((item) => item.offsetTop)"
            )
            assert len(set(tops)) == 1, path
        if viewport == PHONE:
            width = _page_width(page)
            if width > PHONE["width"]:
                too_wide.append((path, width))
            page.screenshot(path=screenshots_dir / f"phone-{name}-{index:02d}.png", full_page=True)
    context.close()
    return too_wide


@pytest.mark.parametrize("role", list(ROLES))
def test_role_pages_pass_axe_and_fit_a_phone(
    browser, live_server, demo_data, screenshots_dir, role
):
    email, pages = ROLES[role]
    paths = pages()

    _visit(browser, live_server, email, paths, DESKTOP, screenshots_dir, role)
    too_wide = _visit(browser, live_server, email, paths, PHONE, screenshots_dir, role)

    assert too_wide == []
    assert {path.split("#")[0] for path in browser.auditor.audited} >= {
        live_server.url + path for path in paths
    }


def test_public_and_workplace_pages_pass_axe_and_fit_a_phone(
    browser, live_server, demo_data, screenshots_dir, settings
):
    settings.SITE_URL = live_server.url
    dossier = Dossier.objects.filter(
        state=DossierState.AWAITING_ASSESSMENT, assessment__invitations__isnull=True
    ).first()
    _, token = evaluation_services.invitation_create(
        assessment=dossier.assessment,
        by=dossier.assessor.user,
        name="Paul Tuteur",
        email="paul.tuteur@exemple.fr",
        function="Chef d'équipe",
    )
    paths = [*PUBLIC_PAGES, f"/evaluation-metier/{token}/"]

    for viewport in (DESKTOP, PHONE):
        too_wide = _visit(browser, live_server, None, paths, viewport, screenshots_dir, "public")
        assert too_wide == []
