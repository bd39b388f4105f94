"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server."""

from pathlib import Path

import pytest
from django.core.management import call_command

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
def browser():
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
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


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
