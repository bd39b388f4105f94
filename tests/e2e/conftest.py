"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.e2e.axe import AuditedBrowser, AxeAuditor

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps calling out to a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path("/tmp/ecertif-screens")


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """pytest-django's live server, started once the test database exists.

    Session fixtures come before the function-scoped `transactional_db`, so the plain
    `live_server` would start first and miss SQLite's in-memory test database: each request
    thread would then open its own connection, which is never closed (ResourceWarning).
    """
    return live_server


@pytest.fixture(scope="package")
def chromium():
    """Headless Chromium for the tests of this package, stopped once they are done."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} absent : installez le paquet Debian chromium (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    # While Playwright's sync API runs, an event loop stays running in the test thread, where the
    # ORM refuses to work unless allowed. Only here: the other tests and their subprocesses
    # (check --deploy fails with this variable set) keep Django's async-safety check.
    with pytest.MonkeyPatch.context() as monkeypatch, sync_playwright() as playwright:
        monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        # LANGUAGE: Chromium's own widgets in French (« jj/mm/aaaa », « Choisir un fichier »,
        # as the users see them and the Aide's screenshots show them; Debian's chromium-l10n).
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            env={**os.environ, "LANGUAGE": "fr"},
        )
        yield browser
        browser.close()


@pytest.fixture
def axe_auditor():
    """Every page the test visits, audited by axe-core: no serious or critical violation."""
    auditor = AxeAuditor()
    yield auditor
    assert not auditor.violations, auditor.report()


@pytest.fixture
def browser(chromium, axe_auditor):
    """The browser whose every context is audited (see tests/e2e/axe.py)."""
    return AuditedBrowser(chromium, axe_auditor)


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def console_messages(page):
    """Every message the pages print on the browser console during the test."""
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    return messages


@pytest.fixture
def demo_data(transactional_db):
    """The référentiel and the demo accounts (SPEC §12), committed for the live server thread."""
    from demo.demo import seed_demo

    call_command("loaddata", "referentiel", verbosity=0)
    return seed_demo()


@pytest.fixture(scope="session")
def screenshots_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
